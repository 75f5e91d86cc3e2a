//! The language server: a thin adapter between the protocol and the analysis.
//!
//! Document notifications first apply the editor's change to [`docs::Docs`] synchronously,
//! before any `.await` (handlers start in arrival order, so edits apply in order). The
//! analysis then syncs that text into [`state::State`] on a blocking thread under one lock,
//! re-summarises the file and queues the diagnostics that changed, in state order, for one
//! publishing task: the last diagnostics sent for a file always describe its newest state.
//! Requests take an immutable snapshot and run the IDE feature on a blocking thread; a panic
//! there is caught, logged and answered with an error, and the server keeps running.

pub mod convert;
pub mod docs;
mod handlers;
pub mod state;
pub mod transport;

use crate::base::PositionEncoding;
use convert::{path_to_uri, uri_to_path};
use docs::Docs;
use state::{Publish, Snapshot, State};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

pub struct Backend {
    client: Client,
    /// The editor's open documents; held only for the instant a change is applied.
    docs: Arc<Mutex<Docs>>,
    /// The analysis; held while a change is re-summarised and checked (on a blocking thread).
    state: Arc<Mutex<State>>,
    /// Diagnostics to publish, queued under the state lock in the order the state changed.
    publisher: mpsc::UnboundedSender<PublishDiagnosticsParams>,
    /// Roots named by `initialize`, loaded in `initialized`.
    pending_roots: Mutex<Vec<PathBuf>>,
    /// Whether the client can take `workDoneProgress` and dynamic watcher registration.
    progress: Mutex<(bool, bool)>,
    /// Set once `initialized` has loaded the roots: requests wait for it (up to
    /// [`READY_WAIT`]), so that a request sent right after opening a file is not answered
    /// against a workspace that is still being indexed.
    ready: tokio::sync::watch::Sender<bool>,
}

/// How long a request waits for the first index before it is answered anyway.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs the server on stdin/stdout until `exit` (or the end of the input, unrecoverable input,
/// or a closed output); returns the process exit code (see [`transport`]).
pub async fn run_stdio() -> i32 {
    let cache = crate::source::CachePolicy::from_env();
    run_with_cache(tokio::io::stdin(), tokio::io::stdout(), cache).await
}

/// Runs the server on any transport (tests use an in-memory duplex); returns the exit code.
pub async fn run<I, O>(input: I, output: O) -> i32
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite + Unpin,
{
    run_with_cache(input, output, crate::source::CachePolicy::Off).await
}

/// [`run`] with module summaries cached between sessions as `cache` says.
pub async fn run_with_cache<I, O>(input: I, output: O, cache: crate::source::CachePolicy) -> i32
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite + Unpin,
{
    let (service, socket) = LspService::new(|client| {
        let backend = Backend::new(client);
        lock(&backend.state).cache = cache;
        backend
    });
    transport::serve(service, socket, input, output).await
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave the state half-changed in a way that matters
    // more than stopping: keep serving.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Converts what changed into protocol messages, with the texts and versions the findings were
/// computed against (the caller holds the state lock), and queues them.
fn queue_publish(
    state: &State,
    publish: Publish,
    publisher: &mpsc::UnboundedSender<PublishDiagnosticsParams>,
) {
    let text_of = |p: &Path| state.text(p);
    let mut positions = convert::Positions::new(&text_of);
    for (file, diags) in publish {
        let Some(uri) = path_to_uri(&file) else {
            continue;
        };
        let diagnostics = diags
            .iter()
            .map(|d| handlers::publish_diagnostics::to_lsp(d, state.encoding, &mut positions))
            .collect();
        let _ = publisher.send(PublishDiagnosticsParams::new(
            uri,
            diagnostics,
            state.version(&file),
        ));
    }
}

impl Backend {
    /// Makes the server; must run inside a tokio runtime (it starts the publishing task).
    pub fn new(client: Client) -> Backend {
        let (publisher, mut queue) = mpsc::unbounded_channel::<PublishDiagnosticsParams>();
        let sender = client.clone();
        tokio::spawn(async move {
            while let Some(p) = queue.recv().await {
                sender
                    .publish_diagnostics(p.uri, p.diagnostics, p.version)
                    .await;
            }
        });
        Backend {
            client,
            docs: Arc::new(Mutex::new(Docs::default())),
            state: Arc::new(Mutex::new(State::new())),
            publisher,
            pending_roots: Mutex::new(Vec::new()),
            progress: Mutex::new((false, false)),
            ready: tokio::sync::watch::Sender::new(false),
        }
    }

    /// Waits until the roots named at initialization are indexed (or [`READY_WAIT`] passed).
    async fn wait_ready(&self) {
        let mut ready = self.ready.subscribe();
        if !*ready.borrow() {
            let _ = tokio::time::timeout(READY_WAIT, ready.wait_for(|r| *r)).await;
        }
    }

    /// Runs a read request on a snapshot, on a blocking thread, catching panics.
    async fn read<T, F>(&self, what: &'static str, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> T + Send + 'static,
    {
        self.wait_ready().await;
        let (state, docs, publisher) = (
            self.state.clone(),
            self.docs.clone(),
            self.publisher.clone(),
        );
        let work = move || {
            // Answer against the text the client sent last: apply updates still queued.
            let latest = lock(&docs).all();
            let snapshot = {
                let mut guard = lock(&state);
                let publish = guard.catch_up(latest);
                queue_publish(&guard, publish, &publisher);
                guard.snapshot()
            };
            f(&snapshot)
        };
        match tokio::task::spawn_blocking(work).await {
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
    /// rules) and queues the diagnostics that changed, before the lock is released.
    async fn mutate<F>(&self, f: F)
    where
        F: FnOnce(&mut State) -> Publish + Send + 'static,
    {
        let state = self.state.clone();
        let publisher = self.publisher.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut guard = lock(&state);
            let publish = f(&mut guard);
            queue_publish(&guard, publish, &publisher);
        })
        .await;
        if let Err(e) = result {
            self.client
                .log_message(MessageType::ERROR, format!("update failed: {e}"))
                .await
        }
    }

    /// Brings the analysis up to date with what the editor holds for `path` now.
    async fn document_changed(&self, path: PathBuf) {
        let docs = self.docs.clone();
        self.mutate(move |s| {
            let latest = lock(&docs).get(&path).cloned();
            s.document_changed(&path, latest)
        })
        .await;
    }
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
        let document_changes = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.workspace_edit.as_ref())
            .and_then(|e| e.document_changes)
            .unwrap_or(false);
        {
            let mut state = lock(&self.state);
            state.encoding = encoding;
            state.document_changes = document_changes;
        }
        lock(&self.docs).encoding = encoding;
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
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
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
        self.ready.send_replace(true);
        if let Some(bar) = bar {
            bar.finish_with_message("done").await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        // Let summary caches being written finish before `exit` ends the process.
        let saves = std::mem::take(&mut lock(&self.state).pending_saves);
        if !saves.is_empty() {
            let _ = tokio::task::spawn_blocking(move || {
                for save in saves {
                    let _ = save.join();
                }
            })
            .await;
        }
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        let text: Arc<str> = Arc::from(params.text_document.text);
        lock(&self.docs).open(&path, text, params.text_document.version);
        self.document_changed(path).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        // Applied here, before the first `.await`: see the module comment.
        let applied =
            lock(&self.docs).change(&path, params.text_document.version, params.content_changes);
        if applied {
            self.document_changed(path).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = uri_to_path(&params.text_document.uri) else {
            return;
        };
        if lock(&self.docs).close(&path) {
            self.document_changed(path).await;
        }
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
        self.read("completion", move |s| {
            handlers::completion::completion(s, &pos)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let pos = params.text_document_position_params;
        self.read("hover", move |s| handlers::hover::hover(s, &pos))
            .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let pos = params.text_document_position_params;
        self.read("definition", move |s| {
            handlers::definition::definition(s, &pos)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.read("references", move |s| {
            handlers::references::references(s, &params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.read("prepareRename", move |s| {
            handlers::rename::prepare_rename(s, &params)
        })
        .await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.read("rename", move |s| handlers::rename::rename(s, &params))
            .await?
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.read("codeAction", move |s| {
            handlers::code_action::code_action(s, &params)
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.read("documentSymbol", move |s| {
            handlers::document_symbol::document_symbol(s, &params)
        })
        .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.read("documentLink", move |s| {
            handlers::document_link::document_link(s, &params)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.read("codeLens", move |s| {
            handlers::code_lens::code_lens(s, &params)
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.read("inlayHint", move |s| {
            handlers::inlay_hint::inlay_hint(s, &params)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.read("workspaceSymbol", move |s| {
            handlers::workspace_symbol::workspace_symbol(s, &params)
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
        // No roots to index: ready at once (else each read waits READY_WAIT for them).
        backend.ready.send_replace(true);
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
