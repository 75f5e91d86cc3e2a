export default {
  async scheduled(controller: ScheduledController): Promise<void> {
    console.log("tick", controller.cron);
  },
};
