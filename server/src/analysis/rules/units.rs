//! Units of work: what lets the rules rerun after a sources-only edit without redoing what the
//! edit cannot change.
//!
//! A rule may split its work into units (one per worker, per module, per binding, ...) and
//! declare, for each, the workers whose sources its findings depend on ([`super::Ctx::unit`]).
//! A unit that finds it depends on more than it declared (a search of every worker for the
//! class a binding likely meant) says so ([`super::Ctx::widen`]). After an edit that changed
//! the sources of some workers and nothing else, a unit whose declared and widened workers
//! are all unchanged is skipped, and its findings of the previous run stand.
//!
//! Units are told apart by their rule and their order in it: the units of a rule, and the
//! workers each declares, must follow from the configs and the module graphs alone, so that a
//! run after a sources-only edit makes the same units in the same order. What a unit widens
//! to may depend on the sources of the workers it declared.

use crate::analysis::diagnostics::Diagnostic;
use std::collections::HashSet;
use std::sync::Arc;

/// Which unit a finding came from, and the workers it declared.
#[derive(Debug)]
pub(super) struct UnitKey {
    rule: u16,
    ordinal: u32,
    declared: Box<[usize]>,
}

impl UnitKey {
    fn touches(&self, changed: &[bool]) -> bool {
        touches(&self.declared, changed)
    }
    fn id(&self) -> (u16, u32) {
        (self.rule, self.ordinal)
    }
}

fn touches(workers: &[usize], changed: &[bool]) -> bool {
    workers.iter().any(|&w| changed[w])
}

/// The unit a finding came from, or `None` for a finding made outside every unit (it may
/// depend on anything: every run makes it again).
pub(super) type Unit = Option<Arc<UnitKey>>;

/// What one run of the rules found, before findings about unchecked workers are dropped and
/// the rest sorted and deduplicated (see [`super::finish`]), each with the unit that made it:
/// what a later run after a sources-only edit keeps of the units the edit cannot change.
#[derive(Debug, Default, Clone)]
pub struct RuleRun {
    pub(super) found: Vec<(Unit, Diagnostic)>,
    /// The units that depend on more workers than they declared, with those workers (whether
    /// or not they found anything).
    widened: Vec<(Arc<UnitKey>, Box<[usize]>)>,
    /// How many units the run computed, and how many it skipped.
    pub units_computed: usize,
    pub units_skipped: usize,
}

/// A run that follows `previous` after an edit that changed the sources of the workers marked
/// in `changed` (by worker index) and nothing else: configs, settings, support files and every
/// module graph are as they were, so the workers are the same, in the same order.
#[derive(Clone, Copy)]
pub struct Rerun<'p> {
    pub previous: &'p RuleRun,
    pub changed: &'p [bool],
}

/// The units of one run as the rules make them.
#[derive(Default)]
pub(super) struct Units<'p> {
    rerun: Option<Rerun<'p>>,
    /// Units of the previous run that widened to a changed worker: computed again whatever
    /// they declare.
    again: HashSet<(u16, u32)>,
    rule: u16,
    next_ordinal: u32,
    current: Option<Current>,
    widened: Vec<(Arc<UnitKey>, Box<[usize]>)>,
    computed: usize,
    skipped: usize,
}

/// The unit being computed.
struct Current {
    ordinal: u32,
    declared: Vec<usize>,
    /// Made at the unit's first finding or widening: most units find nothing.
    key: Option<Arc<UnitKey>>,
    live: bool,
    widened: Vec<usize>,
}

impl Current {
    fn key(&mut self, rule: u16) -> Arc<UnitKey> {
        self.key
            .get_or_insert_with(|| {
                Arc::new(UnitKey {
                    rule,
                    ordinal: self.ordinal,
                    declared: self.declared.as_slice().into(),
                })
            })
            .clone()
    }
}

impl<'p> Units<'p> {
    pub(super) fn new(rerun: Option<Rerun<'p>>) -> Self {
        let again = match rerun {
            Some(r) => r
                .previous
                .widened
                .iter()
                .filter(|(_, extra)| touches(extra, r.changed))
                .map(|(key, _)| key.id())
                .collect(),
            None => HashSet::new(),
        };
        Units {
            rerun,
            again,
            ..Units::default()
        }
    }

    /// Ends the current unit, remembering what it widened to.
    fn close(&mut self) {
        if let Some(c) = &mut self.current {
            if c.live && !c.widened.is_empty() {
                let key = c.key(self.rule);
                let mut extra = std::mem::take(&mut c.widened);
                extra.sort_unstable();
                extra.dedup();
                self.widened.push((key, extra.into()));
            }
        }
    }

    pub(super) fn start_rule(&mut self, rule: usize) {
        self.close();
        self.current = None;
        self.rule = rule as u16;
        self.next_ordinal = 0;
    }

    /// Starts the next unit of the current rule; whether to compute it.
    pub(super) fn start(&mut self, declared: impl IntoIterator<Item = usize>) -> bool {
        self.close();
        let mut c = self.current.take().unwrap_or(Current {
            ordinal: 0,
            declared: Vec::new(),
            key: None,
            live: true,
            widened: Vec::new(),
        });
        c.ordinal = self.next_ordinal;
        self.next_ordinal += 1;
        c.declared.clear();
        c.declared.extend(declared);
        c.key = None;
        c.widened.clear();
        c.live = match self.rerun {
            None => true,
            Some(r) => {
                touches(&c.declared, r.changed) || self.again.contains(&(self.rule, c.ordinal))
            }
        };
        if c.live {
            self.computed += 1;
        } else {
            self.skipped += 1;
        }
        let live = c.live;
        self.current = Some(c);
        live
    }

    pub(super) fn widen(&mut self, workers: impl IntoIterator<Item = usize>) {
        if let Some(c) = &mut self.current {
            c.widened.extend(workers);
        }
    }

    /// The unit a finding made now belongs to.
    pub(super) fn of_finding(&mut self) -> Unit {
        let c = self.current.as_mut()?;
        debug_assert!(c.live, "a finding of a skipped unit");
        Some(c.key(self.rule))
    }

    /// The run: the findings made, and after a sources-only edit the previous run's findings
    /// (and widenings) of the units skipped.
    pub(super) fn finish(mut self, mut found: Vec<(Unit, Diagnostic)>) -> RuleRun {
        self.close();
        if let Some(r) = self.rerun {
            let skipped =
                |key: &UnitKey| !key.touches(r.changed) && !self.again.contains(&key.id());
            found.extend(
                r.previous
                    .found
                    .iter()
                    .filter(|(unit, _)| unit.as_deref().is_some_and(skipped))
                    .cloned(),
            );
            self.widened.extend(
                r.previous
                    .widened
                    .iter()
                    .filter(|(key, _)| skipped(key))
                    .cloned(),
            );
        }
        RuleRun {
            found,
            widened: self.widened,
            units_computed: self.computed,
            units_skipped: self.skipped,
        }
    }
}
