use super::model::ConfigError;
use super::value::Value;

pub fn parse(_text: &str) -> (Option<Value>, Vec<ConfigError>) {
    todo!("toml front-end")
}
