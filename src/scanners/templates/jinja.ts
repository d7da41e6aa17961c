import { skipString, UNLIMITED, type Budget, type TemplateSite, type TokenizeResult } from './lexing.js';

/**
 * Jinja, Nunjucks and Django templates: `{{ … }}` expressions, `{% … %}` statements and `{# … #}` comments, with `-`/`+` whitespace
 * control. Inside a tag, string literals and brackets are read as Jinja's lexer reads them (a `}}` inside a string or a dict literal
 * does not end the tag). `{% raw %}`, `{% verbatim %}` and Django's `{% comment %}` blocks are text up to their end tag. Reported:
 * the `safe` filter (Django's `safeseq` too), `{% autoescape false|off %}` (Tornado's `{% autoescape None %}`), and Tornado's
 * `{% raw expr %}`, which outputs the expression unescaped (a `raw` tag with an expression opens no block).
 */
export function tokenizeJinja(text: string, budget: Budget = UNLIMITED): TokenizeResult {
  const sites: TemplateSite[] = [];
  let i = 0;
  for (;;) {
    budget.tick();
    const open = text.indexOf('{', i);
    if (open === -1) return { sites };
    const second = text.charAt(open + 1);
    if (second === '#') {
      const close = text.indexOf('#}', open + 2);
      if (close === -1) return { sites, stopped: { offset: open, reason: "the '{#' comment opened here is never closed" } };
      i = close + 2;
      continue;
    }
    if (second !== '{' && second !== '%') {
      i = open + 1;
      continue;
    }
    const closer = second === '{' ? '}}' : '%}';
    let bodyStart = open + 2;
    if (text.charAt(bodyStart) === '-' || text.charAt(bodyStart) === '+') bodyStart++;
    const close = tagClose(text, bodyStart, closer, budget);
    if (close === undefined) return { sites, stopped: { offset: open, reason: `the '{${second}' tag opened here is never closed` } };
    let bodyEnd = close;
    if (bodyEnd > bodyStart && (text.charAt(bodyEnd - 1) === '-' || text.charAt(bodyEnd - 1) === '+')) bodyEnd--;
    const body = text.slice(bodyStart, bodyEnd);
    const end = close + 2;
    i = end;

    if (second === '%') {
      const words = body.trim().split(/\s+/);
      const name = words[0] ?? '';
      // Tornado's `{% raw expr %}` outputs the expression unescaped; Jinja's `{% raw %}` (no expression) opens a block of text
      if (name === 'raw' && words.length > 1) {
        sites.push({ kind: 'tornado-raw', start: open, end, value: body.trim().slice(3).trim() });
        continue;
      }
      const block = BLOCKS_OF_TEXT[name];
      if (block) {
        const pattern = new RegExp(`\\{%[-+]?\\s*${block}\\b[^%]*?[-+]?%\\}`, 'g');
        pattern.lastIndex = end;
        const found = pattern.exec(text);
        if (!found) return { sites, stopped: { offset: open, reason: `the '{% ${name} %}' block opened here has no '{% ${block} %}'` } };
        i = found.index + found[0].length;
        continue;
      }
      if (name === 'autoescape' && /^(false|off|none)$/i.test(words[1] ?? '')) {
        sites.push({ kind: 'autoescape-off', start: open, end });
        continue;
      }
    }
    const safe = safeFilterIn(body, budget);
    if (safe !== undefined) sites.push({ kind: 'safe-filter', start: open, end, value: safe });
  }
}

/** Statements whose content is text up to an end tag. */
const BLOCKS_OF_TEXT: Readonly<Record<string, string>> = { raw: 'endraw', verbatim: 'endverbatim', comment: 'endcomment' };

/** The index of `closer` ending a tag body that starts at `from`: outside string literals and at bracket depth 0. */
function tagClose(text: string, from: number, closer: string, budget: Budget): number | undefined {
  let depth = 0;
  for (let p = from; p < text.length; p++) {
    budget.tick();
    const c = text.charAt(p);
    if (c === '"' || c === "'") {
      const after = skipString(text, p);
      if (after === -1) return undefined;
      p = after - 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (depth > 0 && (c === ')' || c === ']' || c === '}')) {
      depth--;
    } else if (depth === 0 && text.startsWith(closer, p)) {
      return p;
    }
  }
  return undefined;
}

/**
 * When the tag body applies the `safe` (or `safeseq`) filter outside string literals: the expression before it, earlier filters
 * included (`x|e|safe` gives `x|e`).
 */
function safeFilterIn(body: string, budget: Budget): string | undefined {
  for (let p = 0; p < body.length; p++) {
    budget.tick();
    const c = body.charAt(p);
    if (c === '"' || c === "'") {
      const after = skipString(body, p);
      if (after === -1) return undefined;
      p = after - 1;
      continue;
    }
    if (c !== '|' || body.charAt(p + 1) === '|') continue;
    const name = /^\s*([A-Za-z_]\w*)/.exec(body.slice(p + 1, p + 64))?.[1];
    // `{% set x = v|safe %}`, `{% with x=v|safe %}`: the value is what follows the assignment.
    if (name === 'safe' || name === 'safeseq') return body.slice(0, p).trim().replace(/^(?:set|with)\s+[\w\s,]+?=\s*/, '');
  }
  return undefined;
}
