//! The language server: a thin adapter between the protocol and the analysis.
//!
//! Notifications that change documents mutate [`state::State`] synchronously under one lock
//! (no `.await` in between) and publish the diagnostics that changed. Requests take an
//! immutable snapshot and run the IDE feature on a blocking thread; a panic there is caught,
//! logged and answered with an error, and the server keeps running.

pub mod convert;
mod handlers;
pub mod state;

use crate::base::PositionEncoding;
use convert::{path_to_uri, uri_to_path, Doc};
use state::{Publish, Snapshot, State};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    /// Roots named by `initialize`, loaded in `initialized`.
    pending_roots: Mutex<Vec<PathBuf>>,
    /// Whether the client can take `workDoneProgress` and dynamic watcher registration.
    progress: Mutex<(bool, bool)>,
}

/// Runs the server on stdin/stdout until `exit`.
pub async fn run_stdio() {
    let stdin = tokio::io::stdin();
    let stdout = tokio::io::stdout();
    let (service, socket) = LspService::new(Backend::new);
    Server::new(stdin, stdout, socket).serve(service).await;
}

/// Runs the server on any transport (tests use an in-memory duplex).
pub async fn run<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let (service, socket) = LspService::new(Backend::new);
    Server::new(input, output, socket).serve(service).await;
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // A panic while holding the lock cannot leave the state half-changed in a way that matters
    // more than stopping: keep serving.
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(State::new())),
            pending_roots: Mutex::new(Vec::new()),
            progress: Mutex::new((false, false)),
        }
    }

    async fn publish(&self, publish: Publish) {
        if publish.is_empty() {
            return;
        }
        let snapshot = lock(&self.state).snapshot();
        for (file, diags) in publish {
            let Some(uri) = path_to_uri(&file) else {
                continue;
            };
            let text_of = |p: &std::path::Path| snapshot.text(p);
            let version = snapshot_version(&self.state, &file);
            let diags = diags
                .iter()
                .map(|d| convert::diagnostic(d, snapshot.encoding, &text_of))
                .collect();
            self.client.publish_diagnostics(uri, diags, version).await;
        }
    }

    /// Runs a read request on a snapshot, on a blocking thread, catching panics.
    async fn read<T, F>(&self, what: &'static str, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> T + Send + 'static,
    {
        let snapshot = lock(&self.state).snapshot();
        match tokio::task::spawn_blocking(move || f(&snapshot)).await {
            Ok(v) => Ok(v),
            Err(e) => {
                let msg = if e.is_panic() {
                    let payload = e.into_panic();
                    let text = payload
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown panic".into());
                    format!("{what} failed: {text}")
                } else {
                    format!("{what} was cancelled")
                };
                self.client.log_message(MessageType::ERROR, &msg).await;
                Err(Error {
                    code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                    message: msg.into(),
                    data: None,
                })
            }
        }
    }

    /// Applies a state change on a blocking thread (it can re-summarise files and rerun the
    /// rules) and publishes the result.
    async fn mutate<F>(&self, f: F)
    where
        F: FnOnce(&mut State) -> Publish + Send + 'static,
    {
        let state = self.state.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut guard = lock(&state);
            f(&mut guard)
        })
        .await;
        match result {
            Ok(publish) => self.publish(publish).await,
            Err(e) => {
                self.client
                    .log_message(MessageType::ERROR, format!("update failed: {e}"))
                    .await
            }
        }
    }
}

fn snapshot_version(state: &Mutex<State>, file: &std::path::Path) -> Option<i32> {
    lock(state).open.get(file).map(|(_, v)| *v)
}

/// The client's preferred position encoding: UTF-8 when offered, else UTF-16.
fn negotiate_encoding(params: &InitializeParams) -> PositionEncoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = negotiate_encoding(&params);
        lock(&self.state).encoding = encoding;
        let mut roots: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(p) = params.root_uri.as_ref().and_then(uri_to_path) {
                roots.push(p);
            }
        }
        *self.pending_roots.lock().unwrap_or_else(|e| e.into_inner()) = roots;
        let window_progress = params
            .capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false);
        let dynamic_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        *self.progress.lock().unwrap_or_else(|e| e.into_inner()) = (window_progress, dynamic_watch);
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "workers-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(match encoding {
                    PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
                    PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![".".into(), "\"".into(), "'".into()]),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..Default::default()
                    },
                )),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (progress, dynamic_watch) = *self.progress.lock().unwrap_or_else(|e| e.into_inner());
        if dynamic_watch {
            let watchers = [
                "**/*wrangler*.{toml,json,jsonc}",
                "**/*.{ts,tsx,js,jsx,mts,cts,mjs,cjs}",
                "**/.dev.vars*",
                "**/.env*",
                "**/workers-lsp.toml",
            ]
            .iter()
            .map(|g| FileSystemWatcher {
                glob_pattern: GlobPattern::String(g.to_string()),
                kind: None,
            })
            .collect();
            let registration = Registration {
                id: "workers-lsp-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            };
            let _ = self.client.register_capability(vec![registration]).await;
        }
        let roots =
            std::mem::take(&mut *self.pending_roots.lock().unwrap_or_else(|e| e.into_inner()));
        let token = NumberOrString::String("workers-lsp/index".into());
        let reporting = progress
            && self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok();
        let bar = if reporting {
            Some(
                self.client
                    .progress(token, "Indexing workers")
                    .with_message(format!("{} folder(s)", roots.len()))
                    .begin()
                    .await,
            )
        } else {
            None
        };
        for root in roots {
            self.mutate(move |s| s.add_root(&root)).await;
        }
        if let Some(bar) = bar {
            bar.finish_with_message("done").await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        let text: Arc<str> = Arc::from(params.text_document.text);
        let version = params.text_document.version;
        self.mutate(move |s| s.open(&path, text, version)).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        let version = params.text_document.version;
        let changes = params.content_changes;
        self.mutate(move |s| {
            let encoding = s.encoding;
            let mut text: String = match s.open.get(&path) {
                Some((t, _)) => t.to_string(),
                // A change before an open: only a full-text change can be applied.
                None => String::new(),
            };
            for change in changes {
                match change.range {
                    Some(range) => {
                        let doc = Doc::new(&text);
                        let r = doc.text_range(range, encoding);
                        text.replace_range(r.as_usize(), &change.text);
                    }
                    None => text = change.text,
                }
            }
            s.change(&path, Arc::from(text), version)
        })
        .await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        self.mutate(move |s| s.close(&path)).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let events: Vec<(PathBuf, bool)> = params
            .changes
            .iter()
            .filter_map(|e| Some((uri_to_path(&e.uri)?, e.typ != FileChangeType::CHANGED)))
            .collect();
        self.mutate(move |s| {
            let mut publish = Vec::new();
            for (path, structural) in events {
                publish.extend(s.disk_event(&path, structural));
            }
            // Later events supersede earlier ones for the same file.
            let mut seen = std::collections::HashSet::new();
            publish.reverse();
            publish.retain(|(p, _)| seen.insert(p.clone()));
            publish.reverse();
            publish
        })
        .await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let added: Vec<PathBuf> = params
            .event
            .added
            .iter()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        let removed: Vec<PathBuf> = params
            .event
            .removed
            .iter()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        self.mutate(move |s| {
            let mut publish = Vec::new();
            for r in removed {
                publish.extend(s.remove_root(&r));
            }
            for a in added {
                publish.extend(s.add_root(&a));
            }
            publish
        })
        .await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let pos = params.text_document_position;
        self.read("completion", move |s| handlers::completion(s, &pos))
            .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        self.read("hover", move |s| handlers::hover(s, &pos)).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        self.read("definition", move |s| handlers::definition(s, &pos))
            .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.read("references", move |s| handlers::references(s, &params))
            .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.read("prepareRename", move |s| {
            handlers::prepare_rename(s, &params)
        })
        .await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.read("rename", move |s| handlers::rename(s, &params))
            .await?
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.read("codeAction", move |s| handlers::code_action(s, &params))
            .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.read("documentSymbol", move |s| {
            handlers::document_symbol(s, &params)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.read("workspaceSymbol", move |s| {
            handlers::workspace_symbol(s, &params)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_request_is_an_error_and_the_server_lives_on() {
        let (service, socket) = LspService::new(Backend::new);
        // Drain what the server sends to the client (the logged errors).
        tokio::spawn(async move {
            use futures::StreamExt;
            let mut socket = socket;
            while socket.next().await.is_some() {}
        });
        let backend = service.inner();
        let failed: Result<()> = backend.read("boom", |_| panic!("a bug in a feature")).await;
        let err = failed.unwrap_err();
        assert!(
            err.message.contains("a bug in a feature"),
            "{}",
            err.message
        );
        let ok = backend.read("fine", |s| s.roots.len()).await;
        assert_eq!(ok.unwrap(), 0);
        // The state lock is not poisoned for later changes either.
        backend.mutate(|_| panic!("a bug in an update")).await;
        backend.mutate(|_| Vec::new()).await;
    }
}
