//! `unknown-rpc-method`: `env.X.m()` where the bound entrypoint or Durable Object class has no
//! `m`, counting methods inherited from local base classes.

use super::common::{host_target, service_target, worker_and_targets, Target};
use super::Ctx;
use crate::analysis::index::{ClassRef, DefaultInfo, EnvId, ExportTarget, Index, Resolved};
use crate::base::did_you_mean;
use crate::source::CallTarget;

/// Methods every service binding (a `Fetcher`) has, whatever it targets.
pub const FETCHER_BUILTINS: &[&str] = &["fetch", "connect", "queue", "scheduled", "dup"];
/// Members every Durable Object stub has.
pub const STUB_BUILTINS: &[&str] = &["fetch", "connect", "id", "name", "dup"];

/// The class an env binding's calls land on, in one environment, for one kind of call.
/// `None` when the binding is not of a kind with an RPC surface, or the class cannot be known.
pub fn rpc_class(ix: &Index, id: EnvId, binding: &str, call: CallTarget) -> Option<ClassRef> {
    match call {
        CallTarget::Direct => {
            let b = ix
                .services(id)
                .iter()
                .find(|b| b.binding.value == binding)?;
            let Target::Found(target) = service_target(ix, id, b) else {
                return None;
            };
            let main = ix.env(target).main.as_ref()?;
            match b.entrypoint.as_ref().filter(|e| e.value != "default") {
                Some(ep) => match ix.resolve_export(main, &ep.value) {
                    Resolved::Found(ExportTarget::Class(c)) => Some(c),
                    _ => None,
                },
                None => match ix.default_export(main) {
                    DefaultInfo::Class(c) => Some(c),
                    _ => None,
                },
            }
        }
        CallTarget::Stub => {
            let b = ix
                .durable_objects(id)
                .iter()
                .find(|b| b.name.value == binding)?;
            let class_name = b.class_name.as_ref()?;
            let Target::Found(host) = host_target(ix, id, b.script_name.as_ref()) else {
                return None;
            };
            let main = ix.env(host).main.as_ref()?;
            match ix.resolve_export(main, &class_name.value) {
                Resolved::Found(ExportTarget::Class(c)) => Some(c),
                _ => None,
            }
        }
    }
}

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    for w in 0..ix.workers.len() {
        // What `w` calls: its modules' calls, checked against the classes of the workers it
        // binds.
        if !cx.unit(worker_and_targets(ix, w)) {
            continue;
        }
        for module in ix.worker_modules(w) {
            let file = module.path;
            let Some(summary) = module.doc.and_then(|d| d.summary()) else {
                continue;
            };
            for call in &summary.env_calls {
                let builtins = match call.target {
                    CallTarget::Direct => FETCHER_BUILTINS,
                    CallTarget::Stub => STUB_BUILTINS,
                };
                if builtins.contains(&call.method.value.as_str()) {
                    continue;
                }
                let mut missing_in: Option<ClassRef> = None;
                let mut found = false;
                for e in 0..ix.worker(w).envs.len() {
                    let Some(class) = rpc_class(ix, (w, e), &call.binding.value, call.target)
                    else {
                        continue;
                    };
                    match ix.find_member(&class, &call.method.value) {
                        Resolved::Found(_) | Resolved::Unknown => found = true,
                        Resolved::Missing => missing_in = Some(class),
                    }
                }
                let (false, Some(class)) = (found, missing_in) else {
                    continue;
                };
                let Some(decl) = ix.class(&class) else {
                    continue;
                };
                let members: Vec<String> = ix
                    .members(&class)
                    .iter()
                    .map(|(_, m)| m.name.value.clone())
                    .collect();
                let suggestions =
                    did_you_mean(&call.method.value, members.iter().map(String::as_str));
                cx.report(
                    "unknown-rpc-method",
                    file,
                    call.method.range,
                    format!(
                        "`{}` has no method `{}` (binding `{}`)",
                        decl.name.value, call.method.value, call.binding.value
                    ),
                )
                .related(
                    &class.file,
                    decl.name.range,
                    format!("`{}` is defined here", decl.name.value),
                )
                .suggest(suggestions);
            }
        }
    }
}
