use super::model::{ConfigError, ConfigFile, ConfigFormat};
use super::value::Value;

pub fn extract(
    _format: ConfigFormat,
    _text: &str,
    _tree: Option<Value>,
    _errors: Vec<ConfigError>,
) -> ConfigFile {
    todo!("extract")
}
