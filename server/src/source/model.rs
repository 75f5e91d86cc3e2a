//! Per-file summaries of TS/JS sources: everything the cross-worker analysis needs from a
//! module, and nothing else. Syntax trees are dropped once a summary is made.

use crate::base::{Spanned, TextRange};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    /// `import ... from "x"` bindings (one per imported name) that exist at run time.
    pub imports: Vec<Import>,
    /// Type-only imports (`import type { A }`, `import { type A }`): they never add a module to
    /// a worker's runtime module graph, but name classes for rename and references.
    pub type_imports: Vec<Import>,
    /// Named exports (not the default export) that exist at run time.
    pub exports: Vec<Export>,
    /// Type-only exports (`export type { A }`, `export { type A }`): not entrypoints or classes
    /// at run time.
    pub type_exports: Vec<Export>,
    /// `export * from "x"`.
    pub export_stars: Vec<Spanned<String>>,
    /// Every class declared at the top level of the module, exported or not.
    pub classes: Vec<ClassDecl>,
    /// The default export, if any.
    pub default_export: Option<DefaultExport>,
    /// Whether the default export is built by a package from the module's handlers
    /// (`export default new OAuthProvider({ apiHandler })`, `withSentry(handler)`,
    /// `MyMcp.serve("/mcp")` for a class extending a package's class): the package may read or
    /// inject env names the sources never spell. Framework apps the module fills itself
    /// (`new Hono()`, `AutoRouter()`) are not counted.
    pub default_wrapped: bool,
    /// Reads of `env.X` (in every supported spelling).
    pub env_accesses: Vec<EnvAccess>,
    /// Writes `env.X = ...`: the worker sets the name itself.
    pub env_writes: Vec<Spanned<String>>,
    /// Calls on env bindings: `env.X.m()`, and calls on Durable Object stubs obtained from
    /// `env.X.get(..)` / `env.X.getByName(..)`, directly or through a local `const`.
    pub env_calls: Vec<EnvCall>,
    /// Local names a front-end knows to hold a binding's handle (Alchemy's
    /// `const counters = yield* Counter`): completion offers the binding's methods after them.
    /// Calls on them are in `env_calls`.
    pub binding_handles: Vec<BindingHandle>,
    /// Whether the module reads the whole `env` object in a way that hides which bindings it
    /// uses (e.g. passes `env` to another function, or spreads it). Used to avoid reporting
    /// bindings as unused when the sources may read them indirectly.
    pub env_escapes: bool,
    /// Whether the module reads env by a computed name (`env[name]`), which hides which
    /// bindings it uses.
    pub env_dynamic: bool,
    /// Members declared by the module's env types (`interface Env { ... }`,
    /// `type Env = { ... }`, `*Env`, `*Bindings`, also inside `declare namespace`): names the
    /// team expects at run time, e.g. secrets set with `wrangler secret put`.
    pub env_type_members: Vec<EnvTypeMember>,
    /// Names other than `env` that hold the env object (handler parameters, parameters typed
    /// `Env`, `const e = this.env`, `import { env as e }`), each with the range it is in scope
    /// in, for completion.
    pub env_aliases: Vec<EnvAlias>,
    /// Whether tree-sitter reported syntax errors (the summary is still best effort).
    pub has_syntax_errors: bool,
}

/// One imported local name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The local name the import binds.
    pub local: String,
    /// The exported name in the other module: a name, `default`, or `*` for a namespace import.
    pub imported: String,
    /// The module specifier, span without quotes.
    pub from: Spanned<String>,
    /// The span of the imported name as written (the local identifier for default and
    /// namespace imports).
    pub name_range: TextRange,
}

/// A named export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Export {
    /// `export class A`, `export const a`, `export { a as b }`: `exported` is the public name,
    /// `local` the name inside this module.
    Local {
        exported: Spanned<String>,
        local: String,
    },
    /// `export { a as b } from "x"`: `imported` is the name in the other module (may be
    /// `default`).
    ReExport {
        exported: Spanned<String>,
        imported: String,
        from: Spanned<String>,
    },
}

impl Export {
    pub fn exported(&self) -> &Spanned<String> {
        match self {
            Export::Local { exported, .. } | Export::ReExport { exported, .. } => exported,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassDecl {
    /// The class name and the span of its identifier. Anonymous default-exported classes get
    /// the name `default` and the span of the `class` keyword.
    pub name: Spanned<String>,
    /// The base class identifier of `extends X` or `extends X<...>`, without type arguments.
    /// `extends ns.X` keeps the last segment. `None` without `extends` or when the heritage
    /// is an expression the summary cannot name (`extends mixin(Base)`).
    pub extends: Option<Spanned<String>>,
    /// True when there is an `extends` clause the summary could not name.
    pub extends_unknown: bool,
    /// Public instance methods, getters and fields: the RPC surface.
    pub members: Vec<Member>,
    /// The whole class declaration.
    pub range: TextRange,
    /// Described by a front-end rather than read from the class body (an Alchemy tag whose
    /// surface is a type argument and an implementation elsewhere): `extends` then names the
    /// Workers runtime base class (`DurableObject`, `WorkerEntrypoint`, `WorkflowEntrypoint`)
    /// whatever the module binds that name to, members may be listed more than once (the
    /// declared entry and the implementation), and an identifier naming the class in any
    /// module is the class for the IDE.
    pub described: bool,
}

impl ClassDecl {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name.value == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: Spanned<String>,
    pub kind: MemberKind,
    /// The parameter list as written, e.g. `(token: string, opts?: Options)`; empty for fields.
    pub params: String,
    /// The declared return type as written, if any, e.g. `Promise<User>`.
    pub return_type: Option<String>,
    /// The whole member.
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    Method,
    Getter,
    Field,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DefaultExport {
    /// `export default { fetch, queue(batch) {}, ... }` (also with `satisfies`/`as`), or an
    /// identifier bound to such an object in the same module. Handler names with spans.
    Object {
        handlers: Vec<Spanned<String>>,
        range: TextRange,
    },
    /// `export default class X extends ...` or `export default X` where `X` is a class of
    /// this module (the class is in `classes`), or `export { X as default }`.
    Class { name: String, range: TextRange },
    /// `export { default } from "./x"` or `export { X as default } from "./x"`.
    ReExport {
        imported: String,
        from: Spanned<String>,
        range: TextRange,
    },
    /// `export default X` where `X` is imported: resolve through the import.
    Imported { local: String, range: TextRange },
    /// Any other value (`export default app` for a Hono app, a function call, ...): treated as
    /// having a fetch handler.
    Other { range: TextRange },
}

impl DefaultExport {
    pub fn range(&self) -> TextRange {
        match self {
            DefaultExport::Object { range, .. }
            | DefaultExport::Class { range, .. }
            | DefaultExport::ReExport { range, .. }
            | DefaultExport::Imported { range, .. }
            | DefaultExport::Other { range } => *range,
        }
    }
}

/// A read of `env.NAME`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvAccess {
    /// The binding name and the span of the name only.
    pub name: Spanned<String>,
    /// Whether the read tests for the binding's presence or supplies a default (`if (env.X)`,
    /// `env.X ?? d`, `env.X || d`, `env.X?.y`, `"X" in env`, `typeof env.X`): the code handles
    /// its absence.
    pub guarded: bool,
}

/// A local name that holds a binding's handle, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BindingHandle {
    pub name: String,
    /// The binding of the worker (`env.X`'s `X`).
    pub binding: String,
    pub kind: HandleKind,
    /// The function or module the name is bound in.
    pub scope: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandleKind {
    /// The binding itself: `h.m()` calls a service, `h.get(..)` / `h.getByName(..)` give a
    /// Durable Object stub.
    Binding,
    /// A Durable Object stub: `h.m()` calls the class.
    Stub,
}

/// A local name that holds the env object, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvAlias {
    pub name: String,
    /// The function or module the name is bound in.
    pub scope: TextRange,
}

/// A member of an env type (`interface Env { API_KEY: string; CACHE: KVNamespace }`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvTypeMember {
    pub name: String,
    /// The binding type it is declared with (`KVNamespace`, `DurableObjectNamespace`, ...), when
    /// it is one and not optional: such a name cannot be set from the dashboard, so code that
    /// reads it expects a binding in the config. `None` for strings, literal unions, secrets
    /// and any other type.
    pub binding_type: Option<String>,
}

/// Type names of Workers bindings: a member typed with one of these is a binding, never a
/// dashboard var or secret.
pub const BINDING_TYPES: &[&str] = &[
    "KVNamespace",
    "R2Bucket",
    "D1Database",
    "DurableObjectNamespace",
    "Fetcher",
    "Service",
    "Queue",
    "Workflow",
    "Hyperdrive",
    "AnalyticsEngineDataset",
    "Ai",
    "VectorizeIndex",
    "Vectorize",
    "SendEmail",
    "RateLimit",
    "DispatchNamespace",
    "ImagesBinding",
    "WorkerVersionMetadata",
    "Pipeline",
    "WorkerLoader",
    "MediaBinding",
];

/// Classifies an env type member's type as written (`KVNamespace`, `Service<typeof import("x")>`,
/// `"a" | "b"`): the binding type name, or `None` when the member may be a var or secret.
/// `optional` members (`X?: T`) and unions with `undefined` are never binding evidence.
pub fn binding_type_of(type_text: &str, optional: bool) -> Option<String> {
    if optional {
        return None;
    }
    let t = type_text.trim().trim_start_matches(':').trim();
    if t.contains('|') {
        return None;
    }
    let head = t.split('<').next().unwrap_or("").trim();
    let head = head.rsplit('.').next().unwrap_or(head);
    BINDING_TYPES.contains(&head).then(|| head.to_string())
}

/// A method call on an env binding or on a Durable Object stub derived from one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvCall {
    /// The env binding name (`AUTH` in `env.AUTH.verify()`), span of that name.
    pub binding: Spanned<String>,
    /// The method called, span of its name.
    pub method: Spanned<String>,
    /// `Direct` for `env.X.m()`; `Stub` for calls on `env.X.get(..)` / `getByName(..)` results.
    pub target: CallTarget,
    /// The argument list as written, for hover.
    pub range: TextRange,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CallTarget {
    Direct,
    Stub,
}
