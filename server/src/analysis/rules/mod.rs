//! The rules, one module each. Every rule reads the [`Index`] and reports through [`Ctx`],
//! which applies the project's severities and drops rules that are off.

mod docs;
mod registry;
mod units;

mod binding_not_inherited;
mod config_syntax;
mod conflicting_workflow_name;
mod default_entrypoint_string;
mod deleted_class_still_bound;
mod deprecated_service_environment;
mod duplicate_queue_consumer;
mod duplicate_worker_name;
mod entrypoint_not_rpc;
mod env_migrations_diverge;
mod environment_drift;
mod invalid_migration;
mod invalid_worker_name;
mod migration_class_not_exported;
mod misplaced_key;
mod missing_do_migration;
mod missing_main;
mod missing_queue_handler;
mod no_default_export;
mod no_fetch_handler;
mod not_a_durable_object;
mod not_a_workflow;
mod queue_without_consumer;
mod unknown_binding;
mod unknown_do_class;
mod unknown_entrypoint;
mod unknown_key;
mod unknown_rpc_method;
mod unknown_script;
mod unknown_service;
mod unknown_workflow_class;
mod unreadable_file;
mod unused_binding;

pub(crate) mod common;

pub use docs::{RuleDoc, DOCS};
pub use invalid_worker_name::is_valid_worker_name;
pub use registry::{docs_url, render_doc, rule, RuleInfo, RULES};
pub use units::{Rerun, RuleRun};
use units::{Unit, Units};
pub use unknown_rpc_method::{rpc_class, FETCHER_BUILTINS, STUB_BUILTINS};

use crate::analysis::diagnostics::{Diagnostic, Related};
use crate::analysis::env_surface::{env_surface, EnvSurface, Folders};
use crate::analysis::index::Index;
use crate::base::TextRange;
use std::path::Path;
use std::rc::Rc;

/// What a rule reports through.
pub struct Ctx<'a> {
    pub index: &'a Index,
    out: Vec<(Unit, Diagnostic)>,
    /// Every worker's env surface, each made on first use and shared by the rules after it
    /// (`unknown-binding` and `unused-binding` both read them).
    surfaces: Rc<Surfaces<'a>>,
    /// The units of work the rules split their work into (see [`units`]).
    units: Units<'a>,
}

/// Every worker's env surface, made on first use.
pub struct Surfaces<'a> {
    index: &'a Index,
    cells: Vec<std::cell::OnceCell<EnvSurface<'a>>>,
    /// Which support files lie near which worker, for [`env_surface`].
    folders: std::cell::OnceCell<Folders<'a>>,
}

impl<'a> std::ops::Index<usize> for Surfaces<'a> {
    type Output = EnvSurface<'a>;
    fn index(&self, w: usize) -> &EnvSurface<'a> {
        self.cells[w].get_or_init(|| {
            let folders = self.folders.get_or_init(|| Folders::new(self.index));
            env_surface(self.index, w, folders)
        })
    }
}

/// Adds details to a reported finding; does nothing when the rule is off.
pub struct Report<'r>(Option<&'r mut Diagnostic>);

impl Report<'_> {
    pub fn related(self, file: &Path, range: TextRange, message: impl Into<String>) -> Self {
        if let Some(d) = self.0 {
            d.related.push(Related {
                file: file.to_path_buf(),
                range,
                message: message.into(),
            });
            Report(Some(d))
        } else {
            self
        }
    }
    pub fn suggest(self, suggestions: Vec<String>) -> Self {
        if let Some(d) = self.0 {
            d.suggestions = suggestions;
            Report(Some(d))
        } else {
            self
        }
    }
    /// Caps the finding's severity: a finding graded down for weak evidence stays below the
    /// rule's (configured) severity.
    pub fn at_most(self, cap: crate::analysis::Severity) -> Self {
        if let Some(d) = self.0 {
            d.severity = d.severity.min(cap);
            Report(Some(d))
        } else {
            self
        }
    }
}

impl<'a> Ctx<'a> {
    /// A context for a run of the rules, after a sources-only edit when `rerun` says so.
    pub fn new(index: &'a Index, rerun: Option<Rerun<'a>>) -> Self {
        Ctx {
            index,
            out: Vec::new(),
            surfaces: Rc::new(Surfaces {
                index,
                cells: (0..index.workers.len())
                    .map(|_| std::cell::OnceCell::new())
                    .collect(),
                folders: std::cell::OnceCell::new(),
            }),
            units: Units::new(rerun),
        }
    }

    /// The env surface of every worker, by worker (see [`env_surface`]), each computed on
    /// first use.
    pub fn env_surfaces(&self) -> Rc<Surfaces<'a>> {
        self.surfaces.clone()
    }

    /// Starts the next unit of work of the current rule (see [`units`]): its findings, until
    /// the rule starts another unit or ends, depend on the configs, the settings, the support
    /// files, the module graphs and the sources of the workers in `deps` (and of those it
    /// [widens](Ctx::widen) to), and on nothing else. Which units a rule makes, and their
    /// `deps`, must follow from the configs and the module graphs alone.
    ///
    /// Returns whether to compute the unit: `false` when this run follows an edit that changed
    /// the sources of none of the unit's workers; its findings of the previous run stand, and
    /// the rule must skip it and report nothing for it.
    pub fn unit(&mut self, deps: impl IntoIterator<Item = usize>) -> bool {
        self.units.start(deps)
    }

    /// Starts the rule's one unit of work, which reads configs, settings and support files and
    /// no source module: a run after a sources-only edit skips it (returns `false`).
    pub fn configs_only(&mut self) -> bool {
        self.units.start(std::iter::empty())
    }

    /// The current unit also depends on the sources of `workers` (found while computing it:
    /// a search of every worker's exports).
    pub fn widen(&mut self, workers: impl IntoIterator<Item = usize>) {
        self.units.widen(workers)
    }

    pub fn report(
        &mut self,
        code: &'static str,
        file: &Path,
        range: TextRange,
        message: impl Into<String>,
    ) -> Report<'_> {
        let Some(severity) = self.index.ws.settings.severity(code) else {
            return Report(None);
        };
        debug_assert!(rule(code).is_some(), "unregistered rule {code}");
        let unit = self.units.of_finding();
        self.out.push((
            unit,
            Diagnostic {
                code,
                severity,
                file: file.to_path_buf(),
                range,
                message: message.into(),
                related: Vec::new(),
                suggestions: Vec::new(),
            },
        ));
        Report(self.out.last_mut().map(|(_, d)| d))
    }

    pub fn is_on(&self, code: &str) -> bool {
        self.index.ws.settings.severity(code).is_some()
    }
}

type RuleFn = fn(&mut Ctx<'_>);

/// Every rule, in catalogue order.
const ALL: &[RuleFn] = &[
    config_syntax::check,
    unknown_key::check,
    misplaced_key::check,
    missing_main::check,
    invalid_worker_name::check,
    duplicate_worker_name::check,
    no_default_export::check,
    unknown_service::check,
    unknown_entrypoint::check,
    entrypoint_not_rpc::check,
    default_entrypoint_string::check,
    deprecated_service_environment::check,
    no_fetch_handler::check,
    unknown_rpc_method::check,
    unknown_script::check,
    unknown_do_class::check,
    not_a_durable_object::check,
    missing_do_migration::check,
    migration_class_not_exported::check,
    deleted_class_still_bound::check,
    invalid_migration::check,
    env_migrations_diverge::check,
    unknown_workflow_class::check,
    not_a_workflow::check,
    conflicting_workflow_name::check,
    duplicate_queue_consumer::check,
    missing_queue_handler::check,
    queue_without_consumer::check,
    unknown_binding::check,
    unused_binding::check,
    binding_not_inherited::check,
    environment_drift::check,
    unreadable_file::check,
];

/// Codes reported on every config, whatever it is for: a config that does not parse, or whose
/// TOML scoping moved a key into the wrong table, breaks the tests or the template that uses
/// it too.
const REPORTED_FOR_EVERY_ROLE: &[&str] = &["config-syntax", "misplaced-key"];

/// Runs every rule and returns its findings as [`finish`] makes them.
pub fn run_all(index: &Index) -> Vec<Diagnostic> {
    finish(index, &run(index, None))
}

/// Runs every rule, or after a sources-only edit (`rerun`) only the units of work the edit can
/// change, keeping the previous run's findings of the others.
pub fn run(index: &Index, rerun: Option<Rerun<'_>>) -> RuleRun {
    let mut cx = Ctx::new(index, rerun);
    for (i, rule) in ALL.iter().enumerate() {
        cx.units.start_rule(i);
        rule(&mut cx);
    }
    let found = std::mem::take(&mut cx.out);
    cx.units.finish(found)
}

/// The findings of a run: those about configs that are not deployed as written (tests,
/// templates) and about modules only they reach dropped, the rest deduplicated (a finding on
/// an inherited key would otherwise repeat once per environment) and sorted by file and
/// position.
pub fn finish(index: &Index, run: &RuleRun) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = run.found.iter().map(|(_, d)| d.clone()).collect();
    // Whether each config's worker is checked, by config path (the first worker of a path, as
    // a search of the workers finds it): one lookup per finding instead of a scan.
    let mut checked_configs: foldhash::HashMap<&Path, bool> = foldhash::HashMap::default();
    for w in index.workers.iter() {
        checked_configs
            .entry(w.config.path.as_path())
            .or_insert(w.role.is_checked());
    }
    out.retain(|d| {
        REPORTED_FOR_EVERY_ROLE.contains(&d.code)
            || about_a_checked_worker(index, &checked_configs, d)
    });
    let related_key = |d: &Diagnostic| {
        d.related
            .iter()
            .map(|r| (r.file.clone(), r.range))
            .collect::<Vec<_>>()
    };
    out.sort_by(|a, b| {
        (&a.file, a.range.start, a.range.end, a.code)
            .cmp(&(&b.file, b.range.start, b.range.end, b.code))
            .then_with(|| related_key(a).cmp(&related_key(b)))
    });
    // One finding per place, rule and explanation: the copies an inherited key makes in every
    // environment point at the same related locations; findings that explain themselves by
    // different locations (one per missing key) are distinct.
    let same_related = |a: &Diagnostic, b: &Diagnostic| {
        a.related.len() == b.related.len()
            && a.related
                .iter()
                .zip(&b.related)
                .all(|(x, y)| x.file == y.file && x.range == y.range)
    };
    out.dedup_by(|a, b| {
        a.file == b.file && a.range == b.range && a.code == b.code && same_related(a, b)
    });
    out
}

/// Whether a finding's file belongs to a worker that is deployed as written: its config, or a
/// module one of those workers reaches. Files of no worker (a skipped config) count as checked.
fn about_a_checked_worker(
    ix: &Index,
    checked_configs: &foldhash::HashMap<&Path, bool>,
    d: &Diagnostic,
) -> bool {
    if let Some(&checked) = checked_configs.get(d.file.as_path()) {
        return checked;
    }
    let workers = ix.workers_of_file(&d.file);
    workers.is_empty() || workers.iter().any(|&w| ix.worker(w).role.is_checked())
}
