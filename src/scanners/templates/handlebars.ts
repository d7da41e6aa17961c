import { skipString, UNLIMITED, type Budget, type TemplateSite, type TokenizeResult } from './lexing.js';

/**
 * Handlebars and Mustache, as Handlebars' lexer reads them: `\{{` is literal text (the next mustache is not one), `{{!-- … --}}`
 * and `{{! … }}` are comments, `{{{{name}}}} … {{{{/name}}}}` is a raw block whose content is text, `{{~` / `~}}` control
 * whitespace, and string literals inside a mustache may hold braces. `{{{x}}}` and `{{& x}}` output without escaping. Mustache's
 * set-delimiter tag (`{{=<% %>=}}`) stops the scan: what follows is written in other delimiters.
 */
export function tokenizeHandlebars(text: string, budget: Budget = UNLIMITED): TokenizeResult {
  const sites: TemplateSite[] = [];
  let i = 0;
  for (;;) {
    budget.tick();
    const open = text.indexOf('{{', i);
    if (open === -1) return { sites };
    // `\{{x}}` is the text `{{x}}`; `\\{{x}}` is a backslash and then a real mustache.
    if (text.charAt(open - 1) === '\\' && text.charAt(open - 2) !== '\\') {
      i = open + 2;
      continue;
    }
    if (text.startsWith('{{{{', open)) {
      const after = rawBlockEnd(text, open, budget);
      if (after.stopped) return { sites, stopped: after.stopped };
      i = after.next;
      continue;
    }
    let p = open + 2;
    if (text.charAt(p) === '~') p++;
    if (text.startsWith('!--', p)) {
      const close = text.indexOf('--', p + 3);
      const end = close === -1 ? -1 : commentClose(text, close + 2);
      if (end === -1) return { sites, stopped: { offset: open, reason: "the '{{!--' comment opened here is never closed" } };
      i = end;
      continue;
    }
    if (text.charAt(p) === '!') {
      const close = text.indexOf('}}', p + 1);
      if (close === -1) return { sites, stopped: { offset: open, reason: "the '{{!' comment opened here is never closed" } };
      i = close + 2;
      continue;
    }
    if (text.charAt(p) === '=') return { sites, stopped: { offset: open, reason: 'the template changes its delimiters here' } };
    const triple = text.charAt(p) === '{';
    if (triple) p++;
    const close = mustacheClose(text, p, triple, budget);
    if (close === undefined) return { sites, stopped: { offset: open, reason: `the '${triple ? '{{{' : '{{'}' opened here is never closed` } };
    const body = text.slice(p, close.bodyEnd).trim();
    if (triple) sites.push({ kind: 'mustache-raw', start: open, end: close.next, value: body });
    else if (body.startsWith('&')) sites.push({ kind: 'mustache-raw', start: open, end: close.next, value: body.slice(1).trim() });
    i = close.next;
  }
}

/** `--}}` or `--~}}`: the index after it, -1 when the `--` at `from - 2` is not followed by a close. */
function commentClose(text: string, from: number): number {
  let p = from;
  for (;;) {
    if (text.charAt(p) === '~') p++;
    if (text.startsWith('}}', p)) return p + 2;
    const next = text.indexOf('--', p);
    if (next === -1) return -1;
    p = next + 2;
  }
}

/**
 * The end of a mustache whose body starts at `from`: `}}` (or `}}}` for a triple), with an optional `~` before it, outside string
 * literals.
 */
function mustacheClose(text: string, from: number, triple: boolean, budget: Budget): { bodyEnd: number; next: number } | undefined {
  for (let p = from; p < text.length; p++) {
    budget.tick();
    const c = text.charAt(p);
    if (c === '"' || c === "'") {
      const after = skipString(text, p);
      if (after === -1) return undefined;
      p = after - 1;
      continue;
    }
    if (c !== '}' && c !== '~') continue;
    if (triple) {
      // `}}}` or `}~}}`
      if (text.startsWith('}}}', p)) return { bodyEnd: p, next: p + 3 };
      if (text.startsWith('}~}}', p)) return { bodyEnd: p, next: p + 4 };
    } else {
      if (text.startsWith('}}', p)) return { bodyEnd: p, next: p + 2 };
      if (text.startsWith('~}}', p)) return { bodyEnd: p, next: p + 3 };
    }
  }
  return undefined;
}

/** Skips `{{{{name …}}}} … {{{{/name}}}}` (or a stray `{{{{/name}}}}`): everything inside is text. */
function rawBlockEnd(text: string, open: number, budget: Budget): { next: number; stopped?: undefined } | { next?: undefined; stopped: { offset: number; reason: string } } {
  const close = text.indexOf('}}}}', open + 4);
  if (close === -1) return { stopped: { offset: open, reason: "the '{{{{' raw block tag opened here is never closed" } };
  const head = text.slice(open + 4, close).trim();
  if (head.startsWith('/')) return { next: close + 4 };
  const name = /^[^\s}]+/.exec(head)?.[0] ?? '';
  const endTag = `{{{{/${name}}}}}`;
  budget.tick();
  const end = text.indexOf(endTag, close + 4);
  if (end === -1) return { stopped: { offset: open, reason: `the raw block '{{{{${name}}}}}' opened here is never closed` } };
  return { next: end + endTag.length };
}
