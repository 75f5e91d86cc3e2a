// Reading `workers-lsp check --format json` and turning it into a short text report.
// Pure (no VS Code), unit-tested. The reader is deliberately tolerant about the exact JSON
// shape so the extension keeps working while the CLI's format settles: it accepts a bare
// array of findings or an object holding one under `diagnostics`, `findings` or `results`,
// and the usual spellings of each field.

export interface Finding {
  file: string;
  /** 1-based, if the report gives a position. */
  line?: number;
  /** 1-based, if the report gives a position. */
  column?: number;
  severity: string;
  code: string;
  message: string;
}

export interface CheckReport {
  findings: Finding[];
  /** Counts by severity name ("error", "warning", ...). */
  counts: Record<string, number>;
  workers?: number;
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: Json): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

function num(v: Json): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

const LSP_SEVERITIES: Record<number, string> = { 1: "error", 2: "warning", 3: "info", 4: "hint" };

function severityOf(v: Json): string {
  if (typeof v === "number") return LSP_SEVERITIES[v] ?? "info";
  const s = str(v)?.toLowerCase();
  if (!s) return "info";
  if (s === "warn") return "warning";
  if (s === "information") return "info";
  return s;
}

/** Position fields: `line`/`column`, `start: {line, column}`, or `range.start` (LSP, 0-based). */
function positionOf(o: Record<string, Json>): { line?: number; column?: number } {
  const line = num(o.line);
  if (line !== undefined) return { line, column: num(o.column) ?? num(o.col) };
  const start = isObject(o.start) ? o.start : undefined;
  if (start && num(start.line) !== undefined) {
    return { line: num(start.line), column: num(start.column) ?? num(start.col) };
  }
  const range = isObject(o.range) ? o.range : isObject(o.location) && isObject(o.location.range) ? o.location.range : undefined;
  if (range && isObject(range.start)) {
    const l = num(range.start.line);
    const c = num(range.start.character) ?? num(range.start.column);
    // LSP ranges are 0-based; a range with `character` is taken to be LSP-shaped.
    if (l !== undefined && num(range.start.character) !== undefined) return { line: l + 1, column: (c ?? 0) + 1 };
    return { line: l, column: c };
  }
  return {};
}

function fileOf(o: Record<string, Json>): string {
  const direct = str(o.file) ?? str(o.path) ?? str(o.filename) ?? str(o.uri);
  if (direct) return direct;
  if (isObject(o.location)) return str(o.location.file) ?? str(o.location.path) ?? str(o.location.uri) ?? "";
  return "";
}

function codeOf(o: Record<string, Json>): string {
  if (isObject(o.code)) return str(o.code.value) ?? "";
  return str(o.code) ?? str(o.rule) ?? str(o.ruleId) ?? "";
}

export function findingFromJson(v: Json): Finding | undefined {
  if (!isObject(v)) return undefined;
  const message = str(v.message) ?? (isObject(v.message) ? str(v.message.text) : undefined);
  if (message === undefined) return undefined;
  return {
    file: fileOf(v),
    ...positionOf(v),
    severity: severityOf(v.severity ?? v.level),
    code: codeOf(v),
    message,
  };
}

/** Parses the CLI's stdout. Throws with a readable message when it is not a report. */
export function parseCheckOutput(stdout: string): CheckReport {
  const text = stdout.trim();
  if (text.length === 0) throw new Error("workers-lsp check printed nothing");
  let data: Json;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`workers-lsp check did not print JSON: ${(e as Error).message}`);
  }
  let list: Json[] | undefined;
  let workers: number | undefined;
  if (Array.isArray(data)) {
    list = data;
  } else if (isObject(data)) {
    for (const key of ["diagnostics", "findings", "results"]) {
      const v = data[key];
      if (Array.isArray(v)) {
        list = v;
        break;
      }
    }
    workers = num(data.workers) ?? (isObject(data.summary) ? num(data.summary.workers) : undefined);
  }
  if (!list) throw new Error("workers-lsp check printed JSON without a list of findings");
  const findings = list.map(findingFromJson).filter((f): f is Finding => f !== undefined);
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return { findings, counts, workers };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One line, e.g. "2 errors, 1 warning in 2 files" or "no findings". */
export function summarize(report: CheckReport): string {
  if (report.findings.length === 0) {
    return report.workers !== undefined ? `no findings in ${plural(report.workers, "worker")}` : "no findings";
  }
  const order = ["error", "warning", "info", "hint"];
  const names = Object.keys(report.counts).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.localeCompare(b);
  });
  const parts = names.map((s) => plural(report.counts[s], s));
  const files = new Set(report.findings.map((f) => f.file)).size;
  return `${parts.join(", ")} in ${plural(files, "file")}`;
}

/** `file:line:col: severity[code]: message`, one finding per line, as problem matchers read it. */
export function formatFindings(report: CheckReport): string[] {
  return report.findings.map((f) => {
    const pos = f.line !== undefined ? `:${f.line}${f.column !== undefined ? `:${f.column}` : ""}` : "";
    const code = f.code ? `[${f.code}]` : "";
    return `${f.file}${pos}: ${f.severity}${code}: ${f.message}`;
  });
}
