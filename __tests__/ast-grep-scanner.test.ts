import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { ConfigurationError } from '../src/errors.js';
import { RecordingLogger } from './support/recording-logger.js';
import { builtinRulesDir } from '../src/scanners/ast-grep/assets.js';
import { AST_GREP_ENV_VAR, resolveAstGrepBinary } from '../src/scanners/ast-grep/binary.js';
import {
  describeMessage,
  loadBuiltinRules,
  parseBuiltinRules,
  isParamCopy,
  prebuiltBuiltinConfig,
  prepareBuiltinConfig,
  serializeBuiltinRules,
  severityOf,
  type RuleDocument,
} from '../src/scanners/ast-grep/rules.js';
import { chunkFiles, findingFromMatch, MAX_PAGE_SCRIPTS, NEEDS_MAX_BYTES, runAstGrepScan, SPLIT_PARTS, splitChunk, withoutSuperseded, type AstGrepMatch, type AstGrepScanInput } from '../src/scanners/ast-grep/scan.js';
import type { Finding } from '../src/types.js';
import { vendorAstGrep } from './support/vendored-ast-grep.js';
import { withMemoryLimit } from '../src/scanners/ast-grep/process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, '__tests__', 'fixtures', 'ast-grep');
const FIXTURE_PACK = join(FIXTURES, 'pack');
const REAL_PACK = join(ROOT, 'rules');
const AST_GREP = join(ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');
const POSIX = process.platform !== 'win32';

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ast-grep-scanner-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let dirCount = 0;
/** A fresh folder holding `files` (path → content). */
async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(scratch, `t${++dirCount}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

async function scan(
  files: Record<string, string | Buffer>,
  options: Partial<AstGrepScanInput> = {},
): Promise<{ result: Awaited<ReturnType<typeof runAstGrepScan>>; logger: RecordingLogger }> {
  const workDir = await tree(files);
  const logger = new RecordingLogger();
  const result = await runAstGrepScan({
    binary: AST_GREP,
    workDir,
    files: Object.keys(files),
    builtinRulesDir: FIXTURE_PACK,
    extraRuleSources: [],
    logger,
    tempDir: scratch,
    ...options,
  });
  return { result, logger };
}

/** A parsed rule document as the compiled pack holds it. */
function withoutMatcher(doc: RuleDocument): RuleDocument {
  if (!doc.content) return doc;
  const matcher = new Set(['rule', 'utils', 'constraints', 'transform', 'rewriters']);
  return { ...doc, content: Object.fromEntries(Object.entries(doc.content).filter(([key]) => !matcher.has(key))) };
}

function only(findings: Finding[], ruleId: string, path?: string): Finding {
  const matching = findings.filter((f) => f.ruleId === ruleId && (path === undefined || f.path === path));
  assert.equal(matching.length, 1, `one ${ruleId} finding${path ? ` in ${path}` : ''}, got ${JSON.stringify(findings.map((f) => [f.ruleId, f.path]))}`);
  return matching[0]!;
}

describe('runAstGrepScan with the fixture pack', () => {
  test('JS, TS, TSX, JSX (tsx copies report the original id), Python, and a file in a hidden folder', async () => {
    const { result } = await scan({
      'src/a.ts': 'const x: number = 1;\neval(userInput);\n',
      'src/b.js': 'el.innerHTML = html;\nel.innerHTML = "<b>static</b>";\n',
      'src/c.tsx': 'export const C = () => <div onClick={() => eval(code)}>{x}</div>;\n',
      'src/d.jsx': 'export const D = () => <p>{eval(code)}</p>;\n',
      'tools/e.py': 'import os\nos.system("ls " + path)\n',
      '.github/scripts/f.mjs': 'console.log("hidden folders are scanned");\n',
      'README.md': '# not code\n',
    });
    const { report } = result;
    assert.equal(report.status, 'ok', report.reason);
    assert.deepEqual(report.warnings, []);
    assert.equal(report.scanner, 'ast-grep');
    // Python files, JS-family files; README.md has a language but no rule applies to it.
    assert.equal(report.filesScanned, 6);
    // fx/eval, fx/inner-html, fx/console-log, fx/py-os-system; the off rule is not counted, tsx copies are not rules of their own.
    assert.equal(report.rulesRun, 4);
    assert.ok(report.durationMs >= 0);

    const ids = report.findings.map((f) => `${f.ruleId} ${f.path}`);
    assert.deepEqual(ids, [
      'fx/console-log .github/scripts/f.mjs',
      'fx/eval src/a.ts',
      'fx/inner-html src/b.js',
      'fx/eval src/c.tsx',
      'fx/eval src/d.jsx',
      'fx/py-os-system tools/e.py',
    ]);
    assert.ok(report.findings.every((f) => !f.ruleId.includes('@') && f.source === 'ast-grep' && f.fingerprint === ''));

    const evalTs = only(report.findings, 'fx/eval', 'src/a.ts');
    assert.equal(evalTs.severity, 'critical'); // metadata.severity
    assert.equal(evalTs.message, 'eval() runs userInput as code.');
    assert.equal(evalTs.note, "Code built from data runs with the page's privileges. CWE-95");
    assert.equal(evalTs.helpUri, 'https://cwe.mitre.org/data/definitions/95.html');
    assert.deepEqual(evalTs.fix, { replacement: 'safeEval(userInput)', replacementLines: 'safeEval(userInput);' });
    assert.equal(only(report.findings, 'fx/eval', 'src/c.tsx').severity, 'critical');
    assert.equal(only(report.findings, 'fx/inner-html').severity, 'medium'); // warning → medium
    assert.equal(only(report.findings, 'fx/console-log').severity, 'info'); // hint → info
    assert.equal(only(report.findings, 'fx/py-os-system').severity, 'high');

    const rules = new Map(result.rules.map((r) => [r.id, r]));
    assert.deepEqual([...rules.keys()].sort(), ['fx/console-log', 'fx/eval', 'fx/inner-html', 'fx/py-os-system']);
    assert.deepEqual(rules.get('fx/eval'), {
      id: 'fx/eval',
      source: 'ast-grep',
      severity: 'critical',
      shortDescription: 'eval() runs as code.',
      fullDescription: "Code built from data runs with the page's privileges. CWE-95",
      helpUri: 'https://cwe.mitre.org/data/definitions/95.html',
      cwe: 'CWE-95',
      category: 'security',
    });
    assert.equal(rules.get('fx/inner-html')?.cwe, 'CWE-79'); // from the note
  });

  test('lines and columns are 1-based, the end column exclusive, in UTF-16 units; fixes give whole replacement lines', async () => {
    const { result } = await scan(
      {
        // two chars before the match are outside the BMP / non-ASCII: ast-grep counts them as 1 each, UTF-16 as 2 and 1
        'u.js': 'const s = "héllo 😀"; target(a, b); rest();\n',
        'multi.js': 'x();\n  target(\n    a,\n  ); after();\n',
        'm.py': 'x = 1\ny = "ü"\n',
      },
      { extraRuleSources: [join(FIXTURES, 'extra-geometry')] },
    );
    assert.equal(result.report.status, 'ok', result.report.reason);
    const single = only(result.report.findings, 'geo/call', 'u.js');
    assert.deepEqual(
      [single.startLine, single.startColumn, single.endLine, single.endColumn],
      [1, 23, 1, 35], // "const s = "héllo 😀"; " is 21 scalar values, 22 UTF-16 units
    );
    assert.equal(single.evidence, 'const s = "héllo 😀"; target(a, b); rest();');
    assert.deepEqual(single.fix, {
      replacement: 'replaced(a, b)',
      replacementLines: 'const s = "héllo 😀"; replaced(a, b); rest();',
    });

    const multi = only(result.report.findings, 'geo/call', 'multi.js');
    assert.deepEqual([multi.startLine, multi.startColumn, multi.endLine, multi.endColumn], [2, 3, 4, 4]);
    assert.equal(multi.evidence, '  target(\n    a,\n  ); after();');
    // ast-grep's $$$A keeps the trailing comma
    assert.equal(multi.fix?.replacementLines, '  replaced(a,); after();');

    // The module node ends at column 0 of line 3 (after the last newline): the finding ends on line 2.
    const whole = only(result.report.findings, 'geo/whole-program', 'm.py');
    assert.deepEqual([whole.startLine, whole.startColumn, whole.endLine, whole.endColumn], [1, 1, 2, 8]);
    assert.equal(whole.evidence, 'x = 1\ny = "ü"');
    assert.deepEqual(whole.fix, { replacement: 'pass\n', replacementLines: 'pass' });
  });

  test('zero files: ok, and no process is started', async () => {
    const result = await runAstGrepScan({
      binary: join(scratch, 'no-such-binary'),
      workDir: scratch,
      files: [],
      builtinRulesDir: FIXTURE_PACK,
      extraRuleSources: [],
      logger: new RecordingLogger(),
    });
    assert.equal(result.report.status, 'ok');
    assert.equal(result.report.filesScanned, 0);
    assert.deepEqual(result.report.findings, []);
    assert.equal(result.report.rulesRun, undefined, 'no rule was loaded: not reported as zero rules');
  });

  test('a file that does not parse still yields findings, and so do the other files', async () => {
    const { result } = await scan({
      'broken.ts': 'class {{{\n}\nconst x = ;\neval(a);\n',
      'fine.js': 'eval(b);\n',
    });
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.deepEqual(
      result.report.findings.map((f) => `${f.path}:${f.startLine}`),
      ['broken.ts:4', 'fine.js:1'],
    );
  });

  test('a file ast-grep cannot read (not UTF-8) makes the scan degraded and is named', async () => {
    const { result } = await scan({ 'latin1.js': Buffer.from([0x65, 0x76, 0x61, 0x6c, 0x28, 0xe9, 0x29, 0x0a]), 'ok.js': 'eval(x);\n' });
    assert.equal(result.report.status, 'degraded');
    assert.match(result.report.reason ?? '', /1 file\(s\) could not be scanned/);
    assert.deepEqual(result.report.warnings, ['ast-grep skipped latin1.js: it is not valid UTF-8.']);
    assert.equal(result.report.findings.length, 1);
    assert.equal(result.report.filesScanned, 1);
  });

  test('a listed file that is missing is named, not silently dropped', async () => {
    const workDir = await tree({ 'here.js': 'eval(x);\n' });
    const result = await runAstGrepScan({
      binary: AST_GREP,
      workDir,
      files: ['here.js', 'gone: really.js'],
      builtinRulesDir: FIXTURE_PACK,
      extraRuleSources: [],
      logger: new RecordingLogger(),
    });
    assert.equal(result.report.status, 'degraded');
    assert.deepEqual(result.report.warnings, ['ast-grep skipped gone: really.js: No such file or directory (os error 2).']);
    assert.equal(result.report.findings.length, 1);
  });

  test('secrets in the matched lines are redacted in the evidence and the message', async () => {
    const { result } = await scan({ 'k.js': 'const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"; eval(token);\n' });
    const finding = only(result.report.findings, 'fx/eval');
    assert.equal(finding.evidence, 'const token = "«redacted»"; eval(token);');
    assert.doesNotMatch(JSON.stringify(finding), /ghp_abcdef/);
  });

  test('more paths than one command line carries: chunked, every chunk scanned', async () => {
    const long = 'd'.repeat(180);
    const files: Record<string, string> = {};
    // Enough paths for two chunks on every platform (Linux allows the most per process).
    const count = process.platform === 'linux' ? 6000 : 700;
    for (let i = 0; i < count; i++) files[`${long}/f${String(i).padStart(4, '0')}.js`] = i % 100 === 0 ? 'eval(x);\n' : 'ok();\n';
    assert.equal(chunkFiles(Object.keys(files)).length, 2);
    const { result } = await scan(files);
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.equal(result.report.filesScanned, count);
    assert.equal(result.report.findings.length, count / 100);
  });
});

describe('only the rules of the languages the change has', () => {
  test('Python files only: the JavaScript rules are not given to ast-grep', async () => {
    const { result } = await scan({ 'tools/e.py': 'import os\nos.system("ls " + path)\n' });
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.equal(result.report.rulesRun, 1, 'the fixture pack has one Python rule');
    assert.deepEqual(result.report.findings.map((f) => f.ruleId), ['fx/py-os-system']);
  });

  test('no file in a language of the pack: ast-grep is not started (a binary that does not exist is never noticed)', async () => {
    const { result } = await scan({ 'README.md': '# eval(x)\n', 'data.json': '{}\n' }, { binary: join(scratch, 'no-such-ast-grep') });
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.equal(result.report.rulesRun, 0);
    assert.equal(result.report.filesScanned, 0);
    assert.deepEqual(result.report.findings, []);
  });
});

describe('third-party rules: the repository config and the rules input', () => {
  test('broken rules are named with the reason, every other rule runs (degraded)', async () => {
    const { result, logger } = await scan(
      {
        'app.js': 'fetch("/api");\ndocument.write(x);\nalert(1);\nconfirm(2);\neval(y);\n',
      },
      { repoConfigDir: join(FIXTURES, 'repo'), extraRuleSources: [join(FIXTURES, 'extra-dup')] },
    );
    const { report } = result;
    assert.equal(report.status, 'degraded');
    assert.deepEqual(
      report.findings.map((f) => f.ruleId),
      ['repo/no-fetch', 'repo/no-document-write', 'extra/same', 'fx/eval'],
    );
    const noFetch = only(report.findings, 'repo/no-fetch');
    assert.equal(noFetch.severity, 'medium');
    assert.equal(noFetch.helpUri, 'https://example.com/docs/http-client');
    assert.equal(only(report.findings, 'repo/no-document-write').severity, 'low');

    const warnings = report.warnings.join('\n');
    assert.match(warnings, /The ast-grep rule repo\/typo \(rules\/typo\.yml\) was not run: unknown field `patern`/);
    assert.match(warnings, /The ast-grep rule repo\/cobol \(rules\/cobol\.yml\) was not run: unknown language `cobol`/);
    assert.match(warnings, /The ast-grep rule repo\/mylang \(rules\/mylang\.yml\) was not run: custom language `mylang` is not supported/);
    assert.match(warnings, /The ast-grep rule repo\/bad-pattern \(rules\/bundle\.yml#2\) was not run: Rule must specify a set of AST kinds/);
    assert.match(warnings, /The ast-grep rule in rules\/no-id\.yml has no id and was not run/);
    assert.match(warnings, /The ast-grep rule extra\/same \(extra-dup\/b\.yml\) was not run: its id is already used by extra-dup\/a\.yml/);
    assert.equal(report.warnings.length, 6, warnings);
    // eslint-disable-next-line no-control-regex -- looking for ESC is the point: the ANSI sequences must be stripped
    assert.doesNotMatch(warnings, /\u001b\[/);
    assert.match(report.reason ?? '', /6 third-party rule\(s\) or util\(s\) were not run/);
    // 3 built-in (the fixture's JavaScript rules: its Python rule has no file to run on) + no-fetch, no-document-write, extra/same
    assert.equal(report.rulesRun, 6);
    assert.ok(result.rules.some((r) => r.id === 'repo/no-fetch'));
    assert.ok(!result.rules.some((r) => r.id === 'repo/typo'));
    assert.match(logger.text(), /warning: The ast-grep rule repo\/typo/);
  });

  test("the pack's languageGlobs do not change how the repository's rules see .js files", async () => {
    // The fixture pack maps *.js to TypeScript; a repository rule for `javascript` must still match .js files.
    const { result } = await scan({ 'x.js': 'fetch(u);\n' }, { repoConfigDir: join(FIXTURES, 'repo') });
    assert.equal(only(result.report.findings, 'repo/no-fetch').path, 'x.js');
  });

  test('a third-party rule with a built-in id neither replaces nor turns off the built-in rule; it is named', async () => {
    const extra = await tree({
      'off.yml': 'id: fx/eval\nlanguage: typescript\nseverity: off\nrule: {pattern: eval($X)}\n',
      'other.yml': 'id: fx/console-log\nlanguage: typescript\nseverity: hint\nmessage: mine\nrule: {pattern: nothing($X)}\n',
    });
    const { result } = await scan({ 'a.js': 'eval(x);\nconsole.log(1);\n' }, { extraRuleSources: [extra] });
    assert.equal(result.report.status, 'degraded', result.report.reason);
    assert.deepEqual(result.report.findings.map((f) => f.ruleId), ['fx/eval', 'fx/console-log']);
    assert.equal(result.report.warnings.filter((w) => w.includes('a built-in rule has this id')).length, 2, result.report.warnings.join('\n'));
  });

  test('a rule file that is a YAML alias bomb is named and left out; the other rules still run', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    }
    const extra = await tree({
      'bomb.yml': `${lines.join('\n')}\nid: x/bomb\nlanguage: javascript\nrule: {pattern: foo($X)}\n`,
      'alert.yml': 'id: x/alert\nlanguage: javascript\nmessage: alert\nrule: {pattern: alert($X)}\n',
    });
    const { result } = await scan({ 'a.js': 'eval(x);\nalert(1);\n' }, { extraRuleSources: [extra] });
    assert.equal(result.report.status, 'degraded');
    assert.deepEqual(result.report.findings.map((f) => f.ruleId).sort(), ['fx/eval', 'x/alert']);
    assert.ok(result.report.warnings.some((w) => w.includes('bomb.yml was not run')), result.report.warnings.join('\n'));
  });

  test('a languageGlobs entry ast-grep refuses is named and ignored; the other entries still apply', async () => {
    const repo = await tree({
      'sgconfig.yml':
        'ruleDirs: [rules]\nlanguageGlobs:\n  cobol: ["*.cbl"]\n  python: ["*.pyw"]\n  mylang: ["*.my"]\ncustomLanguages:\n  mylang: {libraryPath: x.so, extensions: [my]}\n',
      'rules/print.yml': 'id: r/print\nlanguage: python\nmessage: print\nrule: {pattern: print($X)}\n',
    });
    const { result } = await scan({ 'tool.pyw': 'print(1)\n' }, { repoConfigDir: repo });
    assert.equal(result.report.status, 'degraded');
    assert.deepEqual(result.report.findings.map((f) => `${f.ruleId} ${f.path}`), ['r/print tool.pyw']);
    assert.deepEqual(result.report.warnings, [
      "The repository's ast-grep languageGlobs entry cobol was ignored: cobol is not supported!",
    ]);
  });

  test('a broken util is named and left out; rules that need it are named too', async () => {
    const repo = await tree({
      'sgconfig.yml': 'ruleDirs: [rules]\nutilDirs: [utils]\n',
      'utils/bad.yml': 'id: bad-util\nlanguage: javascript\nrule: {patern: x}\n',
      'rules/uses.yml': 'id: r/uses\nlanguage: javascript\nrule: {matches: bad-util}\n',
      'rules/plain.yml': 'id: r/plain\nlanguage: javascript\nmessage: alert\nrule: {pattern: alert($X)}\n',
    });
    const { result } = await scan({ 'a.js': 'alert(1);\n' }, { repoConfigDir: repo });
    assert.equal(result.report.status, 'degraded');
    assert.deepEqual(result.report.findings.map((f) => f.ruleId), ['r/plain']);
    const warnings = result.report.warnings.join('\n');
    assert.match(warnings, /util bad-util \(utils\/bad\.yml\) was not loaded: unknown field `patern`/);
    assert.match(warnings, /rule r\/uses \(rules\/uses\.yml\) was not run: Rule `bad-util` is not defined/);
  });
});

/** Dead, or a zombie nobody reaps (a container's init may not): either way it no longer runs. */
function isGone(pid: number): boolean {
  try {
    const state = /\)\s+(\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
    return state === 'Z' || state === 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

describe('failures are reported, never shown as "no findings"', () => {
  test('a built-in rule that does not load fails the scan loudly', async () => {
    const pack = await tree({});
    await cp(FIXTURE_PACK, pack, { recursive: true });
    await writeFile(join(pack, 'javascript', 'broken.yml'), 'id: fx/broken\nlanguage: typescript\nrule: {patern: x}\n');
    const { result, logger } = await scan({ 'a.js': 'eval(x);\n' }, { builtinRulesDir: pack });
    assert.equal(result.report.status, 'failed');
    assert.match(result.report.reason ?? '', /built-in ast-grep rule pack does not load .*bug.*rules\/javascript\/broken\.yml.*unknown field `patern`/);
    assert.match(logger.text(), /error: The built-in ast-grep rule pack/);
  });

  test('a missing binary → failed with the reason', async () => {
    const { result } = await scan({ 'a.js': 'eval(x);\n' }, { binary: join(scratch, 'missing', 'ast-grep') });
    assert.equal(result.report.status, 'failed');
    assert.match(result.report.reason ?? '', /ast-grep could not be started .*ENOENT/);
    assert.equal(result.report.filesScanned, 0);
  });

  test('the time limit → failed, naming the limit; the whole process group is killed', { skip: !POSIX }, async () => {
    const dir = await tree({});
    const fake = join(dir, 'slow-ast-grep');
    const pidFile = join(dir, 'child.pid');
    await writeFile(fake, `#!/bin/sh\nsleep 30 &\necho $! > "${pidFile}"\nwait\n`);
    await chmod(fake, 0o755);
    const started = Date.now();
    const { result } = await scan({ 'a.js': 'eval(x);\n' }, { binary: fake, timeoutMs: 400 });
    assert.ok(Date.now() - started < 5000);
    assert.equal(result.report.status, 'failed');
    assert.match(result.report.reason ?? '', /did not finish within the scan time limit of 400 ms \(running the built-in rules on 1 file\(s\)\)/);
    const childPid = Number((await readFile(pidFile, 'utf8')).trim());
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(isGone(childPid), `the grandchild ${childPid} was killed`);
  });

  test('a big chunk past the per-file limit runs again in parts, not one process per file (each compiles the whole pack)', { skip: !POSIX }, async () => {
    const dir = await tree({});
    const fake = join(dir, 'big-chunk-ast-grep');
    const runs = join(dir, 'runs.log');
    // more than 8 files in one process: too slow (killed at the per-file limit); a part of them: done at once, nothing found
    await writeFile(
      fake,
      `#!/bin/sh\nn=0\nfor a in "$@"; do case "$a" in *.js) n=$((n+1));; esac; done\nif [ "$n" -gt 8 ]; then exec sleep 30; fi\necho "$n" >> "${runs}"\nexit 0\n`,
    );
    await chmod(fake, 0o755);
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`src/f${i}.js`, 'eval(x);\n']));
    const started = Date.now();
    const { result } = await scan(files, { binary: fake, fileTimeoutMs: 300, timeoutMs: 20_000 });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.equal(result.report.filesNotScanned, undefined);
    const parts = (await readFile(runs, 'utf8')).trim().split('\n').map(Number);
    // each configuration: the 20 files in parts of 3 (7 processes), every file once, not 20 single-file runs
    assert.equal(parts.reduce((sum, n) => sum + n, 0) % 20, 0);
    assert.ok(parts.every((n) => n === 3 || n === 2), parts.join(','));
    assert.equal(parts.length % 7, 0, parts.join(','));
  });

  test('splitChunk: consecutive parts of nearly equal length, none empty', () => {
    assert.deepEqual(splitChunk(['a', 'b', 'c', 'd', 'e'], 2), [['a', 'b', 'c'], ['d', 'e']]);
    assert.deepEqual(splitChunk(['a', 'b'], 8), [['a'], ['b']]);
    assert.equal(splitChunk(Array.from({ length: 667 }, (_, i) => String(i)), SPLIT_PARTS).length, SPLIT_PARTS);
  });

  test('cancellation → failed', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result } = await scan({ 'a.js': 'eval(x);\n' }, { signal: controller.signal });
    assert.equal(result.report.status, 'failed');
    assert.match(result.report.reason ?? '', /cancelled/);
  });

  test('output that is not JSON becomes a warning; a last line without a newline is read', { skip: !POSIX }, async () => {
    const dir = await tree({});
    const fake = join(dir, 'fake-ast-grep');
    const match = JSON.stringify({
      ruleId: 'fx/eval',
      severity: 'error',
      message: 'eval',
      note: null,
      file: 'a.js',
      range: { start: { line: 0, column: 0 }, end: { line: 0, column: 7 } },
      text: 'eval(x)',
      lines: 'eval(x);',
      charCount: { leading: 0, trailing: 1 },
    });
    await writeFile(fake, `#!/bin/sh\necho 'panic: not json'\nprintf '%s' '${match}'\n`);
    await chmod(fake, 0o755);
    const { result } = await scan({ 'a.js': 'eval(x);\n' }, { binary: fake });
    assert.equal(result.report.status, 'degraded');
    assert.deepEqual(result.report.warnings, ['ast-grep printed a line that is not a JSON match: panic: not json']);
    assert.equal(only(result.report.findings, 'fx/eval').severity, 'critical');
  });
});

describe('withoutSuperseded', () => {
  const finding = (ruleId: string, path: string, startLine: number): Finding => ({
    ruleId,
    source: 'ast-grep',
    severity: 'medium',
    path,
    startLine,
    endLine: startLine,
    message: ruleId,
    evidence: '',
    fingerprint: `${ruleId}:${path}:${startLine}`,
  });
  const rule = (id: string, supersedes?: unknown): RuleDocument =>
    ({ id, origin: id, sourceFile: `${id}.yml`, text: '', content: { id, ...(supersedes !== undefined && { metadata: { supersedes } }) } }) as unknown as RuleDocument;

  test('drops the findings a rule names (one id or a list) on the lines it reports, and nothing else', () => {
    const rules = [rule('js/dom', ['js/inner', 'js/write']), rule('js/sql', 'js/sql-build'), rule('js/inner'), rule('js/write'), rule('js/sql-build')];
    const kept = withoutSuperseded(
      [
        finding('js/dom', 'a.html', 5),
        finding('js/inner', 'a.html', 5),
        finding('js/write', 'a.html', 5),
        finding('js/inner', 'a.html', 6),
        finding('js/inner', 'b.html', 5),
        finding('js/sql', 'db.js', 9),
        finding('js/sql-build', 'db.js', 9),
        finding('js/sql-build', 'db.js', 10),
      ],
      rules,
    );
    assert.deepEqual(kept.map((f) => `${f.ruleId} ${f.path}:${f.startLine}`), [
      'js/dom a.html:5',
      'js/inner a.html:6',
      'js/inner b.html:5',
      'js/sql db.js:9',
      'js/sql-build db.js:10',
    ]);
  });

  test('a rule that is not in the given (built-in) rules supersedes nothing, and a malformed entry is ignored', () => {
    const kept = withoutSuperseded([finding('repo/rule', 'a.js', 1), finding('js/inner', 'a.js', 1), finding('js/odd', 'a.js', 1)], [rule('js/inner'), rule('js/odd', 42)]);
    assert.equal(kept.length, 3);
  });
});

describe('findingFromMatch', () => {
  const base = (over: Partial<AstGrepMatch>): AstGrepMatch => ({
    ruleId: 'r',
    severity: 'warning',
    message: 'm',
    note: null,
    file: 'f.js',
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } },
    text: 'x',
    lines: 'x',
    charCount: { leading: 0, trailing: 0 },
    ...over,
  });

  test('evidence keeps a window of a very long line around the match, and short lines whole', () => {
    const line = `${'a = 1; '.repeat(10_000)}el.innerHTML = x;${' b = 2;'.repeat(10_000)}`;
    const at = line.indexOf('el.innerHTML');
    const f = findingFromMatch(
      base({
        range: { start: { line: 0, column: at }, end: { line: 0, column: at + 17 } },
        text: 'el.innerHTML = x;',
        lines: line,
        charCount: { leading: at, trailing: line.length - at - 17 },
      }),
      'r',
      undefined,
    );
    assert.ok(f.evidence.length <= 2_000, `${f.evidence.length} characters kept`);
    assert.ok(f.evidence.includes('el.innerHTML = x;'));
    assert.ok(f.evidence.startsWith('…') && f.evidence.endsWith('…'));
    // the columns are still the match's own
    assert.equal(f.startColumn, at + 1);
    const short = findingFromMatch(base({ lines: 'x = 1;\ny = 2;', text: 'x = 1;\ny = 2;', range: { start: { line: 0, column: 0 }, end: { line: 1, column: 6 } } }), 'r', undefined);
    assert.equal(short.evidence, 'x = 1;\ny = 2;');
  });

  test('a match ending at column 0 of a line that has content ends on the line before', () => {
    const f = findingFromMatch(
      base({
        range: { start: { line: 3, column: 2 }, end: { line: 5, column: 0 } },
        text: 'a: |\n  b\n',
        lines: '  a: |\n  b\nnext: 1',
        charCount: { leading: 2, trailing: 7 },
        replacement: 'a: 1\n',
      }),
      'r',
      undefined,
    );
    assert.deepEqual([f.startLine, f.startColumn, f.endLine, f.endColumn], [4, 3, 5, 4]);
    assert.equal(f.evidence, '  a: |\n  b');
    assert.deepEqual(f.fix, { replacement: 'a: 1\n', replacementLines: '  a: 1' });
  });

  test('CRLF files: evidence and replacement lines without carriage returns', () => {
    const f = findingFromMatch(
      base({
        range: { start: { line: 1, column: 0 }, end: { line: 2, column: 3 } },
        text: 'foo(1,\r\n 2)',
        lines: 'foo(1,\r\n 2);\r',
        charCount: { leading: 0, trailing: 2 },
        replacement: 'bar()',
      }),
      'r',
      undefined,
    );
    assert.equal(f.evidence, 'foo(1,\n 2);');
    assert.equal(f.fix?.replacementLines, 'bar();');
    assert.deepEqual([f.startLine, f.endLine, f.endColumn], [2, 3, 4]);
  });

  test('counts that do not fit the lines: ast-grep columns, no replacement lines', () => {
    const f = findingFromMatch(
      base({ range: { start: { line: 0, column: 4 }, end: { line: 0, column: 9 } }, lines: 'abc', text: 'zzz', charCount: { leading: 9, trailing: 9 }, replacement: 'q' }),
      'r',
      undefined,
    );
    assert.deepEqual([f.startColumn, f.endColumn], [5, 10]);
    assert.deepEqual(f.fix, { replacement: 'q' });
    assert.equal(f.severity, 'medium');
    assert.equal('note' in f, false);
  });

  test('a fix whose text would carry a secret is redacted and is not offered as whole lines', () => {
    const f = findingFromMatch(
      base({ text: 'x', lines: 'x', replacement: 'const api_key = "AKIAABCDEFGHIJKLMNOP"' }),
      'r',
      undefined,
    );
    assert.deepEqual(f.fix, { replacement: 'const api_key = "«redacted»"' });
  });

  test('severity mapping and descriptions', () => {
    assert.equal(severityOf('error'), 'high');
    assert.equal(severityOf('warning'), 'medium');
    assert.equal(severityOf('info'), 'low');
    assert.equal(severityOf('hint'), 'info');
    assert.equal(severityOf('error', 'critical'), 'critical');
    assert.equal(severityOf('error', 'urgent'), 'high');
    assert.equal(describeMessage('A credential ($NAME) is hard-coded in $EL.$PROP.'), 'A credential is hard-coded in ….');
  });
});

describe('the real built-in pack (rules/)', { skip: !existsSync(join(REAL_PACK, 'sgconfig.yml')) }, () => {
  test('loads, and finds problems in JS, TS, TSX, JSX and Python files', async () => {
    const { result } = await scan(
      {
        'web/a.js': 'const run = (code) => eval(code);\n',
        'web/b.ts': 'export function run(code: string): unknown { return eval(code); }\n',
        'web/c.tsx': 'export const C = (p: { html: string }) => <div>{eval(p.html)}</div>;\n',
        'web/d.jsx': 'export const D = ({ html }) => <div dangerouslySetInnerHTML={{ __html: html }} />;\n',
        'tools/e.py': 'import os\n\ndef run(d):\n    os.system("ls " + d)\n',
      },
      { builtinRulesDir: builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep')) },
    );
    const { report } = result;
    assert.equal(report.status, 'ok', `${report.reason ?? ''} ${report.warnings.join(' ')}`);
    assert.ok((report.rulesRun ?? 0) >= 10);
    const byFile = new Map<string, string[]>();
    for (const f of report.findings) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f.ruleId]);
    for (const path of ['web/a.js', 'web/b.ts', 'web/c.tsx', 'web/d.jsx', 'tools/e.py']) {
      assert.ok((byFile.get(path) ?? []).length > 0, `a finding in ${path}: ${JSON.stringify([...byFile])}`);
    }
    assert.ok(report.findings.every((f) => /^(js|py)\/[a-z0-9-]+$/.test(f.ruleId)), JSON.stringify(report.findings.map((f) => f.ruleId)));
    const known = (id: string, file: string): boolean => existsSync(join(REAL_PACK, file)) && report.findings.some((f) => f.ruleId === id);
    if (existsSync(join(REAL_PACK, 'javascript', 'code-injection-eval-dynamic.yml'))) {
      // a parameter of unknown origin: the medium rule (js/code-injection-eval is request or page data)
      assert.ok(known('js/code-injection-eval-dynamic', 'javascript/code-injection-eval-dynamic.yml'));
      assert.deepEqual(
        report.findings.filter((f) => f.ruleId === 'js/code-injection-eval-dynamic').map((f) => f.path),
        ['web/a.js', 'web/b.ts', 'web/c.tsx'],
      );
    }
    for (const info of result.rules) assert.ok(info.shortDescription.length > 0 && !info.shortDescription.includes('$'), info.id);
  });

  test('React components in plain .js/.mjs files are read with JSX (the tsx grammar), not skipped', async () => {
    const component = 'export const C = ({ html, code }) => <div dangerouslySetInnerHTML={{ __html: html }} onClick={() => eval(code)} />;\n';
    const { result } = await scan(
      { 'app/c.js': component, 'app/d.mjs': component },
      { builtinRulesDir: builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep')) },
    );
    for (const path of ['app/c.js', 'app/d.mjs']) {
      const ids = result.report.findings.filter((f) => f.path === path).map((f) => f.ruleId).sort();
      assert.deepEqual(ids, ['js/code-injection-eval-dynamic', 'js/xss-react-dangerously-set-inner-html'], path);
    }
  });

  test("the code of a page's or a template's <script> elements is scanned, at the page's own lines; data blocks are not", async () => {
    const page = [
      '<html><body>',
      '<div id="out"></div>',
      '<script type="text/template"><p>${name}</p><script>document.write(tpl)</script>',
      '<script type="application/json">{"a": 1}</script>',
      '<script src="/app.js"></script>',
      '<script>',
      '  var hash = location.hash.slice(1);',
      '  document.write(decodeURIComponent(hash));',
      '</script>',
      '</body></html>',
      '',
    ].join('\n');
    const view = [
      '<h1><%= title %></h1>',
      '<script type="module">',
      '  var me = "<%= user.name %>";',
      '  window.addEventListener("message", function (event) {',
      '    document.getElementById("msg").innerHTML = event.data;',
      '  });',
      '  total.innerHTML = "$" + data.total.toFixed(2);',
      '</script>',
      '',
    ].join('\n');
    const { result } = await scan(
      { 'public/index.html': page, 'views/profile.ejs': view, 'templates/base.jinja2': '<script>el.outerHTML = reply.html;</script>\n' },
      { builtinRulesDir: builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep')) },
    );
    const { report } = result;
    assert.equal(report.status, 'ok', `${report.reason ?? ''} ${report.warnings.join(' ')}`);
    const found = report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`).sort();
    // The page's address and a message's data are the DOM rule's (high); the sink rules' own findings there (a value that is not
    // a literal, medium) are superseded on those lines and stay where the origin is unknown.
    assert.deepEqual(found, [
      'public/index.html:8 js/xss-dom-page-input',
      'templates/base.jinja2:1 js/xss-inner-html',
      'views/profile.ejs:5 js/xss-dom-page-input',
    ]);
    assert.deepEqual(report.findings.map((f) => f.severity).sort(), ['high', 'high', 'medium']);
  });

  test('the parameter copies run only on the files a call with request data may reach', async () => {
    const dao = "const db = require('./db');\nfunction findAccount(name) {\n  return db.query(\"SELECT * FROM accounts WHERE name = '\" + name + \"'\");\n}\nmodule.exports = { findAccount };\n";
    const route = "const { findAccount } = require('../data/accounts-dao');\napp.get('/a', async (req, res) => res.json(await findAccount(req.query.name)));\n";
    const other = "function readReport(path) { return fs.readFileSync(path); }\nmodule.exports = { readReport };\n";
    const builtin = { builtinRulesDir: builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep')) };
    const copiesRan = (logger: RecordingLogger) => logger.lines.filter((l) => l.message.includes('parameter copies of the cross-file rules run on')).map((l) => l.message);
    // no call with request data: the copies never start, and the helpers' parameters are not findings
    const alone = await scan({ 'data/accounts-dao.js': dao, 'lib/reports.js': other }, builtin);
    assert.deepEqual(copiesRan(alone.logger), []);
    assert.deepEqual(alone.result.report.findings.filter((f) => f.severity === 'critical'), []);
    // a route that imports the DAO: the copies run on that one file (not on lib/reports.js), and the flow is reported at the sink
    const joined = await scan({ 'data/accounts-dao.js': dao, 'lib/reports.js': other, 'routes/accounts.js': route }, builtin);
    assert.deepEqual(copiesRan(joined.logger).map((m) => /run on (\d+) file/.exec(m)?.[1]), ['1']);
    const critical = joined.result.report.findings.filter((f) => f.severity === 'critical');
    assert.deepEqual(critical.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`), ['data/accounts-dao.js:3 js/sql-injection-request-input']);
    assert.equal(critical[0]?.related?.[0]?.path, 'routes/accounts.js');
  });

  test('a page crowded with <script> or <style> tags is reported as not scanned, never as clean', async () => {
    // (a key pasted into the page is still found: the key check reads files, it does not parse them)
    const key = `<pre>-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(64)}\n-----END RSA PRIVATE KEY-----</pre>\n`;
    const crowded = `${'<script src="a.js"></script>\n'.repeat(MAX_PAGE_SCRIPTS - 10)}${'<style>p{}</style>\n'.repeat(11)}<script>el.innerHTML = x;</script>\n${key}`;
    const under = `${'<script src="a.js"></script>\n'.repeat(MAX_PAGE_SCRIPTS - 1)}<script>el.innerHTML = x;</script>\n`;
    const { result } = await scan(
      { 'a/crowded.html': crowded, 'a/under.html': under },
      { builtinRulesDir: builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep')) },
    );
    const { report } = result;
    assert.equal(report.status, 'degraded');
    assert.deepEqual(report.filesNotScanned?.map((f) => f.path), ['a/crowded.html']);
    assert.match(report.filesNotScanned?.[0]?.reason ?? '', new RegExp(`more than ${MAX_PAGE_SCRIPTS} <script> and <style> tags`));
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`).sort(), [
      `a/crowded.html:${MAX_PAGE_SCRIPTS + 3} any/private-key-file`,
      `a/under.html:${MAX_PAGE_SCRIPTS} js/xss-inner-html`,
    ]);
  });
});

describe('a file written to wear the scanner out costs only itself', () => {
  // One call of many request-data arguments: ast-grep prints, with each argument the probe matches, every node it looked at on
  // the way (the call, the list): the whole list once per argument, kept in memory until the file is done.
  const hostile = (count: number): string =>
    `app.get('/', (req, res) => {\n  helper(${Array.from({ length: count }, (_, i) => `req.query.a${i}`).join(',\n    ')});\n});\n`;
  const plain = "app.get('/e', (req, res) => { eval(req.query.code); });\n";
  const builtin = () => ({ builtinRulesDir: builtinRulesDir(join(ROOT, 'src', 'scanners', 'ast-grep')) });

  test('past the output limit: that file is reported as not scanned, the other files of its chunk are scanned', async () => {
    const { result } = await scan({ 'routes/hostile.js': hostile(400), 'routes/eval.js': plain }, { ...builtin(), fileOutputChars: 4 * 1024 * 1024 });
    const { report } = result;
    assert.equal(report.status, 'degraded');
    assert.deepEqual(report.filesNotScanned?.map((f) => f.path), ['routes/hostile.js']);
    assert.match(report.filesNotScanned?.[0]?.reason ?? '', /printed more than 4 MiB/);
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`), ['routes/eval.js:1 js/code-injection-eval']);
    // under the limit, the same file is scanned
    const under = await scan({ 'routes/hostile.js': hostile(40), 'routes/eval.js': plain }, { ...builtin(), fileOutputChars: 4 * 1024 * 1024 });
    assert.equal(under.result.report.status, 'ok', under.result.report.warnings.join(' '));
  });

  test('at the memory limit: ast-grep stops, that file is reported as not scanned, the others are scanned', { skip: process.platform !== 'linux' && 'the limit is set with ulimit -v, on Linux' }, async () => {
    const { result } = await scan({ 'routes/hostile.js': hostile(4_000), 'routes/eval.js': plain }, { ...builtin(), memoryLimitBytes: 768 * 1024 * 1024 });
    const { report } = result;
    assert.equal(report.status, 'degraded');
    assert.deepEqual(report.filesNotScanned?.map((f) => f.path), ['routes/hostile.js']);
    assert.match(report.filesNotScanned?.[0]?.reason ?? '', /ran out of its memory limit of 768 MiB/);
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`), ['routes/eval.js:1 js/code-injection-eval']);
  });

  test('the memory limit is set through /bin/sh on Linux only, and the arguments pass unchanged', () => {
    assert.deepEqual(withMemoryLimit('/x/ast-grep', ['scan', '--', 'a b.js', '$HOME'], 2 * 1024 ** 3, 'linux'), [
      '/bin/sh',
      ['-c', 'ulimit -v 2097152 && exec "$0" "$@"', '/x/ast-grep', 'scan', '--', 'a b.js', '$HOME'],
    ]);
    assert.deepEqual(withMemoryLimit('ast-grep.exe', ['scan'], 2 * 1024 ** 3, 'win32'), ['ast-grep.exe', ['scan']]);
    assert.deepEqual(withMemoryLimit('/x/ast-grep', ['scan'], undefined, 'linux'), ['/x/ast-grep', ['scan']]);
  });
});

describe('resolveAstGrepBinary', () => {
  let dist = '';
  let sha = '';
  before(async () => {
    dist = await tree({});
    sha = await vendorAstGrep(dist);
  });

  test('the vendored binary: unpacked once into the cache, verified, runs, then reused', { skip: `${process.platform}-${process.arch}` !== 'linux-x64' }, async () => {
    const cacheDir = join(dist, 'cache', '0.51.1');
    const logger = new RecordingLogger();
    const first = await resolveAstGrepBinary({ env: {}, distDir: dist, cacheDir, logger });
    assert.deepEqual(first, { path: join(cacheDir, 'ast-grep'), version: '0.51.1', origin: 'vendored' });
    const mode = (await stat(first.path)).mode & 0o777;
    assert.equal(mode, 0o755);
    const inode = (await stat(first.path)).ino;

    const again = await resolveAstGrepBinary({ env: {}, distDir: dist, cacheDir, logger });
    assert.equal(again.path, first.path);
    assert.equal((await stat(again.path)).ino, inode);
    assert.match(logger.text(), /reusing .* \(sha256 verified\)/);

    // a damaged cached copy is replaced, not used
    await writeFile(first.path, 'not ast-grep');
    const repaired = await resolveAstGrepBinary({ env: {}, distDir: dist, cacheDir, logger });
    assert.equal(repaired.origin, 'vendored');
    assert.equal(createHash('sha256').update(await readFile(repaired.path)).digest('hex'), sha);
  });

  test('two runs unpacking at the same time both get a complete binary', { skip: `${process.platform}-${process.arch}` !== 'linux-x64' }, async () => {
    const cacheDir = join(dist, 'cache-concurrent');
    const [a, b] = await Promise.all([
      resolveAstGrepBinary({ env: {}, distDir: dist, cacheDir, logger: new RecordingLogger() }),
      resolveAstGrepBinary({ env: {}, distDir: dist, cacheDir, logger: new RecordingLogger() }),
    ]);
    assert.equal(a.path, b.path);
    assert.equal(a.version, '0.51.1');
    assert.equal(createHash('sha256').update(await readFile(a.path)).digest('hex'), sha);
  });

  test('a vendored binary whose sha256 does not match the manifest is rejected', { skip: `${process.platform}-${process.arch}` !== 'linux-x64' }, async () => {
    const bad = await tree({});
    await cp(join(dist, 'bin'), join(bad, 'bin'), { recursive: true });
    await writeFile(
      join(bad, 'bin', 'ast-grep.json'),
      JSON.stringify({ version: '0.51.1', binaries: { 'linux-x64': { sha256: '0'.repeat(64), gz: 'ast-grep-linux-x64.gz' } } }),
    );
    const cacheDir = join(bad, 'cache');
    await assert.rejects(
      resolveAstGrepBinary({ env: {}, distDir: bad, cacheDir, logger: new RecordingLogger() }),
      /does not match the sha256 recorded in .*ast-grep\.json \(expected 0{64}, got [0-9a-f]{64}\)/,
    );
    assert.ok(!existsSync(join(cacheDir, 'ast-grep')));
  });

  test(`${AST_GREP_ENV_VAR} wins; a wrong path is a configuration error`, async () => {
    const viaEnv = await resolveAstGrepBinary({ env: { [AST_GREP_ENV_VAR]: AST_GREP }, distDir: dist, logger: new RecordingLogger() });
    assert.deepEqual(viaEnv, { path: AST_GREP, version: '0.51.1', origin: 'env' });
    await assert.rejects(
      resolveAstGrepBinary({ env: { [AST_GREP_ENV_VAR]: join(scratch, 'nope') }, logger: new RecordingLogger() }),
      (error: unknown) => error instanceof ConfigurationError && /ULTRA_CREATE_AST_GREP is set to .*nope, which does not exist/.test(error.message),
    );
  });

  test('without a vendored binary: @ast-grep/cli from node_modules', async () => {
    const resolved = await resolveAstGrepBinary({ env: {}, distDir: await tree({}), logger: new RecordingLogger() });
    assert.equal(resolved.origin, 'node_modules');
    assert.equal(resolved.version, '0.51.1');
  });

  test('builtinRulesDir finds rules/ from the sources and from a bundle folder', async () => {
    assert.equal(builtinRulesDir(join(ROOT, 'src', 'scanners')), join(ROOT, 'rules'));
    const bundle = await tree({ 'rules/sgconfig.yml': 'ruleDirs: []\n', 'index.js': '' });
    assert.equal(builtinRulesDir(bundle), join(bundle, 'rules'));
    assert.throws(() => builtinRulesDir(tmpdir()), /rule pack .* was not found/);
  });
});

describe('rules that cannot match a small change are not started', () => {
  const started = (logger: RecordingLogger): [number, number] | undefined => {
    const m = /ast-grep: (\d+) of the (\d+) built-in rule\(s\)/.exec(logger.text());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  };

  test('a small change runs only the rules whose needs its text meets, and their findings are intact', async () => {
    const { result, logger } = await scan({ 'src/a.js': 'el.innerHTML = html;\n', 'src/b.js': 'export const x = 1;\n' });
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.deepEqual(result.report.findings.map((f) => `${f.ruleId} ${f.path}`), ['fx/inner-html src/a.js']);
    const counts = started(logger);
    assert.ok(counts?.[0] === 1 && counts[1] > 1, logger.text());
    // The rules of the files' languages still count as run: they could not match.
    assert.equal(result.report.rulesRun, counts[1]);
    assert.equal(result.report.filesScanned, 2);
  });

  test('no rule can match: ast-grep is not started, the files count as scanned', async () => {
    const { result, logger } = await scan({ 'src/b.js': 'export const x = 1;\n' });
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.deepEqual(result.report.findings, []);
    assert.deepEqual(started(logger)?.[0], 0);
    assert.equal(result.report.filesScanned, 1);
  });

  test('a change larger than the limit runs every rule, as ast-grep decides alone', async () => {
    const big = `${'// filler line of a large change\n'.repeat(Math.ceil(NEEDS_MAX_BYTES / 33) + 10)}el.innerHTML = html;\n`;
    const { result, logger } = await scan({ 'src/big.js': big });
    assert.equal(result.report.status, 'ok', result.report.reason);
    assert.equal(started(logger), undefined, logger.text());
    assert.deepEqual(result.report.findings.map((f) => f.ruleId), ['fx/inner-html']);
  });
});

describe('the compiled built-in pack (dist/rule-pack.json)', () => {
  test('what dist/ reads is what parsing the YAML of dist/rules gives: the same rules, utils, globs and texts', async () => {
    const dir = join(ROOT, 'dist', 'rules');
    const compiled = await loadBuiltinRules(dir);
    const parsed = await parseBuiltinRules(dir);
    assert.ok(compiled.rules.length >= 30, `the pack has its rules (${compiled.rules.length})`);
    // The compiled documents leave out what only ast-grep reads (it reads the rule files): the rest is the same.
    assert.ok(compiled.rules.every((doc) => doc.content && !('rule' in doc.content) && !('utils' in doc.content)));
    assert.deepEqual(compiled, { ...parsed, rules: parsed.rules.map(withoutMatcher), utils: parsed.utils.map(withoutMatcher) });
    assert.ok(compiled.rules.some((doc) => (doc.needs?.length ?? 0) > 0), 'the compiled rules carry their needs');
  });

  test('the sources have no compiled pack: rules/ is parsed, and the serialized form round-trips through a folder', async () => {
    const parsed = await parseBuiltinRules(REAL_PACK);
    assert.deepEqual(await loadBuiltinRules(REAL_PACK), parsed);
    const scratch = await mkdtemp(join(tmpdir(), 'uc-pack-'));
    try {
      await cp(REAL_PACK, join(scratch, 'rules'), { recursive: true });
      await writeFile(join(scratch, 'rule-pack.json'), serializeBuiltinRules(parsed, REAL_PACK));
      const fromJson = await loadBuiltinRules(join(scratch, 'rules'));
      assert.deepEqual(
        fromJson.rules.map((r) => [r.id, r.sourceFile]),
        parsed.rules.map((r) => [r.id, r.sourceFile.replace(REAL_PACK, join(scratch, 'rules'))]),
      );
      assert.deepEqual(fromJson.rules.map((r) => [r.content?.message, r.content?.metadata, r.text, r.needs]), parsed.rules.map((r) => [r.content?.message, r.content?.metadata, r.text, r.needs]));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  test('dist/builtin-config is the configuration the scanner would write, file for file; an override, or sources, write their own', async () => {
    const dir = join(ROOT, 'dist', 'rules');
    const pack = await loadBuiltinRules(dir);
    const scratch = await mkdtemp(join(tmpdir(), 'uc-config-'));
    const prebuilt = await prebuiltBuiltinConfig(dir, pack, new Set(), join(scratch, 'run'));
    assert.ok(prebuilt, 'dist/ has a prebuilt configuration for its pack');
    // The same file wherever dist/ is (a runner's checkout path is not this one): no absolute path in it.
    assert.ok(!(await readFile(join(ROOT, 'dist', 'builtin-config', 'sgconfig.yml'), 'utf8')).includes(ROOT), 'dist/builtin-config/sgconfig.yml names a path of this machine');
    try {
      const written = await prepareBuiltinConfig(join(scratch, 'written'), pack, new Set());
      const read = async (config: typeof written) =>
        Promise.all([...config.byFile.keys()].map(async (file) => [/\/(rules|utils)\/.*$/.exec(file)?.[0] ?? file, await readFile(file, 'utf8')]));
      assert.deepEqual((await read(prebuilt)).sort(), (await read(written)).sort());
      assert.equal(prebuilt.rules.length, written.rules.length);
      // Only Python files: only the Python rules' folder is named, and no rule file is written for the run.
      const python = await prebuiltBuiltinConfig(dir, pack, new Set(), join(scratch, 'py'), ['tools/a.py']);
      assert.ok(python && python.rules.length > 0 && python.rules.every((r) => r.language === 'python'));
      const pyDirs = [join(ROOT, 'dist', 'builtin-config', 'rules', 'python'), join(ROOT, 'dist', 'builtin-config', 'rules', 'python-param')];
      assert.deepEqual((JSON.parse(await readFile(python.configPath, 'utf8')) as { ruleDirs: string[] }).ruleDirs, pyDirs);
      assert.deepEqual(await readdir(join(scratch, 'py')), ['sgconfig.yml']);
      // The scan's two runs (the rules without their parameter copies, then the copies alone) take whole folders: nothing is copied.
      for (const [name, only, dirs] of [['first', (doc: RuleDocument) => !isParamCopy(doc), [pyDirs[0]]], ['join', isParamCopy, [pyDirs[1]]]] as const) {
        const run = await prebuiltBuiltinConfig(dir, pack, new Set(), join(scratch, name), ['tools/a.py'], only);
        assert.ok(run && run.rules.length > 0 && run.rules.every((r) => only(r)), name);
        assert.deepEqual((JSON.parse(await readFile(run.configPath, 'utf8')) as { ruleDirs: string[] }).ruleDirs, dirs, name);
        assert.deepEqual(await readdir(join(scratch, name)), ['sgconfig.yml'], name);
      }
      // Rules that cannot match the change are not started: the others are copied from the prebuilt folder, utils stay there.
      const some = await prebuiltBuiltinConfig(dir, pack, new Set(), join(scratch, 'some'), ['a.js'], (doc) => doc.id === 'js/code-injection-eval@tsx');
      assert.ok(some);
      assert.deepEqual(some.rules.map((r) => r.id), ['js/code-injection-eval@tsx']);
      const someDirs = (JSON.parse(await readFile(some.configPath, 'utf8')) as { ruleDirs: string[] }).ruleDirs;
      assert.deepEqual(someDirs, [join(scratch, 'some', 'rules', 'tsx')]);
      const copied = await readdir(someDirs[0]!);
      assert.equal(copied.length, 1);
      assert.equal(await readFile(join(someDirs[0]!, copied[0]!), 'utf8'), await readFile(join(ROOT, 'dist', 'builtin-config', 'rules', 'tsx', copied[0]!), 'utf8'));
      assert.equal(await prebuiltBuiltinConfig(dir, pack, new Set(['js/code-injection-eval']), join(scratch, 'o')), undefined);
      assert.equal(await prebuiltBuiltinConfig(REAL_PACK, await loadBuiltinRules(REAL_PACK), new Set(), join(scratch, 's')), undefined);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
