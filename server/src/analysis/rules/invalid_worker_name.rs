//! `invalid-worker-name`: `name` fails wrangler's pattern `^[a-z0-9_][a-z0-9-_]*$`.

use super::Ctx;

pub fn is_valid_worker_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for config in &ix.ws.configs {
        let sections = std::iter::once(&config.file.top).chain(&config.file.envs);
        for name in sections.filter_map(|s| s.name.as_ref()) {
            if !is_valid_worker_name(&name.value) && !config.is_stand_in(name) {
                let fixed: String = name
                    .value
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect();
                let report = cx.report(
                    "invalid-worker-name",
                    &config.path,
                    name.range,
                    format!(
                        "worker name `{}` is invalid: use lowercase letters, digits, `-` and `_`, not starting with `-`",
                        name.value
                    ),
                );
                if is_valid_worker_name(&fixed) {
                    report.suggest(vec![fixed]);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_worker_name;

    #[test]
    fn pattern() {
        assert!(is_valid_worker_name("api"));
        assert!(is_valid_worker_name("_a-b_9"));
        assert!(!is_valid_worker_name("-api"));
        assert!(!is_valid_worker_name("Api"));
        assert!(!is_valid_worker_name("a.b"));
        assert!(!is_valid_worker_name(""));
    }
}
