import { skipString, isQuote, UNLIMITED, type Budget, type TemplateSite, type TokenizeResult } from './lexing.js';

/**
 * Pug (and Jade), line by line as Pug's lexer reads it. Unescaped output is `!= expr` at the start of a line or right after a tag
 * (`p!= x`, `p(class="a")!= x`, `li: a!= x`), `!{expr}` in text (piped text, text after a tag, `tag.` text blocks, inline HTML) and
 * `attr!=value` in an attribute list. Not read as output: `//` and `//-` comments with the lines nested under them, `:filter` blocks,
 * code lines (`- …`, `= …`, `if a != b`, `each`, …), attribute values and mixin arguments (JavaScript: `!{` there is a string), and
 * `\!{` (literal text). Attribute lists may span lines.
 */
export function tokenizePug(text: string, budget: Budget = UNLIMITED): TokenizeResult {
  const sites: TemplateSite[] = [];
  // Lines indented deeper than this are skipped (comments, filters, bare `-` code blocks) or read as text (`tag.` blocks).
  let skipDeeperThan: number | undefined;
  let textDeeperThan: number | undefined;
  let pos = 0;
  while (pos < text.length) {
    budget.tick();
    const eol = lineEnd(text, pos);
    const next = eol + 1;
    const line = text.slice(pos, eol);
    if (line.trim() === '') {
      pos = next;
      continue;
    }
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (skipDeeperThan !== undefined) {
      if (indent > skipDeeperThan) {
        pos = next;
        continue;
      }
      skipDeeperThan = undefined;
    }
    if (textDeeperThan !== undefined) {
      if (indent > textDeeperThan) {
        interpolations(text, pos + indent, eol, sites, budget);
        pos = next;
        continue;
      }
      textDeeperThan = undefined;
    }
    const outcome = readLine(text, pos + indent, eol, sites, budget);
    if ('stopped' in outcome) return { sites, stopped: outcome.stopped };
    if (outcome.block === 'skip') skipDeeperThan = indent;
    else if (outcome.block === 'text') textDeeperThan = indent;
    pos = outcome.resume;
  }
  return { sites };
}

type LineOutcome = { resume: number; block?: 'skip' | 'text' } | { stopped: { offset: number; reason: string } };

const CODE_KEYWORDS = /^(if|else|unless|while|each|for|case|when|default|include|extends|block|mixin|append|prepend|doctype|yield)\b/;
const TAG_HEAD = /(?:[A-Za-z][\w-]*(?::[A-Za-z][\w-]*)*|\+[\w.-]+|#\{[^}\n]*\})?(?:[.#][A-Za-z_-][\w-]*)*/y;

function lineEnd(text: string, from: number): number {
  const eol = text.indexOf('\n', from);
  const end = eol === -1 ? text.length : eol;
  return end > from && text.charAt(end - 1) === '\r' ? end - 1 : end;
}

/** One line from its first non-blank character `start` to `eol`; returns where the next line starts (attributes may span lines). */
function readLine(text: string, start: number, eol: number, sites: TemplateSite[], budget: Budget): LineOutcome {
  const resume = nextLineStart(text, eol);
  const rest = text.slice(start, Math.min(eol, start + 16));
  if (rest.startsWith('//')) return { resume, block: 'skip' };
  if (rest.startsWith('-')) return text.slice(start + 1, eol).trim() === '' ? { resume, block: 'skip' } : { resume };
  if (rest.startsWith(':')) return { resume, block: 'skip' };
  if (rest.startsWith('|')) {
    interpolations(text, start + 1, eol, sites, budget);
    return { resume };
  }
  if (rest.startsWith('!=')) {
    sites.push({ kind: 'pug-raw', start, end: eol, value: text.slice(start + 2, eol).trim() });
    return { resume };
  }
  if (rest.startsWith('=')) return { resume };
  if (rest.startsWith('<')) {
    interpolations(text, start, eol, sites, budget);
    return { resume };
  }
  if (CODE_KEYWORDS.test(rest)) return { resume };
  return readTag(text, start, sites, budget);
}

function nextLineStart(text: string, eol: number): number {
  const nl = text.indexOf('\n', eol);
  return nl === -1 ? text.length : nl + 1;
}

/** A tag line: the tag, classes and ids, attribute lists, then what follows (unescaped code, text, a text block, block expansion). */
function readTag(text: string, start: number, sites: TemplateSite[], budget: Budget): LineOutcome {
  TAG_HEAD.lastIndex = start;
  const head = TAG_HEAD.exec(text)?.[0] ?? '';
  const eolHere = lineEnd(text, start);
  if (head === '') {
    interpolations(text, start, eolHere, sites, budget);
    return { resume: nextLineStart(text, eolHere) };
  }
  let q = start + head.length;
  // A mixin call's first parentheses are its arguments (JavaScript), not attributes.
  if (head.startsWith('+') && text.charAt(q) === '(') {
    const end = groupEnd(text, q, budget, undefined);
    if (end === undefined) return { stopped: { offset: q, reason: "the '(' opened here is never closed" } };
    q = end;
  }
  while (text.charAt(q) === '(') {
    const end = groupEnd(text, q, budget, sites);
    if (end === undefined) return { stopped: { offset: q, reason: "the attribute list opened here is never closed" } };
    q = end;
  }
  if (text.startsWith('&attributes(', q)) {
    const end = groupEnd(text, q + '&attributes'.length, budget, undefined);
    if (end === undefined) return { stopped: { offset: q, reason: "the '&attributes(' opened here is never closed" } };
    q = end;
  }
  const eol = lineEnd(text, q);
  const resume = nextLineStart(text, eol);
  const after = text.slice(q, Math.min(eol, q + 3));
  if (after.startsWith('!=')) {
    sites.push({ kind: 'pug-raw', start: q, end: eol, value: text.slice(q + 2, eol).trim() });
  } else if (after.startsWith('=')) {
    // escaped output
  } else if (after.startsWith('.') && text.slice(q + 1, eol).trim() === '') {
    return { resume, block: 'text' };
  } else if (after.startsWith(': ')) {
    let r = q + 2;
    while (text.charAt(r) === ' ') r++;
    return readTag(text, r, sites, budget);
  } else if (after.startsWith(' ')) {
    interpolations(text, q + 1, eol, sites, budget);
  }
  return { resume };
}

/**
 * The index after the group that opens at `open` (`(`), reading strings and nested brackets. With `sites`, the group is an attribute
 * list: `name!=value` directly in it is reported.
 */
function groupEnd(text: string, open: number, budget: Budget, sites: TemplateSite[] | undefined): number | undefined {
  let depth = 0;
  for (let p = open; p < text.length; p++) {
    budget.tick();
    const c = text.charAt(p);
    if (isQuote(c)) {
      const after = skipString(text, p);
      if (after === -1) return undefined;
      p = after - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return p + 1;
    } else if (sites && depth === 1 && c === '!' && text.charAt(p + 1) === '=') {
      const windowStart = Math.max(open, p - 200);
      const name = /(?:^|[\s,(])([\w@:.[\]-]+)\s*$/.exec(text.slice(windowStart, p));
      if (name?.[1]) {
        const valueEnd = attributeValueEnd(text, p + 2, budget);
        if (valueEnd === undefined) return undefined;
        const nameStart = windowStart + name.index + name[0].indexOf(name[1]);
        sites.push({ kind: 'pug-raw', start: nameStart, end: valueEnd, value: text.slice(p + 2, valueEnd).trim() });
        p = valueEnd - 1;
      }
    }
  }
  return undefined;
}

/** Where an attribute value starting at `from` ends: a `,`, `)` or line break outside strings and brackets. */
function attributeValueEnd(text: string, from: number, budget: Budget): number | undefined {
  let depth = 0;
  let p = from;
  while (p < text.length && (text.charAt(p) === ' ' || text.charAt(p) === '\t')) p++;
  for (; p < text.length; p++) {
    budget.tick();
    const c = text.charAt(p);
    if (isQuote(c)) {
      const after = skipString(text, p);
      if (after === -1) return undefined;
      p = after - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (depth > 0 && (c === ')' || c === ']' || c === '}')) {
      depth--;
    } else if (depth === 0 && (c === ',' || c === ')' || c === '\n' || c === '\r')) {
      return p;
    }
  }
  return p;
}

/** `!{expr}` in text between `from` and `to` (one line); `\!{` is literal text. */
function interpolations(text: string, from: number, to: number, sites: TemplateSite[], budget: Budget): void {
  for (let p = text.indexOf('!{', from); p !== -1 && p < to; p = text.indexOf('!{', p + 2)) {
    budget.tick();
    if (text.charAt(p - 1) === '\\') continue;
    let depth = 0;
    let end: number | undefined;
    for (let q = p + 1; q < to; q++) {
      budget.tick();
      const c = text.charAt(q);
      if (isQuote(c)) {
        const after = skipString(text, q, to);
        if (after === -1) break;
        q = after - 1;
      } else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = q + 1;
        break;
      }
    }
    // Pug rejects an interpolation that is not closed on its line (nothing is output); the rest of the line is not looked at, so a
    // line of many unclosed `!{` costs one pass, not one per `!{`.
    if (end === undefined) return;
    sites.push({ kind: 'pug-raw', start: p, end, value: text.slice(p + 2, end - 1).trim() });
    p = end - 2;
  }
}
