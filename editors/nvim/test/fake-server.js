// A stand-in language server for `run.sh --self-test`: just enough LSP over stdio to check
// the test harness and the plugin's client handling without the real workers-lsp. It
// answers definition with cart/src/index.ts line 3 and completion with CART, publishes one
// "fake-finding" diagnostic per opened file, and exits on `exit` like a real server must.
"use strict";

let buffer = Buffer.alloc(0);
let rootUri = "";

function send(msg) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }), "utf8");
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function handle(msg) {
  const reply = (result) => send({ id: msg.id, result });
  switch (msg.method) {
    case "initialize":
      rootUri = msg.params.rootUri || (msg.params.workspaceFolders || [])[0]?.uri || "";
      return reply({
        capabilities: {
          textDocumentSync: 1,
          definitionProvider: true,
          completionProvider: { triggerCharacters: ["."] },
        },
        serverInfo: { name: "fake-workers-lsp", version: "0" },
      });
    case "textDocument/didOpen":
      return send({
        method: "textDocument/publishDiagnostics",
        params: {
          uri: msg.params.textDocument.uri,
          diagnostics: [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
              severity: 2,
              code: "fake-finding",
              source: "workers-lsp",
              message: "a finding from the stand-in server",
            },
          ],
        },
      });
    case "textDocument/definition":
      return reply([
        {
          uri: `${rootUri.replace(/\/$/, "")}/cart/src/index.ts`,
          range: { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } },
        },
      ]);
    case "textDocument/completion":
      return reply({ isIncomplete: false, items: [{ label: "CART", kind: 6, detail: "service -> cart" }] });
    case "shutdown":
      return reply(null);
    case "exit":
      // FAKE_SERVER_IGNORE_EXIT=1 imitates a server that outlives its client (the orphan
      // run.sh must catch).
      if (process.env.FAKE_SERVER_IGNORE_EXIT === "1") return;
      process.exit(0);
    default:
      if (msg.id !== undefined && msg.method) send({ id: msg.id, error: { code: -32601, message: "not supported" } });
  }
}

process.stdin.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const match = /Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"));
    if (!match) process.exit(2);
    const length = Number(match[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
    buffer = buffer.subarray(headerEnd + 4 + length);
    handle(JSON.parse(body));
  }
});
// A real server exits when its client goes away; so does this one.
process.stdin.on("end", () => {
  if (process.env.FAKE_SERVER_IGNORE_EXIT === "1") setInterval(() => {}, 1000);
  else process.exit(1);
});
