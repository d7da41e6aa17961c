/**
 * GitHub's faults, end to end from `dist/` against the simulator (issue 11, items 7-9): rate limits told apart from a read-only
 * token and waited for within a bound, a check run this run created always completed, no duplicate review after a 502 on an applied
 * POST, and external failures reported as such (naming the call), a config alias bomb as a configuration error naming the file.
 * Waits are scaled down through the action's internal setting (`ULTRA_CREATE_GITHUB_WAIT_SCALE`): the waiting logic runs as written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type FailureRule, type GitHubSimulator, type SimulatorOptions } from './support/github-simulator.js';
import { assertDistBuilt, checkoutWorkspace, runDist, type DistRun } from './support/run-dist.js';
import { BASE, HEAD, RENAMES } from './fixtures/e2e-pull-request.js';

const OWNER = 'octo-org';
const REPO = 'shop';
const PULL = 42;
const TOKEN = 'ghs_e2eFaultsInstallationToken0123456789';
const FAST = { ULTRA_CREATE_GITHUB_WAIT_SCALE: '0.01' };

let fixture: PullRequestFixture;
let workspace: string;

async function runWith(
  failures: FailureRule[],
  options: { inputs?: Record<string, string>; fixture?: PullRequestFixture; sim?: Partial<SimulatorOptions> } = {},
): Promise<{ run: DistRun; sim: GitHubSimulator; ms: number }> {
  const pr = options.fixture ?? fixture;
  const sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture: pr, token: TOKEN, failures, ...options.sim });
  try {
    const started = Date.now();
    const ws = pr === fixture ? workspace : await checkoutWorkspace(pr, pr.baseSha);
    const run = await runDist({ simUrl: sim.url, token: TOKEN, fixture: pr, pullNumber: PULL, workspace: ws, inputs: { 'fail-on': 'none', ...options.inputs }, env: FAST });
    return { run, sim, ms: Date.now() - started };
  } finally {
    await sim.close();
  }
}

const reviewPosts = (sim: GitHubSimulator) => sim.requestsFor('pulls/create-review', 'POST');
const checkRunPatches = (sim: GitHubSimulator) => sim.requestsFor('checks/update', 'PATCH');

describe('GitHub faults, from dist/ through the simulator', () => {
  before(async () => {
    assertDistBuilt();
    fixture = await createPullRequestFixture({ base: BASE, head: HEAD, renames: RENAMES }, { owner: OWNER, repo: REPO });
    workspace = await checkoutWorkspace(fixture, fixture.baseSha);
  });
  after(async () => {
    await fixture?.cleanup();
  });

  test('a secondary rate limit on the check-run PATCH that outlasts the retries: completed, says what did not post, the step fails', async () => {
    const { run, sim } = await runWith([{ route: 'checks/update', method: 'PATCH', kind: 'secondary-rate-limit', retryAfter: 1, times: 3 }]);
    assert.deepEqual(sim.violations, []);
    const checkRun = sim.state.checkRuns[0]!;
    assert.equal(checkRun.status, 'completed', 'never left in progress');
    assert.equal(checkRun.conclusion, 'success');
    assert.match(checkRun.output.summary ?? '', /Not posted: annotations 1-6 of 6 on the check run/);
    // three refused (the first try and two retries), then the completion without annotations
    assert.equal(checkRunPatches(sim).length, 4);
    assert.equal(reviewPosts(sim).length, 1, 'the review is posted');
    assert.doesNotMatch(run.stdout, /cannot write|read-only/);
    assert.match(run.summary, /Not posted: annotations/);
    assert.equal(run.exitCode, 1, run.stdout);
    assert.match(run.stdout, /::error::ultra-create: GitHub did not take annotations 1-6/);
  });

  test('a secondary rate limit on the review POST that outlasts the retries is no read-only token: the check run says so', async () => {
    const { run, sim } = await runWith([{ route: 'pulls/create-review', method: 'POST', kind: 'secondary-rate-limit', retryAfter: 1, times: 3 }]);
    assert.deepEqual(sim.violations, []);
    assert.equal(reviewPosts(sim).length, 3, 'the first try and two retries, all refused');
    assert.equal(sim.state.reviews.length, 0);
    assert.doesNotMatch(run.stdout, /cannot write|read-only token/);
    const checkRun = sim.state.checkRuns[0]!;
    assert.equal(checkRun.status, 'completed');
    assert.equal(checkRun.annotations.length, 6);
    assert.match(checkRun.output.summary ?? '', /Not posted: the review \(5 inline comment\(s\)/);
    assert.match(run.summary, /Not posted: the review/);
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::ultra-create: GitHub did not take the review/);
  });

  test('a 429 secondary limit with only its message (no retry-after) is waited for, scaled, and retried once', { timeout: 45_000 }, async () => {
    const { run, sim, ms } = await runWith([{ route: 'pulls/create-review', method: 'POST', kind: 'secondary-rate-limit', status: 429, retryAfter: null }]);
    assert.deepEqual(sim.violations, []);
    assert.equal(reviewPosts(sim).length, 2);
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(run.exitCode, 0, run.stdout);
    assert.ok(ms < 40_000, `${ms} ms`);
  });

  test('a primary rate limit (x-ratelimit-remaining: 0) on a check-run PATCH is waited for until its reset', async () => {
    const { run, sim } = await runWith([{ route: 'checks/update', method: 'PATCH', kind: 'primary-rate-limit', retryAfter: 1 }]);
    assert.deepEqual(sim.violations, []);
    assert.equal(sim.state.checkRuns[0]!.status, 'completed');
    assert.equal(sim.state.checkRuns[0]!.annotations.length, 6);
    assert.equal(checkRunPatches(sim).length, 2);
    assert.equal(run.exitCode, 0, run.stdout);
  });

  test('a rate limit that asks for an hour is not waited for: the run still ends, the check run completed', async () => {
    const { run, sim, ms } = await runWith([{ route: 'checks/update', method: 'PATCH', kind: 'secondary-rate-limit', retryAfter: 3600 }]);
    assert.equal(checkRunPatches(sim).length, 2, 'refused once, then the completion');
    assert.equal(sim.state.checkRuns[0]!.status, 'completed');
    assert.equal(run.exitCode, 1);
    assert.ok(ms < 30_000, `${ms} ms`);
  });

  test('no check run (no checks: write), unknown identity, a review POST applied but answered 502: one review, not two', async () => {
    const { run, sim } = await runWith([
      { route: 'checks/create', method: 'POST', kind: 'error', status: 403 },
      { route: 'pulls/create-review', method: 'POST', kind: 'apply-then-error', status: 502 },
    ]);
    assert.deepEqual(sim.violations, []);
    assert.equal(sim.state.checkRuns.length, 0);
    assert.equal(reviewPosts(sim).length, 1);
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(sim.state.reviewComments.length, 5);
    assert.match(run.stdout, /The review was created despite the error/);
    assert.equal(run.exitCode, 0, run.stdout);
  });

  test('a 5xx on page 2 of the file listing is an external error naming the call', async () => {
    const many = { ...HEAD };
    for (let i = 0; i < 120; i++) many[`src/gen/file${i}.ts`] = `export const v${i} = ${i};\n`;
    const big = await createPullRequestFixture({ base: BASE, head: many, renames: RENAMES }, { owner: OWNER, repo: REPO });
    try {
      const { run, sim } = await runWith([{ route: 'pulls/list-files', query: { page: '2' }, kind: 'error', status: 502, times: 4 }], { fixture: big });
      assert.equal(sim.requestsFor('pulls/list-files').length, 5, 'page 1, then page 2 tried four times');
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::GitHub API: could not list the pull request's changed files \(GET \/repos\/octo-org\/shop\/pulls\/42\/files, page 2\) \(HTTP 502\)/);
      assert.doesNotMatch(run.stdout, /internal error/);
    } finally {
      await big.cleanup();
    }
  });

  for (const [route, call] of [
    ['pulls/list-reviews', "list the pull request's reviews"],
    ['pulls/list-review-comments', "list the pull request's review comments"],
  ] as const) {
    test(`a 5xx on ${route} is an external error naming the call; the check run is still completed`, async () => {
      const { run, sim } = await runWith([{ route, kind: 'error', status: 500, times: 4 }]);
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, new RegExp(`::error::GitHub API: could not ${call.replace(/[()]/g, '\\$&')} \\(GET `));
      assert.doesNotMatch(run.stdout, /internal error/);
      assert.equal(sim.state.checkRuns[0]!.status, 'completed');
    });
  }

  test('a YAML alias bomb in the config file is a configuration error naming the file', async () => {
    const bomb = [
      'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
      '',
    ].join('\n');
    const bombed = await createPullRequestFixture(
      { base: { ...BASE, '.github/ultra-create.yml': bomb }, head: { ...HEAD, '.github/ultra-create.yml': bomb }, renames: RENAMES },
      { owner: OWNER, repo: REPO },
    );
    try {
      const { run, sim } = await runWith([], { fixture: bombed });
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /::error::.*Invalid YAML in config file \.github\/ultra-create\.yml/);
      assert.doesNotMatch(run.stdout, /internal error/);
      assert.equal(sim.requests.filter((r) => r.method !== 'GET').length, 0);
    } finally {
      await bombed.cleanup();
    }
  });
});
