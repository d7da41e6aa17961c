import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { lineLocator, type LocatedNode, type ParseOutcome } from './located.js';

/**
 * JSON with comments and trailing commas (VS Code, Zed, opencode and every `mcpServers` JSON file), with Microsoft's jsonc-parser:
 * its tree carries offsets, turned into lines here. A syntax error is reported at the line of the first error the parser met.
 */
export function parseJsonc(text: string): ParseOutcome {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const lineOf = lineLocator(text);
  const first = errors[0];
  if (first !== undefined) return { ok: false, line: lineOf(first.offset), message: `invalid JSON: ${describe(printParseErrorCode(first.error))}` };
  if (tree === undefined) return { ok: false, line: 1, message: 'invalid JSON: the file is empty' };
  return { ok: true, root: convert(tree, lineOf) };
}

function describe(code: string): string {
  // `CommaExpected` → `comma expected`
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function convert(node: Node, lineOf: (offset: number) => number): LocatedNode {
  const line = lineOf(node.offset);
  const endLine = lineOf(node.offset + Math.max(0, node.length - 1));
  switch (node.type) {
    case 'object':
      return {
        kind: 'object',
        line,
        endLine,
        entries: (node.children ?? []).flatMap((prop) => {
          const [key, value] = prop.children ?? [];
          if (key === undefined || value === undefined || typeof key.value !== 'string') return [];
          return [{ key: key.value, line: lineOf(prop.offset), value: convert(value, lineOf) }];
        }),
      };
    case 'array':
      return { kind: 'array', line, endLine, items: (node.children ?? []).map((child) => convert(child, lineOf)) };
    default:
      return { kind: 'scalar', line, endLine, value: (node.value ?? null) as string | number | boolean | null };
  }
}
