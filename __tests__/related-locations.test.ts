import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RecordingLogger } from './support/recording-logger.js';
import { compileSarifSchema } from './support/sarif-schema.js';
import { builtinRulesDir } from '../src/scanners/ast-grep/assets.js';
import { findingFromMatch, relatedFromLabels, runAstGrepScan, type AstGrepMatch } from '../src/scanners/ast-grep/scan.js';
import { assignFingerprints } from '../src/report/fingerprint.js';
import { buildSarif, serializeSarif } from '../src/report/sarif.js';
import { renderText, toJsonReport } from '../src/report/text.js';
import { renderJobSummary, renderReviewBody } from '../src/report/markdown.js';
import { renderInlineComment } from '../src/report/comment.js';
import { toCheckRunAnnotations, toWorkflowCommands } from '../src/report/annotations.js';
import { buildVerificationPrompt } from '../src/models/claude.js';
import { describeRelated } from '../src/text/related.js';
import { redactSecrets } from '../src/text/redact.js';
import { MAX_RELATED_LOCATIONS, type Finding, type PlacedFinding, type ReviewReport } from '../src/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AST_GREP = join(ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');
const PACK = builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep'));

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'related-locations-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let dirs = 0;
async function scanWithPack(files: Record<string, string>): Promise<Finding[]> {
  const workDir = join(scratch, `t${++dirs}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(workDir, path)), { recursive: true });
    await writeFile(join(workDir, path), content);
  }
  const { report } = await runAstGrepScan({
    binary: AST_GREP,
    workDir,
    files: Object.keys(files),
    builtinRulesDir: PACK,
    extraRuleSources: [],
    logger: new RecordingLogger(),
    tempDir: scratch,
  });
  assert.equal(report.status, 'ok', `${report.reason ?? ''} ${report.warnings.join(' ')}`);
  return report.findings;
}

/** The 1-based line of the first line of `source` that contains `text`. */
function lineOf(source: string, text: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `no line with ${text}`);
  return index + 1;
}

function sqlFindings(findings: readonly Finding[], path: string): Finding[] {
  return findings.filter((f) => f.path === path && f.ruleId.includes('sql-injection'));
}

// ---------------------------------------------------------------------------------------------------------------------------------
// The scanner, with the real binary and the real pack
// ---------------------------------------------------------------------------------------------------------------------------------

const JS_ROUTES = `const express = require("express");
const router = express.Router();

router.get("/user", function (req, res) {
  var userId = req.query.id;
  var sql = "SELECT * FROM users WHERE id = '" + userId + "'";
  res.locals.lastQuery = sql;
  connection.query(sql, function (err, rows) {
    res.json(rows);
  });
});

router.post("/login", async (req, res) => {
  const { username } = req.body;
  const query = \`SELECT * FROM users WHERE username = '\${username}'\`;
  const user = await db.get(query);
  res.json(user);
});

router.get("/item", async (req, res) => {
  res.json(await pool.query("SELECT * FROM items WHERE id = " + req.params.id));
});

module.exports = router;
`;

const PY_VIEWS = `from flask import Flask, request
import sqlite3

app = Flask(__name__)

FIND_USER = "SELECT * FROM users WHERE name = '{}'"


@app.route("/user")
def user():
    name = request.args.get("name")
    query = FIND_USER.format(name)
    cur = sqlite3.connect("app.db").cursor()
    cur.execute(query)
    return str(cur.fetchall())


@app.route("/item")
def item():
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT * FROM items WHERE id = '%s'" % request.args["id"])
    return str(cur.fetchall())
`;

const PY_REPORTS = `import pandas as pd


def orders(customer, conn):
    sql = f"SELECT * FROM orders WHERE customer = '{customer}'"
    log.debug(sql)
    return pd.read_sql(sql, conn)
`;

const TSX_HANDLER = `export async function handler(req: Request, res: Response) {
  const status = req.query.status;
  const sql = "SELECT * FROM orders WHERE status = '" + status + "'";
  const rows = await db.all(sql);
  return res.json(rows.map((r: Row) => <li>{r.id}</li>));
}
`;

describe('ast-grep: related locations from rule labels (real binary, built-in pack)', () => {
  test('SQL built in one statement and run in a later one: the build line is the finding, the run line is related', async () => {
    const findings = await scanWithPack({
      'routes/users.js': JS_ROUTES,
      'app/views.py': PY_VIEWS,
      'app/reports.py': PY_REPORTS,
      'web/orders.tsx': TSX_HANDLER,
    });

    const js = sqlFindings(findings, 'routes/users.js');
    const cases: [string, string, string][] = [
      // [finding line, related line] for var and const
      ['var sql = ', 'connection.query(sql', 'js/sql-injection-request-input'],
      ['const query = ', 'await db.get(query)', 'js/sql-injection-request-input'],
    ];
    for (const [built, run, ruleId] of cases) {
      const finding = js.find((f) => f.startLine === lineOf(JS_ROUTES, built));
      assert.ok(finding, `a finding on the line that builds the query (${built}): ${JSON.stringify(js.map((f) => [f.ruleId, f.startLine]))}`);
      assert.equal(finding.ruleId, ruleId);
      assert.deepEqual(finding.related, [
        { path: 'routes/users.js', startLine: lineOf(JS_ROUTES, run), endLine: lineOf(JS_ROUTES, run) + (run.startsWith('connection') ? 2 : 0), message: 'The query runs here.' },
      ]);
      assert.equal(js.filter((f) => f.startLine === lineOf(JS_ROUTES, run)).length, 0, 'the run line is not a finding of its own');
    }
    // built inline in the call: one location, as before
    const inline = js.find((f) => f.startLine === lineOf(JS_ROUTES, 'pool.query('));
    assert.ok(inline, 'the inline query is found');
    assert.equal(inline.related, undefined);

    // Python: SQL text in a module-level constant, .format-ed in the handler and run two statements later
    const py = sqlFindings(findings, 'app/views.py');
    const built = py.find((f) => f.startLine === lineOf(PY_VIEWS, 'query = FIND_USER.format(name)'));
    assert.ok(built, `a finding on the .format line: ${JSON.stringify(py.map((f) => [f.ruleId, f.startLine]))}`);
    assert.equal(built.ruleId, 'py/sql-injection-string-building');
    assert.equal(built.severity, 'critical');
    assert.deepEqual(built.related, [
      { path: 'app/views.py', startLine: lineOf(PY_VIEWS, 'cur.execute(query)'), endLine: lineOf(PY_VIEWS, 'cur.execute(query)'), message: 'The query runs here.' },
    ]);
    const pyInline = py.find((f) => f.startLine === lineOf(PY_VIEWS, 'request.args["id"]'));
    assert.ok(pyInline);
    assert.equal(pyInline.related, undefined);
    assert.equal(py.length, 2, JSON.stringify(py.map((f) => [f.ruleId, f.startLine])));

    // the medium rule for values of unknown origin reports the build line too
    const dynamic = sqlFindings(findings, 'app/reports.py');
    assert.deepEqual(
      dynamic.map((f) => [f.ruleId, f.startLine, f.related?.map((r) => r.startLine)]),
      [['py/sql-injection-string-building-dynamic', lineOf(PY_REPORTS, 'sql = f"'), [lineOf(PY_REPORTS, 'pd.read_sql(')]]],
    );
    // .tsx files run the rule's tsx copy, labels included
    const tsx = sqlFindings(findings, 'web/orders.tsx');
    assert.deepEqual(
      tsx.map((f) => [f.ruleId, f.startLine, f.related?.map((r) => r.startLine)]),
      [['js/sql-injection-request-input', lineOf(TSX_HANDLER, 'const sql ='), [lineOf(TSX_HANDLER, 'db.all(sql)')]]],
    );
    for (const finding of [...js, ...py, ...dynamic, ...tsx]) assert.ok(!finding.message.includes('$'), finding.message);
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// The mapping of labels
// ---------------------------------------------------------------------------------------------------------------------------------

const label = (line: number, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  text: 'db.query(q)',
  range: { byteOffset: { start: 0, end: 1 }, start: { line, column: 2 }, end: { line, column: 13 } },
  style: 'secondary',
  message: 'The query runs here.',
  ...over,
});

describe('relatedFromLabels', () => {
  const primary = { path: 'a.js', startLine: 3, endLine: 4 };

  test('secondary labels with a message become related locations: 1-based lines, in order, repeats dropped, capped', () => {
    const labels = [
      label(9),
      label(6, { message: '  The value\n comes from here.  ' }),
      label(9),
      label(11, { message: 'Third.' }),
      label(12, { message: 'Fourth.' }),
    ];
    const related = relatedFromLabels(labels, primary, (t) => t);
    assert.equal(related.length, MAX_RELATED_LOCATIONS);
    assert.deepEqual(related, [
      { path: 'a.js', startLine: 7, endLine: 7, message: 'The value comes from here.' },
      { path: 'a.js', startLine: 10, endLine: 10, message: 'The query runs here.' },
      { path: 'a.js', startLine: 12, endLine: 12, message: 'Third.' },
    ]);
  });

  test("left out: ast-grep's unlabelled nodes (no message), primary labels, labels on the finding's own lines, malformed ones", () => {
    const labels = [
      label(9, { message: undefined }),
      label(9, { message: '' }),
      label(9, { style: 'primary' }),
      label(2), // line 3: the finding's first line
      label(3), // line 4: its last line
      label(9, { range: { start: { line: -1, column: 0 }, end: { line: 9, column: 1 } } }),
      label(9, { range: null }),
      'nonsense',
      null,
    ];
    assert.deepEqual(relatedFromLabels(labels, primary, (t) => t), []);
    assert.deepEqual(relatedFromLabels(undefined, primary, (t) => t), []);
    assert.deepEqual(relatedFromLabels({ 0: label(9) }, primary, (t) => t), []);
  });

  test('a label ending at column 0 of a later line ends on the line before; messages are redacted and bounded', () => {
    const [related] = relatedFromLabels(
      [label(7, { range: { start: { line: 7, column: 0 }, end: { line: 9, column: 0 } }, message: `key AKIAABCDEFGHIJKLMNOP ${'x'.repeat(500)}` })],
      primary,
      redactSecrets,
    );
    assert.equal(related?.startLine, 8);
    assert.equal(related?.endLine, 9);
    assert.ok(!related?.message.includes('ABCDEFGHIJKLMNOP'), related?.message);
    assert.ok((related?.message.length ?? 0) <= 200);
  });

  test('findingFromMatch fills `related` only when there is one', () => {
    const match: AstGrepMatch = {
      ruleId: 'r',
      message: 'SQL is built here.',
      file: 'src/a.js',
      range: { start: { line: 2, column: 6 }, end: { line: 2, column: 20 } },
      text: 'q = "a" + b',
      lines: '  var q = "a" + b;',
      labels: [label(4), label(2)],
    };
    assert.deepEqual(findingFromMatch(match, 'r', undefined).related, [
      { path: 'src/a.js', startLine: 5, endLine: 5, message: 'The query runs here.' },
    ]);
    assert.equal('related' in findingFromMatch({ ...match, labels: [label(2)] }, 'r', undefined), false);
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Fingerprints and channels
// ---------------------------------------------------------------------------------------------------------------------------------

function sqlFinding(over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'js/sql-injection-request-input',
    source: 'ast-grep',
    severity: 'critical',
    path: 'routes/users.js',
    startLine: 6,
    endLine: 6,
    startColumn: 7,
    endColumn: 62,
    message: 'SQL is built from request data here and run by connection.query().',
    note: 'Pass values as bound parameters. CWE-89',
    evidence: `  var sql = "SELECT * FROM users WHERE id = '" + userId + "'";`,
    fingerprint: '',
    related: [{ path: 'routes/users.js', startLine: 8, endLine: 10, message: 'The query runs here.' }],
    ...over,
  };
}

function reportOf(findings: Finding[], placement: PlacedFinding['placement'] = { kind: 'inline', line: 6, exact: true }): ReviewReport {
  return {
    tool: { name: 'ultra-create', version: '0.1.0', informationUri: 'https://github.com/ultra-create/action' },
    headSha: 'c'.repeat(40),
    filterMode: 'added',
    failOn: 'critical',
    conclusion: 'failure',
    maxComments: 30,
    maxAnnotations: 1000,
    notReviewed: [],
    findings: findings.map((finding) => ({ finding, placement })),
    scans: [{ scanner: 'ast-grep', status: 'ok', findings, durationMs: 10, filesScanned: 1, rulesRun: 80, warnings: [] }],
    rules: [],
    filesReviewed: 1,
    skippedFiles: [],
    resolvedCount: 0,
    notices: [],
  };
}

describe('fingerprints ignore related locations', () => {
  test('the same finding with and without related locations (or with others) has the same fingerprint and line hash', () => {
    const [withRelated] = assignFingerprints([sqlFinding()]);
    const [without] = assignFingerprints([sqlFinding({ related: undefined })]);
    const [moved] = assignFingerprints([sqlFinding({ related: [{ path: 'routes/users.js', startLine: 30, endLine: 30, message: 'Elsewhere.' }] })]);
    assert.ok(withRelated!.fingerprint.length > 0);
    assert.equal(withRelated!.fingerprint, without!.fingerprint);
    assert.equal(withRelated!.fingerprint, moved!.fingerprint);
    const hash = (f: Finding) => buildSarif(reportOf([f])).runs[0]!.results[0]!.partialFingerprints;
    assert.deepEqual(hash(withRelated!), hash(without!));
  });
});

describe('every channel shows the related location and keeps the primary anchor', () => {
  const [finding] = assignFingerprints([sqlFinding()]);
  const report = reportOf([finding!]);

  test('the phrase', () => {
    assert.equal(describeRelated(finding!), 'Related: lines 8-10: The query runs here.');
    assert.equal(
      describeRelated({ path: 'a.js', related: [{ path: 'a.js', startLine: 3, endLine: 3, message: 'One.' }, { path: 'lib/b.js', startLine: 9, endLine: 9, message: 'Two' }] }),
      'Related: line 3: One; lib/b.js:9: Two.',
    );
    assert.equal(describeRelated({ path: 'a.js' }), undefined);
    assert.equal(describeRelated({ path: 'a.js', related: [] }), undefined);
  });

  test('SARIF: relatedLocations with ids, physical locations and messages, linked from the result message; schema-valid', () => {
    const log = buildSarif(report);
    const validate = compileSarifSchema();
    assert.ok(validate(JSON.parse(serializeSarif(log))), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const result = log.runs[0]!.results[0]!;
    assert.deepEqual(result.locations[0]!.physicalLocation.region, { startLine: 6, endLine: 6, startColumn: 7, endColumn: 62 });
    assert.deepEqual(result.relatedLocations, [
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'routes/users.js', uriBaseId: '%SRCROOT%' }, region: { startLine: 8, endLine: 10 } },
        message: { text: 'The query runs here.' },
      },
    ]);
    assert.equal(result.message.text, 'SQL is built from request data here and run by connection.query(). Related: [lines 8-10](1): The query runs here.');
  });

  test('SARIF: link text is escaped, a link-shaped text of the tool is not a link, no related location → no links', () => {
    const odd = sqlFinding({
      message: 'Matched a[0](1) here.',
      related: [{ path: 'lib/[x]\\y.js', startLine: 2, endLine: 2, message: 'See [z](2).' }],
    });
    const log = buildSarif(reportOf(assignFingerprints([odd])));
    const validate = compileSarifSchema();
    assert.ok(validate(JSON.parse(serializeSarif(log))));
    const result = log.runs[0]!.results[0]!;
    assert.equal(result.message.text, 'Matched a[0] (1) here. Related: [lib/\\[x\\]\\\\y.js:2](1): See [z] (2).');
    assert.equal(result.relatedLocations?.[0]?.physicalLocation.artifactLocation.uri, 'lib/%5Bx%5D%5Cy.js');
    const many = Array.from({ length: 5 }, (_, i) => ({ path: 'routes/users.js', startLine: 20 + i, endLine: 20 + i, message: `Place ${i}.` }));
    const capped = buildSarif(reportOf(assignFingerprints([sqlFinding({ related: many })]))).runs[0]!.results[0]!;
    assert.deepEqual(capped.relatedLocations?.map((r) => r.id), [1, 2, 3]);
    assert.equal(describeRelated({ path: 'routes/users.js', related: many }), 'Related: line 20: Place 0; line 21: Place 1; line 22: Place 2.');
    const plain = buildSarif(reportOf(assignFingerprints([sqlFinding({ related: undefined })]))).runs[0]!.results[0]!;
    assert.equal(plain.relatedLocations, undefined);
    assert.equal(plain.message.text, 'SQL is built from request data here and run by connection.query().');
  });

  test('review comment: on the primary line (the placement is unchanged), with the phrase; the marker stays last', () => {
    const body = renderInlineComment(finding!, undefined, { exact: true, suggestionAllowed: true });
    assert.match(body, /Related: lines 8-10: The query runs here\./);
    assert.match(body.split('\n').at(-1)!, /^<!-- ultra-create:fp=/);
    assert.equal(report.findings[0]!.placement.kind === 'inline' && report.findings[0]!.placement.line, 6);
  });

  test('check-run annotations and workflow commands stay on the primary lines and carry the phrase', () => {
    const [annotation] = toCheckRunAnnotations(report);
    assert.equal(annotation!.start_line, 6);
    assert.equal(annotation!.end_line, 6);
    assert.match(annotation!.message, /Related: lines 8-10: The query runs here\./);
    const [command] = toWorkflowCommands(report);
    assert.match(command!, /^::error file=routes\/users\.js,line=6,endLine=6,/);
    assert.match(command!, /Related: lines 8-10: The query runs here\./);
  });

  test('job summary and review body tables: the location cell is the primary line, the message cell has the phrase', () => {
    const summary = renderJobSummary(report);
    const row = summary.split('\n').find((line) => line.includes('routes/users.js'));
    assert.ok(row, summary);
    assert.match(row, /`routes\/users\.js:6`/);
    assert.match(row, /Related: lines 8-10: The query runs here\./);
    const overflow = renderReviewBody(reportOf([finding!], { kind: 'overflow' }), { runKey: 'k' });
    assert.match(overflow, /Related: lines 8-10: The query runs here\./);
  });

  test('CLI text and json', () => {
    const text = renderText(report, { color: false });
    const lines = text.split('\n');
    const at = lines.findIndex((line) => line.startsWith('routes/users.js:6:7  critical  js/sql-injection-request-input'));
    assert.ok(at >= 0, text);
    assert.equal(lines[at + 1], '    Related: lines 8-10: The query runs here.');
    const json = toJsonReport(report);
    assert.equal(json.findings[0]!.startLine, 6);
    assert.deepEqual(json.findings[0]!.related, finding!.related);
  });

  test("Claude's prompt names the related location as data, inside the finding's fence", () => {
    const prompt = buildVerificationPrompt(
      [{ path: finding!.path, view: { code: '', kind: 'none', ranges: [] }, items: [{ id: 'F1', finding: finding!, position: 'added' }] }],
      [],
      'DELIM',
    );
    const fenced = prompt.user.slice(prompt.user.indexOf('Finding F1'));
    assert.match(fenced, /related locations: Related: lines 8-10: The query runs here\./);
    assert.match(fenced, /lines: 6 \(/);
  });
});
