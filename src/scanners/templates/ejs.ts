import { UNLIMITED, type Budget, type TemplateSite, type TokenizeResult } from './lexing.js';

/**
 * EJS, as its own parser reads it: a tag opens with `<%` and a mode character (`=` escaped output, `-` unescaped output, `#`
 * comment, `_` whitespace-slurping scriptlet, none: scriptlet) and ends at the first `%>` / `-%>` / `_%>` — EJS does not read the
 * JavaScript inside, so a `%>` in a string ends the tag there too. `<%%` is the literal text `<%`. Custom delimiters (the `delimiter`
 * option) are not known here.
 */
export function tokenizeEjs(text: string, budget: Budget = UNLIMITED): TokenizeResult {
  const sites: TemplateSite[] = [];
  let i = 0;
  for (;;) {
    budget.tick();
    const open = text.indexOf('<%', i);
    if (open === -1) return { sites };
    const mode = text.charAt(open + 2);
    if (mode === '%') {
      i = open + 3;
      continue;
    }
    const bodyStart = '=-#_'.includes(mode) && mode !== '' ? open + 3 : open + 2;
    const close = text.indexOf('%>', bodyStart);
    if (close === -1) return { sites, stopped: { offset: open, reason: `the '<%${'=-#_'.includes(mode) ? mode : ''}' tag opened here is never closed` } };
    // `-%>` and `_%>` trim whitespace: the mark is not part of the expression.
    const trimMark = close > bodyStart && (text.charAt(close - 1) === '-' || text.charAt(close - 1) === '_');
    const bodyEnd = trimMark ? close - 1 : close;
    if (mode === '-') sites.push({ kind: 'ejs-raw', start: open, end: close + 2, value: text.slice(bodyStart, bodyEnd).trim() });
    i = close + 2;
  }
}
