export default {
  async tail(events: TraceItem[]): Promise<void> {
    console.log(events.length);
  },
};
