//! Worker families declared in TypeScript: Devflare (`devflare.config.ts`), Alchemy
//! (`alchemy.run.ts`, v1 async and v2 Effect) and Cloudflare's `cloudflare.config.ts`. Each
//! front-end reads its files statically (never executing them) into the same worker model the
//! wrangler front-end (`config/`) produces, with the span of every name and value, so the
//! index, the rules and the IDE features do not ask which front-end declared a worker (except
//! for what really differs: the migration policy).

pub mod expr;
pub mod program;
