export default {
  async scheduled(controller: ScheduledController): Promise<void> {
    console.log("tick", controller.cron);
  },
  async fetch(): Promise<Response> {
    return new Response("jobs");
  },
} satisfies ExportedHandler;
