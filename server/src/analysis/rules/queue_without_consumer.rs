//! `queue-without-consumer`: a producer's queue that no worker consumes.

use super::Ctx;
use crate::base::did_you_mean;
use std::collections::BTreeSet;

pub fn check(cx: &mut Ctx<'_>) {
    let ix = cx.index;
    if !ix.ws.workers_complete() {
        // The consumer may be a worker that could not be read.
        return;
    }
    let consumed: BTreeSet<&str> = ix
        .env_ids()
        .flat_map(|id| {
            ix.queue_consumers(id)
                .iter()
                .map(|c| c.queue.value.as_str())
        })
        .collect();
    for id in ix.env_ids() {
        for p in ix.queue_producers(id) {
            let Some(queue) = &p.queue else { continue };
            if consumed.contains(queue.value.as_str())
                || ix.ws.settings.is_external_queue(&queue.value)
            {
                continue;
            }
            cx.report(
                "queue-without-consumer",
                &ix.worker(id.0).config.path,
                queue.range,
                format!(
                    "no worker of this workspace consumes queue `{}`",
                    queue.value
                ),
            )
            .suggest(did_you_mean(&queue.value, consumed.iter().copied()));
        }
    }
}
