/**
 * The sandboxed tests end to end, as the runner runs the action: the committed dist/, a pull request built as a real git repository,
 * the GitHub simulator (every request checked against GitHub's OpenAPI description), the real Docker engine and a test image built
 * here (node + busybox: only the image reference differs from production). A small project's `node --test` run in the sandbox must
 * give findings at the failing tests' own lines — inline on the diff where the test changed, as annotations where it did not — the
 * counts in the check run and the summary, the log as an output, and nothing left behind.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createPullRequestFixture, git, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';
import { describeDocker, docker } from './support/docker.js';
import { buildSandboxImage } from './support/images.js';
import { assertDistBuilt, checkoutWorkspace, runDist } from './support/run-dist.js';

const OWNER = 'octo-org';
const REPO = 'price-lib';
const PULL = 21;
const TOKEN = 'ghs_sandboxE2eToken0123456789abcdef012';
const RUN_LABEL = 'dev.ultra-create.run';

const PRICE_BASE = ['export function total(items) {', '  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);', '}', ''].join('\n');
// The pull request's bug: quantity forgotten.
const PRICE_HEAD = ['export function total(items) {', '  return items.reduce((sum, item) => sum + item.price, 0);', '}', ''].join('\n');
const PRICE_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { total } from '../src/price.js';",
  '',
  "test('sums prices', () => {",
  '  assert.equal(total([{ price: 2, quantity: 1 }]), 2);',
  '});',
  '',
  "test('multiplies by quantity', () => {",
  "  assert.equal(total([{ price: 2, quantity: 3 }]), 6, 'three items at 2');",
  '});',
  '',
].join('\n');
const DISCOUNT_TEST = [
  "import { test } from 'node:test';",
  "import assert from 'node:assert/strict';",
  "import { discount } from '../src/discount.js';",
  '',
  "test('ten percent off', () => {",
  "  assert.equal(discount(100), 90, 'ten percent off 100');",
  '});',
  '',
].join('\n');
const DISCOUNT_HEAD = ['export function discount(amount) {', '  return amount - amount / 100;', '}', ''].join('\n');

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

async function labelled(runId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const args of [['ps', '-aq'], ['volume', 'ls', '-q']]) {
    ids.push(...(await docker([...args, '--filter', `label=${RUN_LABEL}=${runId}`])).split('\n').filter(Boolean));
  }
  return ids;
}

describeDocker('the action from dist/ runs the pull request tests in the sandbox', () => {
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;
  let image: string;

  before(
    async () => {
      assertDistBuilt();
      image = (await buildSandboxImage()).ref;
      fixture = await createPullRequestFixture(
        {
          base: { 'package.json': '{"name":"price-lib","type":"module"}\n', 'src/price.js': PRICE_BASE, 'test/price.test.js': PRICE_TEST },
          head: { 'src/price.js': PRICE_HEAD, 'src/discount.js': DISCOUNT_HEAD, 'test/discount.test.js': DISCOUNT_TEST },
        },
        { owner: OWNER, repo: REPO },
      );
      sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN });
    },
    { timeout: 300_000 },
  );

  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  test('failing tests become findings at their lines: inline where the PR changed the test, annotations elsewhere; counts and log reported', { timeout: 180_000 }, async () => {
    const workspace = await checkoutWorkspace(fixture);
    const run = await runDist({
      simUrl: sim.url,
      token: TOKEN,
      fixture,
      pullNumber: PULL,
      workspace,
      inputs: {
        'test-command': 'mkdir -p reports && node --test --test-reporter=junit --test-reporter-destination=reports/junit.xml test/',
        'test-image': image,
        'test-report': 'reports/*.xml',
        'test-timeout-minutes': '3',
        'local-model': 'off',
      },
      // What must never reach the sandbox: present on the runner, as on a real one.
      env: { ANTHROPIC_API_KEY: 'sk-ant-api03-e2eSandboxKeyNeverInside', NPM_TOKEN: 'npm_e2eSandboxNeverInside' },
    });
    const output = run.stdout + run.stderr;
    assert.equal(run.exitCode, 0, output);
    assert.deepEqual(sim.violations, []);

    // The new test file is in the diff: its failure is an inline comment on the assertion's line.
    const inline = sim.state.reviewComments.filter((c) => c.body.includes('tests/failed'));
    assert.deepEqual(
      inline.map((c) => [c.path, c.line]),
      [['test/discount.test.js', lineOf(DISCOUNT_TEST, 'assert.equal(discount(100)')]],
      output,
    );
    assert.match(inline[0]!.body, /ten percent off/);
    assert.match(inline[0]!.body, /<summary>Output<\/summary>/);

    // The unchanged test broken by the change in src/: an annotation at its own line, in the check run.
    const checkRun = sim.state.checkRuns[0]!;
    const annotations = checkRun.annotations;
    const broken = annotations.find((a) => a.path === 'test/price.test.js');
    assert.ok(broken, JSON.stringify(annotations.map((a) => [a.path, a.start_line, a.title])));
    assert.equal(broken.start_line, lineOf(PRICE_TEST, 'three items at 2'));
    assert.match(broken.message, /multiplies by quantity/);

    // Counts, outcome and the sandbox settings, in the check run and the job summary.
    for (const text of [checkRun.output.summary ?? '', run.summary]) {
      assert.match(text, /#### Tests \(sandbox\)/);
      assert.match(text, /\| 1 \| 2 \| 0 \| 0 \|/, 'passed 1, failed 2, errors 0, skipped 0');
      assert.match(text, /Outcome: tests failed \(exit 1\)/);
      assert.match(text, /user 1000:1000/);
    }
    // The whole log, on the runner, named as an output; the runner's secrets never got in (nothing of them in the log).
    const log = run.outputs['test-log'];
    assert.ok(log && existsSync(log), `test-log output: ${log}`);
    const logText = readFileSync(log, 'utf8');
    assert.match(logText, /── test: exit code 1 after/);
    assert.ok(!logText.includes('e2eSandboxKeyNeverInside') && !logText.includes('e2eSandboxNeverInside'));

    // The workspace is untouched, and nothing of the run is left on the engine.
    assert.equal((await git(workspace, ['status', '--porcelain'])).toString('utf8'), '');
    const runId = run.state['run-id'];
    assert.ok(runId);
    assert.deepEqual(await labelled(runId), []);
  });
});
