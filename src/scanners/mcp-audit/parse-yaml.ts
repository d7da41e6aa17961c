import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { LocatedNode, ParseOutcome } from './located.js';

/** YAML (Continue's `.continue/mcpServers/*.yaml` and `.continue/config.yaml`), with lines from the `yaml` package's LineCounter. */
export function parseYaml(text: string): ParseOutcome {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  const first = doc.errors[0];
  if (first !== undefined) return { ok: false, line: lineOf(first.pos[0]), message: `invalid YAML: ${first.message.split('\n')[0] ?? ''}` };
  if (doc.contents === null) return { ok: false, line: 1, message: 'invalid YAML: the file is empty' };
  return { ok: true, root: convert(doc.contents, lineOf, 0) };
}

/** Aliases are not followed (a crafted file could multiply itself through them); deep nesting is cut off. */
const MAX_DEPTH = 64;

function convert(node: YamlNode | null | undefined, lineOf: (offset: number) => number, depth: number): LocatedNode {
  const range = node?.range ?? [0, 0, 0];
  const line = lineOf(range[0]);
  const endLine = lineOf(Math.max(range[0], range[1] - 1));
  if (node === null || node === undefined || depth > MAX_DEPTH) return { kind: 'scalar', line, endLine, value: null };
  if (isMap(node)) {
    return {
      kind: 'object',
      line,
      endLine,
      entries: node.items.flatMap((pair) => {
        if (!isPair(pair) || !isScalar(pair.key)) return [];
        const key = pair.key.value;
        if (typeof key !== 'string' && typeof key !== 'number') return [];
        return [{ key: String(key), line: lineOf(pair.key.range?.[0] ?? range[0]), value: convert(pair.value as YamlNode | null, lineOf, depth + 1) }];
      }),
    };
  }
  if (isSeq(node)) return { kind: 'array', line, endLine, items: node.items.map((item) => convert(item as YamlNode | null, lineOf, depth + 1)) };
  if (isScalar(node)) {
    const value = node.value;
    return { kind: 'scalar', line, endLine, value: typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null };
  }
  return { kind: 'scalar', line, endLine, value: null };
}
