//! workers-lsp: a language server and CI checker for families of Cloudflare Workers.
//!
//! Layers, each only depending on the ones above it:
//! - [`base`]: text ranges, position conversion, did-you-mean.
//! - [`config`], [`source`]: syntax. Parse wrangler configs and TS/JS modules into compact,
//!   span-carrying models. Never fail, never do I/O.
//! - [`declare`]: the TypeScript front-ends (Devflare, Alchemy, `cloudflare.config.ts`), read
//!   statically into the same worker model as wrangler configs.
//! - [`project`]: find workers and files on disk, hold texts (open buffers win over disk).
//! - [`analysis`]: the workspace index, the rules, and the IDE features as plain functions
//!   over an immutable snapshot.
//! - [`cli`] and `lsp`: the outer layers that know about terminals and the protocol.

pub mod analysis;
pub mod base;
pub mod cli;
pub mod config;
pub mod declare;
pub mod lsp;
pub mod project;
pub mod source;

#[cfg(test)]
pub(crate) mod fixture;
