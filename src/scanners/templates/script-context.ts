/**
 * Where an EJS tag stands inside an inline `<script>`: in code, in a template literal, or in a quoted string or a comment. EJS's
 * `<%= %>` escapes `& < > " '` for HTML, which keeps a value inside a quoted JavaScript string, but in code (`var n = <%= x %>;`)
 * or in a template literal (where `${…}` runs) the value is read as JavaScript and escaping does not stop it (XSS).
 *
 * One linear pass over each script element's text: quotes, template literals with their `${ }` nesting, and comments are
 * followed; every EJS tag is opaque (its own text is not JavaScript of the page). Regular expression literals are not told
 * from division: a quote inside one may mislead the pass for the rest of that script (rare in inline scripts).
 * Scripts that do not run as JavaScript (`src=` scripts have no inline code that runs; `type="text/template"`,
 * `text/x-template`, `text/html`, `application/json`, `application/ld+json`, …) are skipped.
 */
import type { Budget } from './lexing.js';

export type ScriptContext = 'code' | 'template-literal';

const SCRIPT_OPEN = /<script\b([^>]{0,2000})>/gi;
const SCRIPT_CLOSE = /<\/script/gi;
const JS_TYPE = /^(?:|text\/javascript|application\/javascript|module|text\/ecmascript|application\/ecmascript)$/i;

/** The script context of each offset in `offsets` (EJS tag starts, ascending) that is in code or a template literal. */
export function scriptContexts(text: string, offsets: readonly number[], budget: Budget): Map<number, ScriptContext> {
  const found = new Map<number, ScriptContext>();
  if (offsets.length === 0) return found;
  let next = 0;
  // The first `</script` at or after the last script's start: it is also the first after any later start before it, so the
  // search goes on only past it (a file of thousands of unclosed `<script>` tags is read once, not once per tag).
  let closeAt: number | undefined;
  for (const match of text.matchAll(SCRIPT_OPEN)) {
    budget.tick();
    const attributes = match[1] ?? '';
    const start = match.index + match[0].length;
    if (closeAt === undefined || (closeAt !== -1 && closeAt < start)) {
      SCRIPT_CLOSE.lastIndex = start;
      closeAt = SCRIPT_CLOSE.exec(text)?.index ?? -1;
    }
    const end = closeAt === -1 ? text.length : closeAt;
    while (next < offsets.length && (offsets[next] ?? 0) < start) next++;
    if (next >= offsets.length) break;
    if ((offsets[next] ?? 0) >= end) continue;
    const type = /\btype\s*=\s*["']?([^"'\s>]*)/i.exec(attributes)?.[1] ?? '';
    if (!JS_TYPE.test(type) || /\bsrc\s*=/i.test(attributes)) continue;
    walk(text, start, end, offsets, next, found, budget);
    // Every tag before this script's end has had its reading: a `<script` nested in it ends there too and is not walked again.
    while (next < offsets.length && (offsets[next] ?? 0) < end) next++;
  }
  return found;
}

type State = 'code' | 'single' | 'double' | 'template' | 'line-comment' | 'block-comment';

function walk(text: string, start: number, end: number, offsets: readonly number[], first: number, found: Map<number, ScriptContext>, budget: Budget): void {
  let next = first;
  let state: State = 'code';
  // brace depth of each `${` open inside template literals (innermost last)
  const templateBraces: number[] = [];
  for (let i = start; i < end; i++) {
    budget.tick();
    const c = text.charAt(i);
    if (c === '<' && text.charAt(i + 1) === '%') {
      if (i === offsets[next]) {
        if (state === 'code') found.set(i, 'code');
        else if (state === 'template') found.set(i, 'template-literal');
        next++;
      }
      const close = text.indexOf('%>', i + 2);
      if (close === -1) return;
      i = close + 1;
      continue;
    }
    switch (state) {
      case 'code':
        if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '`') state = 'template';
        else if (c === '/' && text.charAt(i + 1) === '/') state = 'line-comment';
        else if (c === '/' && text.charAt(i + 1) === '*') {
          state = 'block-comment';
          i++;
        } else if (templateBraces.length > 0 && (c === '{' || c === '}')) {
          const depth = templateBraces.pop() ?? 0;
          if (c === '{') templateBraces.push(depth + 1);
          else if (depth > 0) templateBraces.push(depth - 1);
          else state = 'template';
        }
        break;
      case 'single':
      case 'double':
        if (c === '\\') i++;
        else if (c === (state === 'single' ? "'" : '"') || c === '\n') state = 'code';
        break;
      case 'template':
        if (c === '\\') i++;
        else if (c === '`') state = 'code';
        else if (c === '$' && text.charAt(i + 1) === '{') {
          templateBraces.push(0);
          state = 'code';
          i++;
        }
        break;
      case 'line-comment':
        if (c === '\n') state = 'code';
        break;
      case 'block-comment':
        if (c === '*' && text.charAt(i + 1) === '/') {
          state = 'code';
          i++;
        }
        break;
    }
  }
}
