//! `textDocument/publishDiagnostics`: a finding as the protocol shows it (severity, code and
//! its documentation link, related locations in other workers' files, and the did-you-mean
//! suggestions both in the message and as `data` for clients that build their own fixes).

use crate::analysis::diagnostics::{Diagnostic, Severity};
use crate::base::PositionEncoding;
use crate::lsp::convert::{path_to_uri, Positions};
use tower_lsp_server::ls_types as lsp;

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// Converts a finding; `positions` gives the current text of any file it mentions (indexed
/// once per file across a batch of findings).
pub fn to_lsp(d: &Diagnostic, enc: PositionEncoding, positions: &mut Positions) -> lsp::Diagnostic {
    let range = positions.range(&d.file, d.range, enc);
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let uri = path_to_uri(&r.file)?;
            Some(lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(uri, positions.range(&r.file, r.range, enc)),
                message: r.message.clone(),
            })
        })
        .collect();
    let mut message = d.message.clone();
    if !d.suggestions.is_empty() {
        let list: Vec<String> = d.suggestions.iter().map(|s| format!("`{s}`")).collect();
        message.push_str(&format!(" (did you mean {}?)", list.join(", ")));
    }
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: crate::analysis::rules::docs_url(d.code)
            .as_str()
            .parse::<lsp::Uri>()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("workers-lsp".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code == "unused-binding").then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: (!d.suggestions.is_empty())
            .then(|| serde_json::json!({ "suggestions": d.suggestions })),
    }
}
