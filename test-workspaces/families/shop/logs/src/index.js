export default {
  async tail(events, env) {
    for (const event of events) {
      if (env.LOG_LEVEL === "debug" || event.outcome !== "ok") {
        env.EVENTS.writeDataPoint({ blobs: [event.scriptName ?? "unknown", event.outcome] });
      }
    }
  },
};
