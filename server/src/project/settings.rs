//! `workers-lsp.toml`: the project file at a workspace root.
//!
//! ```toml
//! [rules]
//! unused-binding = "off"          # off, hint, info, warning, error
//!
//! [files]
//! include = ["deploy/*.toml"]     # extra config files, even if ignored or not named *wrangler*
//! exclude = ["legacy/**"]         # configs and sources never read
//!
//! [external]
//! workers = ["billing"]           # deployed from elsewhere: references are not findings
//! queues = ["audit-events"]
//!
//! [workspace]
//! members = ["fixtures/*"]        # each matching folder is a family of its own
//! ```

use crate::analysis::diagnostics::Severity;
use crate::analysis::rules::rule;
use crate::base::TextRange;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::HashMap;

pub const SETTINGS_FILE: &str = "workers-lsp.toml";

#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Per-rule severity overrides; `None` turns the rule off.
    pub severities: HashMap<String, Option<Severity>>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub external_workers: Vec<String>,
    pub external_queues: Vec<String>,
    /// `[workspace] members`: folders (globs relative to the root, `*` within one folder,
    /// `**` across folders) each checked as a family of its own.
    pub members: Vec<String>,
    include_set: Option<GlobSet>,
    exclude_set: Option<GlobSet>,
    members_set: Option<GlobSet>,
}

/// A problem in the settings file, reported as a `config-syntax` finding on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    pub message: String,
    pub range: TextRange,
}

impl Settings {
    /// The severity a rule has in this project, `None` when it is off.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        match self.severities.get(code) {
            Some(s) => *s,
            None => rule(code).map(|r| r.default_severity),
        }
    }

    pub fn is_external_worker(&self, name: &str) -> bool {
        self.external_workers.iter().any(|w| w == name)
    }

    pub fn is_external_queue(&self, name: &str) -> bool {
        self.external_queues.iter().any(|q| q == name)
    }

    /// Whether a root-relative path (with `/` separators) is excluded.
    pub fn is_excluded(&self, rel: &str) -> bool {
        self.exclude_set.as_ref().is_some_and(|s| s.is_match(rel))
    }

    /// Whether a root-relative path is an extra config named by `include`.
    pub fn is_included(&self, rel: &str) -> bool {
        self.include_set.as_ref().is_some_and(|s| s.is_match(rel))
    }

    /// Whether `[workspace] members` names any folder (else [`Self::is_member_dir`] is false
    /// for every folder).
    pub fn has_members(&self) -> bool {
        self.members_set.is_some()
    }

    /// Whether a root-relative folder (with `/` separators) is a `[workspace]` member.
    pub fn is_member_dir(&self, rel: &str) -> bool {
        !rel.is_empty() && self.members_set.as_ref().is_some_and(|s| s.is_match(rel))
    }

    /// What a family inherits from the project's settings when it has no `workers-lsp.toml`
    /// of its own: `[rules]` and `[external]`. `[files]` globs are relative to the project
    /// root and `[workspace]` describes it, so neither carries over.
    pub fn inherited(&self) -> Settings {
        Settings {
            severities: self.severities.clone(),
            external_workers: self.external_workers.clone(),
            external_queues: self.external_queues.clone(),
            ..Settings::default()
        }
    }

    /// Parses the settings file. Unknown keys and bad values are reported, never fatal.
    pub fn parse(text: &str) -> (Settings, Vec<SettingsError>) {
        let mut settings = Settings::default();
        let mut errors = Vec::new();
        let doc = match text.parse::<toml_edit::ImDocument<String>>() {
            Ok(doc) => doc,
            Err(e) => {
                let range = e
                    .span()
                    .map(|s| TextRange::from_usize(s.start, s.end))
                    .unwrap_or_default();
                errors.push(SettingsError {
                    message: e.message().to_string(),
                    range,
                });
                return (settings, errors);
            }
        };
        let span_of = |item: &toml_edit::Item| {
            item.span()
                .map(|s| TextRange::from_usize(s.start, s.end))
                .unwrap_or_default()
        };
        let root = doc.as_table();
        for (key, item) in root.iter() {
            match key {
                "rules" => {
                    let Some(table) = item.as_table_like() else {
                        errors.push(SettingsError {
                            message: "`rules` must be a table".into(),
                            range: span_of(item),
                        });
                        continue;
                    };
                    for (code, value) in table.iter() {
                        let range = span_of(value);
                        if rule(code).is_none() {
                            errors.push(SettingsError {
                                message: format!("unknown rule `{code}`"),
                                range,
                            });
                            continue;
                        }
                        match value.as_str() {
                            Some("off") => {
                                settings.severities.insert(code.to_string(), None);
                            }
                            Some(s) if Severity::parse(s).is_some() => {
                                settings
                                    .severities
                                    .insert(code.to_string(), Severity::parse(s));
                            }
                            _ => errors.push(SettingsError {
                                message: format!(
                                    "severity of `{code}` must be one of \"off\", \"hint\", \"info\", \"warning\", \"error\""
                                ),
                                range,
                            }),
                        }
                    }
                }
                "files" | "external" | "workspace" => {
                    let Some(table) = item.as_table_like() else {
                        errors.push(SettingsError {
                            message: format!("`{key}` must be a table"),
                            range: span_of(item),
                        });
                        continue;
                    };
                    for (sub, value) in table.iter() {
                        let target = match (key, sub) {
                            ("files", "include") => &mut settings.include,
                            ("files", "exclude") => &mut settings.exclude,
                            ("external", "workers") => &mut settings.external_workers,
                            ("external", "queues") => &mut settings.external_queues,
                            ("workspace", "members") => &mut settings.members,
                            _ => {
                                errors.push(SettingsError {
                                    message: format!("unknown key `{key}.{sub}`"),
                                    range: span_of(value),
                                });
                                continue;
                            }
                        };
                        match value.as_array() {
                            Some(arr) if arr.iter().all(|v| v.as_str().is_some()) => target
                                .extend(arr.iter().filter_map(|v| v.as_str()).map(String::from)),
                            _ => errors.push(SettingsError {
                                message: format!("`{key}.{sub}` must be an array of strings"),
                                range: span_of(value),
                            }),
                        }
                    }
                }
                _ => errors.push(SettingsError {
                    message: format!("unknown section `{key}`"),
                    range: span_of(item),
                }),
            }
        }
        settings.include_set = build_globs(&settings.include, &mut errors);
        settings.exclude_set = build_globs(&settings.exclude, &mut errors);
        settings.members_set = build_folder_globs(&settings.members, &mut errors);
        (settings, errors)
    }
}

fn build_globs(patterns: &[String], errors: &mut Vec<SettingsError>) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        match Glob::new(p) {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => errors.push(SettingsError {
                message: format!("bad glob `{p}`: {e}"),
                range: TextRange::default(),
            }),
        }
    }
    builder.build().ok()
}

/// Globs over folder paths, where `*` stays within one folder (as pnpm and npm read
/// workspace globs): `fixtures/*` is each folder of `fixtures`, not the folders below them.
fn build_folder_globs(patterns: &[String], errors: &mut Vec<SettingsError>) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./").trim_end_matches('/');
        match GlobBuilder::new(p).literal_separator(true).build() {
            Ok(g) => {
                builder.add(g);
            }
            Err(e) => errors.push(SettingsError {
                message: format!("bad glob `{p}`: {e}"),
                range: TextRange::default(),
            }),
        }
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_files_and_externals() {
        let (s, errors) = Settings::parse(
            r#"
[rules]
unused-binding = "off"
unknown-binding = "error"
[files]
exclude = ["legacy/**"]
[external]
workers = ["billing"]
queues = ["audit"]
"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(s.severity("unused-binding"), None);
        assert_eq!(s.severity("unknown-binding"), Some(Severity::Error));
        assert_eq!(s.severity("missing-main"), Some(Severity::Error));
        assert!(s.is_excluded("legacy/a/wrangler.toml"));
        assert!(!s.is_excluded("api/wrangler.toml"));
        assert!(s.is_external_worker("billing"));
        assert!(s.is_external_queue("audit"));
    }

    #[test]
    fn reports_unknown_rules_and_bad_severities() {
        let (_, errors) =
            Settings::parse("[rules]\nno-such-rule = \"off\"\nmissing-main = \"loud\"\n");
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("no-such-rule"));
        assert!(errors[1].message.contains("missing-main"));
    }

    #[test]
    fn workspace_members_are_folder_globs() {
        let (s, errors) = Settings::parse(
            "[rules]\nunused-binding = \"off\"\n[files]\nexclude = [\"x/**\"]\n[workspace]\nmembers = [\"fixtures/*\", \"./apps/**/\", \"one\"]\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(s.is_member_dir("fixtures/a"));
        assert!(!s.is_member_dir("fixtures/a/b"));
        assert!(!s.is_member_dir("fixtures"));
        assert!(s.is_member_dir("apps/web"));
        assert!(s.is_member_dir("apps/web/deep"));
        assert!(s.is_member_dir("one"));
        assert!(!s.is_member_dir(""));
        assert!(!s.is_member_dir("other"));
        // A member inherits the rules and externals, not the root's files or members.
        let inherited = s.inherited();
        assert_eq!(inherited.severity("unused-binding"), None);
        assert!(!inherited.is_excluded("x/wrangler.toml"));
        assert!(!inherited.is_member_dir("fixtures/a"));
        // Members must be strings.
        let (_, errors) = Settings::parse("[workspace]\nmembers = \"fixtures/*\"\n");
        assert!(
            errors[0].message.contains("workspace.members"),
            "{errors:?}"
        );
        let (_, errors) = Settings::parse("[workspace]\nroot = true\n");
        assert!(errors[0].message.contains("workspace.root"), "{errors:?}");
    }

    #[test]
    fn broken_settings_file_is_an_error_not_a_panic() {
        let (_, errors) = Settings::parse("[rules\n");
        assert_eq!(errors.len(), 1);
    }
}
