import { parse, TomlError } from 'smol-toml';
import type { LocatedNode, ParseOutcome } from './located.js';

/**
 * TOML (Codex's `.codex/config.toml`), with smol-toml. TOML parsers give no positions, so the lines are recovered from the text:
 * every table header and every `key =` line is recorded under its full key path, inline-table keys on their line, array items
 * at the first line from the array's key on that holds them. A syntax error is reported at the parser's line.
 */
export function parseToml(text: string): ParseOutcome {
  let data: Record<string, unknown>;
  try {
    data = parse(text);
  } catch (error) {
    if (error instanceof TomlError) return { ok: false, line: Math.max(1, error.line), message: `invalid TOML: ${error.message.split('\n')[0] ?? ''}` };
    return { ok: false, line: 1, message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const lines = text.split('\n');
  const keyLines = recordKeyLines(lines);
  return { ok: true, root: convert(data, [], 1, { lines, keyLines }) };
}

const SEP = '\u0000';

/** One key segment at `text[at]`: bare, "basic" or 'literal'. Returns the key and where it ends. */
function readKey(text: string, at: number): { key: string; end: number } | undefined {
  const ch = text[at];
  if (ch === '"') {
    const match = /^"((?:\\.|[^"\\])*)"/.exec(text.slice(at));
    if (!match) return undefined;
    let key: string;
    try {
      key = JSON.parse(match[0]) as string;
    } catch {
      key = match[1] ?? '';
    }
    return { key, end: at + match[0].length };
  }
  if (ch === "'") {
    const close = text.indexOf("'", at + 1);
    return close === -1 ? undefined : { key: text.slice(at + 1, close), end: close + 1 };
  }
  const match = /^[A-Za-z0-9_-]+/.exec(text.slice(at));
  return match ? { key: match[0], end: at + match[0].length } : undefined;
}

/** A dotted key (`a."b.c".d`) starting at `at`, up to the character that follows it (`=`, `]`). */
function readDottedKey(text: string, at: number): { keys: string[]; end: number } | undefined {
  const keys: string[] = [];
  let i = at;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const segment = readKey(text, i);
    if (!segment) return undefined;
    keys.push(segment.key);
    i = segment.end;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '.') return { keys, end: i };
    i++;
  }
}

function recordKeyLines(lines: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  const record = (path: readonly string[], line: number): void => {
    const key = path.join(SEP);
    if (!found.has(key)) found.set(key, line);
  };
  let table: string[] = [];
  let multiline: '"""' | "'''" | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (multiline !== undefined) {
      if (raw.includes(multiline)) multiline = undefined;
      return;
    }
    const header = /^\s*\[(\[?)/.exec(raw);
    if (header) {
      const parsed = readDottedKey(raw, header[0].length);
      if (parsed) {
        table = parsed.keys;
        record(table, line);
      }
      return;
    }
    const start = /^\s*/.exec(raw)?.[0].length ?? 0;
    const assignment = readDottedKey(raw, start);
    if (!assignment || raw[assignment.end] !== '=') return;
    const path = [...table, ...assignment.keys];
    // A dotted key defines its parent tables on this line too (`mcp_servers.x.command = …`).
    for (let i = table.length + 1; i <= path.length; i++) record(path.slice(0, i), line);
    const rest = raw.slice(assignment.end + 1);
    // Keys of an inline table on the same line: `env = { A = "1", "B" = "2" }`.
    if (/^\s*\{/.test(rest)) {
      const inner = /(?:^\s*\{|,)\s*((?:[A-Za-z0-9_-]+|"(?:\\.|[^"\\])*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:\\.|[^"\\])*"|'[^']*'))*)\s*=/g;
      for (const match of rest.matchAll(inner)) {
        const keys = readDottedKey(match[1] ?? '', 0);
        if (keys) record([...path, ...keys.keys], line);
      }
    }
    for (const delimiter of ['"""', "'''"] as const) {
      const count = rest.split(delimiter).length - 1;
      if (count % 2 === 1) multiline = delimiter;
    }
  });
  return found;
}

interface Source {
  lines: readonly string[];
  keyLines: ReadonlyMap<string, number>;
}

function lineOfPath(path: readonly string[], fallback: number, source: Source): number {
  return source.keyLines.get(path.join(SEP)) ?? fallback;
}

/** The first line at or after `from` (within the next 1000) that holds the string as a TOML literal. */
function lineOfItem(value: unknown, from: number, source: Source): number {
  if (typeof value !== 'string') return from;
  const needles = [JSON.stringify(value), `'${value}'`];
  for (let line = from; line <= Math.min(source.lines.length, from + 1000); line++) {
    const text = source.lines[line - 1] ?? '';
    if (needles.some((needle) => text.includes(needle))) return line;
  }
  return from;
}

function convert(value: unknown, path: readonly string[], line: number, source: Source): LocatedNode {
  if (Array.isArray(value)) {
    let cursor = line;
    const items = value.map((item, index) => {
      const itemLine = isPlainObject(item) ? lineOfPath([...path, String(index)], line, source) : lineOfItem(item, cursor, source);
      cursor = itemLine;
      return convert(item, [...path, String(index)], itemLine, source);
    });
    return { kind: 'array', line, endLine: Math.max(line, cursor, ...items.map((item) => item.endLine)), items };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, child]) => {
      const childPath = [...path, key];
      const childLine = lineOfPath(childPath, line, source);
      return { key, line: childLine, value: convert(child, childPath, childLine, source) };
    });
    return { kind: 'object', line, endLine: Math.max(line, ...entries.map((entry) => entry.value.endLine)), entries };
  }
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString() : null;
  return { kind: 'scalar', line, endLine: line, value: scalar };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
