/**
 * `ultra-create review` end to end: `runCli` in-process against real git repositories built in temp folders, with the real ast-grep
 * and the built-in rule pack, plus one run of the real entry point in a child process. Nothing is mocked; stdout and stderr are
 * captured streams.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { EXIT, runCli } from '../src/cli/main.js';
import type { JsonReport } from '../src/report/text.js';
import { git } from './support/git-fixture.js';
import { compileSarifSchema } from './support/sarif-schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cli-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Helpers

class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  options: { cwd?: string; stdoutTTY?: boolean; stderrTTY?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const stdout = new Capture(options.stdoutTTY ?? false);
  const stderr = new Capture(options.stderrTTY ?? false);
  const code = await runCli(argv, { stdout, stderr, cwd: options.cwd ?? scratch, env: options.env ?? {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function reviewJson(dir: string, ...args: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const result = await cli(['review', '--repo', dir, '--format', 'json', ...args]);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    assert.fail(`stdout is not a JSON document (exit ${result.code}): ${result.stdout.slice(0, 300)}\nstderr: ${result.stderr}`);
  }
  return { code: result.code, report, stderr: result.stderr };
}

const placesOf = (report: JsonReport): string[] => report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`).sort();

interface Repo {
  dir: string;
  commit(files: Record<string, string | Buffer | null>, message?: string): Promise<string>;
  run(...args: string[]): Promise<string>;
}

let repoCount = 0;
async function createRepo(name = 'repo'): Promise<Repo> {
  const dir = join(scratch, `${name}-${++repoCount}`);
  await mkdir(dir, { recursive: true });
  const run = async (...args: string[]): Promise<string> => (await git(dir, args)).toString('utf8');
  await run('init', '-q', '-b', 'main');
  await run('config', 'user.name', 'Test Author');
  await run('config', 'user.email', 'test@example.com');
  await run('config', 'commit.gpgsign', 'false');
  let commits = 0;
  return {
    dir,
    run,
    async commit(files, message = `commit ${++commits}`) {
      for (const [path, content] of Object.entries(files)) {
        const target = join(dir, path);
        if (content === null) await rm(target, { force: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      await run('add', '-A');
      await run('commit', '-q', '--allow-empty', '-m', message);
      return (await run('rev-parse', 'HEAD')).trim();
    },
  };
}

function lines(count: number, prefix: string): string {
  return Array.from({ length: count }, (_, i) => `const ${prefix}${i + 1} = ${i + 1};\n`).join('');
}

const EVAL = 'eval(location.hash);\n'; // js/code-injection-eval: critical
const INNER_HTML = 'document.body.innerHTML = location.hash;\n'; // js/xss-dom-page-input: high

// ---------------------------------------------------------------------------------------------------------------------------------

describe('usage', { concurrency: true }, () => {
  test('--help prints the usage on stdout and exits 0', async () => {
    const result = await cli(['--help']);
    assert.equal(result.code, EXIT.ok);
    assert.match(result.stdout, /^Usage: ultra-create review \[DIR\] \[options\]/);
    assert.match(result.stdout, /--format FORMAT\s+text \| markdown \| json \| sarif/);
    assert.equal(result.stderr, '');
    assert.equal((await cli(['review', '-h'])).code, EXIT.ok);
    const help = await cli(['help']);
    assert.equal(help.code, EXIT.ok);
    assert.equal(help.stdout, result.stdout);
  });

  test('--help: the defaults, the scanners that are not available, Docker, the exit codes; one column for every description', async () => {
    const { stdout } = await cli(['--help']);
    assert.match(stdout, /--fail-on SEVERITY .*\n\s+\(default: none, or the config file's fail-on\)/);
    assert.match(stdout, /--filter-mode MODE .*\(default: added\)/);
    assert.match(stdout, /--scanners LIST .*\(default: ast-grep,ramparts,tests\)/);
    assert.match(stdout, /--local-model REF .*\(default: off; drafting is opt-in here\)/);
    assert.match(stdout, /^ {2}ramparts {2,}the MCP audit: MCP server configurations/m);
    assert.match(stdout, /may start containers and pull their images/);
    assert.match(stdout, /^ {2}3 {2}the review could not complete/m);
    const options = stdout.slice(stdout.indexOf('Options:\n'), stdout.indexOf('\n\nScanners:'));
    const columns = new Set(
      options
        .split('\n')
        .slice(1)
        .map((line) => /^( {2}\S.*? {2,}| +)\S/.exec(line)?.[1]?.length),
    );
    assert.deepEqual([...columns], [28], 'every description and continuation starts in column 28');
  });

  test('--version prints name and version', async () => {
    const result = await cli(['--version']);
    assert.equal(result.code, EXIT.ok);
    assert.equal(result.stdout, `ultra-create ${(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version}\n`);
  });

  test('an unknown option, a missing value, an unknown or missing command exit 2 with the usage on stderr', async () => {
    for (const argv of [['review', '--bogus'], ['review', '--base'], ['scan'], [], ['review', 'one', 'two'], ['review', 'x', '--repo', 'y']]) {
      const result = await cli(argv);
      assert.equal(result.code, EXIT.usage, argv.join(' '));
      assert.equal(result.stdout, '', argv.join(' '));
      assert.match(result.stderr, /^ultra-create: /, argv.join(' '));
      assert.match(result.stderr, /Usage: ultra-create review/, argv.join(' '));
    }
    assert.match((await cli(['scan'])).stderr, /expected the command 'review', got 'scan'/);
    assert.match((await cli(['review', '--bogus'])).stderr, /--bogus/);
  });

  test('a bad --format exits 2 naming the allowed values', async () => {
    const result = await cli(['review', '--format', 'xml']);
    assert.equal(result.code, EXIT.usage);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /invalid --format 'xml': allowed values are text, markdown, json, sarif/);
  });

  test('a bad --fail-on value exits 2 naming the key and the allowed values', async () => {
    const repo = await createRepo('usage');
    await repo.commit({ 'a.js': 'const a = 1;\n' });
    const result = await cli(['review', '--repo', repo.dir, '--fail-on', 'sometimes']);
    assert.equal(result.code, EXIT.usage);
    assert.match(result.stderr, /ultra-create: Invalid --fail-on: "sometimes" is not one of none, info, low, medium, high, critical/);
    assert.ok(!result.stderr.includes('input'), 'the CLI has flags, not inputs');
  });

  test('an unresolvable ref or a folder that is no repository exits 2', async () => {
    const repo = await createRepo('usage');
    await repo.commit({ 'a.js': 'const a = 1;\n' });
    for (const args of [['--base', 'no-such-branch'], ['--head', 'no-such-branch'], ['--base=--all']]) {
      const result = await cli(['review', '--repo', repo.dir, ...args]);
      assert.equal(result.code, EXIT.usage, args.join(' '));
      assert.match(result.stderr, /Cannot resolve the revisions to compare/, args.join(' '));
      assert.ok(result.stderr.includes(args.join(' ').replace('=', ' ')), `names the ref: ${result.stderr}`);
      assert.equal(result.stdout, '');
    }
    const notARepo = await mkdtemp(join(scratch, 'plain-'));
    const result = await cli(['review', '--repo', notARepo]);
    assert.equal(result.code, EXIT.usage);
    assert.match(result.stderr, /it is not a git repository/);
    assert.ok(!result.stderr.includes('ENOENT'));
    const missing = await cli(['review', '--repo', join(scratch, 'nonexistent')]);
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.stderr, /^ultra-create: Cannot review --repo \S+nonexistent: \S+ does not exist\.\n$/);
  });

  test('review DIR is review --repo DIR', async () => {
    const repo = await createRepo('positional');
    await repo.commit({ 'a.js': 'const a = 1;\n' });
    await repo.commit({ 'b.js': EVAL });
    const result = await cli(['review', repo.dir, '--format', 'json', '--quiet']);
    assert.equal(result.code, EXIT.ok, result.stderr);
    assert.deepEqual(placesOf(JSON.parse(result.stdout) as JsonReport), ['b.js:1 js/code-injection-eval']);
  });
});

describe('revisions and exit codes', { concurrency: true }, () => {
  let repo: Repo;
  const c: string[] = [];

  before(async () => {
    repo = await createRepo('revisions');
    c.push(await repo.commit({ 'root.js': EVAL })); // c0, the root commit
    c.push(await repo.commit({ 'b.js': 'console.log("hello");\n' })); // c1: nothing the built-in pack reports
    c.push(await repo.commit({ 'c.js': EVAL })); // c2: critical
    c.push(await repo.commit({ 'd.js': INNER_HTML })); // c3: high
  });

  test('default: the last commit (HEAD~1...HEAD); a high finding under fail-on critical exits 0', async () => {
    const { code, report, stderr } = await reviewJson(repo.dir, '--fail-on', 'critical');
    assert.equal(code, EXIT.ok);
    assert.equal(report.baseSha, c[2]);
    assert.equal(report.headSha, c[3]);
    assert.deepEqual(placesOf(report), ['d.js:1 js/xss-dom-page-input']);
    assert.equal(report.conclusion, 'success');
    assert.match(stderr, /^Reviewing HEAD~1\.\.\.HEAD /, 'progress as plain lines when stderr is not a terminal');
    assert.ok(!stderr.includes('\u001b['), 'no escape sequences off a terminal');
  });

  test('--fail-on high makes the same finding fail: exit 1', async () => {
    const { code, report } = await reviewJson(repo.dir, '--fail-on', 'high');
    assert.equal(code, EXIT.findings);
    assert.equal(report.failOn, 'high');
    assert.equal(report.conclusion, 'failure');
  });

  test('--head alone: its parent is the base; a critical finding exits 1', async () => {
    const { code, report } = await reviewJson(repo.dir, '--head', 'HEAD~1', '--fail-on', 'critical');
    assert.equal(code, EXIT.findings);
    assert.equal(report.baseSha, c[1]);
    assert.deepEqual(placesOf(report), ['c.js:1 js/code-injection-eval']);
  });

  test('--base and --head explicit (shas)', async () => {
    const { code, report } = await reviewJson(repo.dir, '--base', c[0]!, '--head', c[2]!, '--fail-on', 'critical');
    assert.equal(code, EXIT.findings);
    assert.equal(report.baseSha, c[0]);
    assert.equal(report.headSha, c[2]);
    assert.deepEqual(placesOf(report), ['c.js:1 js/code-injection-eval']);
    assert.equal(report.totals.filesReviewed, 2);
  });

  test('--base with a relative ref covers every commit since', async () => {
    const { report } = await reviewJson(repo.dir, '--base', 'HEAD~3', '--fail-on', 'none');
    assert.deepEqual(placesOf(report), ['c.js:1 js/code-injection-eval', 'd.js:1 js/xss-dom-page-input']);
  });

  test('no findings: exit 0', async () => {
    const result = await cli(['review', '--repo', repo.dir, '--head', 'HEAD~2', '--fail-on', 'critical']);
    assert.equal(result.code, EXIT.ok);
    assert.match(result.stdout, /^0 findings in 1 file; conclusion: success \(fail-on: critical\)$/m);
  });

  test('the root commit is reviewed against the empty tree; --fail-on none exits 0', async () => {
    const { code, report } = await reviewJson(repo.dir, '--head', c[0]!, '--fail-on', 'none');
    assert.equal(code, EXIT.ok);
    assert.equal(report.baseSha, EMPTY_TREE);
    assert.deepEqual(placesOf(report), ['root.js:1 js/code-injection-eval']);
    assert.equal(report.findings[0]?.placement.kind, 'inline');
    assert.equal(report.conclusion, 'success');
  });

  test('--rules DIR adds a rule to the built-in pack', async () => {
    const rules = join(scratch, 'extra-rules');
    await mkdir(rules, { recursive: true });
    await writeFile(
      join(rules, 'no-console-log.yml'),
      'id: team/no-console-log\nlanguage: javascript\nseverity: warning\nmessage: console.log left in\nrule:\n  pattern: console.log($$$ARGS)\n',
    );
    const { code, report } = await reviewJson(repo.dir, '--head', 'HEAD~2', '--rules', rules, '--fail-on', 'medium');
    assert.deepEqual(placesOf(report), ['b.js:1 team/no-console-log']);
    assert.equal(report.findings[0]?.severity, 'medium');
    assert.equal(report.findings[0]?.message, 'console.log left in');
    assert.equal(code, EXIT.findings);
  });
});

describe('default base with an upstream branch', () => {
  test('the merge base with the upstream, not the upstream tip and not HEAD~1', async () => {
    const repo = await createRepo('upstream');
    const root = await repo.commit({ 'main.js': 'const m = 1;\n' });
    await repo.run('checkout', '-q', '-b', 'feature');
    await repo.commit({ 'f1.js': EVAL });
    await repo.commit({ 'f2.js': INNER_HTML });
    await repo.run('checkout', '-q', 'main');
    await repo.commit({ 'main-only.js': EVAL });
    await repo.run('checkout', '-q', 'feature');
    await repo.run('branch', '-q', '--set-upstream-to=main');
    const { code, report } = await reviewJson(repo.dir, '--fail-on', 'critical');
    assert.equal(report.baseSha, root);
    assert.deepEqual(placesOf(report), ['f1.js:1 js/code-injection-eval', 'f2.js:1 js/xss-dom-page-input']);
    assert.equal(code, EXIT.findings);
  });
});

describe('one change of every kind, in every format', { concurrency: true }, () => {
  let repo: Repo;
  let head = '';

  before(async () => {
    repo = await createRepo('kinds');
    await repo.commit({
      '.gitattributes': 'generated/** linguist-generated\n',
      'src/rename-me.js': lines(20, 'r'),
      'src/move-me.js': lines(20, 'm'),
      'src/delete-me.js': 'eval(legacyCode);\n',
      'src/modified.js': `${lines(1, 'x')}${EVAL}${lines(18, 'y')}`,
    });
    await repo.run('mv', 'src/rename-me.js', 'src/renamed.js');
    await repo.run('mv', 'src/move-me.js', 'src/moved.js');
    head = await repo.commit({
      // A head-only change of .gitattributes must not take effect: src/ stays reviewed.
      '.gitattributes': 'generated/** linguist-generated\nsrc/** linguist-generated\n',
      'src/renamed.js': `${lines(20, 'r')}${EVAL}`,
      'src/delete-me.js': null,
      'src/modified.js': `${lines(1, 'x')}${EVAL}${lines(18, 'y').replace('const y15 = 15;\n', INNER_HTML)}`,
      'assets/logo.png': PNG,
      'dir with space/ünïcödé file.js': INNER_HTML,
      '.github/scripts/x.js': EVAL,
      'vendor/lib.js': EVAL,
      'generated/client.js': EVAL,
      'dist/app.min.js': EVAL,
      'package-lock.json': '{}\n',
    });
  });

  test('json: findings with placements, scans, skipped files listed with reasons', async () => {
    const { code, report, stderr } = await reviewJson(repo.dir, '--fail-on', 'critical', '--quiet');
    assert.equal(code, EXIT.findings);
    assert.equal(stderr, '', '--quiet: nothing on stderr');
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.headSha, head);
    assert.deepEqual(placesOf(report), [
      '.github/scripts/x.js:1 js/code-injection-eval',
      'dir with space/ünïcödé file.js:1 js/xss-dom-page-input',
      'src/modified.js:17 js/xss-dom-page-input',
      'src/modified.js:2 js/code-injection-eval',
      'src/renamed.js:21 js/code-injection-eval',
    ]);
    const placement = (path: string, line: number) =>
      report.findings.find((f) => f.path === path && f.startLine === line)?.placement;
    assert.deepEqual(placement('src/renamed.js', 21), { kind: 'inline', line: 21, exact: true });
    assert.deepEqual(placement('src/modified.js', 17), { kind: 'inline', line: 17, exact: true });
    // Unchanged code outside the hunk: reported, not commented inline (filter-mode added), and still fails the check.
    assert.equal(placement('src/modified.js', 2)?.kind, 'outside-diff');
    assert.equal(report.findings[0]?.severity, 'critical', 'most severe first');
    for (const finding of report.findings) {
      assert.match(finding.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(finding.evidence.length > 0);
    }

    assert.deepEqual(
      Object.fromEntries(report.skippedFiles.map((s) => [s.path, s.reason])),
      {
        'assets/logo.png': 'binary',
        'dist/app.min.js': 'minified',
        'generated/client.js': 'generated',
        'package-lock.json': 'generated',
        'src/delete-me.js': 'removed',
        'src/moved.js': 'no-patch',
        'vendor/lib.js': 'vendored',
      },
    );
    assert.equal(report.totals.filesReviewed, 5);
    assert.equal(report.totals.filesSkipped, 7);
    const astGrep = report.scans.find((s) => s.scanner === 'ast-grep');
    assert.equal(astGrep?.status, 'ok');
    assert.equal(astGrep?.findings, 5);
    assert.equal(astGrep?.filesScanned, 4, '.gitattributes is reviewable but no rule language covers it');
    assert.ok((astGrep?.rulesRun ?? 0) > 10);
    assert.deepEqual(
      report.scans.filter((s) => s.scanner !== 'ast-grep').map((s) => [s.scanner, s.status]),
      [
        ['templates', 'ok'],
        ['ramparts', 'ok'],
        ['tests', 'skipped'],
      ],
    );
  });

  test('text: file:line, severity, rule, message and the code line; no colour when stdout is not a terminal', async () => {
    const result = await cli(['review', '--repo', repo.dir, '--fail-on', 'critical', '--quiet']);
    assert.equal(result.code, EXIT.findings);
    assert.equal(result.stderr, '');
    assert.ok(!result.stdout.includes('\u001b['), 'no ANSI escapes');
    assert.match(
      result.stdout,
      /^src\/renamed\.js:21:1 {2}critical {2}js\/code-injection-eval {2}eval\(\) runs request or page data \(location\.hash\) as code\.\n {4}eval\(location\.hash\);$/m,
    );
    assert.match(result.stdout, /^dir with space\/ünïcödé file\.js:1:1 {2}high {2}js\/xss-dom-page-input {2}Data from the page's address/m);
    assert.match(result.stdout, /^ {4}document\.body\.innerHTML = location\.hash;$/m);
    assert.match(result.stdout, /^ast-grep: ok \(5 findings, 4 files, \d+ rules, /m);
    assert.match(result.stdout, /^Not reviewed: 7 files \(/m);
    assert.match(result.stdout, /^5 findings \(3 critical, 2 high\) in 5 files; conclusion: failure \(fail-on: critical\)\n$/m);
    // Critical before high.
    assert.ok(result.stdout.indexOf('  critical  ') < result.stdout.indexOf('  high  '));
  });

  test('sarif: valid SARIF 2.1.0 with one result per finding, URIs percent-encoded', async () => {
    const result = await cli(['review', '--repo', repo.dir, '--format', 'sarif', '--fail-on', 'critical']);
    assert.equal(result.code, EXIT.findings);
    const sarif = JSON.parse(result.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    const validate = compileSarifSchema();
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0]!;
    assert.equal(run.tool.driver.name, 'ultra-create');
    const locations = run.results.map((r) => {
      const location = r.locations[0]!.physicalLocation;
      return `${location.artifactLocation.uri}:${location.region.startLine} ${r.ruleId}`;
    });
    assert.deepEqual(locations.sort(), [
      '.github/scripts/x.js:1 js/code-injection-eval',
      'dir%20with%20space/%C3%BCn%C3%AFc%C3%B6d%C3%A9%20file.js:1 js/xss-dom-page-input',
      'src/modified.js:17 js/xss-dom-page-input',
      'src/modified.js:2 js/code-injection-eval',
      'src/renamed.js:21 js/code-injection-eval',
    ]);
  });

  test('markdown: the findings table and the files not reviewed', async () => {
    const result = await cli(['review', '--repo', repo.dir, '--format', 'markdown', '--fail-on', 'critical']);
    assert.equal(result.code, EXIT.findings);
    assert.match(result.stdout, /^\| Severity \| Location \| Rule \| Message \| Reported as \|$/m);
    assert.match(result.stdout, /^\| 🔴 Critical \| `src\/renamed\.js:21` \| `js\/code-injection-eval` \| .* \| inline comment \|$/m);
    assert.match(result.stdout, /^\| 🔴 Critical \| `src\/modified\.js:2` \| `js\/code-injection-eval` \| .* \| outside the diff \(not on a line of the diff\) \|$/m);
    assert.match(result.stdout, /`dir with space\/ünïcödé file\.js:1`/);
    assert.match(result.stdout, /\*\*vendored\*\* \(1\): `vendor\/lib\.js`/);
  });

  test('on a terminal: colour on stdout, progress on stderr, NO_COLOR honoured', async () => {
    const tty = await cli(['review', '--repo', repo.dir, '--scanners', 'ast-grep', '--fail-on', 'critical'], { stdoutTTY: true, stderrTTY: true });
    assert.equal(tty.code, EXIT.findings);
    assert.ok(tty.stdout.includes('\u001b[1;31mcritical\u001b[0m'));
    assert.match(tty.stderr, /Reviewing HEAD~1\.\.\.HEAD/);
    assert.match(tty.stderr, /12 changed file\(s\): 5 to review, 7 not reviewed/);
    assert.ok(!tty.stdout.includes('Reviewing'), 'progress never goes to stdout');
    const noColor = await cli(['review', '--repo', repo.dir, '--scanners', 'ast-grep'], { stdoutTTY: true, env: { NO_COLOR: '1' } });
    assert.ok(!noColor.stdout.includes('\u001b['));
  });
});

describe('configuration from the base commit', { concurrency: true }, () => {
  test('the base commit\'s .github/ultra-create.yml applies; an explicit flag still wins over it', async () => {
    const repo = await createRepo('config-base');
    await repo.commit({ '.github/ultra-create.yml': 'fail-on: none\nfilter-mode: nofilter\n' });
    await repo.commit({ 'a.js': EVAL });
    const fromFile = await reviewJson(repo.dir);
    assert.equal(fromFile.code, EXIT.ok);
    assert.equal(fromFile.report.failOn, 'none');
    assert.equal(fromFile.report.filterMode, 'nofilter');
    assert.equal(fromFile.report.totals.findings, 1);
    // `critical` is also the default value: a flag must win even then.
    const flag = await reviewJson(repo.dir, '--fail-on', 'critical', '--filter-mode', 'added');
    assert.equal(flag.report.failOn, 'critical');
    assert.equal(flag.report.filterMode, 'added');
    assert.equal(flag.code, EXIT.findings);
  });

  test('a config file added or changed only in the head commit does not apply', async () => {
    const repo = await createRepo('config-head');
    await repo.commit({ 'README.md': 'hello\n' });
    await repo.commit({ '.github/ultra-create.yml': 'fail-on: info\n', 'a.js': EVAL });
    const { code, report } = await reviewJson(repo.dir);
    assert.equal(report.failOn, 'none', 'the CLI default, not the head commit\'s fail-on');
    assert.equal(code, EXIT.ok);
  });

  test('an invalid config file at the base exits 2 naming the key and the allowed values; an invalid one only in head is ignored', async () => {
    const repo = await createRepo('config-invalid');
    await repo.commit({ '.github/ultra-create.yml': 'fail-on: none\n' });
    await repo.commit({ '.github/ultra-create.yml': 'fail-on: sometimes\nfilter_mode: added\n' });
    await repo.commit({ 'a.js': 'const a = 1;\n' });
    const broken = await cli(['review', '--repo', repo.dir]);
    assert.equal(broken.code, EXIT.usage);
    assert.equal(broken.stdout, '');
    assert.match(
      broken.stderr,
      /Invalid value for 'fail-on' in config file \.github\/ultra-create\.yml: "sometimes" is not one of none, info, low, medium, high, critical\./,
    );
    assert.match(broken.stderr, /Unknown key 'filter_mode' in config file \.github\/ultra-create\.yml\. Did you mean 'filter-mode'\?/);
    const headOnly = await cli(['review', '--repo', repo.dir, '--head', 'HEAD~1']);
    assert.equal(headOnly.code, EXIT.ok, headOnly.stderr);
  });

  test('--config FILE replaces the repository config; a missing file exits 2', async () => {
    const repo = await createRepo('config-flag');
    await repo.commit({ '.github/ultra-create.yml': 'fail-on: info\n' });
    await repo.commit({ 'a.js': EVAL });
    const configDir = await mkdtemp(join(scratch, 'config-'));
    await writeFile(join(configDir, 'review.yml'), 'fail-on: none\n');
    const result = await cli(['review', '--repo', repo.dir, '--config', 'review.yml', '--format', 'json'], { cwd: configDir });
    assert.equal(result.code, EXIT.ok, result.stderr);
    assert.equal((JSON.parse(result.stdout) as JsonReport).failOn, 'none');
    const missing = await cli(['review', '--repo', repo.dir, '--config', 'nope.yml'], { cwd: configDir });
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.stderr, /Cannot read --config nope\.yml/);
  });

  test('the repository\'s own sgconfig.yml rules run from the base commit; a rule added in the head does not', async () => {
    const repo = await createRepo('sgconfig');
    const rule = (id: string, call: string, extra = '') =>
      `id: ${id}\nlanguage: javascript\nseverity: warning\n${extra}message: no ${call}\nrule:\n  pattern: ${call}($$$A)\n`;
    await repo.commit({
      'sgconfig.yml': 'ruleDirs:\n  - team-rules\n',
      'team-rules/no-alert.yml': rule('team/no-alert', 'alert'),
    });
    await repo.commit({
      'team-rules/no-confirm.yml': rule('team/no-confirm', 'confirm'),
      // Turning the base rule off in the head changes nothing either.
      'team-rules/no-alert.yml': rule('team/no-alert', 'alert').replace('severity: warning', 'severity: off'),
      'app.js': 'alert("a");\nconfirm("b");\n',
    });
    const { report } = await reviewJson(repo.dir);
    assert.deepEqual(placesOf(report), ['app.js:1 team/no-alert']);
  });
});

describe('what a newcomer meets', { concurrency: true }, () => {
  let repo: Repo;
  // Long, but under the minified-by-content threshold (a 2000-character line), so the file is still reviewed.
  const minified = `var x=${'a'.repeat(900)};eval(location.hash);${'b'.repeat(900)}\n`;

  before(async () => {
    repo = await createRepo('newcomer');
    await repo.commit({ 'a.js': 'const a = 1;\n' });
    await repo.commit({ 'b.js': EVAL, 'min.js': minified, 'empty.js': '' });
  });

  test('exit codes: findings do not fail by default; --fail-on or the config file opts in', async () => {
    const byDefault = await cli(['review', repo.dir, '--quiet']);
    assert.equal(byDefault.code, EXIT.ok);
    assert.match(byDefault.stdout, /conclusion: success \(fail-on: none\)$/m);
    assert.equal((await cli(['review', repo.dir, '--quiet', '--fail-on', 'critical'])).code, EXIT.findings);
    const config = join(scratch, 'fail-on-high.yml');
    await writeFile(config, 'fail-on: high\n');
    assert.equal((await cli(['review', repo.dir, '--quiet', '--config', config])).code, EXIT.findings);
  });

  test('a long code line is cut around the match in text; JSON keeps the whole line', async () => {
    const text = await cli(['review', repo.dir, '--quiet']);
    const shown = text.stdout.split('\n').find((line) => line.includes('eval(location.hash);b'));
    assert.ok(shown, text.stdout);
    assert.ok(shown.length <= 4 + 160, `${shown.length} characters`);
    assert.match(shown, /^ {4}…a+;eval\(location\.hash\);b+…$/);
    const { report } = await reviewJson(repo.dir, '--quiet');
    assert.ok(report.findings.find((f) => f.path === 'min.js')?.evidence === minified.trimEnd(), 'the whole line');
  });

  test('an empty file is listed as empty, not as a file without a patch', async () => {
    const text = await cli(['review', repo.dir, '--quiet']);
    assert.match(text.stdout, /^Not reviewed: 1 file \(empty 1\)$/m);
  });

  test('drafting is opt-in: off by default (no Docker, no pull), and --model-endpoint alone never starts a Model Runner', async () => {
    const byDefault = await cli(['review', repo.dir]);
    assert.match(byDefault.stderr, /^Comment drafts: off \(drafting is opt-in for the CLI/m);
    assert.match(byDefault.stdout, /^Comment drafts: 2 comments from templates \(drafting is opt-in for the CLI/m);
    assert.ok(!/Model Runner|Pulling/.test(byDefault.stderr), byDefault.stderr);
    const endpoint = await cli(['review', repo.dir, '--model-endpoint', 'http://127.0.0.1:9/v1']);
    assert.match(endpoint.stderr, /Asking http:\/\/127\.0\.0\.1:9\/v1 for the local model/);
    assert.match(endpoint.stderr, /no Model Runner is started and no model is pulled unless drafting is asked for/);
    assert.ok(!/starting the Model Runner|Pulling/.test(endpoint.stderr), endpoint.stderr);
  });

  test('off a terminal: plain progress lines (stages, counts, durations); --verbose adds debug lines', async () => {
    const plain = await cli(['review', repo.dir]);
    assert.match(plain.stderr, /^» Scan$/m);
    assert.match(plain.stderr, /^ast-grep: ok, 2 finding\(s\) in \d/m);
    assert.match(plain.stderr, /^Scan: \d+(\.\d+)? m?s$/m);
    assert.match(plain.stderr, /^ramparts: ok, 0 finding/m);
    assert.ok(!plain.stderr.includes('\r') && !plain.stderr.includes('\u001b['));
    assert.ok(!plain.stderr.includes('debug: '));
    const verbose = await cli(['review', repo.dir, '--verbose']);
    assert.match(verbose.stderr, /^debug: /m);
    assert.ok(!/\bposted\b/.test(verbose.stderr), 'the CLI posts nothing');
  });

  test('on a pseudo-terminal: a live line with a bar over the files scanned, erased before each log line', async (t) => {
    const script = spawn('script', ['--version']);
    const hasScript = await new Promise<boolean>((resolve) => {
      script.on('error', () => resolve(false));
      script.on('close', (code) => resolve(code === 0));
    });
    if (!hasScript) return t.skip('script(1) from util-linux is not installed');
    const command = `'${process.execPath}' --import tsx src/cli.ts review '${repo.dir}' --format json > /dev/null`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, CI: '', NO_COLOR: '1' } });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const tty = Buffer.concat(out).toString('utf8');
    assert.equal(code, EXIT.ok, tty);
    assert.match(tty, /… Scan {2}\[█+░*\] {2}\d\/2 files {2}\d/);
    assert.match(tty, /… Scan {2}\[█{24}\] {2}2\/2 files/);
    assert.ok(tty.includes('\r\u001b[2K'), 'the live line is erased in place');
    assert.match(tty, /Scan: \d/);
  });
});

describe('the entry point', () => {
  test('node --import tsx src/cli.ts review: exit code, a clean JSON stdout, nothing on stderr', async () => {
    const repo = await createRepo('entry');
    await repo.commit({ 'a.js': 'const a = 1;\n' });
    await repo.commit({ 'b.js': EVAL });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'review', '--repo', repo.dir, '--format', 'json', '--fail-on', 'critical', '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const stderr = Buffer.concat(err).toString('utf8');
    assert.equal(code, EXIT.findings, stderr);
    assert.equal(stderr, '');
    const report = JSON.parse(Buffer.concat(out).toString('utf8')) as JsonReport;
    assert.deepEqual(placesOf(report), ['b.js:1 js/code-injection-eval']);
  });
});
