/**
 * The template rules, as data: which construct each reports, its id, message, note (ending with the CWE) and category, and how
 * severe one finding is given the value it outputs.
 *
 * `tpl/ejs-escaped-output-in-script`: an escaped `<%= x %>` in the code or a template literal of an inline script
 * (script-context.ts), where HTML escaping does not keep the value from being read as JavaScript. The same severity rules apply
 * (numbers and number names below); escaped `JSON.stringify(x)` there is entity-encoded, a broken page rather than a way in,
 * and is not reported.
 *
 * Severity, decided per finding, by what the template itself shows of the value's origin (a template cannot see where a
 * variable was set, and most raw output is HTML the application built on purpose: help texts, rendered fragments, JSON of its
 * own config):
 * - `high`: the output expression itself shows request data (`request.args.q`, `req.query.name`, `params.name`, a name whose
 *   last word is `query` or `params` such as `searchQuery`, `view.request.GET.q`, a `.GET`/`.POST`/`.args`/`.cookies`/`.headers`
 *   member): reflected XSS as written; and autoescaping
 *   turned off for a block of an HTML template (everything in it is unescaped).
 * - `medium`: any other variable, member or expression output without escaping: it may hold user data (stored XSS), but
 *   whether it does lies in how the application built it, which the template cannot show.
 * - `low`: a bare variable whose name says it is a number (below): most often a number, but it is what the handler passed,
 *   which may be a route or query parameter echoed as it came (`{ id: req.params.id }`).
 * - not reported: literals, numbers the template can prove are numbers (below), members whose name says they are numbers
 *   (below), values passed through an escaping or sanitizing call (`escape(x)`, `DOMPurify.sanitize(x)`), EJS
 *   `include(...)` / `partial(...)` (the documented way to include another template), `|safe` after an escaping filter
 *   (`x|escape|safe`, `x|tojson|safe`), the layout slot `body` in a layout file of any engine (`layouts/…`, `layout.*`), and a
 *   bare `<%- body %>` in any EJS file (below); `{% autoescape off %}` in a plain-text template (a file name with the word
 *   `email`, `mail` or `subject`, or a `.txt` template), where HTML escaping would corrupt the text of an e-mail.
 *
 * Numbers. A number cannot carry markup. What the template itself shows is: a numeric conversion or property of the whole
 * value (`Number(x)`, `parseInt(x)`, `Math.round(x)`, `x.length`, `x.toFixed(2)`), and arithmetic of numeric literals and the
 * loop counters the same EJS file declares (`for (var i = 0; …)`, the index parameter of `.forEach((item, i) => …)`), such as
 * `i + 1`. Beyond that a template cannot see a value's type, but its name is the author's word for it: a member whose last
 * word is one of `id`, `index`, `count`, `total`, `price`, `quantity`, `amount` (`product.id`, `order.totalPrice`,
 * `row.item_count`, `user._id`) is a field of a record: a key, a counter or a sum, which no maintainer accepts as an XSS
 * report, so it is not reported. Were such a field a string an attacker wrote, the flaw is in the store's schema or in the
 * injection that wrote it, and those are reported at their own sinks. The same name alone (`id`, `productId`) is reported at
 * `low` (see above). The list is kept short on purpose: `number` (a phone or order number is text), `size`, `value` and
 * plurals (`ids`, a list) are not in it. `JSON.stringify(x)` is not safe (`</script>` in a string ends a script block) and
 * stays reported.
 *
 * The layout slot. ejs-locals and express-ejs-layouts render the page first and give its HTML to the layout as `body`, which
 * the layout must output raw (`<%- body %>`); where the layout file lives is the app's choice (`views/content.ejs`,
 * `app.set('layout', …)`), so a bare `body` is not reported in any EJS file: the escaping question belongs to the page it
 * carries, whose own outputs are scanned. A member (`post.body`, `locals.body`) is a value, not the slot, and stays reported.
 */
import { posix } from 'node:path';
import type { RuleInfo, Severity } from '../../types.js';
import type { SiteKind } from './lexing.js';

export type TemplateFamily = 'ejs' | 'handlebars' | 'pug' | 'jinja';

export interface TemplateRule {
  id: string;
  kind: SiteKind;
  /** The most severe a finding of the rule is (SARIF's default level). */
  severity: Severity;
  message: string;
  note: string;
  cwe: string;
  category: string;
  helpUri: string;
}

const CWE_79_URL = 'https://cwe.mitre.org/data/definitions/79.html';

export const TEMPLATE_RULES: readonly TemplateRule[] = [
  {
    id: 'tpl/ejs-unescaped-output',
    kind: 'ejs-raw',
    severity: 'high',
    message: "An EJS '<%-' tag outputs a value without HTML escaping.",
    note:
      "EJS escapes what '<%=' outputs but writes '<%-' output as it is, so markup or script in the value runs in the reader's " +
      "browser (stored or reflected XSS). Use '<%=' for values, or sanitize HTML that must stay HTML (DOMPurify, sanitize-html) " +
      "before it reaches the template. '<%- include(...) %>' is not reported. CWE-79",
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/ejs-escaped-output-in-script',
    kind: 'ejs-script',
    severity: 'high',
    message: "An EJS '<%=' tag outputs a value into the code of an inline script, where HTML escaping does not protect it.",
    note:
      "'<%=' escapes a value for HTML (& < > \" '), which keeps it inside a quoted JavaScript string but not in code: in " +
      "'var n = <%= x %>;' a value such as '1;alert(document.cookie)' runs as script, and in a template literal '${…}' does. " +
      "Put the value in a quoted string, or pass data as JSON in a non-script element (a data- attribute or a " +
      "<script type=\"application/json\"> read with JSON.parse). CWE-79",
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/handlebars-unescaped-output',
    kind: 'mustache-raw',
    severity: 'high',
    message: 'A Handlebars/Mustache triple-brace or {{& }} tag outputs a value without HTML escaping.',
    note:
      "Handlebars and Mustache escape '{{x}}' but write '{{{x}}}' and '{{& x}}' as they are, so markup or script in the value runs " +
      "in the reader's browser (XSS). Use double braces for values, or return a SafeString from a helper that escapes what it " +
      'embeds. CWE-79',
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/pug-unescaped-output',
    kind: 'pug-raw',
    severity: 'high',
    message: "Pug outputs a value without HTML escaping ('!=', '!{}' or an unescaped attribute).",
    note:
      "Pug escapes '=' and '#{}' output but writes '!=', '!{}' and 'attr!=value' as they are, so markup or script in the value runs " +
      "in the reader's browser (XSS). Use '=' and '#{}', or sanitize HTML that must stay HTML before it reaches the template. CWE-79",
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/safe-filter',
    kind: 'safe-filter',
    severity: 'high',
    message: "The 'safe' filter turns off HTML escaping for a value (Jinja, Nunjucks or Django).",
    note:
      "'|safe' marks a value as HTML that needs no escaping, so markup or script in it runs in the reader's browser (XSS). Leave " +
      "values to autoescaping, and mark only HTML your code built from escaped parts (markupsafe's Markup.format, Django's " +
      'format_html) or sanitized (bleach, nh3). CWE-79',
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/tornado-raw-output',
    kind: 'tornado-raw',
    severity: 'high',
    message: "A Tornado '{% raw %}' tag outputs a value without HTML escaping.",
    note:
      "Tornado escapes '{{ x }}' but writes '{% raw x %}' as it is, so markup or script in the value runs in the reader's browser " +
      "(XSS). Use '{{ x }}' for values, and give '{% raw %}' only HTML your code built from escaped parts or sanitized. CWE-79",
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/autoescape-off',
    kind: 'autoescape-off',
    severity: 'high',
    message: 'Autoescaping is turned off for a block of the template.',
    note:
      "Inside '{% autoescape false %}' (Jinja), '{% autoescape off %}' (Django) or after '{% autoescape None %}' (Tornado) every value is output as it is, so markup or " +
      'script in any of them runs in the reader\'s browser (XSS). Keep autoescaping on and mark the few values that are trusted HTML. ' +
      'CWE-79',
    cwe: 'CWE-79',
    category: 'security',
    helpUri: CWE_79_URL,
  },
  {
    id: 'tpl/script-over-http',
    kind: 'script-over-http',
    severity: 'medium',
    message: 'The template loads a script over plain http.',
    note:
      "A script fetched over 'http://' can be replaced by anyone on the network path (public Wi-Fi, a proxy), and the replacement " +
      "runs with the page's full access; browsers also block it as mixed content on https pages. Load it over 'https://', or " +
      'serve it from your own origin with Subresource Integrity (integrity="sha384-…"). CWE-319',
    cwe: 'CWE-319',
    category: 'security',
    helpUri: 'https://cwe.mitre.org/data/definitions/319.html',
  },
];

const RULE_BY_KIND = new Map(TEMPLATE_RULES.map((rule) => [rule.kind, rule]));

export function ruleFor(kind: SiteKind): TemplateRule {
  const rule = RULE_BY_KIND.get(kind);
  if (!rule) throw new Error(`no template rule for ${kind}`);
  return rule;
}

export function templateRuleInfos(): RuleInfo[] {
  return TEMPLATE_RULES.map((rule) => ({
    id: rule.id,
    source: 'templates',
    severity: rule.severity,
    shortDescription: rule.message,
    fullDescription: rule.note,
    helpUri: rule.helpUri,
    cwe: rule.cwe,
    category: rule.category,
  }));
}

// ── which files ────────────────────────────────────────────────────────────────────────────────────────────────────────────────

const FAMILY_BY_EXTENSION: Readonly<Record<string, TemplateFamily>> = {
  ejs: 'ejs',
  hbs: 'handlebars',
  handlebars: 'handlebars',
  mustache: 'handlebars',
  pug: 'pug',
  jade: 'pug',
  njk: 'jinja',
  nunjucks: 'jinja',
  jinja: 'jinja',
  jinja2: 'jinja',
  j2: 'jinja',
};

/** How much of an `.html` file is read to tell whether it is a template. */
export const SNIFF_CHARS = 64 * 1024;

const JINJA_STATEMENT =
  /\{%[-+]?\s*(extends|block|endblock|load|include|if|for|with|set|macro|autoescape|url|static|trans|blocktrans|csrf_token|raw|verbatim|comment|filter|import|from|call)\b/;
const SAFE_IN_EXPRESSION = /\{\{[^}\n]{0,200}\|\s*safe\b/;
const HANDLEBARS_TAG = /\{\{~?\s*[#/^>!&{]/;

/** The family a file's name says it is in; `html` when only its content can tell. */
export function familyByName(path: string): TemplateFamily | 'html' | undefined {
  const name = posix.basename(path).toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = name.slice(dot + 1);
  if (extension === 'html' || extension === 'htm') return 'html';
  return FAMILY_BY_EXTENSION[extension];
}

/**
 * An `.html` file is a template when its first 64 KiB show template syntax: Jinja/Django statements or `|safe` (Django's
 * `templates/**.html`, Flask, Nunjucks), Handlebars block/partial/comment/triple tags. Plain HTML (and the `{{ x }}` of Angular and
 * Vue, which escape) is not one. `<% %>` tags are not taken for EJS here: in lodash/underscore templates, which share them, `<%-`
 * is the escaped output and `<%=` the raw one; only `.ejs` files are read as EJS.
 */
export function familyByContent(text: string): TemplateFamily | undefined {
  const head = text.slice(0, SNIFF_CHARS);
  if (JINJA_STATEMENT.test(head) || SAFE_IN_EXPRESSION.test(head)) return 'jinja';
  if (HANDLEBARS_TAG.test(head)) return 'handlebars';
  return undefined;
}

// ── how severe ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

const LITERAL = /^(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`$]*`|-?\d+(?:\.\d+)?|true|false|null|undefined|None|True|False)$/;
const SANITIZING_CALL = /^[\w$.]*(?:escape|sanitiz|purif|encode)\w*\s*\(/i;
const INCLUDE_CALL = /^(?:include|partial)\s*\(/;
const ESCAPING_FILTERS = new Set(['e', 'escape', 'forceescape', 'tojson', 'json_script', 'striptags', 'urlencode', 'int', 'float', 'length', 'count', 'wordcount', 'filesizeformat', 'escapejs']);
/** The last words of a name that says its value is a number (see the header): `id`, `userId`, `user_id`, `userID`, `_id`. */
const NUMBER_WORDS = new Set(['id', 'index', 'count', 'total', 'price', 'quantity', 'amount']);
/** A member of an element the template indexes by a name: `products[i].price` → `price` (for names that say number only). */
const INDEXED_MEMBER = /^[A-Za-z_$][\w$]*(?:\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*(?:[A-Za-z_$][\w$]*|'[^']*'|"[^"]*"|\d+)\s*\]))*\s*\.\s*([A-Za-z_$][\w$]*)$/;
const SIMPLE_PATH = /^[A-Za-z_$][\w$]*(?:\s*(?:\.\s*[A-Za-z_$][\w$]*|\[\s*(?:'[^']*'|"[^"]*"|\d+)\s*\]))*$/;

const NUMERIC_CALL = /^(?:Number|parseInt|parseFloat|Math\.[a-z]\w*|Number\.parse(?:Int|Float))\s*\(/;
const NUMERIC_PROPERTY = /\.\s*(?:length|toFixed\s*\(\s*\d*\s*\)|toPrecision\s*\(\s*\d*\s*\)|getTime\s*\(\s*\))$/;
const ARITHMETIC_TOKEN = /\d+(?:\.\d+)?|[A-Za-z_$][\w$]*|[-+*/%()\s]/gy;
/** `for (var i = 0;` / `for (let i = 0, n = 10;` (every counter the initializer sets to a number). */
const FOR_COUNTERS = /\bfor\s*\(\s*(?:var|let)\s+([^;]{1,200});/g;
const NUMBER_INIT = /([A-Za-z_$][\w$]*)\s*=\s*-?\d+(?:\.\d+)?\s*(?:,|$)/g;
/** The index parameter of an array callback: `.forEach(function (item, i)`, `.map((row, index) =>`. */
const INDEX_PARAMETER = /\.(?:forEach|map|filter|some|every)\s*\(\s*(?:function\s*[\w$]*\s*)?\(\s*[A-Za-z_$][\w$]*\s*,\s*([A-Za-z_$][\w$]*)\s*[,)]/g;

/**
 * The names an EJS file declares as numeric loop counters (see the header). A counter assigned anything else in the same file
 * (`i = name`) is not one.
 */
export function ejsNumericNames(text: string): ReadonlySet<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(FOR_COUNTERS)) {
    for (const init of (match[1] ?? '').matchAll(NUMBER_INIT)) if (init[1]) names.add(init[1]);
  }
  for (const match of text.matchAll(INDEX_PARAMETER)) if (match[1]) names.add(match[1]);
  for (const name of [...names]) {
    const reassigned = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*(?:[-+*/%]?=(?!=)\\s*([^;,)]*))`, 'g');
    for (const assignment of text.matchAll(reassigned)) {
      // i = 0, i += 2, i = i + 1 keep it a number; anything else may not
      if (!/^[\s\d.+\-*/%()]*$/.test((assignment[1] ?? '').split(name).join(''))) names.delete(name);
    }
  }
  return names;
}

/** The value is a number by what the template shows: a numeric conversion, property, or arithmetic of counters. */
function isNumeric(expression: string, numericNames: ReadonlySet<string>): boolean {
  if (NUMERIC_CALL.test(expression) && closesAtEnd(expression)) return true;
  if (NUMERIC_PROPERTY.test(expression) && SIMPLE_PATH.test(expression.replace(NUMERIC_PROPERTY, ''))) return true;
  ARITHMETIC_TOKEN.lastIndex = 0;
  let names = 0;
  let at = 0;
  for (const token of expression.matchAll(ARITHMETIC_TOKEN)) {
    if (token.index !== at) return false;
    at = token.index + token[0].length;
    if (/^[A-Za-z_$]/.test(token[0])) {
      if (!numericNames.has(token[0])) return false;
      names++;
    }
  }
  return at === expression.length && names > 0;
}

/**
 * How severe a site is, or undefined when it is not a finding. `path` tells layout files (where `body` is the rendered page);
 * `numericNames` are the file's numeric loop counters (`ejsNumericNames`, EJS only).
 */
export function severityOf(kind: SiteKind, value: string | undefined, path: string, numericNames: ReadonlySet<string> = new Set()): Severity | undefined {
  if (kind === 'autoescape-off') return isPlainTextTemplate(path) ? undefined : 'high';
  if (kind === 'script-over-http') return 'medium';
  let expression = (value ?? '').trim().replace(/;\s*$/, '').trim();
  if (kind === 'mustache-raw') expression = expression.replace(/^~|~$/g, '').trim();
  if (kind === 'safe-filter') {
    const [head, ...filters] = splitFilters(expression);
    if (filters.some((filter) => ESCAPING_FILTERS.has(filter))) return undefined;
    expression = head ?? '';
  }
  if (expression === '' || LITERAL.test(expression)) return undefined;
  if (kind === 'ejs-raw' && INCLUDE_CALL.test(expression) && closesAtEnd(expression)) return undefined;
  if ((kind === 'ejs-raw' || kind === 'ejs-script') && isNumeric(expression, numericNames)) return undefined;
  // escaped JSON in a script is entity-encoded ("&#34;"): a broken page, not a way in
  if (kind === 'ejs-script' && /^JSON\.stringify\s*\(/.test(expression) && closesAtEnd(expression)) return undefined;
  if (SANITIZING_CALL.test(expression) && closesAtEnd(expression)) return undefined;
  const field = INDEXED_MEMBER.exec(expression)?.[1];
  if (field !== undefined && isNumberName(field)) return undefined;
  const name = lastName(expression);
  if (name !== undefined) {
    if (kind === 'ejs-raw' && expression === 'body') return undefined;
    if ((name === 'body' || name === 'yield') && isLayoutFile(path)) return undefined;
    if (isNumberName(name)) return name === expression ? 'low' : undefined;
  }
  return showsRequestData(expression) ? 'high' : 'medium';
}

/** An escaping or sanitizing call and its argument list, when that list holds no parentheses of its own. */
const ESCAPED_ARGUMENTS = /([\w$.]*(?:escape|sanitiz|purif|encode)\w*)\s*\([^()]*\)/gi;
/** A path segment that is the request object itself: `request.args.q`, `req.query.name`, `this.req.body`. */
const REQUEST_OBJECT = /(?<![\w$])(?:request|req)\s*(?:\.|\[)/;
/** Words that make a `…Query` name a database or CSS query. */
const NOT_REQUEST_WORDS = new Set(['sql', 'db', 'graphql', 'gql', 'media', 'mongo']);
/**
 * Request data by its own name: a name whose last word is `query` or `params`, as the root of a path, a member or alone
 * (`query.q`, `params.name`, `$route.query.q`, `searchQuery`, `in_query`, `routeParams`), but not a database query (`sqlQuery`,
 * `db_query`, `graphqlQuery`) nor a longer word (`queryset`).
 */
function isRequestName(name: string): boolean {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z\d]+/)
    .filter((word) => word !== '');
  const last = words[words.length - 1];
  return (last === 'query' || last === 'params') && !words.some((word) => NOT_REQUEST_WORDS.has(word));
}
/** The request's fields by the names web frameworks give them, as a member of something (`view.request.GET` is caught above): `ctx.GET.q`, `self.args`. */
const REQUEST_FIELD = /\.\s*(?:GET|POST|args|cookies|headers)(?![\w$])/;

/**
 * The expression itself shows request data (see the header): the request object, its parts by name, or its fields. String
 * literals are left out first (`t('query.label')` is a key, not the query).
 */
export function showsRequestData(expression: string): boolean {
  const code = expression.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''").replace(/(?:\.\.\/)+/g, '').replace(/\//g, '.')
    // what an escaping call wraps is escaped where it is shown (`url_escape(request.path)` inside a larger expression)
    .replace(ESCAPED_ARGUMENTS, '$1()');
  if (REQUEST_OBJECT.test(code) || REQUEST_FIELD.test(code)) return true;
  return (code.match(/[A-Za-z_$][\w$]*/g) ?? []).some(isRequestName);
}

/**
 * A plain-text template, where HTML escaping would corrupt the text rather than protect a page: an e-mail body or subject
 * (a file name with the word `email`/`mail`, or `subject`) or a `.txt` template (`name.txt`, `name.txt.j2`).
 */
export function isPlainTextTemplate(path: string): boolean {
  const name = posix.basename(path.replace(/\\/g, '/'));
  if (/\.txt(?:\.[A-Za-z0-9]+)?$/i.test(name)) return true;
  const words = name
    .replace(/\.[^.]*$/, '')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => word === 'email' || word === 'emails' || word === 'mail' || word === 'mails' || word === 'subject');
}

/** The name's last word (camelCase, snake_case or UPPER_CASE) says it is a number: `id`, `productId`, `unit_price`, `userID`. */
export function isNumberName(name: string): boolean {
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter((word) => word !== '');
  const last = words[words.length - 1];
  return last !== undefined && NUMBER_WORDS.has(last.toLowerCase());
}

/** `x|e|safe` split at top-level pipes: `['x', 'e']` (filter arguments dropped). */
function splitFilters(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression.charAt(i);
    if (c === '"' || c === "'") {
      const close = expression.indexOf(c, i + 1);
      i = close === -1 ? expression.length : close;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(expression.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(expression.slice(from).trim());
  return parts.map((part, index) => (index === 0 ? part : (/^[A-Za-z_]\w*/.exec(part)?.[0] ?? part)));
}

/** The call that starts the expression is the whole expression: `include('a')`, not `include('a') + x`. */
function closesAtEnd(expression: string): boolean {
  const open = expression.indexOf('(');
  let depth = 0;
  for (let i = open; i < expression.length; i++) {
    const c = expression.charAt(i);
    if (c === '"' || c === "'" || c === '`') {
      const close = expression.indexOf(c, i + 1);
      if (close === -1) return false;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === expression.length - 1;
  }
  return false;
}

/** The last name of a plain variable or member path (`post.bodyHtml` → `bodyHtml`; Handlebars `this.body`, `../content`). */
function lastName(expression: string): string | undefined {
  const path = expression.replace(/^(?:\.\.\/)+/, '').replace(/\//g, '.');
  if (!SIMPLE_PATH.test(path)) return undefined;
  const names = path.match(/[A-Za-z_$][\w$]*/g);
  return names?.[names.length - 1];
}

function isLayoutFile(path: string): boolean {
  const lower = path.toLowerCase();
  return /(^|\/)layouts?\//.test(lower) || /^_?(layout|base|main)\b/.test(posix.basename(lower));
}
