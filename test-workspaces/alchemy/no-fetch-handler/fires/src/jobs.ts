export default {
  async scheduled(): Promise<void> {
    console.log("tick");
  },
};
