// A fake `vscode-languageclient/node` LanguageClient that records how it was built and
// started, without spawning anything.

export const clients: FakeLanguageClient[] = [];

export class FakeLanguageClient {
  started = 0;
  stopped = 0;
  constructor(
    public id: string,
    public name: string,
    public serverOptions: { command: string; args: string[]; transport?: unknown },
    public clientOptions: {
      documentSelector: { scheme: string; language: string }[];
      synchronize: { fileEvents: { glob: string }[] };
    },
  ) {
    clients.push(this);
  }
  async start(): Promise<void> {
    this.started++;
  }
  async stop(): Promise<void> {
    this.stopped++;
  }
}

export { FakeLanguageClient as LanguageClient };
