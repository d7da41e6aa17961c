/**
 * Hostile pull requests, end to end from `dist/` against the GitHub simulator (issue 11, items 1, 2, 3 and 6): a review that did not
 * run fully never passes the gate, third-party rules cannot take the built-in ones down or replace them, rules come from the base
 * commit only, and the volume of findings cannot turn one run into thousands of requests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { createPullRequestFixture, type FileContent } from './support/git-fixture.js';
import { startGitHubSimulator, type CheckRunRecord, type GitHubSimulator, type SimulatorOptions } from './support/github-simulator.js';
import { assertDistBuilt, checkoutWorkspace, runDist, type DistRun } from './support/run-dist.js';

const OWNER = 'octo-org';
const REPO = 'shop';
const PULL = 7;
const TOKEN = 'ghs_hardeningToken0123456789abcdef0123';

interface Reviewed {
  run: DistRun;
  sim: GitHubSimulator;
  checkRun: CheckRunRecord;
  ms: number;
}

const APP = 'export function run(req) {\n  return eval(req.body.cmd);\n}\n';

/** One pull request reviewed once by dist/; the simulator is closed afterwards (its state stays readable). */
async function review(
  spec: { base?: Record<string, FileContent>; head: Record<string, FileContent | null> },
  options: { inputs?: Record<string, string>; env?: Record<string, string>; sim?: Partial<SimulatorOptions> } = {},
): Promise<Reviewed> {
  assertDistBuilt();
  const fixture = await createPullRequestFixture({ base: { 'README.md': '# shop\n', ...spec.base }, head: spec.head }, { owner: OWNER, repo: REPO });
  const sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN, ...options.sim });
  try {
    const workspace = await checkoutWorkspace(fixture);
    const started = Date.now();
    const run = await runDist({
      simUrl: sim.url,
      token: TOKEN,
      fixture,
      pullNumber: PULL,
      workspace,
      inputs: { 'fail-on': 'none', scanners: 'ast-grep', 'local-model': 'off', 'mcp-gateway': 'off', ...options.inputs },
      env: options.env,
    });
    const ms = Date.now() - started;
    assert.deepEqual(sim.violations, []);
    assert.equal(sim.state.checkRuns.length, 1, run.stdout + run.stderr);
    return { run, sim, checkRun: sim.state.checkRuns[0]!, ms };
  } finally {
    await sim.close();
    await fixture.cleanup();
  }
}

function assertNotFullyReviewed(result: Reviewed, what: RegExp): void {
  const { run, checkRun } = result;
  assert.equal(checkRun.status, 'completed');
  assert.equal(checkRun.conclusion, 'failure', `title: ${checkRun.output.title}`);
  assert.match(checkRun.output.title ?? '', /not fully reviewed/);
  assert.doesNotMatch(checkRun.output.title ?? '', /^No findings$/);
  assert.match(`${checkRun.output.title} ${checkRun.output.summary}`, what);
  assert.equal(run.exitCode, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /::error::ultra-create: .*not fully reviewed/);
  assert.equal(run.outputs.conclusion, 'failure');
}

/** 45,000 cheap calls (a patch GitHub still sends: under 1 MB) and an eval at the very end: seconds for the whole pack. */
function pathologicalFile(): string {
  const lines: string[] = [];
  for (let i = 0; i < 45_000; i++) lines.push(`cache.get(k${i});`);
  lines.push('eval(req.body.cmd);', '');
  return lines.join('\n');
}

describe('fail closed: a review that did not run fully never passes (item 1)', () => {
  test('a file over the per-file time limit is reported as not scanned, the other files still are, and the check fails', async () => {
    const result = await review(
      { head: { 'src/app.js': APP, 'src/cache.js': pathologicalFile() } },
      { env: { ULTRA_CREATE_AST_GREP_FILE_TIMEOUT_MS: '500' } },
    );
    assertNotFullyReviewed(result, /src\/cache\.js/);
    assert.ok(result.checkRun.annotations.some((a) => a.path === 'src/app.js' && (a.title ?? '').includes('code-injection-eval')));
    assert.match(result.run.summary, /src\/cache\.js/);
  });

  test('a scanner that hit the scan time limit fails the check with a title naming it (never neutral, never "No findings")', async () => {
    const result = await review({ head: { 'src/app.js': APP } }, { env: { ULTRA_CREATE_AST_GREP_TIMEOUT_MS: '1' } });
    assertNotFullyReviewed(result, /ast-grep failed/);
  });

  test('fail-on-scan-error: false keeps the old neutral conclusion, still with a title that says what did not run', async () => {
    const result = await review({ head: { 'src/app.js': APP } }, { env: { ULTRA_CREATE_AST_GREP_TIMEOUT_MS: '1' }, inputs: { 'fail-on-scan-error': 'false' } });
    assert.equal(result.checkRun.conclusion, 'neutral');
    assert.match(result.checkRun.output.title ?? '', /ast-grep failed/);
    assert.equal(result.run.exitCode, 0);
  });

  test('a pull request over GitHub\'s file listing cap fails the check', async () => {
    const head: Record<string, string> = {};
    for (let i = 0; i < 3005; i++) head[`src/m${i}.js`] = `export const m${i} = ${i};\n`;
    const result = await review({ head });
    assertNotFullyReviewed(result, /first 3,000 files/);
  });

  test('a pull request whose only code file is over the size cap fails the check', async () => {
    const big = `${'// padding padding padding padding padding padding padding\n'.repeat(40_000)}eval(req.body.cmd);\n`;
    const result = await review({ head: { 'src/big.js': big } });
    assertNotFullyReviewed(result, /src\/big\.js/);
  });
});

describe('third-party rule files are parsed in isolation (item 2)', () => {
  test('a YAML alias bomb in a repository rule file is reported by name and every built-in rule still runs', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      bomb.push(`${name}: &${name} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    }
    bomb.push('id: team/bomb', 'language: javascript', 'rule:', '  pattern: foo($X)', '');
    const result = await review({
      base: {
        'sgconfig.yml': 'ruleDirs:\n  - team-rules\n',
        'team-rules/bomb.yml': bomb.join('\n'),
        'team-rules/no-console.yml': 'id: team/no-console\nlanguage: javascript\nseverity: warning\nmessage: console.log\nrule:\n  pattern: console.log($$$A)\n',
      },
      head: { 'src/app.js': `${APP}console.log(1);\n` },
    });
    const titles = result.checkRun.annotations.map((a) => a.title ?? '');
    assert.ok(titles.some((t) => t.includes('js/code-injection-eval')), titles.join('\n'));
    assert.ok(titles.some((t) => t.includes('team/no-console')), 'the other third-party rules still run');
    assert.match(result.checkRun.output.summary ?? '', /team-rules\/bomb\.yml/);
    assert.equal(result.run.exitCode, 0);
  });
});

describe('a pull request cannot change how it is reviewed (item 3)', () => {
  const OFF = 'id: js/code-injection-eval\nlanguage: javascript\nseverity: off\nrule:\n  pattern: eval($X)\n';

  test('a rules path the base commit lacks is not read from the pull request', async () => {
    const result = await review({ head: { 'src/app.js': APP, 'extra-rules/off.yml': OFF } }, { inputs: { rules: 'extra-rules' } });
    assert.ok(result.checkRun.annotations.some((a) => (a.title ?? '').includes('js/code-injection-eval')));
    assert.match(`${result.run.stdout}\n${result.checkRun.output.summary}`, /extra-rules.*not in the base commit/);
  });

  test('a third-party rule cannot override or disable a built-in rule id', async () => {
    const result = await review({
      base: { 'sgconfig.yml': 'ruleDirs:\n  - team-rules\n', 'team-rules/off.yml': OFF },
      head: { 'src/app.js': APP },
    });
    assert.ok(result.checkRun.annotations.some((a) => (a.title ?? '').includes('js/code-injection-eval')));
    assert.match(result.checkRun.output.summary ?? '', /team-rules\/off\.yml.*built-in rule/);
  });
});

describe('findings volume (item 6)', () => {
  test('repeats of one rule in one file are aggregated and annotations are capped; the summary and SARIF keep every finding', async () => {
    const head: Record<string, string> = {};
    head['src/flood.js'] = Array.from({ length: 1500 }, (_, i) => `eval(q${i});`).join('\n') + '\n';
    for (let i = 0; i < 20; i++) head[`src/one${i}.js`] = `eval(p${i});\n`;
    const result = await review({ head }, { inputs: { 'max-annotations': '10' } });
    const { checkRun, run, sim } = result;
    assert.ok(checkRun.annotations.length <= 10, `${checkRun.annotations.length} annotations`);
    const checkWrites = sim.requests.filter((r) => r.method !== 'GET' && r.path.includes('check-runs'));
    assert.ok(checkWrites.length <= 3, `${checkWrites.length} check-run writes`);
    assert.match(checkRun.output.summary ?? '', /not annotated/);
    assert.match(checkRun.output.title ?? '', /1,?520 findings/);
    const flood = checkRun.annotations.filter((a) => a.path === 'src/flood.js');
    assert.ok(flood.length >= 1 && flood.length <= 6, `${flood.length} flood annotations`);
    const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as { runs: { results: unknown[] }[] };
    assert.equal(sarif.runs[0]!.results.length, 1520);
  });
});
