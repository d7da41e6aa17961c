import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argumentPosition, importedModules, isSpecificName, joinCrossFile, listItems, parameterPosition } from '../src/scanners/ast-grep/cross-file.js';
import type { Finding } from '../src/types.js';
import { runAstGrepScan } from '../src/scanners/ast-grep/scan.js';
import { RecordingLogger } from './support/recording-logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AST_GREP = join(ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');

describe('reading parameter and argument lists', () => {
  test('top-level items, with brackets, strings and template literals kept whole', () => {
    assert.deepEqual(listItems('(a, b = f(1, 2), { c, d }, `x,${y}`, "p,q", ...rest)'), ['a', 'b = f(1, 2)', '{ c, d }', '`x,${y}`', '"p,q"', '...rest']);
    assert.deepEqual(listItems('()'), []);
  });

  test('a parameter position: defaults, rest and type annotations are read; destructured names are not', () => {
    assert.equal(parameterPosition('(userId, threshold, callback)', 'threshold'), 1);
    assert.equal(parameterPosition('(a = 1, b: string, ...c)', 'b'), 1);
    assert.equal(parameterPosition('(a = 1, b: string, ...c)', 'c'), 2);
    assert.equal(parameterPosition('({ name }, b)', 'name'), undefined);
  });

  test('an argument position from its byte offset in the list (multi-byte text before it counts in bytes)', () => {
    const args = '(req.session.userId, req.query.threshold, cb)';
    assert.equal(argumentPosition(args, args.indexOf('req.query')), 1);
    assert.equal(argumentPosition(args, 1), 0);
    const wide = '("é, ü", req.query.q)';
    assert.equal(argumentPosition(wide, Buffer.byteLength(wide.slice(0, wide.indexOf('req')))), 1);
  });

  test('names too common to join by name are refused', () => {
    assert.equal(isSpecificName('getByUserIdAndThreshold'), true);
    assert.equal(isSpecificName('find'), false);
    assert.equal(isSpecificName('get'), false);
    assert.equal(isSpecificName('run'), false);
  });
});

describe('joinCrossFile', () => {
  const sinkAt = (path: string, line: number, fn: string, position: number) => ({
    fn,
    position,
    finding: { ruleId: 'js/sql-injection-request-input', source: 'ast-grep', severity: 'critical', path, startLine: line, endLine: line, message: 'SQL from request data.', fingerprint: '' } as Finding,
  });
  const callAt = (file: string, line: number, callee: string, position: number) => ({ file, callee, position, line, column: 1, endLine: line, endColumn: 10 });

  test('relative imports by file name, with or without extension, index files by their folder', () => {
    assert.deepEqual(
      [...importedModules("const a = require('../data/accounts-dao');\nimport b from './lib/util.js';\nimport c from 'express';\nconst d = await import('./svc/')")].sort(),
      ['accounts-dao', 'svc', 'util', 'util.js'],
    );
  });

  test('thousands of sinks and calls: one finding per sink, its first calls related, the same-file and already reported ones left out', () => {
    const sinks = Array.from({ length: 2000 }, (_, i) => sinkAt('data/accounts-dao.js', i + 1, 'findAccount', 0));
    const calls = Array.from({ length: 2000 }, (_, i) => callAt('routes/account.js', i + 1, 'findAccount', 0));
    calls.push(callAt('data/accounts-dao.js', 1, 'findAccount', 0), callAt('routes/other.js', 1, 'findAccount', 1));
    const reported = [sinks[0]!.finding];
    const text = (file: string): string | undefined => (file === 'routes/account.js' ? "const dao = require('../data/accounts-dao');" : "require('../data/accounts-dao')");
    const findings = joinCrossFile(sinks, calls, text, reported, 3);
    assert.equal(findings.length, 1999);
    assert.ok(findings.every((f) => f.related?.length === 3 && f.related.every((r) => r.path === 'routes/account.js')));
    assert.match(findings[0]!.message, /request data from routes\/account\.js:1, through findAccount\(\)/);
  });
});

describe('flows across files, with the built-in pack', () => {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'cross-file-test-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  let count = 0;
  async function scan(files: Record<string, string>) {
    const workDir = join(scratch, `t${++count}`);
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(workDir, path)), { recursive: true });
      await writeFile(join(workDir, path), text);
    }
    const result = await runAstGrepScan({
      binary: AST_GREP,
      workDir,
      files: Object.keys(files),
      builtinRulesDir: join(ROOT, 'rules'),
      extraRuleSources: [],
      logger: new RecordingLogger(),
      tempDir: scratch,
    });
    assert.equal(result.report.status, 'ok', result.report.reason);
    return result.report.findings;
  }

  const DAO = `const db = require('./db');
function findAccount(name) {
  return db.query("SELECT * FROM accounts WHERE name = '" + name + "'");
}
module.exports = { findAccount };
`;
  const ROUTE = `const { findAccount } = require('../data/accounts-dao');
app.get('/account', async (req, res) => {
  res.json(await findAccount(req.query.name));
});
`;

  test('a DAO function whose caller in another file passes request data: the critical rule at the sink, the call related', async () => {
    const findings = await scan({ 'data/accounts-dao.js': DAO, 'routes/account.js': ROUTE });
    const sql = findings.filter((f) => f.path === 'data/accounts-dao.js');
    assert.deepEqual(sql.map((f) => [f.ruleId, f.startLine, f.severity]), [['js/sql-injection-request-input', 3, 'critical']]);
    assert.deepEqual(sql[0]!.related?.map((r) => [r.path, r.startLine]), [['routes/account.js', 3]]);
    assert.match(sql[0]!.message, /routes\/account\.js:3, through findAccount\(\)/);
    // The unknown-origin rule's finding on that line says the same, less well: it is not reported beside it.
    assert.ok(!findings.some((f) => f.ruleId === 'js/sql-injection-string-building'));
    // Neither a parameter copy nor the probe is a finding or a rule of the report.
    assert.ok(findings.every((f) => !f.ruleId.includes('@') && f.ruleId !== 'js/request-argument-probe'));
  });

  test('without the import, at another position, or without request data: the unknown-origin finding only', async () => {
    const cases: Record<string, string>[] = [
      { 'data/accounts-dao.js': DAO, 'routes/account.js': ROUTE.replace("require('../data/accounts-dao')", "require('../lib/other')") },
      { 'data/accounts-dao.js': DAO, 'routes/account.js': ROUTE.replace('findAccount(req.query.name)', 'findAccount("admin", req.query.name)') },
      { 'data/accounts-dao.js': DAO, 'routes/account.js': ROUTE.replace('findAccount(req.query.name)', 'findAccount(process.env.ADMIN)') },
    ];
    for (const files of cases) {
      const findings = await scan(files);
      assert.deepEqual(
        findings.filter((f) => f.path === 'data/accounts-dao.js').map((f) => f.ruleId),
        ['js/sql-injection-string-building'],
        JSON.stringify(files['routes/account.js']),
      );
    }
  });

  test('a call from a test file (a fake request) is no flow of the application', async () => {
    const findings = await scan({ 'data/accounts-dao.js': DAO, 'test/account.test.js': ROUTE });
    assert.deepEqual(findings.filter((f) => f.path === 'data/accounts-dao.js').map((f) => f.ruleId), ['js/sql-injection-string-building']);
  });

  test('a function name too common to join (get) is not followed', async () => {
    const findings = await scan({
      'data/files.js': "const fs = require('fs');\nexports.get = function (name) {\n  return fs.readFileSync('/data/' + name);\n};\n",
      'routes/files.js': "const files = require('../data/files');\napp.get('/f', (req, res) => res.send(files.get(req.query.name)));\n",
    });
    assert.ok(!findings.some((f) => f.path === 'data/files.js' && f.ruleId === 'js/path-traversal-request-param'));
  });
});
