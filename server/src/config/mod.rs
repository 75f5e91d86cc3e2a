//! Wrangler config files: TOML and JSON/JSONC parsed into one span-preserving value tree, then
//! read into the [`model`] types. Parsing never fails: a broken file yields its syntax errors
//! and whatever could be read.

pub mod model;
pub mod schema;
pub mod value;

mod extract;
mod jsonc;
mod keys;
mod toml;

pub use model::*;

/// Parses a config file's text. Never panics, whatever the input.
pub fn parse_config(format: ConfigFormat, text: &str) -> ConfigFile {
    let (tree, errors) = match format {
        ConfigFormat::Toml => toml::parse(text),
        ConfigFormat::Json | ConfigFormat::Jsonc => jsonc::parse(text),
    };
    extract::extract(format, text, tree, errors)
}
