import { UNLIMITED, type Budget, type TemplateSite, type TokenizeResult } from './lexing.js';
import { scriptContexts } from './script-context.js';

/**
 * EJS, as its own parser reads it: a tag opens with `<%` and a mode character (`=` escaped output, `-` unescaped output, `#`
 * comment, `_` whitespace-slurping scriptlet, none: scriptlet) and ends at the first `%>` / `-%>` / `_%>` — EJS does not read the
 * JavaScript inside, so a `%>` in a string ends the tag there too. `<%%` is the literal text `<%`. Custom delimiters (the `delimiter`
 * option) are not known here. An escaped `<%= %>` is a site too when it stands in the code or a template literal of an inline
 * `<script>` (script-context.ts), where HTML escaping does not keep a value from being read as JavaScript.
 */
export function tokenizeEjs(text: string, budget: Budget = UNLIMITED): TokenizeResult {
  const sites: TemplateSite[] = [];
  const escaped: TemplateSite[] = [];
  const withScripts = (result: TokenizeResult): TokenizeResult => {
    const contexts = scriptContexts(text, escaped.map((site) => site.start), budget);
    for (const site of escaped) if (contexts.has(site.start)) sites.push(site);
    return result;
  };
  let i = 0;
  for (;;) {
    budget.tick();
    const open = text.indexOf('<%', i);
    if (open === -1) return withScripts({ sites });
    const mode = text.charAt(open + 2);
    if (mode === '%') {
      i = open + 3;
      continue;
    }
    const bodyStart = '=-#_'.includes(mode) && mode !== '' ? open + 3 : open + 2;
    const close = text.indexOf('%>', bodyStart);
    if (close === -1) return withScripts({ sites, stopped: { offset: open, reason: `the '<%${'=-#_'.includes(mode) ? mode : ''}' tag opened here is never closed` } });
    // `-%>` and `_%>` trim whitespace: the mark is not part of the expression.
    const trimMark = close > bodyStart && (text.charAt(close - 1) === '-' || text.charAt(close - 1) === '_');
    const bodyEnd = trimMark ? close - 1 : close;
    if (mode === '-') sites.push({ kind: 'ejs-raw', start: open, end: close + 2, value: text.slice(bodyStart, bodyEnd).trim() });
    if (mode === '=') escaped.push({ kind: 'ejs-script', start: open, end: close + 2, value: text.slice(bodyStart, bodyEnd).trim() });
    i = close + 2;
  }
}
