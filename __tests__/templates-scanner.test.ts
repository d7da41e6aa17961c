/**
 * The template scanner: each family's tokenizer on the fixtures (every rule positive and negative, comments, literals and raw
 * blocks not reported, exact lines and columns), hostile files (a huge line, unclosed tags, binary, oversize, a symlink, a file
 * over its time limit) bounded and listed as not scanned, and a real CLI run on a git repository whose change adds an EJS view.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EXIT, runCli } from '../src/cli/main.js';
import { resolveConfig } from '../src/config/load.js';
import type { JsonReport } from '../src/report/text.js';
import { planScan } from '../src/scanners/registry.js';
import { tokenizeEjs } from '../src/scanners/templates/ejs.js';
import { tokenizeHandlebars } from '../src/scanners/templates/handlebars.js';
import { tokenizeJinja } from '../src/scanners/templates/jinja.js';
import { tokenizePug } from '../src/scanners/templates/pug.js';
import { ejsNumericNames, familyByContent, familyByName, isNumberName, isPlainTextTemplate, severityOf, showsRequestData, TEMPLATE_RULES, templateRuleInfos } from '../src/scanners/templates/rules.js';
import { scanTemplates } from '../src/scanners/templates/scanner.js';
import type { Finding, ScanReport } from '../src/types.js';
import { git } from './support/git-fixture.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/templates/', import.meta.url));
const FIXTURE_FILES = [
  'ejs/profile.ejs',
  'handlebars/page.hbs',
  'handlebars/layouts/main.handlebars',
  'handlebars/card.mustache',
  'pug/page.pug',
  'jinja/page.html',
  'jinja/mail.njk',
  'jinja/report.j2',
  'jinja/password_reset_email.html',
  'plain.html',
];

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'templates-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function scan(root: string, files: readonly string[], settings: Parameters<typeof scanTemplates>[0] = {}): Promise<{ report: ScanReport; findings: Finding[] }> {
  const { report } = await scanTemplates(settings, { tree: { root, files, inPlace: true } });
  return { report, findings: report.findings };
}

/** `path:line:column-endColumn severity ruleId` for each finding. */
const places = (findings: readonly Finding[], path?: string): string[] =>
  findings
    .filter((f) => path === undefined || f.path === path)
    .map((f) => `${f.path}:${f.startLine}:${f.startColumn}-${f.endColumn} ${f.severity} ${f.ruleId}`);

async function tree(files: Record<string, string | Buffer>): Promise<{ root: string; files: string[] }> {
  const root = await mkdtemp(join(scratch, 'tree-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return { root, files: Object.keys(files) };
}

describe('the fixtures, family by family: exact places, and nothing from comments, literals, raw blocks or escaped output', () => {
  let report: ScanReport;
  let findings: Finding[];
  before(async () => {
    ({ report, findings } = await scan(FIXTURES, FIXTURE_FILES));
  });

  test('EJS: <%- of values, not comments, <%% literals, include(...) alone, literals or escaped calls', () => {
    assert.deepEqual(places(findings, 'ejs/profile.ejs'), [
      'ejs/profile.ejs:3:4-19 medium tpl/ejs-unescaped-output', // <%- user.bio %>: where it was set is not in the template
      'ejs/profile.ejs:7:6-26 medium tpl/ejs-unescaped-output', // post.bodyHtml
      'ejs/profile.ejs:10:25-43 medium tpl/ejs-unescaped-output', // <%- admin.note -%> after a scriptlet on the same line
      'ejs/profile.ejs:11:1-30 medium tpl/ejs-unescaped-output', // include(...) + extra is more than an include
      'ejs/profile.ejs:12:21-39 high tpl/ejs-unescaped-output', // <%- req.query.q %>: request data as written
    ]);
    const bio = findings.find((f) => f.path === 'ejs/profile.ejs' && f.startLine === 3);
    assert.equal(bio?.evidence, '<p><%- user.bio %></p>');
    assert.equal(bio?.source, 'templates');
    assert.match(bio?.note ?? '', /CWE-79$/);
  });

  test('Handlebars and Mustache: triple braces and {{& }}, not in comments, raw blocks, escaped mustaches or strings; {{{body}}} in a layout is the page', () => {
    assert.deepEqual(places(findings, 'handlebars/page.hbs'), [
      'handlebars/page.hbs:4:6-20 medium tpl/handlebars-unescaped-output',
      'handlebars/page.hbs:5:4-19 medium tpl/handlebars-unescaped-output',
      'handlebars/page.hbs:9:10-32 medium tpl/handlebars-unescaped-output',
      'handlebars/page.hbs:10:1-16 medium tpl/handlebars-unescaped-output',
      'handlebars/page.hbs:11:4-21 high tpl/handlebars-unescaped-output', // {{{params.name}}}
    ]);
    assert.deepEqual(places(findings, 'handlebars/card.mustache'), ['handlebars/card.mustache:2:19-36 medium tpl/handlebars-unescaped-output']);
    assert.deepEqual(places(findings, 'handlebars/layouts/main.handlebars'), []);
  });

  test('Pug: != after a tag or alone, !{} in text and text blocks, attr!=; not in comments, code, conditions or attribute strings', () => {
    assert.deepEqual(places(findings, 'pug/page.pug'), [
      'pug/page.pug:7:6-17 medium tpl/pug-unescaped-output', // p!= user.bio
      'pug/page.pug:8:19-32 medium tpl/pug-unescaped-output', // p(class="bio")!= user.about
      'pug/page.pug:9:13-25 medium tpl/pug-unescaped-output', // | Hello !{user.name}
      'pug/page.pug:13:7-21 medium tpl/pug-unescaped-output', // a(href!=user.url, …)
      'pug/page.pug:14:19-31 medium tpl/pug-unescaped-output', // div.card: span!= card.html
      'pug/page.pug:16:18-25 medium tpl/pug-unescaped-output', // script. block: !{json}
      'pug/page.pug:18:6-23 high tpl/pug-unescaped-output', // p!= req.query.name
    ]);
  });

  test('Jinja, Nunjucks, Django: |safe and autoescape off; not in comments, strings, raw/verbatim/comment blocks, or after tojson', () => {
    assert.deepEqual(places(findings, 'jinja/page.html'), [
      'jinja/page.html:4:4-23 medium tpl/safe-filter',
      'jinja/page.html:6:6-33 medium tpl/safe-filter',
      'jinja/page.html:9:1-23 high tpl/autoescape-off',
      'jinja/page.html:12:1-21 high tpl/autoescape-off',
      'jinja/page.html:13:1-30 medium tpl/safe-filter', // Django's safeseq
      'jinja/page.html:14:4-28 high tpl/safe-filter', // request.GET.q|safe
    ]);
    assert.deepEqual(places(findings, 'jinja/mail.njk'), ['jinja/mail.njk:2:4-24 medium tpl/safe-filter']);
    assert.deepEqual(places(findings, 'jinja/report.j2'), ['jinja/report.j2:1:1-44 medium tpl/safe-filter']);
    // a plain-text e-mail turns escaping off so that its text is not HTML-encoded
    assert.deepEqual(places(findings, 'jinja/password_reset_email.html'), []);
  });

  test('plain HTML is not a template: not counted; the report is ok with the rules that ran', () => {
    assert.equal(report.status, 'ok');
    assert.equal(report.filesScanned, FIXTURE_FILES.length - 1);
    assert.equal(report.rulesRun, TEMPLATE_RULES.length);
    assert.equal(report.filesNotScanned, undefined);
  });
});

describe('scripts over plain http', () => {
  test('a <script src="http://…"> in a template is medium, also in an IE conditional comment; not https, relative, loopback or commented out', async () => {
    const layout = [
      '<head>',
      '  <script src="http://cdn.example.com/jquery.js"></script>',
      '  <!--[if lt IE 9]>',
      "  <script type='text/javascript' src='http://html5shiv.googlecode.com/svn/trunk/html5.js'></script>",
      '  <![endif]-->',
      '  <!-- <script src="http://old.example.com/a.js"></script> -->',
      '  <script src="https://cdn.example.com/a.js"></script>',
      '  <script src="//cdn.example.com/b.js"></script>',
      '  <script src="/js/app.js"></script>',
      '  <script src="http://localhost:35729/livereload.js"></script>',
      '  <a href="http://example.com/">link</a>',
      '</head>',
    ].join('\n');
    const { root, files } = await tree({ 'views/layout.ejs': layout, 'views/layout.hbs': layout.replace('<head>', '<head>{{title}}'), 'static/page.html': layout });
    const { findings } = await scan(root, files);
    assert.deepEqual(places(findings), [
      'views/layout.ejs:2:3-48 medium tpl/script-over-http',
      'views/layout.ejs:4:3-89 medium tpl/script-over-http',
      'views/layout.hbs:2:3-48 medium tpl/script-over-http',
      'views/layout.hbs:4:3-89 medium tpl/script-over-http',
    ]);
    assert.match(findings[0]?.note ?? '', /CWE-319$/);
  });
});

describe('tokenizers on their own', () => {
  const kinds = (result: { sites: { kind: string; value?: string }[] }): string[] => result.sites.map((s) => `${s.kind}:${s.value ?? ''}`);

  test('EJS: a %> ends the tag wherever it is (as in EJS), trim marks are not part of the value', () => {
    assert.deepEqual(kinds(tokenizeEjs('<%_ x _%><%- a _%><%= "%>" %><%- b -%>')), ['ejs-raw:a', 'ejs-raw:b']);
  });

  test('EJS: an escaped <%= in the code or a template literal of an inline script is a site; in a quoted string, a comment, HTML or a non-JS script it is not', () => {
    const page = [
      '<p><%= name %></p>',
      '<script>',
      '  var page = <%= page %>;',
      '  var title = "<%= title %>", other = \'<%= other %>\';',
      '  // var old = <%= commented %>;',
      '  /* <%= blockComment %> */',
      '  const line = `Hello <%= user %>`;',
      '  const nested = `${ items.map((x) => { return x + <%= extra %>; }) } and <%= after %>`;',
      '  var q = "a \\" <%= stillQuoted %>";',
      '  if (x) { y = <%= y %>; }',
      '</script>',
      '<script type="text/template"><%= tpl %></script>',
      '<script src="/app.js"></script>',
      '<script type="module">init(<%= config %>)</script>',
      '<div data-x="<%= attr %>"></div>',
    ].join('\n');
    assert.deepEqual(kinds(tokenizeEjs(page)), [
      'ejs-script:page',
      'ejs-script:user',
      'ejs-script:extra',
      'ejs-script:after',
      'ejs-script:y',
      'ejs-script:config',
    ]);
    // a tag never closed inside a script: what came before is still reported
    assert.deepEqual(kinds(tokenizeEjs('<script>var a = <%= a %>; var b = <%= b')), ['ejs-script:a']);
    // thousands of unclosed script tags, each a script up to the same end: the tag is read in one of them, once
    const crafted = `${'<script>'.repeat(5000)}var n = <%= n %>; <%% '<%= s %>'`;
    assert.deepEqual(kinds(tokenizeEjs(crafted)), ['ejs-script:n']);
  });

  test('Handlebars: {{!-- --}} may hold }}, a double backslash does not escape, {{=…=}} stops the scan', () => {
    assert.deepEqual(kinds(tokenizeHandlebars('{{!-- {{{a}}} }} --}}{{{b}}}\\\\{{{c}}}')), ['mustache-raw:b', 'mustache-raw:c']);
    const delimiters = tokenizeHandlebars('{{{a}}}\n{{=<% %>=}}\n<%{b}%>');
    assert.deepEqual(kinds(delimiters), ['mustache-raw:a']);
    assert.match(delimiters.stopped?.reason ?? '', /changes its delimiters/);
  });

  test('Jinja: brackets and strings inside a tag do not end it; whitespace control is not part of the value', () => {
    assert.deepEqual(kinds(tokenizeJinja("{{- {'k': '}}'}|safe -}}{{ a or b | safe }}{% with x=y|safe %}")), [
      "safe-filter:{'k': '}}'}",
      'safe-filter:a or b',
      'safe-filter:y',
    ]);
  });

  test("Tornado: {% raw expr %} is unescaped output and opens no block; Jinja's {% raw %} block still hides what it holds", () => {
    const page = [
      '<div class="body">{% raw entry.html %}</div>',
      '{% raw _(\'<a href="%(url)s">Sign in</a>\') % {"url": "/login?next=" +',
      '   url_escape(request.path)} %}',
      '{% autoescape None %}',
      '{{ after|safe }}',
      '{% raw %}{{ hidden|safe }}{% endraw %}',
    ].join('\n');
    const result = tokenizeJinja(page);
    assert.equal(result.stopped, undefined);
    assert.deepEqual(kinds(result), [
      'tornado-raw:entry.html',
      'tornado-raw:_(\'<a href="%(url)s">Sign in</a>\') % {"url": "/login?next=" +\n   url_escape(request.path)}',
      'autoescape-off:',
      'safe-filter:after',
    ]);
    assert.equal(severityOf('tornado-raw', 'entry.html', 'templates/entry.html'), 'medium');
    assert.equal(severityOf('tornado-raw', 'request.arguments["q"]', 'templates/entry.html'), 'high');
    // request data an escaping call wraps is not shown as it came
    assert.equal(severityOf('tornado-raw', '_("<a>") % {"url": "/login?next=" + url_escape(request.path)}', 'templates/base.html'), 'medium');
    assert.equal(severityOf('tornado-raw', '"<a>" + url_escape(request.path) + request.query', 'templates/base.html'), 'high');
  });

  test('Pug: attribute lists over several lines, mixin arguments, &attributes, comparisons in code', () => {
    const text = 'a(\n  class="x",\n  href!=link\n)\n+card(a != b)!= html\ndiv&attributes({a: 1})!= y\nunless a != b\n  p #{safe} \\!{no}\n';
    assert.deepEqual(kinds(tokenizePug(text)), ['pug-raw:link', 'pug-raw:html', 'pug-raw:y']);
  });
});

describe('severity and file choice', () => {
  test('a value of an origin the template cannot see is medium; literals, escaping calls and filters, includes are not findings', () => {
    assert.equal(severityOf('ejs-raw', 'user.bio', 'views/a.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', 'JSON.stringify(data)', 'views/a.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', 'article.contentHtml', 'views/a.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', "locals['html']", 'views/a.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', "include('partials/nav', { user })", 'views/a.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'DOMPurify.sanitize(bio)', 'views/a.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'sanitize(a) + b', 'views/a.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', '"<hr>"', 'views/a.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'body', 'views/layout.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'body', 'views/profile.ejs'), undefined, 'the layout slot of ejs-locals and express-ejs-layouts, wherever the layout lives');
    assert.equal(severityOf('safe-filter', 'x|escape', 't.html'), undefined);
    assert.equal(severityOf('safe-filter', 'x|upper', 't.html'), 'medium');
    assert.equal(severityOf('mustache-raw', 'markdown post.text', 't.hbs'), 'medium');
    // developer HTML and the application's own JSON: the template cannot tell, the finding is medium
    assert.equal(severityOf('safe-filter', 'form.new_password1.help_text', 'admin/change_password.html'), 'medium');
    assert.equal(severityOf('safe-filter', 'widget.config_json', 'widgets/date_input.html'), 'medium');
    assert.equal(severityOf('safe-filter', 'column.strip', 'table.html'), 'medium');
    assert.equal(severityOf('autoescape-off', undefined, 't.html'), 'high');
  });

  test('request data the expression itself shows is high, in every engine', () => {
    const high: [Parameters<typeof severityOf>[0], string][] = [
      ['ejs-raw', 'req.query.q'],
      ['ejs-raw', "req.query.q || ''"],
      ['ejs-raw', "req.params['name']"],
      ['ejs-raw', 'locals.req.body.comment'],
      ['ejs-script', 'req.query.callback'],
      ['mustache-raw', 'query'],
      ['mustache-raw', 'params.name'],
      ['mustache-raw', '../query.q'],
      ['pug-raw', 'request.query.name'],
      ['pug-raw', '"Hi " + query.name'],
      ['ejs-raw', 'in_query'],
      ['ejs-raw', 'searchQuery'],
      ['mustache-raw', 'routeParams.slug'],
      ['safe-filter', 'request.GET.q'],
      ['safe-filter', 'request.args.get("q")'],
      ['safe-filter', 'request.form.comment|upper'],
      ['safe-filter', 'view.request.POST.text'],
      ['safe-filter', 'ctx.GET.q'],
      ['safe-filter', 'self.headers.referer'],
      ['safe-filter', 'request.cookies.theme'],
      ['safe-filter', 'request.body.html'],
    ];
    for (const [kind, value] of high) assert.equal(severityOf(kind, value, 'views/a'), 'high', `${kind} ${value}`);
    // look-alikes: longer names, a Django form (not the request's), words inside strings
    const medium: [Parameters<typeof severityOf>[0], string][] = [
      ['ejs-raw', 'sqlQuery'],
      ['ejs-raw', 'db_query'],
      ['ejs-raw', 'queryString.length + label'],
      ['ejs-raw', 'user.queryset'],
      ['ejs-raw', 'requestLog.text'],
      ['ejs-raw', "t('query.label')"],
      ['safe-filter', 'form.comment.help_text'],
      ['safe-filter', 'adminform.form.errors'],
      ['safe-filter', 'field.args_help'],
      ['mustache-raw', 'preq.x'],
    ];
    for (const [kind, value] of medium) assert.equal(severityOf(kind, value, 'views/a'), 'medium', `${kind} ${value}`);
    assert.equal(showsRequestData('req.query.q'), true);
    assert.equal(showsRequestData('"req.query"'), false);
    // a request field whose name says number stays as the number rules say
    assert.equal(severityOf('ejs-raw', 'parseInt(req.query.page, 10)', 'views/a.ejs'), undefined);
  });

  test('autoescape off in a plain-text template (an e-mail body or subject, a .txt template) is not reported; in HTML it is high', () => {
    for (const path of [
      'registration/password_reset_email.html',
      'templates/emails/welcome_mail.html',
      'account/email_confirmation_message.html',
      'account/emailConfirm.njk',
      'registration/password_reset_subject.txt.j2',
      'notifications/digest.txt.jinja',
      'notifications/digest.txt',
      'mail.html',
    ]) {
      assert.equal(isPlainTextTemplate(path), true, path);
      assert.equal(severityOf('autoescape-off', undefined, path), undefined, path);
    }
    for (const path of ['templates/page.html', 'emails/page.html', 'templates/mailbox.html', 'gmail_import.html', 'subjects.html', 'txt/page.html', 'context.txtx.html']) {
      assert.equal(isPlainTextTemplate(path), false, path);
      assert.equal(severityOf('autoescape-off', undefined, path), 'high', path);
    }
    // only autoescape: a |safe in an e-mail template is still reported by its value
    assert.equal(severityOf('safe-filter', 'request.GET.q', 'password_reset_email.html'), 'high');
  });

  test('EJS numbers the template shows are not findings: numeric conversions and properties, arithmetic of its own loop counters', () => {
    const counters = ejsNumericNames(
      '<% for (var i = 0; i < rows.length; i++) { %><%- i + 1 %><% } %>\n' +
        '<% items.forEach(function (item, index) { %><%- index * 2 %><% }) %>\n' +
        '<% for (let n = 0, k = start; n < 3; n += 1) { %><% } %>\n' +
        "<% for (var j = 0; j < 3; j++) { j = names[j] } %>",
    );
    assert.deepEqual([...counters].sort(), ['i', 'index', 'n']);
    assert.equal(severityOf('ejs-raw', 'i + 1', 'views/a.ejs', counters), undefined);
    assert.equal(severityOf('ejs-raw', '(index + 1) * 2', 'views/a.ejs', counters), undefined);
    assert.equal(severityOf('ejs-raw', 'Number(product.price)', 'views/a.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'parseInt(req.query.page, 10)', 'views/a.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'products.length', 'views/a.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'order.total.toFixed(2)', 'views/a.ejs'), undefined);
    // a counter of another file, or one reassigned, proves nothing (names that say number: the next test)
    assert.equal(severityOf('ejs-raw', 'product.label', 'views/a.ejs', counters), 'medium');
    assert.equal(severityOf('ejs-raw', 'i + 1', 'views/a.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', 'j + 1', 'views/a.ejs', counters), 'medium');
    assert.equal(severityOf('ejs-raw', 'i + name', 'views/a.ejs', counters), 'medium');
    assert.equal(severityOf('ejs-raw', 'Number(a) + b', 'views/a.ejs', counters), 'medium');
    assert.equal(severityOf('ejs-raw', 'JSON.stringify(count)', 'views/a.ejs', counters), 'medium');
    assert.equal(severityOf('ejs-raw', 'rows[i]', 'views/a.ejs', counters), 'medium');
  });

  test('a member whose last word says it is a number is not reported, the bare name is low; other names stay reported', () => {
    for (const kind of ['ejs-raw', 'mustache-raw', 'pug-raw'] as const) {
      for (const member of ['product.id', 'product.price', 'user._id', 'order.totalPrice', 'row.item_count', 'row.PRODUCT_ID', 'cart.quantity', 'page.index', 'tx.amount', 'stats.userCount', 'ctx.rowID', "row['id']", 'products[i].price', 'rows[index].id']) {
        assert.equal(severityOf(kind, member, 'views/a'), undefined, `${kind} ${member}`);
      }
      for (const bare of ['id', 'productId', 'product_id', 'total', 'count']) assert.equal(severityOf(kind, bare, 'views/a'), 'low', `${kind} ${bare}`);
      // whole words only, and the short list only: text-like names, plurals and expressions stay reported
      for (const value of ['user.discount', 'order.account', 'user.phoneNumber', 'user.idea', 'order.ids', 'user.uuid', 'product.priceLabel', 'product.price + note', 'JSON.stringify(product.id)', 'products[i].name', 'rows[id]', 'rows[getId()].price']) {
        assert.equal(severityOf(kind, value, 'views/a'), 'medium', `${kind} ${value}`);
      }
    }
    assert.equal(severityOf('safe-filter', 'product.id|safe', 't.html'), undefined);
    assert.equal(severityOf('safe-filter', 'product.title', 't.html'), 'medium');
    assert.equal(isNumberName('customerID'), true);
    assert.equal(isNumberName('paid'), false);
  });

  test('the EJS layout slot: a bare body in any EJS file is not reported; a member named body is, and so is body elsewhere', () => {
    assert.equal(severityOf('ejs-raw', 'body', 'views/content.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', ' body ', 'views/content.ejs'), undefined);
    assert.equal(severityOf('ejs-raw', 'post.body', 'views/content.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', 'locals.body', 'views/content.ejs'), 'medium');
    assert.equal(severityOf('ejs-raw', 'body + footer', 'views/content.ejs'), 'medium');
    assert.equal(severityOf('mustache-raw', 'body', 'views/content.hbs'), 'medium', 'outside a layout folder, a Handlebars body is a value');
    assert.equal(severityOf('pug-raw', 'body', 'views/content.pug'), 'medium');
  });

  test('escaped output in script code: medium, high for request data; numbers and escaped JSON are not reported', async () => {
    const { root, files } = await tree({
      'views/chart.ejs':
        '<script>\nvar label = <%= label %>;\nvar rows = <%= rows.length %>;\nvar price = <%= product.price %>;\nvar data = <%= JSON.stringify(data) %>;\nvar name = "<%= name %>";\nvar cb = <%= req.query.cb %>;\n</script>\n',
    });
    const { findings } = await scan(root, files);
    assert.deepEqual(places(findings), ['views/chart.ejs:2:13-25 medium tpl/ejs-escaped-output-in-script', 'views/chart.ejs:7:10-29 high tpl/ejs-escaped-output-in-script']);
  });

  test('scanned files: a layout outside layouts/ and number fields of a product page', async () => {
    const { root, files } = await tree({
      'views/content.ejs': '<html><body>\n<%- body %>\n<%- post.body %>\n</body></html>\n',
      'views/products.ejs': '<% products.forEach(function (product) { %>\n<a href="/p?id=<%- product.id %>"><%- product.name %></a> <%- product.price %>\n<%- productId %>\n<% }) %>\n',
    });
    const { findings } = await scan(root, files);
    assert.deepEqual(places(findings), [
      'views/content.ejs:3:1-17 medium tpl/ejs-unescaped-output',
      'views/products.ejs:2:35-54 medium tpl/ejs-unescaped-output',
      'views/products.ejs:3:1-17 low tpl/ejs-unescaped-output',
    ]);
  });

  test('files by extension; .html by its content', () => {
    assert.equal(familyByName('views/a.EJS'), 'ejs');
    assert.equal(familyByName('a.jade'), 'pug');
    assert.equal(familyByName('a.jinja2'), 'jinja');
    assert.equal(familyByName('templates/a.htm'), 'html');
    assert.equal(familyByName('a.js'), undefined);
    assert.equal(familyByName('.hbs'), undefined);
    assert.equal(familyByContent('{% load static %}<p>{{ x }}</p>'), 'jinja');
    assert.equal(familyByContent('<p><%- x %></p>'), undefined, 'lodash templates share <% %> with the opposite meaning of <%-');
    assert.equal(familyByContent('{{#each items}}{{this}}{{/each}}'), 'handlebars');
    assert.equal(familyByContent('<p>{{ vueValue }}</p>'), undefined);
    assert.equal(familyByContent(`${' '.repeat(70_000)}{% if x %}`), undefined, 'only the first 64 KiB are looked at');
  });

  test('every rule: a tpl/ id, a message that reads as a sentence, a note ending with its CWE, a category, a SARIF RuleInfo', () => {
    const infos = templateRuleInfos();
    assert.equal(infos.length, TEMPLATE_RULES.length);
    for (const rule of TEMPLATE_RULES) {
      assert.match(rule.id, /^tpl\/[a-z-]+$/);
      assert.match(rule.message, /^[A-Z].*\.$/);
      assert.ok(rule.note.endsWith(rule.cwe), rule.id);
      assert.equal(rule.category, 'security');
    }
    assert.ok(infos.every((info) => info.source === 'templates' && info.cwe !== undefined));
  });

  test('the registry runs it whenever ast-grep is chosen, and not otherwise', () => {
    const change = { repoAstGrepConfigDir: undefined, extraRuleSources: [] };
    const names = (scanners: string) => planScan({ config: resolveConfig({ inputs: { scanners } }), change, env: {} }).scanners.map((s) => s.name);
    assert.ok(names('ast-grep').includes('templates'));
    assert.ok(!names('tests').includes('templates'));
  });
});

describe('templates in test or example code', () => {
  test('are reported, but never above medium (the rule the ast-grep scanner applies to rules without metadata.in-tests)', async () => {
    const t = await tree({
      'views/page.njk': '{% autoescape false %}{{ a }}{% endautoescape %}\n',
      'views/search.ejs': '<%- req.query.q %>\n',
      'tests/templates/escaping.html': '{% autoescape false %}{{ a }}{% endautoescape %}\n',
      'app/__tests__/fixtures/view.ejs': '<%- user.bio %>\n',
      'examples/search/views/search.ejs': '<%- req.query.q %>\n',
    });
    const { findings } = await scan(t.root, t.files);
    assert.deepEqual(places(findings).map((p) => p.replace(/:\d+:\d+-\d+/, '')).sort(), [
      'app/__tests__/fixtures/view.ejs medium tpl/ejs-unescaped-output',
      'examples/search/views/search.ejs medium tpl/ejs-unescaped-output',
      'tests/templates/escaping.html medium tpl/autoescape-off',
      'views/page.njk high tpl/autoescape-off',
      'views/search.ejs high tpl/ejs-unescaped-output',
    ]);
  });
});

describe('hostile files are bounded and listed as not scanned, with the reason', () => {
  test('a 600 KB line: the finding has its exact column and a short evidence', async () => {
    const padding = 'x'.repeat(600_000);
    const t = await tree({ 'views/long.ejs': `${padding}<%- user.bio %>\n` });
    const { report, findings } = await scan(t.root, t.files);
    assert.equal(report.status, 'ok');
    assert.deepEqual(places(findings), ['views/long.ejs:1:600001-600016 medium tpl/ejs-unescaped-output']);
    assert.ok((findings[0]?.evidence.length ?? 0) <= 242, 'evidence is cut around the match');
    assert.ok(findings[0]?.evidence.includes('<%- user.bio %>'));
  });

  test('an unclosed tag in each family: findings before it stay, the file is listed with the place it opened', async () => {
    const t = await tree({
      'a.ejs': '<%- a %>\n<p><%- b\n',
      'b.hbs': '{{{a}}}\n{{{b\n',
      'c.njk': '{{ a|safe }}\n  {% if x\n',
      'd.pug': 'p!= a\na(href="x"\n',
      'e.hbs': '{{!-- never closed\n',
    });
    const { report, findings } = await scan(t.root, t.files);
    assert.deepEqual(
      findings.map((f) => `${f.path}:${f.startLine}`),
      ['a.ejs:1', 'b.hbs:1', 'c.njk:1', 'd.pug:1'],
    );
    assert.equal(report.status, 'degraded');
    assert.match(report.reason ?? '', /5 template files could not be scanned in full/);
    assert.deepEqual(report.filesNotScanned, [
      { path: 'a.ejs', reason: "the '<%-' tag opened here is never closed (line 2, column 4): the rest of the file was not scanned" },
      { path: 'b.hbs', reason: "the '{{{' opened here is never closed (line 2, column 1): the rest of the file was not scanned" },
      { path: 'c.njk', reason: "the '{%' tag opened here is never closed (line 2, column 3): the rest of the file was not scanned" },
      { path: 'd.pug', reason: 'the attribute list opened here is never closed (line 2, column 2): the rest of the file was not scanned' },
      { path: 'e.hbs', reason: "the '{{!--' comment opened here is never closed (line 1, column 1): the rest of the file was not scanned" },
    ]);
    assert.equal(report.warnings.length, 5);
  });

  test('binary, not UTF-8, over the size cap, a symlink: not read as templates, each listed with why', async () => {
    const t = await tree({
      'bin.ejs': Buffer.from([0x3c, 0x25, 0x2d, 0x00, 0x01, 0x25, 0x3e]),
      'latin1.pug': Buffer.from([0x70, 0x21, 0x3d, 0x20, 0xe9, 0x0a]),
      'big.hbs': '{{{x}}}\n'.repeat(200),
      'ok.ejs': '<%- fine %>\n',
    });
    await writeFile(join(scratch, 'outside.ejs'), '<%- outside %>\n');
    await symlink(join(scratch, 'outside.ejs'), join(t.root, 'link.ejs'));
    const { report, findings } = await scan(t.root, [...t.files, 'link.ejs'], { maxFileBytes: 1000 });
    assert.deepEqual(places(findings), ['ok.ejs:1:1-12 medium tpl/ejs-unescaped-output']);
    assert.deepEqual(report.filesNotScanned, [
      { path: 'big.hbs', reason: 'too large for the template scan: 1600 bytes (limit 1000)' },
      { path: 'bin.ejs', reason: 'binary content (a NUL byte)' },
      { path: 'latin1.pug', reason: 'not valid UTF-8' },
      { path: 'link.ejs', reason: 'not a regular file' },
    ]);
    assert.equal(report.filesScanned, 1);
  });

  test('work grows linearly with the file, also on shapes made to make a tokenizer rescan (counted in budget ticks)', () => {
    const families = { ejs: tokenizeEjs, handlebars: tokenizeHandlebars, jinja: tokenizeJinja, pug: tokenizePug };
    const shapes: [keyof typeof families, (n: number) => string][] = [
      ['pug', (n) => `| ${'!{a'.repeat(n)}`],
      ['pug', (n) => `p ${'!{"}'.repeat(n)}`],
      ['pug', (n) => `a(${'x=1,'.repeat(n)})`],
      ['jinja', (n) => `{{ ${'('.repeat(n)}`],
      ['jinja', (n) => '{{ x|safe }}'.repeat(n)],
      ['handlebars', (n) => '{{{a}}}{{b "}}"}}'.repeat(n)],
      ['handlebars', (n) => `{{!-- ${'-- '.repeat(n)}`],
      ['ejs', (n) => '<%- a %><%# b %>'.repeat(n)],
    ];
    for (const [family, make] of shapes) {
      const ticks = (n: number): number => {
        let count = 0;
        families[family](make(n), { tick: () => { count++; } });
        return count;
      };
      const small = ticks(2_000);
      const large = ticks(20_000);
      assert.ok(large <= small * 12, `${family} ${make(2).slice(0, 30)}: ${small} ticks for 2,000 repeats, ${large} for 20,000`);
    }
  });

  test('a file over its time limit is listed; the files after it still run, until the scan limit', async () => {
    const t = await tree({ 'slow.hbs': '{{x}}'.repeat(20_000), 'next.ejs': '<%- a %>', 'last.ejs': '<%- b %>' });
    // A clock that moves 1 ms per reading: the tokenizer of a 20,000-tag file reads it often enough to pass 5 ms.
    let clock = 0;
    const now = (): number => clock++;
    const { report, findings } = await scan(t.root, t.files, { now, fileTimeoutMs: 5, scanTimeoutMs: 100_000 });
    assert.deepEqual(report.filesNotScanned, [{ path: 'slow.hbs', reason: 'not scanned: took longer than 5 ms' }]);
    assert.deepEqual(findings.map((f) => f.path), ['last.ejs', 'next.ejs']);

    clock = 0;
    const spent = await scan(t.root, t.files, { now: () => (clock += 60), scanTimeoutMs: 100 });
    assert.ok(spent.report.filesNotScanned?.some((f) => f.reason === "the template scan's time limit ran out before this file"));
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------

class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

describe('end to end: ultra-create review on a git repository', () => {
  test('a change adding to an EJS view <%- user.bio %>: in --format json at its line, placed by filter-mode; in SARIF with its rule', async () => {
    const dir = join(scratch, 'repo');
    await mkdir(join(dir, 'views'), { recursive: true });
    const run = (...args: string[]) => git(dir, args);
    await run('init', '-q', '-b', 'main');
    await run('config', 'user.name', 'Test Author');
    await run('config', 'user.email', 'test@example.com');
    await run('config', 'commit.gpgsign', 'false');
    await writeFile(join(dir, 'app.js'), "const express = require('express');\n");
    await writeFile(join(dir, 'views/profile.ejs'), '<%- legacy.note %>\n');
    await run('add', '-A');
    await run('commit', '-q', '-m', 'base');
    await writeFile(join(dir, 'views/profile.ejs'), '<%- legacy.note %>\n<h1><%= user.name %></h1>\n<p class="bio"><%- user.bio %></p>\n');
    await run('add', '-A');
    await run('commit', '-q', '-m', 'profile view');

    const review = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await runCli(['review', '--repo', dir, '--quiet', ...args], { stdout, stderr, cwd: scratch, env: {} });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    const json = await review('--format', 'json');
    assert.equal(json.code, EXIT.ok, json.stderr);
    const report = JSON.parse(json.stdout) as JsonReport;
    assert.deepEqual(
      report.findings.map((f) => [f.path, f.startLine, f.startColumn, f.ruleId, f.severity, f.source, f.placement.kind]),
      [
        // filter-mode added: the new line is commented inline, the unchanged one is not
        ['views/profile.ejs', 1, 1, 'tpl/ejs-unescaped-output', 'medium', 'templates', 'outside-diff'],
        ['views/profile.ejs', 3, 16, 'tpl/ejs-unescaped-output', 'medium', 'templates', 'inline'],
      ],
    );
    const templates = report.scans.find((s) => s.scanner === 'templates');
    assert.deepEqual([templates?.status, templates?.filesScanned, templates?.findings], ['ok', 1, 2]);

    const nofilter = JSON.parse((await review('--format', 'json', '--filter-mode', 'nofilter')).stdout) as JsonReport;
    assert.deepEqual(nofilter.findings.map((f) => f.placement.kind), ['inline', 'inline']);

    const sarif = JSON.parse((await review('--format', 'sarif')).stdout) as {
      runs: { tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[];
    };
    const [sarifRun] = sarif.runs;
    const result = sarifRun?.results.find((r) => r.locations[0]?.physicalLocation.region.startLine === 3);
    assert.equal(result?.ruleId, 'tpl/ejs-unescaped-output');
    assert.equal(result?.locations[0]?.physicalLocation.region.startColumn, 16);
    const rule = sarifRun?.tool.driver.rules.find((r) => r.id === 'tpl/ejs-unescaped-output');
    assert.ok(rule?.properties.tags.includes('security') && rule.properties.tags.includes('CWE-79') && rule.properties.tags.includes('templates'));
  });
});
