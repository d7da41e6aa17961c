/**
 * A parsed configuration document with 1-based lines on every node: what the JSONC, TOML and YAML parsers of the MCP audit produce,
 * so that discovery and the static checks work on one shape whatever the file format. Pure: no I/O here.
 */

export type LocatedNode = LocatedObject | LocatedArray | LocatedScalar;

export interface LocatedObject {
  kind: 'object';
  line: number;
  endLine: number;
  entries: LocatedProperty[];
}

export interface LocatedProperty {
  key: string;
  /** The key's line: where a finding about this field is anchored. */
  line: number;
  value: LocatedNode;
}

export interface LocatedArray {
  kind: 'array';
  line: number;
  endLine: number;
  items: LocatedNode[];
}

export interface LocatedScalar {
  kind: 'scalar';
  line: number;
  endLine: number;
  value: string | number | boolean | null;
}

/** A document that parsed, or where the parser stopped (1-based line) and why. */
export type ParseOutcome = { ok: true; root: LocatedNode } | { ok: false; line: number; message: string };

/** Offsets to 1-based lines by binary search over the line starts. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export function property(node: LocatedNode | undefined, key: string): LocatedProperty | undefined {
  return node?.kind === 'object' ? node.entries.find((entry) => entry.key === key) : undefined;
}

/** The plain value of a node (objects and arrays recursively), for `McpServerEntry.extra`. */
export function plainValue(node: LocatedNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map(plainValue);
    default:
      return Object.fromEntries(node.entries.map((entry) => [entry.key, plainValue(entry.value)]));
  }
}

/** Every scalar string under a node, with its line. */
export function* stringsIn(node: LocatedNode): Generator<LocatedScalar & { value: string }> {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'string') yield node as LocatedScalar & { value: string };
  } else if (node.kind === 'array') {
    for (const item of node.items) yield* stringsIn(item);
  } else {
    for (const entry of node.entries) yield* stringsIn(entry.value);
  }
}
