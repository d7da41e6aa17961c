import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CallArguments,
  chainCalls,
  type Forwarding,
  importedModules,
  isSpecificName,
  joinCrossFile,
  definedFunctionNames,
  forwardFileCandidates,
  listItems,
  moduleNameOf,
  parameterPosition,
  pythonParameterSlot,
  type RequestCall,
  sinkFileCandidates,
} from '../src/scanners/ast-grep/cross-file.js';
import type { Finding } from '../src/types.js';
import { runAstGrepScan } from '../src/scanners/ast-grep/scan.js';
import { paramCopyOf, parseBuiltinRules, prepareBuiltinConfig } from '../src/scanners/ast-grep/rules.js';
import { RecordingLogger } from './support/recording-logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AST_GREP = join(ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');

/** Scans a tree of `files` (written to a scratch folder of the suite) with the built-in pack; the scan must be ok. */
function packScanner(prefix: string): (files: Record<string, string>) => Promise<Finding[]> {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), prefix));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });
  let count = 0;
  return async (files) => {
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
  };
}

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

  /** CallArguments over `text`'s bytes, asked about the argument starting at `arg` in the call of the callee ending before `callee`. */
  const positionIn = (text: string, callee: string, arg: string, from = 0): number | undefined => {
    const bytes = Buffer.from(text);
    const calleeEnd = bytes.indexOf(callee, Buffer.byteLength(text.slice(0, from))) + Buffer.byteLength(callee);
    return new CallArguments(bytes.toString('latin1')).position(calleeEnd, bytes.indexOf(arg, calleeEnd));
  };

  test('an argument position from its byte offset in the file (multi-byte text before it counts in bytes)', () => {
    assert.equal(positionIn('dao.getAllocations(req.session.userId, req.query.threshold, cb)', 'getAllocations', 'req.query'), 1);
    assert.equal(positionIn('dao.getAllocations(req.session.userId, req.query.threshold, cb)', 'getAllocations', 'req.session'), 0);
    assert.equal(positionIn('const s = "ü"; find("é, ü", [a, b], {c, d}, `${x, y}`, req.query.q)', 'find', 'req.query'), 4);
    // between the name and the list: spaces, a comment, type arguments, an optional call
    assert.equal(positionIn('find /* c */ <Map<string, number>>(a, req.body.b)', 'find', 'req.body'), 1);
    assert.equal(positionIn('obj.find?.(a, b, req.body.c)', 'find', 'req.body'), 2);
    // Python: keyword arguments before count as arguments, a string holding a comma does not
    assert.equal(positionIn("db.find_user('a,b', name=x, request.args['q'])", 'find_user', 'request.args'), 2);
    // not an argument of that call: past its closing parenthesis, before its list, or no list after the name
    assert.equal(positionIn('find(a)(req.query.q)', 'find', 'req.query'), undefined);
    assert.equal(positionIn('find = req.query.q', 'find', 'req.query'), undefined);
  });

  test('argument positions of a call of 10,000 arguments, asked for each, read the list once (linear)', () => {
    const count = 10_000;
    const text = `helper(${Array.from({ length: count }, (_, i) => `req.query.a${i}`).join(',\n  ')});`;
    const calls = new CallArguments(text);
    const calleeEnd = 'helper'.length;
    let at = calleeEnd;
    for (let i = 0; i < count; i++) {
      at = text.indexOf('req.query', at + 1);
      assert.equal(calls.position(calleeEnd, at), i);
    }
    // and asked again out of order, from what was read
    assert.equal(calls.position(calleeEnd, text.indexOf('req.query.a17,')), 17);
    // each character of the list read once (read again per argument, the list cost 13 s)
    assert.ok(calls.charactersRead <= text.length, `${calls.charactersRead} characters read for a text of ${text.length}`);
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

describe('chains of calls: chainCalls and joinCrossFile', () => {
  const call = (file: string, line: number, callee: string, position: number, extra: Partial<RequestCall> = {}): RequestCall => ({
    file,
    callee,
    position,
    line,
    column: 3,
    endLine: line,
    endColumn: 20,
    ...extra,
  });
  /** In `file`, `fn`'s parameter `param` (at `at`) is passed on as argument `position` of `callee` on `line`. */
  const forward = (file: string, fn: string, param: string, at: number, line: number, callee: string, position: number, extra: Partial<RequestCall> = {}): Forwarding => ({
    file,
    fn,
    param,
    position: at,
    call: call(file, line, callee, position, extra),
  });
  const sink = (path: string, line: number, fn: string, position: number, ruleId = 'js/path-traversal-request-param') => ({
    fn,
    position,
    finding: { ruleId, source: 'ast-grep', severity: 'high', path, startLine: line, endLine: line, message: 'A file path built from request input is opened.', fingerprint: '' } as Finding,
  });
  // route → controller → service → model, each importing the next
  const texts: Record<string, string> = {
    'routes/files.js': "const files = require('../controllers/files');\n",
    'controllers/files.js': "const uploads = require('../services/uploads');\nconst storage = require('../models/storage');\n",
    'services/uploads.js': "const storage = require('../models/storage');\n",
    'models/storage.js': "const fs = require('fs');\n",
    'lib/unrelated.js': "const storage = require('../models/storage');\n",
    'app/views.py': 'from app import service\n',
    'app/service.py': 'from app import storage\n',
    'app/storage.py': 'import os\n',
  };
  const textOf = (file: string) => texts[file];
  const REQUEST = call('routes/files.js', 3, 'files.downloadAttachment', 0);
  const CONTROLLER = forward('controllers/files.js', 'downloadAttachment', 'name', 0, 4, 'uploads.resolveUpload', 1);
  const SERVICE = forward('services/uploads.js', 'resolveUpload', 'rel', 1, 3, 'storage.readStoredFile', 0);
  const join = (sinks: ReturnType<typeof sink>[], calls: RequestCall[], forwards: Forwarding[]) =>
    joinCrossFile(sinks, [...calls, ...chainCalls(calls, forwards, textOf)], textOf, [], 3);

  test('a chain of 2 calls across 3 files: the sink reported, the request call and the call passing the parameter on related', () => {
    const toModel = forward('controllers/files.js', 'downloadAttachment', 'name', 0, 5, 'storage.readStoredFile', 0);
    const findings = join([sink('models/storage.js', 3, 'readStoredFile', 0)], [REQUEST], [toModel]);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.related?.map((r) => [r.path, r.startLine, r.message]), [
      ['routes/files.js', 3, 'Request data is passed here to downloadAttachment() as argument 1.'],
      ['controllers/files.js', 5, "The parameter 'name' of downloadAttachment() is passed on here to readStoredFile() as argument 1."],
    ]);
    assert.match(findings[0]!.message, /\(request data from routes\/files\.js:3, through downloadAttachment\(\) in controllers\/files\.js, then readStoredFile\(\)\)$/);
  });

  test('a chain of 3 calls across 4 files, positions agreeing at each hop; no fourth call', () => {
    const findings = join([sink('models/storage.js', 3, 'readStoredFile', 0)], [REQUEST], [CONTROLLER, SERVICE]);
    assert.deepEqual(findings[0]?.related?.map((r) => r.path), ['routes/files.js', 'controllers/files.js', 'services/uploads.js']);
    assert.match(findings[0]?.message ?? '', /through downloadAttachment\(\) in controllers\/files\.js, then resolveUpload\(\) in services\/uploads\.js, then readStoredFile\(\)/);
    // one more hop (the model passes it on to a fourth function) is past the bound
    const MODEL = forward('models/storage.js', 'readStoredFile', 'filePath', 0, 3, 'openStoredBlob', 0);
    assert.deepEqual(join([sink('models/storage.js', 9, 'openStoredBlob', 0)], [REQUEST], [CONTROLLER, SERVICE, MODEL]), []);
    assert.equal(chainCalls([REQUEST], [CONTROLLER, SERVICE, MODEL], textOf, 4).length, 3);
  });

  test('broken chains: another position, a generic name, a module not imported, another language', () => {
    const at = (forwards: Forwarding[], calls = [REQUEST]) => join([sink('models/storage.js', 3, 'readStoredFile', 0)], calls, forwards);
    // the service passes on its first parameter, the controller fills the second
    assert.deepEqual(at([CONTROLLER, { ...SERVICE, position: 0 }]), []);
    // a name too common to join by (`get`), at the first or at the second hop
    assert.deepEqual(at([CONTROLLER, { ...SERVICE, fn: 'get' }], [REQUEST]), []);
    assert.deepEqual(at([{ ...CONTROLLER, fn: 'load' }, SERVICE], [{ ...REQUEST, callee: 'files.load' }]), []);
    // lib/unrelated.js defines resolveUpload too, but the controller does not import it
    assert.deepEqual(at([CONTROLLER, { ...SERVICE, file: 'lib/unrelated.js', call: { ...SERVICE.call, file: 'lib/unrelated.js' } }]), []);
    // a Python view's call does not reach a JavaScript controller of the same name
    assert.deepEqual(at([CONTROLLER, SERVICE], [{ ...REQUEST, file: 'app/views.py' }]), []);
  });

  test('a cycle f → g → f ends, each call passing a parameter on taken once', () => {
    texts['lib/walk-a.js'] = "const b = require('./walk-b');\n";
    texts['lib/walk-b.js'] = "const a = require('./walk-a');\n";
    const start = call('routes/files.js', 3, 'walkTree', 0);
    texts['routes/files.js'] = `${texts['routes/files.js'] ?? ''}const a = require('../lib/walk-a');\n`;
    const f = forward('lib/walk-a.js', 'walkTree', 'p', 0, 2, 'b.walkNode', 0);
    const g = forward('lib/walk-b.js', 'walkNode', 'p', 0, 2, 'a.walkTree', 0);
    const chained = chainCalls([start], [f, g], textOf, 50);
    assert.deepEqual(chained.map((c) => `${c.file}:${c.callee}`), ['lib/walk-a.js:b.walkNode', 'lib/walk-b.js:a.walkTree']);
  });

  test('the middle call in the route file: a helper of the route passes the value on to another file', () => {
    const viaHelper = forward('routes/files.js', 'sendAttachment', 'name', 1, 2, 'storage.readStoredFile', 0);
    texts['routes/files.js'] = `${texts['routes/files.js'] ?? ''}const storage = require('../models/storage');\n`;
    const findings = join([sink('models/storage.js', 3, 'readStoredFile', 0)], [call('routes/files.js', 6, 'sendAttachment', 1)], [viaHelper]);
    assert.deepEqual(findings[0]?.related?.map((r) => [r.path, r.startLine]), [['routes/files.js', 6], ['routes/files.js', 2]]);
    // a chain that never leaves one file is the in-file rules' (not the join's)
    const inFile = forward('models/storage.js', 'storeUpload', 'name', 0, 2, 'readStoredFile', 0);
    assert.deepEqual(join([sink('models/storage.js', 3, 'readStoredFile', 0)], [call('models/storage.js', 9, 'storeUpload', 0)], [inFile]), []);
  });

  test('Python: a keyword argument reaches a parameter passed on by keyword', () => {
    const view = call('app/views.py', 6, 'service.render_report', -1, { keyword: 'name' });
    const service: Forwarding = { file: 'app/service.py', fn: 'render_report', param: 'name', position: 0, keyword: 'name', call: call('app/service.py', 5, 'storage.load_report_file', -1, { keyword: 'path' }) };
    const pySink = { fn: 'load_report_file', position: 0, keyword: 'path', finding: { ...sink('app/storage.py', 2, 'load_report_file', 0).finding, ruleId: 'py/path-traversal-request-data' } };
    const findings = joinCrossFile([pySink], [view, ...chainCalls([view], [service], textOf)], textOf, [], 3);
    assert.deepEqual(findings[0]?.related?.map((r) => r.message), [
      'Request data is passed here to render_report() as name=.',
      "The parameter 'name' of render_report() is passed on here to load_report_file() as path=.",
    ]);
  });

  test('a path check of the argument in the caller (or on the way) clears a path-traversal sink, not an SQL one', () => {
    const guarded = { ...REQUEST, guards: ['path'] as const };
    const toModel = forward('controllers/files.js', 'downloadAttachment', 'name', 0, 5, 'storage.readStoredFile', 0);
    const pathSink = sink('models/storage.js', 3, 'readStoredFile', 0);
    const sqlSink = sink('models/storage.js', 8, 'readStoredFile', 0, 'js/sql-injection-request-input');
    assert.deepEqual(join([pathSink, sqlSink], [guarded], [toModel]).map((f) => f.ruleId), ['js/sql-injection-request-input']);
    // the check in the controller, before it passes the value on
    const checkedOnTheWay = { ...toModel, call: { ...toModel.call, guards: ['path'] as const } };
    assert.deepEqual(join([pathSink, sqlSink], [REQUEST], [checkedOnTheWay]).map((f) => f.ruleId), ['js/sql-injection-request-input']);
    // one call of the helper is checked, another is not: the unchecked one is the flow
    const unchecked = { ...REQUEST, line: 9 };
    const findings = join([pathSink], [guarded, unchecked], [toModel]);
    assert.deepEqual(findings.map((f) => f.related?.[0]?.startLine), [9]);
    // a direct call (one hop) too
    assert.deepEqual(joinCrossFile([sink('controllers/files.js', 2, 'downloadAttachment', 0)], [guarded], textOf, [], 3), []);
  });

  test('the files the forwarding probes run on: a caller or a module it imports that defines a called name', () => {
    const defined = (text: string, python = false) => [...definedFunctionNames(text, python)].filter((n) => n !== 'if').sort();
    assert.deepEqual(defined('async function sendAttachment(res, name) {}\nconst readIt = async (p) => p;\nexports.openIt = function (p) {};\nconst x = { pickIt: function (p) {} };\nclass A {\n  static async loadIt(a, b) {\n  }\n}\nconst f = p => p;\n'), ['f', 'loadIt', 'openIt', 'pickIt', 'readIt', 'sendAttachment']);
    assert.deepEqual(defined('await sendAttachment(res, req.query.name);\nx.y(z);\n'), []);
    assert.deepEqual(defined('function* gen(a) {}\nfunction * spaced(a) {}\n'), ['gen', 'spaced']);
    // crafted files read in one pass (each of these took minutes to hours when a name could start anywhere, two `\s*` could
    // split the same spaces, or a method's modifiers could run over lines): a 2 MB name, spaces after `function`, `static` lines
    assert.deepEqual(defined(`${'a'.repeat(2_000_000)} = function () {};\n`), ['a'.repeat(2_000_000)]);
    // (read as a method named function: the names are a gate, not a parse)
    assert.deepEqual(defined(`function${' '.repeat(1_000_000)}(x) {}\n`), ['function']);
    assert.deepEqual(defined('static\n'.repeat(200_000)), []);
    assert.deepEqual(defined('class V:\n    async def render_report(self, name):\n        pass\ndef other(x):\n    return render(x)\n', true), ['other', 'render_report']);
    const files: Record<string, string> = {
      'routes/a.js': "const s = require('../models/storage');\nfunction sendAttachment(res, n) { s.readStoredFile(n); }\n",
      'routes/b.js': "const s = require('../models/storage');\nsendAttachment(res, req.query.n);\n",
      'models/storage.js': 'exports.readStoredFile = function (p) {};\n',
      'models/other.js': 'exports.readStoredFile = function (p) {};\n',
      'lib/storage.py': 'def readStoredFile(p):\n    pass\n',
    };
    const calls = [call('routes/a.js', 5, 'sendAttachment', 1), call('routes/b.js', 2, 'sendAttachment', 1), call('routes/b.js', 3, 's.readStoredFile', 0)];
    // the route that defines its helper, the imported module that defines the called name (not another module, not Python)
    assert.deepEqual(forwardFileCandidates(calls, Object.keys(files), (f) => files[f]), ['routes/a.js', 'models/storage.js']);
    assert.deepEqual(forwardFileCandidates([call('routes/b.js', 2, 'load', 0)], Object.keys(files), (f) => files[f]), []);
  });

});

describe('sinkFileCandidates: the files the parameter copies run on', () => {
  const call = (file: string, callee: string) => ({ file, callee, position: 0, line: 1, column: 1, endLine: 1, endColumn: 2 });
  const texts: Record<string, string> = {
    'routes/account.js': "const dao = require('../data/accounts-dao');\nconst { render } = require('./views');\n",
    'data/accounts-dao.js': 'function findAccount(name) { return db.query(name); }\n',
    'data/users-dao.js': 'function findAccount(name) { return db.query(name); }\n',
    'routes/views.js': 'function render(x) {}\n',
    'app/views.py': 'from app import dao\nfrom app.util import slugify\n',
    'app/dao.py': 'def find_user(name):\n    return cur.execute(name)\n',
    'app/util.py': 'def other(x):\n    return x\n',
    'app/dao.js': 'function find_user(name) {}\n',
  };
  const textOf = (file: string) => texts[file];
  const files = Object.keys(texts);

  test("an imported module's file that holds a called name, in the caller's language; nothing without a call", () => {
    assert.deepEqual(sinkFileCandidates([call('routes/account.js', 'dao.findAccount')], files, textOf), ['data/accounts-dao.js']);
    assert.deepEqual(sinkFileCandidates([call('app/views.py', 'dao.find_user')], files, textOf), ['app/dao.py']);
    // a generic name says nothing (`render`), the imported util holds no called name, and no call means no file
    assert.deepEqual(sinkFileCandidates([call('routes/account.js', 'render'), call('app/views.py', 'slugify')], files, textOf), []);
    assert.deepEqual(sinkFileCandidates([], files, textOf), []);
  });
});

describe('flows across files, with the built-in pack', () => {
  const scan = packScanner('cross-file-test-');

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

  test('a NestJS controller passing a decorated request parameter to its service: critical at the service, not for a parsed number', async () => {
    const service = `import { Injectable } from '@nestjs/common';
@Injectable()
export class UsersService {
  searchByName(name: string) {
    return this.dataSource.query(\`SELECT * FROM users WHERE name LIKE '%\${name}%'\`);
  }
}
`;
    const controller = (parameter: string) => `import { UsersService } from './users.service';
@Controller('users')
export class UsersController {
  @Get('search')
  search(${parameter}) {
    return this.usersService.searchByName(name);
  }
}
`;
    const flows = await scan({ 'src/users/users.service.ts': service, 'src/users/users.controller.ts': controller("@Query('name') name: string") });
    const sql = flows.filter((f) => f.path === 'src/users/users.service.ts');
    assert.deepEqual(sql.map((f) => [f.ruleId, f.startLine, f.severity]), [['js/sql-injection-request-input', 5, 'critical']]);
    assert.deepEqual(sql[0]!.related?.map((r) => [r.path, r.startLine]), [['src/users/users.controller.ts', 6]]);
    const parsed = await scan({ 'src/users/users.service.ts': service, 'src/users/users.controller.ts': controller("@Query('name', ParseIntPipe) name: number") });
    assert.deepEqual(parsed.filter((f) => f.path === 'src/users/users.service.ts').map((f) => f.ruleId), ['js/sql-injection-string-building']);
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

describe('chains of calls across files, with the built-in pack', () => {
  const scan = packScanner('cross-file-chain-test-');
  const pathAt = (findings: Finding[], path: string) => findings.filter((f) => f.path === path && f.severity !== 'medium').map((f) => [f.ruleId, f.startLine]);

  // route → controller → model: the route passes a query parameter, the controller passes it on, the model opens it
  const JS_APP: Record<string, string> = {
    'routes/files.js': `const files = require('../controllers/files');
router.get('/download', async (req, res) => {
  res.send(await files.downloadAttachment(req.query.name));
});
`,
    'controllers/files.js': `const storage = require('../models/storage');
exports.downloadAttachment = async function (name) {
  const full = '/uploads/' + name;
  return storage.readStoredFile(full);
};
`,
    'models/storage.js': `const fs = require('fs');
function readStoredFile(filePath) {
  return fs.readFileSync(filePath);
}
module.exports = { readStoredFile };
`,
  };
  const PY_APP: Record<string, string> = {
    'app/views.py': `from flask import Flask, request

from app import service

app = Flask(__name__)


@app.route("/reports")
def report():
    return service.render_report(request.args["name"])
`,
    'app/service.py': `from app import storage


def render_report(name):
    path = "/reports/" + name
    return storage.load_report_file(path)
`,
    'app/storage.py': `def load_report_file(path):
    with open(path) as f:
        return f.read()
`,
  };
  const edit = (app: Record<string, string>, file: string, from: string, to: string): Record<string, string> => {
    assert.ok(app[file]!.includes(from), from);
    return { ...app, [file]: app[file]!.replace(from, to) };
  };

  test('JavaScript, route → controller → model: the path rule at the sink, both calls related, the path in the message', async () => {
    const findings = await scan(JS_APP);
    const sink = findings.filter((f) => f.path === 'models/storage.js');
    assert.deepEqual(sink.map((f) => [f.ruleId, f.startLine, f.severity]), [['js/path-traversal-request-param', 3, 'high']]);
    assert.deepEqual(sink[0]!.related?.map((r) => [r.path, r.startLine]), [['routes/files.js', 3], ['controllers/files.js', 4]]);
    assert.match(sink[0]!.message, /request data from routes\/files\.js:3, through downloadAttachment\(\) in controllers\/files\.js, then readStoredFile\(\)/);
    assert.ok(findings.every((f) => !f.ruleId.includes('@') && !f.ruleId.endsWith('-probe')));
  });

  test('JavaScript: three calls (a service between), and the middle call in the route file', async () => {
    const viaService = {
      ...edit(JS_APP, 'controllers/files.js', "require('../models/storage')", "require('../services/uploads')"),
      'controllers/files.js': JS_APP['controllers/files.js']!.replace("require('../models/storage')", "require('../services/uploads')").replace('storage.readStoredFile(full)', 'storage.resolveUpload(full)'),
      'services/uploads.js': "const storage = require('../models/storage');\nasync function resolveUpload(rel) {\n  return storage.readStoredFile(rel);\n}\nmodule.exports = { resolveUpload };\n",
    };
    const three = await scan(viaService);
    assert.deepEqual(pathAt(three, 'models/storage.js'), [['js/path-traversal-request-param', 3]]);
    assert.deepEqual(three.find((f) => f.path === 'models/storage.js')?.related?.map((r) => r.path), ['routes/files.js', 'controllers/files.js', 'services/uploads.js']);
    const inRoute = await scan({
      'routes/files.js': `const storage = require('../models/storage');
async function sendAttachment(res, name) {
  res.send(await storage.readStoredFile('/uploads/' + name));
}
router.get('/download', async (req, res) => {
  await sendAttachment(res, req.query.name);
});
`,
      'models/storage.js': JS_APP['models/storage.js']!,
    });
    assert.deepEqual(pathAt(inRoute, 'models/storage.js'), [['js/path-traversal-request-param', 3]]);
  });

  test('JavaScript broken chains: a sanitized value passed on, a module not imported, a generic name', async () => {
    const cases = [
      edit(JS_APP, 'controllers/files.js', 'storage.readStoredFile(full)', 'storage.readStoredFile(path.basename(full))'),
      edit(JS_APP, 'controllers/files.js', "const full = '/uploads/' + name;", "const full = Number(name);"),
      edit(JS_APP, 'controllers/files.js', "require('../models/storage')", "require('../models/other')"),
      edit(JS_APP, 'routes/files.js', "require('../controllers/files')", "require('../controllers/other')"),
      { ...JS_APP, 'controllers/files.js': JS_APP['controllers/files.js']!.replace('downloadAttachment', 'load'), 'routes/files.js': JS_APP['routes/files.js']!.replace('downloadAttachment', 'load') },
    ];
    for (const files of cases) assert.deepEqual(pathAt(await scan(files), 'models/storage.js'), [], JSON.stringify(files));
  });

  test('a path check in the route before the call clears the path sink, not an SQL sink on the same chain', async () => {
    const guarded = edit(
      JS_APP,
      'routes/files.js',
      '  res.send(await files.downloadAttachment(req.query.name));',
      "  const p = path.join(root, req.query.name);\n  if (!isPathInside(p, root)) return res.status(403).end();\n  res.send(await files.downloadAttachment(p));",
    );
    assert.deepEqual(pathAt(await scan(guarded), 'models/storage.js'), []);
    // startsWith after normalize, includes('..') with a throw
    for (const check of ["const p = path.normalize(path.join(root, req.query.name));\n  if (!p.startsWith(root)) {\n    throw new Error('outside');\n  }", "const p = req.query.name;\n  if (p.includes('..')) return next();"]) {
      const files = edit(JS_APP, 'routes/files.js', '  res.send(await files.downloadAttachment(req.query.name));', `  ${check}\n  res.send(await files.downloadAttachment(p));`);
      assert.deepEqual(pathAt(await scan(files), 'models/storage.js'), [], check);
    }
    // a check of another value does not count
    const other = edit(JS_APP, 'routes/files.js', '  res.send(await files.downloadAttachment(req.query.name));', "  const p = req.query.name;\n  if (!isPathInside(q, root)) return;\n  res.send(await files.downloadAttachment(p));");
    assert.deepEqual(pathAt(await scan(other), 'models/storage.js'), [['js/path-traversal-request-param', 3]]);
    // the same check does not clear SQL built from the value
    const sql = {
      ...guarded,
      'controllers/files.js': guarded['controllers/files.js']!.replace("const storage = require('../models/storage');", "const storage = require('../models/storage');\nconst db = require('../models/db');").replace('  return storage', '  await db.logDownload(name);\n  return storage'),
      'models/db.js': 'function logDownload(name) {\n  return pool.query("INSERT INTO downloads (name) VALUES (\'" + name + "\')");\n}\nmodule.exports = { logDownload };\n',
    };
    const findings = await scan(sql);
    assert.deepEqual(pathAt(findings, 'models/storage.js'), []);
    assert.deepEqual(pathAt(findings, 'models/db.js'), [['js/sql-injection-request-input', 2]]);
  });

  test('the path an upload middleware wrote the file to is the server\'s: no path finding through the chain; the client\'s name for the file still is one', async () => {
    const upload = edit(
      JS_APP,
      'routes/files.js',
      '  res.send(await files.downloadAttachment(req.query.name));',
      '  const uploadedFile = req.files[0];\n  res.send(await files.downloadAttachment(uploadedFile.path));',
    );
    assert.deepEqual(pathAt(await scan(upload), 'models/storage.js'), []);
    const original = edit(upload, 'routes/files.js', 'downloadAttachment(uploadedFile.path)', 'downloadAttachment(uploadedFile.originalname)');
    assert.deepEqual(pathAt(await scan(original), 'models/storage.js'), [['js/path-traversal-request-param', 3]]);
  });

  test('Python, view → service → storage: the path rule at the sink, both calls related', async () => {
    const findings = await scan(PY_APP);
    const sink = findings.filter((f) => f.path === 'app/storage.py');
    assert.deepEqual(sink.map((f) => [f.ruleId, f.startLine, f.severity]), [['py/path-traversal-request-data', 2, 'high']]);
    assert.deepEqual(sink[0]!.related?.map((r) => [r.path, r.startLine]), [['app/views.py', 10], ['app/service.py', 6]]);
    assert.match(sink[0]!.message, /request data from app\/views\.py:10, through render_report\(\) in app\/service\.py, then load_report_file\(\)/);
    // by keyword at both hops
    const keywords = edit(
      edit(PY_APP, 'app/views.py', 'service.render_report(request.args["name"])', 'service.render_report(name=request.args["name"])'),
      'app/service.py',
      'storage.load_report_file(path)',
      'storage.load_report_file(path=path)',
    );
    assert.deepEqual(pathAt(await scan(keywords), 'app/storage.py'), [['py/path-traversal-request-data', 2]]);
  });

  test('Python broken chains: a sanitized value passed on, a module not imported, another position', async () => {
    const cases = [
      edit(PY_APP, 'app/service.py', 'path = "/reports/" + name', 'path = "/reports/" + secure_filename(name)'),
      edit(PY_APP, 'app/service.py', 'storage.load_report_file(path)', 'storage.load_report_file(os.path.basename(path))'),
      edit(PY_APP, 'app/service.py', 'from app import storage', 'from app import other'),
      edit(PY_APP, 'app/service.py', 'storage.load_report_file(path)', 'storage.load_report_file("index", path)'),
    ];
    for (const files of cases) assert.deepEqual(pathAt(await scan(files), 'app/storage.py'), [], files['app/service.py']);
  });

  test('a cycle of calls between two modules ends', async () => {
    const findings = await scan({
      'routes/a.js': "const b = require('../lib/b');\nrouter.get('/x', (req, res) => res.send(b.walkTree(req.query.p, 0)));\n",
      'lib/b.js': "const c = require('./c');\nexports.walkTree = function (p, depth) { return c.walkNode(p, depth + 1); };\n",
      'lib/c.js': "const b = require('./b');\nconst fs = require('fs');\nexports.walkNode = function (p, depth) { return depth > 3 ? fs.readFileSync(p) : b.walkTree(p, depth); };\n",
    });
    assert.deepEqual(pathAt(findings, 'lib/c.js'), [['js/path-traversal-request-param', 3]]);
  });
});

describe('the forwarding probes (the call probes\' parameter copies)', () => {
  test('the path checks the JavaScript call probe reads are the path rule\'s', () => {
    const regexOf = (file: string) => /\n {2}path-guard-condition:\n {4}regex: (.*)\n/.exec(readFileSync(join(ROOT, 'rules', 'javascript', file), 'utf8'))?.[1];
    assert.ok(regexOf('path-traversal-request-param.yml'));
    assert.equal(regexOf('request-argument-probe.yml'), regexOf('path-traversal-request-param.yml'));
    // and the upload middleware's paths it takes as the server's are the ones the path rule's `sanitized` ends the flow at
    const uploadPaths = (file: string) => /\^\(req\\\.files\?\|[^']*?tempFilePath\)\$/.exec(readFileSync(join(ROOT, 'rules', 'javascript', file), 'utf8'))?.[0];
    assert.ok(uploadPaths('path-traversal-request-param.yml'));
    assert.equal(uploadPaths('request-argument-probe.yml'), uploadPaths('path-traversal-request-param.yml'));
  });

  test('a parameter passed on binds the function, the parameter and the callee; a sanitized one does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cross-file-forward-'));
    try {
      const config = (await prepareBuiltinConfig(join(dir, 'config'), await parseBuiltinRules(join(ROOT, 'rules')), new Set())).configPath;
      const texts: Record<string, string> = {
        'svc.js': "exports.openAttachment = function (name, opts) {\n  const full = '/uploads/' + name;\n  if (!full.startsWith(root)) throw new Error('no');\n  return store.readBlob(opts, full);\n};\nfunction other(x) { return store.readBlob(Number(x)); }\n// a handler's request object is not passed on: what the callee reads of it is its own rules' request data\nfunction relayUpload(req, res) { return store.handleUpload(req, res); }\n",
        'svc.py': 'def open_attachment(name, opts=None):\n    full = "/uploads/" + name\n    return store.read_blob(opts, path=full)\n\n\ndef other(x):\n    return store.read_blob(int(x))\n',
      };
      for (const [name, text] of Object.entries(texts)) await writeFile(join(dir, name), text);
      const result = spawnSync(AST_GREP, ['scan', '-c', config, '--filter', 'request-argument-probe@param', '--json=stream', ...Object.keys(texts).map((n) => join(dir, n))], { encoding: 'utf8' });
      const matches = result.stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { ruleId: string; file: string; text: string; metaVariables: { single: Record<string, { text: string } | undefined> } })
        .map((m) => [m.ruleId.replace('@tsx', ''), m.text, ...['HELPER_FN', 'HELPER_PARAM', 'CALLEE', 'CALL_KEYWORD', 'PATH_GUARD'].map((v) => m.metaVariables.single[v]?.text ?? '')])
        .sort();
      assert.deepEqual(matches, [
        ['js/request-argument-probe@param', 'full', 'exports.openAttachment', 'name', 'readBlob', '', "if (!full.startsWith(root)) throw new Error('no');"],
        ['js/request-argument-probe@param', 'opts', 'exports.openAttachment', 'opts', 'readBlob', '', ''],
        ['py/request-argument-probe@param', 'full', 'open_attachment', 'name', 'read_blob', 'path', ''],
        ['py/request-argument-probe@param', 'opts', 'open_attachment', 'opts', 'read_blob', '', ''],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Python: imports, parameter slots, module names', () => {
  test('the modules a Python file imports: from-imports (absolute, relative, parenthesized), import … as, plain imports', () => {
    const names = importedModules(
      [
        'from app.db import find_user',
        'from .dao import load_order as load',
        'from . import payments',
        'import app.reports as rep',
        'import audit, os.path',
        'from ..svc import (',
        '    mailer,  # sends mail',
        '    billing,',
        ')',
        '# from commented import nothing',
        'x = "import quoted"',
      ].join('\n'),
      true,
    );
    for (const name of ['db', 'app', 'find_user', 'dao', 'load_order', 'payments', 'reports', 'audit', 'os', 'path', 'svc', 'mailer', 'billing']) {
      assert.ok(names.has(name), name);
    }
    for (const name of ['load', 'rep', 'commented', 'nothing', 'quoted', 'sends']) assert.ok(!names.has(name), name);
    // The JavaScript reading is not applied to Python text, nor the Python one to JavaScript.
    assert.equal(importedModules("from app.db import find_user", false).size, 0);
  });

  test('unclosed and very long parenthesized imports are read as lines, and each closing parenthesis serves every import before it', () => {
    // thousands of `from x import (` with no `)`: each line names its module and what follows on it
    const unclosed = importedModules(`${'from flood import (\n'.repeat(20_000)}from last import (tail, # c\nfrom app.dao import (\n    find_user,\n)\n`, true);
    for (const name of ['flood', 'last', 'tail', 'dao', 'find_user']) assert.ok(unclosed.has(name), name);
    assert.ok(!unclosed.has('c'));
    // a list of more than 10,000 characters is no import list: only its first line is read
    const long = importedModules(`from big import (first,\n${'    other,\n'.repeat(2_000)}    hidden)\n`, true);
    assert.ok(long.has('big') && long.has('first'));
    assert.ok(!long.has('hidden') && !long.has('other'));
  });

  test('a module is named by its file, a package by its folder (__init__.py)', () => {
    assert.equal(moduleNameOf('app/db.py'), 'db');
    assert.equal(moduleNameOf('app/models/__init__.py'), 'models');
    assert.equal(moduleNameOf('lib/index.js'), 'lib');
  });

  test('parameter slots: self and cls are not passed by the call, keyword-only and positional-only parameters', () => {
    assert.deepEqual(pythonParameterSlot('(self, name)', 'name'), { position: 0, keyword: true });
    assert.deepEqual(pythonParameterSlot('(cls, a, b: str = "x, y")', 'b'), { position: 1, keyword: true });
    assert.deepEqual(pythonParameterSlot('(name, limit=10)', 'limit'), { position: 1, keyword: true });
    assert.deepEqual(pythonParameterSlot('(a, *, b)', 'b'), { position: undefined, keyword: true });
    assert.deepEqual(pythonParameterSlot('(a, *rest, c)', 'c'), { position: undefined, keyword: true });
    assert.deepEqual(pythonParameterSlot('(a, /, b)', 'a'), { position: 0, keyword: false });
    assert.equal(pythonParameterSlot('(*args, **kwargs)', 'args'), undefined);
    assert.equal(pythonParameterSlot('(*args, **kwargs)', 'kwargs'), undefined);
    assert.equal(pythonParameterSlot('(a, b)', 'c'), undefined);
  });

  test('Python special methods and accessors every class has are too common to join', () => {
    assert.equal(isSpecificName('find_user_by_name'), true);
    assert.equal(isSpecificName('__init__'), false);
    assert.equal(isSpecificName('get_by_id'), false);
  });

  test('the join: by position or keyword, only between Python files, only with the import', () => {
    const sink = (fn: string, position: number | undefined, keyword?: string) => ({
      fn,
      position,
      ...(keyword !== undefined && { keyword }),
      finding: { ruleId: 'py/sql-injection-string-building', source: 'ast-grep', severity: 'critical', path: 'app/db.py', startLine: 9, endLine: 9, message: 'SQL from request data.', fingerprint: '' } as Finding,
    });
    const call = (file: string, callee: string, position: number, keyword?: string) => ({ file, callee, position, ...(keyword !== undefined && { keyword }), line: 4, column: 5, endLine: 4, endColumn: 30 });
    const texts: Record<string, string> = {
      'app/routes.py': 'from app.db import find_user\n',
      'app/other.py': 'import os\n',
      'web/routes.js': "const db = require('../app/db');\n",
    };
    const join = (sinks: ReturnType<typeof sink>[], calls: ReturnType<typeof call>[]) => joinCrossFile(sinks, calls, (f) => texts[f], [], 3);
    assert.equal(join([sink('find_user', 0, 'name')], [call('app/routes.py', 'find_user', 0)]).length, 1);
    const byKeyword = join([sink('find_user', 0, 'name')], [call('app/routes.py', 'find_user', -1, 'name')]);
    assert.equal(byKeyword.length, 1);
    assert.match(byKeyword[0]!.related![0]!.message, /find_user\(\) as name=/);
    assert.equal(join([sink('find_user', undefined, 'name')], [call('app/routes.py', 'find_user', 0)]).length, 0, 'keyword-only parameter, positional call');
    assert.equal(join([sink('find_user', 0, 'name')], [call('app/routes.py', 'find_user', -1, 'other')]).length, 0, 'another keyword');
    assert.equal(join([sink('find_user', 0, 'name')], [call('app/routes.py', 'find_user', 1)]).length, 0, 'another position');
    assert.equal(join([sink('find_user', 0, 'name')], [call('app/other.py', 'find_user', 0)]).length, 0, 'no import');
    assert.equal(join([sink('find_user', 0, 'name')], [call('web/routes.js', 'find_user', 0)]).length, 0, 'a JavaScript caller');
  });
});

describe('Python flows across files, with the built-in pack', () => {
  const scan = packScanner('cross-file-py-test-');

  const DAO = `import sqlite3


def get_db():
    return sqlite3.connect("app.db")


def find_user_by_name(name, limit=10):
    query = f"SELECT * FROM users WHERE name = '{name}' LIMIT {limit}"
    return get_db().execute(query).fetchall()
`;
  const ROUTE = `from flask import Flask, request

from app.dao import find_user_by_name

app = Flask(__name__)


@app.route("/users")
def users():
    rows = find_user_by_name(request.args["name"])
    return {"users": rows}
`;
  const sqlAt = (findings: Finding[]) => findings.filter((f) => f.path === 'app/dao.py').map((f) => [f.ruleId, f.startLine, f.severity]);

  test('a Flask route passing request data to a DAO in another module that builds SQL with an f-string: critical at the sink, the call related', async () => {
    const findings = await scan({ 'app/dao.py': DAO, 'app/routes.py': ROUTE });
    assert.deepEqual(sqlAt(findings), [['py/sql-injection-string-building', 9, 'critical']]);
    const sql = findings.find((f) => f.path === 'app/dao.py')!;
    assert.deepEqual(sql.related?.map((r) => [r.path, r.startLine]), [['app/routes.py', 10], ['app/dao.py', 10]]);
    assert.match(sql.message, /app\/routes\.py:10, through find_user_by_name\(\)/);
    assert.ok(findings.every((f) => !f.ruleId.includes('@') && f.ruleId !== 'py/request-argument-probe'));
  });

  test('other imports, a method after self, a keyword argument, a package __init__', async () => {
    const variants: Record<string, string>[] = [
      { 'app/dao.py': DAO, 'app/routes.py': ROUTE.replace('from app.dao import find_user_by_name', 'from . import dao').replace('find_user_by_name(request', 'dao.find_user_by_name(request') },
      { 'app/dao.py': DAO, 'app/routes.py': ROUTE.replace('from app.dao import find_user_by_name', 'import app.dao as users_dao').replace('find_user_by_name(request', 'users_dao.find_user_by_name(request') },
      { 'app/dao.py': DAO, 'app/routes.py': ROUTE.replace('find_user_by_name(request.args["name"])', 'find_user_by_name(limit=5, name=request.args["name"])') },
      {
        'app/dao.py': DAO.replace('def find_user_by_name(name, limit=10):', 'class UserDao:\n  def find_user_by_name(self, name, limit=10):').replace(/\n {4}(query|return)/g, '\n      $1'),
        'app/routes.py': ROUTE.replace('from app.dao import find_user_by_name', 'from .dao import UserDao').replace('find_user_by_name(request', 'UserDao().find_user_by_name(request'),
      },
    ];
    for (const files of variants) {
      const findings = await scan(files);
      const sinkLine = files['app/dao.py']!.split('\n').findIndex((l) => l.includes('query = f')) + 1;
      assert.deepEqual(sqlAt(findings), [['py/sql-injection-string-building', sinkLine, 'critical']], files['app/routes.py']);
    }
    const pkg = await scan({ 'app/users/__init__.py': DAO, 'app/routes.py': ROUTE.replace('from app.dao import', 'from app.users import') });
    assert.deepEqual(pkg.filter((f) => f.path === 'app/users/__init__.py').map((f) => f.ruleId), ['py/sql-injection-string-building']);
  });

  test('a Django view passing a query parameter by keyword to a service that runs a shell command: the critical rule replaces the unknown-origin one', async () => {
    const findings = await scan({
      'services/shell.py': 'import os\n\n\ndef ping_host(count, host):\n    return os.system("ping " + host + " -c " + str(int(count)))\n',
      'web/views.py': 'from django.http import HttpResponse\nfrom services import shell\n\n\ndef ping(request):\n    return HttpResponse(shell.ping_host(1, host=request.GET["h"]))\n',
    });
    const atSink = findings.filter((f) => f.path === 'services/shell.py');
    assert.deepEqual(atSink.map((f) => [f.ruleId, f.startLine, f.severity]), [['py/os-command-injection', 5, 'critical']]);
    assert.deepEqual(atSink[0]!.related?.map((r) => [r.path, r.startLine, r.message]), [['web/views.py', 6, 'Request data is passed here to ping_host() as host=.']]);
  });

  test('no join without the import, from a test file, with a literal or at another position, or for a generic name', async () => {
    const cases: Record<string, string>[] = [
      { 'app/dao.py': DAO, 'app/routes.py': ROUTE.replace('from app.dao import find_user_by_name', 'from app.other import find_user_by_name') },
      { 'app/dao.py': DAO, 'tests/test_routes.py': ROUTE },
      { 'app/dao.py': DAO, 'app/test_routes.py': ROUTE },
      { 'app/dao.py': DAO, 'app/conftest.py': ROUTE },
      { 'app/dao.py': DAO, 'app/routes.py': ROUTE.replace('find_user_by_name(request.args["name"])', 'find_user_by_name("admin")') },
      // request data at a position that no parameter reaching the sink has
      { 'app/dao.py': DAO, 'app/routes.py': ROUTE.replace('find_user_by_name(request.args["name"])', 'find_user_by_name("admin", 10, request.args["name"])') },
      { 'app/dao.py': DAO.replace(/find_user_by_name/g, 'find_one'), 'app/routes.py': ROUTE.replace(/find_user_by_name/g, 'find_one') },
    ];
    for (const files of cases) {
      const findings = await scan(files);
      assert.deepEqual(sqlAt(findings), [['py/sql-injection-string-building-dynamic', 9, 'medium']], JSON.stringify(Object.keys(files)) + JSON.stringify(files['app/routes.py']));
    }
  });
});

describe('the parameter copies of the Python cross-file rules', () => {
  // Per rule: a helper whose parameter reaches the sink (the copy matches, binding the helper for the join) and the same
  // helper with the value made safe (no match). The rules' own tests (rules/tests) keep these helpers quiet without a caller.
  const CASES = [
    { rule: 'py/sql-injection-string-building', fn: 'find_user_by_name', invalid: "def find_user_by_name(name):\n    cursor.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)\n", valid: "def find_user_by_name(name):\n    cursor.execute(\"SELECT * FROM users WHERE name = %s\", (name,))\n" },
    { rule: 'py/os-command-injection', fn: 'ping_host', invalid: "def ping_host(host):\n    os.system(\"ping -c 1 \" + host)\n", valid: "def ping_host(host):\n    os.system(\"ping -c 1 \" + shlex.quote(host))\n" },
    { rule: 'py/subprocess-shell-injection', fn: 'run_tool', invalid: "def run_tool(args):\n    subprocess.run(\"tool \" + args, shell=True)\n", valid: "def run_tool(args):\n    subprocess.run([\"tool\", args])\n" },
    { rule: 'py/path-traversal-request-data', fn: 'read_report', invalid: "def read_report(name):\n    return open(os.path.join(\"/reports\", name)).read()\n", valid: "def read_report(name):\n    return open(os.path.join(\"/reports\", secure_filename(name))).read()\n" },
    { rule: 'py/ssrf-request-url', fn: 'fetch_preview', invalid: "def fetch_preview(url):\n    return requests.get(url)\n", valid: "def fetch_preview(url):\n    return requests.get(PREVIEW_SERVICE, params={\"u\": url})\n" },
    { rule: 'py/nosql-injection', fn: 'find_by_owner', invalid: "def find_by_owner(owner):\n    return db.items.find({\"$where\": \"this.owner == '\" + owner + \"'\"})\n", valid: "def find_by_owner(owner):\n    return db.items.find({\"owner\": owner})\n" },
    { rule: 'py/xpath-injection', fn: 'find_node', invalid: "def find_node(name):\n    return tree.xpath(\"//user[@name='\" + name + \"']\")\n", valid: "def find_node(name):\n    return tree.xpath(\"//user[@name=$n]\", n=name)\n" },
    { rule: 'py/deserialization-request-data', fn: 'load_state', invalid: "def load_state(blob):\n    return pickle.loads(blob)\n", valid: "def load_state(blob):\n    return json.loads(blob)\n" },
  ];
  let dir = '';
  let config = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cross-file-copies-'));
    config = (await prepareBuiltinConfig(join(dir, 'config'), await parseBuiltinRules(join(ROOT, 'rules')), new Set())).configPath;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // one scan of many files: the pack's load is most of a small scan
  const scanTexts = async (texts: Record<string, string>) => {
    for (const [name, text] of Object.entries(texts)) await writeFile(join(dir, name), text);
    const result = spawnSync(AST_GREP, ['scan', '-c', config, '--json=stream', '--color', 'never', ...Object.keys(texts).map((n) => join(dir, n))], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return result.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { ruleId: string; file: string; metaVariables: { single: Record<string, { text: string }> } });
  };

  test('every Python rule marked cross-file gets a copy, and each copy matches its helper and not the safe one', async () => {
    const pack = await parseBuiltinRules(join(ROOT, 'rules'));
    const crossFile = pack.rules.filter((doc) => doc.id?.startsWith('py/') && !doc.id.endsWith('@param') && doc.content?.metadata && (doc.content.metadata as Record<string, unknown>)['cross-file'] === true);
    assert.deepEqual(crossFile.map((doc) => doc.id).sort(), CASES.map((c) => c.rule).sort());
    // (and the call probe's: the forwarding probe)
    assert.deepEqual(
      pack.rules.filter((doc) => doc.id?.startsWith('py/') && doc.id.endsWith('@param')).map((doc) => doc.id).sort(),
      [...CASES.map((c) => `${c.rule}@param`), 'py/request-argument-probe@param'].sort(),
    );
    const matches = await scanTexts(Object.fromEntries(CASES.flatMap((c, i) => [[`bad${i}.py`, c.invalid], [`good${i}.py`, c.valid]])));
    CASES.forEach((c, i) => {
      const of = (name: string) => matches.filter((m) => m.file === join(dir, name) && m.ruleId === `${c.rule}@param`);
      const bad = of(`bad${i}.py`);
      assert.equal(bad.length, 1, `${c.rule}: ${c.invalid}`);
      assert.equal(bad[0]!.metaVariables.single.HELPER_FN?.text, c.fn, c.rule);
      assert.equal(bad[0]!.metaVariables.single.HELPER_PARAMS?.text.startsWith('('), true, c.rule);
      assert.deepEqual(of(`good${i}.py`), [], `${c.rule}: ${c.valid}`);
    });
  });

  test('self, cls, an attribute name and a keyword name are not a parameter source', async () => {
    const text = [
      'class Report:',
      '    def run_report(self, cls, limit=10):',
      '        cursor.execute(f"SELECT * FROM {self.table} WHERE kind = \'{cls}\'")',
      '        cursor.execute("SELECT * FROM t WHERE a = \'%s\'" % other.limit)',
      '        cursor.execute("SELECT * FROM t WHERE a = \'%s\'" % build(limit=LIMIT))',
      '',
    ].join('\n');
    assert.deepEqual((await scanTexts({ 'self.py': text })).filter((m) => m.ruleId.endsWith('@param')), []);
  });

  test('a copy of a rule in a language without a parameter source is refused with a clear error', async () => {
    const doc = { origin: 'rules/go/x.yml', sourceFile: 'x.yml', id: 'go/x', language: 'go', astGrepSeverity: 'error', text: 'id: go/x\nlanguage: go\n' };
    await assert.rejects(paramCopyOf(doc), /is for go; parameter copies are built for typescript and python rules only/);
    const py = { ...doc, id: 'py/x', language: 'python', text: 'id: py/x\nlanguage: python\nutils:\n  source-text:\n    matches: other\n' };
    await assert.rejects(paramCopyOf(py), /must have one id and language line and define source-text as/);
  });
});
