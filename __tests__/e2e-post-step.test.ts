/**
 * The `post:` step from dist/ against the GitHub simulator: a main step that was cancelled or crashed after it created its check run
 * leaves it in progress (a required check would wait forever); the post step completes it as failure, saying the review did not
 * finish. A check run the main step completed is left alone, and a normal main step saves both facts for the post step.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';
import { assertDistBuilt, checkoutWorkspace, DIST_POST, runDist } from './support/run-dist.js';

const OWNER = 'octo-org';
const REPO = 'post-step';
const PULL = 12;
const TOKEN = 'ghs_postStepToken0123456789abcdef0123456';

describe('the post step completes a check run the main step left in progress', () => {
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;
  let workspace: string;

  before(async () => {
    assertDistBuilt();
    fixture = await createPullRequestFixture(
      { base: { 'src/app.js': 'export const a = 1;\n' }, head: { 'src/app.js': 'export const a = 1;\nexport const run = (code) => eval(code);\n' } },
      { owner: OWNER, repo: REPO },
    );
    sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN });
    workspace = await checkoutWorkspace(fixture);
  });

  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  /** What a main step killed right after creating its check run leaves: a check run in progress, its id in the state. */
  async function abandonedCheckRun(): Promise<number> {
    const response = await fetch(`${sim.url}/repos/${OWNER}/${REPO}/check-runs`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
      body: JSON.stringify({ name: 'ultra-create', head_sha: fixture.headSha, status: 'in_progress', output: { title: 'Reviewing', summary: 'in progress' } }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { id: number }).id;
  }

  test('a check run left in progress is completed as failure by the post step; one already completed is not touched', async () => {
    const id = await abandonedCheckRun();
    const post = await runDist({ simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace, script: DIST_POST, env: { 'STATE_check-run-id': String(id) } });
    assert.equal(post.exitCode, 0, post.stdout + post.stderr);
    const checkRun = sim.state.checkRuns.find((run) => run.id === id)!;
    assert.equal(checkRun.status, 'completed');
    assert.equal(checkRun.conclusion, 'failure');
    assert.match(checkRun.output.title ?? '', /Not fully reviewed: the review did not finish/);
    assert.deepEqual(sim.violations, []);

    const other = await abandonedCheckRun();
    const patchesBefore = sim.requestsFor('checks/update', 'PATCH').length;
    const untouched = await runDist({
      simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace, script: DIST_POST,
      env: { 'STATE_check-run-id': String(other), 'STATE_check-run-completed': 'true' },
    });
    assert.equal(untouched.exitCode, 0);
    assert.equal(sim.requestsFor('checks/update', 'PATCH').length, patchesBefore, 'no request for a check run the main step completed');
  });

  test('a main step that completes its check run saves its id and that it is completed', async () => {
    const run = await runDist({ simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace, inputs: { 'local-model': 'off', 'fail-on': 'none' } });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    const created = sim.state.checkRuns.at(-1)!;
    assert.equal(run.state['check-run-id'], String(created.id));
    assert.equal(run.state['check-run-completed'], 'true');
    assert.equal(created.status, 'completed');
  });
});
