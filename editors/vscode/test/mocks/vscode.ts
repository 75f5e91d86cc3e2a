// A fake of the small part of the `vscode` API the extension uses, recording what it is
// asked to do. Tests reach the recordings through `fake`.

type Handler = (...args: unknown[]) => unknown;

export class FakeOutputChannel {
  lines: string[] = [];
  shown = 0;
  disposed = false;
  constructor(public name: string) {}
  appendLine(line: string): void {
    this.lines.push(line);
  }
  append(text: string): void {
    this.lines.push(text);
  }
  clear(): void {
    this.lines = [];
  }
  show(): void {
    this.shown++;
  }
  hide(): void {}
  replace(text: string): void {
    this.lines = [text];
  }
  dispose(): void {
    this.disposed = true;
  }
}

export const fake = {
  commands: new Map<string, Handler>(),
  executed: [] as unknown[][],
  channels: [] as FakeOutputChannel[],
  watchers: [] as { glob: string; disposed: boolean }[],
  messages: [] as { kind: string; text: string }[],
  /** What the next message box answers. */
  answer: undefined as string | undefined,
  settings: {} as Record<string, unknown>,
  workspaceFolders: undefined as { uri: { fsPath: string }; name: string; index: number }[] | undefined,
  configListeners: [] as Handler[],
  reset(): void {
    this.commands.clear();
    this.executed = [];
    this.channels = [];
    this.watchers = [];
    this.messages = [];
    this.answer = undefined;
    this.settings = {};
    this.workspaceFolders = undefined;
    this.configListeners = [];
  },
};

const disposable = (f: () => void = () => {}) => ({ dispose: f });

export const commands = {
  registerCommand(id: string, handler: Handler) {
    if (fake.commands.has(id)) throw new Error(`command ${id} already registered`);
    fake.commands.set(id, handler);
    return disposable(() => fake.commands.delete(id));
  },
  async executeCommand(...args: unknown[]) {
    fake.executed.push(args);
    const handler = fake.commands.get(args[0] as string);
    return handler ? handler(...args.slice(1)) : undefined;
  },
};

function message(kind: string) {
  return async (text: string) => {
    fake.messages.push({ kind, text });
    return fake.answer;
  };
}

export const window = {
  createOutputChannel(name: string) {
    const c = new FakeOutputChannel(name);
    fake.channels.push(c);
    return c;
  },
  showErrorMessage: message("error"),
  showWarningMessage: message("warning"),
  showInformationMessage: message("info"),
};

export const workspace = {
  get workspaceFolders() {
    return fake.workspaceFolders;
  },
  getConfiguration(section: string) {
    return {
      get<T>(key: string, def?: T): T | undefined {
        const full = `${section}.${key}`;
        return full in fake.settings ? (fake.settings[full] as T) : def;
      },
    };
  },
  createFileSystemWatcher(glob: string) {
    const w = { glob, disposed: false, dispose: () => (w.disposed = true) };
    fake.watchers.push(w);
    return w;
  },
  onDidChangeConfiguration(listener: Handler) {
    fake.configListeners.push(listener);
    return disposable();
  },
};

export class Uri {
  private constructor(public readonly value: string) {}
  static parse(value: string): Uri {
    return new Uri(value);
  }
  toString(): string {
    return this.value;
  }
}

export class Position {
  constructor(public readonly line: number, public readonly character: number) {}
}

export class Range {
  constructor(public readonly start: Position, public readonly end: Position) {}
}

export class Location {
  constructor(public readonly uri: Uri, public readonly range: Range) {}
}
