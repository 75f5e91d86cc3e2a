//! `duplicate-queue-consumer`: a queue can have only one consumer worker.

use super::Ctx;
use crate::analysis::index::EnvId;
use crate::config::QueueConsumer;
use std::collections::BTreeMap;

/// (environment label, queue) -> the environments consuming it.
type Consumers<'a> = BTreeMap<(Option<String>, String), Vec<(EnvId, &'a QueueConsumer)>>;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    let mut consumers: Consumers<'_> = BTreeMap::new();
    for id in ix.env_ids() {
        for c in ix.queue_consumers(id) {
            consumers
                .entry((ix.env(id).env.clone(), c.queue.value.clone()))
                .or_default()
                .push((id, c));
        }
    }
    for ((_, queue), list) in &consumers {
        if list.len() < 2 {
            continue;
        }
        for (i, (id, c)) in list.iter().enumerate() {
            let (o, oc) = list[if i == 0 { 1 } else { 0 }];
            let other_name = ix.env(o).name.clone().unwrap_or_default();
            cx.report(
                "duplicate-queue-consumer",
                &ix.worker(id.0).config.path,
                c.queue.range,
                format!("queue `{queue}` is also consumed by `{other_name}`; a queue can have only one consumer"),
            )
            .related(&ix.worker(o.0).config.path, oc.queue.range, "the other consumer");
        }
    }
}
