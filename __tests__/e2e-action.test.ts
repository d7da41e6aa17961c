/**
 * End to end, the way GitHub runs the action: the committed `dist/index.js` in a fresh node process, the runner's environment, an
 * event payload, against the GitHub simulator (every request validated against GitHub's OpenAPI description). A real git repository
 * provides the pull request; the real ast-grep scans it with the built-in pack and the repository's own rules.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { compileSarifSchema } from './support/sarif-schema.js';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';
import { assertDistBuilt, checkoutWorkspace, runDist, type DistRun } from './support/run-dist.js';
import { BASE, HEAD, HEAD_APP, RENAMES } from './fixtures/e2e-pull-request.js';

const OWNER = 'octo-org';
const REPO = 'shop';
const PULL = 42;
const TOKEN = 'ghs_e2eInstallationToken0123456789abcdef';

let fixture: PullRequestFixture;
let sim: GitHubSimulator;
let workspace: string;
let first: DistRun;

function reviewPosts() {
  return sim.requests.filter((r) => r.method === 'POST' && /\/pulls\/\d+\/reviews$/.test(r.path));
}

describe('the action from dist/ against the GitHub simulator', () => {
  before(async () => {
    assertDistBuilt();
    fixture = await createPullRequestFixture(
      { base: BASE, head: HEAD, renames: RENAMES },
      { owner: OWNER, repo: REPO },
    );
    sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN, validateResponses: false });
    // actions/checkout leaves the merge commit; here the base, so that no head file can be taken from disk by mistake.
    workspace = await checkoutWorkspace(fixture, fixture.baseSha);
    first = await runDist({ simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace });
  });

  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  test('fails the step on critical findings (fail-on: critical) and says why', () => {
    assert.equal(first.exitCode, 1, first.stdout + first.stderr);
    assert.match(first.stdout, /::error::ultra-create: findings at or above 'critical'/);
  });

  test('every request was valid for GitHub', () => {
    assert.deepEqual(sim.violations, []);
  });

  test('posts one review on the head commit with inline comments on added lines only', () => {
    assert.equal(reviewPosts().length, 1);
    const review = sim.state.reviews[0]!;
    assert.equal(review.commitId, fixture.headSha);
    assert.equal(review.state, 'COMMENTED');
    const comments = sim.state.reviewComments.filter((c) => c.reviewId === review.id);
    const where = comments.map((c) => `${c.path}:${c.line}`).sort();
    // eval on line 6 is old code (not added): annotation only. Vendored and generated files are skipped.
    assert.deepEqual(where, ['src/app.ts:10', 'src/app.ts:11', 'src/app.ts:15', 'src/db.py:5', 'src/db.py:8']);
    for (const comment of comments) assert.match(comment.body, /<!-- ultra-create:fp=[0-9a-f]{32}/);
    const evalComment = comments.find((c) => c.line === 11)!;
    assert.match(evalComment.body, /js\/code-injection-eval/);
    assert.match(evalComment.body, /CWE-95/);
    const tls = comments.find((c) => c.path === 'src/db.py' && c.line === 8)!;
    assert.match(tls.body, /```suggestion\n {4}return requests\.get\(url, verify=True\)\n```/);
    const teamRule = comments.find((c) => c.line === 10)!;
    assert.match(teamRule.body, /team\/no-console-log/);
  });

  test('creates a completed check run on the head commit with every finding as an annotation', () => {
    assert.equal(sim.state.checkRuns.length, 1);
    const run = sim.state.checkRuns[0]!;
    assert.equal(run.name, 'ultra-create');
    assert.equal(run.headSha, fixture.headSha);
    assert.equal(run.status, 'completed');
    assert.equal(run.conclusion, 'failure');
    // 5 inline + the old eval on line 6 (outside the added lines)
    assert.equal(run.annotations.length, 6);
    assert.equal(String(run.annotations.length), first.outputs.findings);
    assert.ok(run.annotations.some((a) => a.path === 'src/app.ts' && a.start_line === 6));
    assert.match(run.output.summary ?? '', /team\/legacy-rule/, 'the broken third-party rule is named in the check run');
    assert.match(run.output.summary ?? '', /degraded/);
  });

  test('writes outputs, the job summary and a valid SARIF file', () => {
    assert.equal(first.outputs.conclusion, 'failure');
    assert.equal(first.outputs.critical, '2');
    assert.equal(first.outputs['review-id'], String(sim.state.reviews[0]!.id));
    assert.equal(first.outputs['check-run-id'], String(sim.state.checkRuns[0]!.id));
    assert.match(first.summary, /\| .*src\/app\.ts/);
    assert.match(first.summary, /vendor\/lib\.js/);
    assert.match(first.summary, /generated\/api\.js/);
    assert.match(first.summary, /assets\/logo\.png/);
    const sarif = JSON.parse(readFileSync(first.outputs['sarif-file']!, 'utf8')) as { runs: { results: unknown[] }[] };
    const validate = compileSarifSchema();
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(sarif.runs[0]!.results.length, 6);
  });

  test('never prints the token (other than asking the runner to mask it)', () => {
    const printed = (first.stdout + first.stderr).replace(`::add-mask::${TOKEN}`, '');
    assert.ok(!printed.includes(TOKEN));
    assert.match(first.stdout, /::add-mask::/);
  });

  test('a re-run on the same head is quiet: no new review, no repeated comment', async () => {
    const before = sim.state.reviewComments.length;
    const rerun = await runDist({ simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace });
    assert.equal(rerun.exitCode, 1);
    assert.equal(reviewPosts().length, 1);
    assert.equal(sim.state.reviewComments.length, before);
    assert.equal(rerun.outputs['review-id'] ?? '', '');
    assert.deepEqual(sim.violations, []);
  });

  test('a push that fixes findings resolves their comments and comments only on the new one', async () => {
    const evalComment = sim.state.reviewComments.find((c) => c.path === 'src/app.ts' && c.line === 11)!;
    const innerHtml = sim.state.reviewComments.find((c) => c.path === 'src/app.ts' && c.line === 15)!;
    sim.addReply(innerHtml.id, 'We sanitize upstream, see #12', 'maintainer');
    const fixed = HEAD_APP.replace('  return eval(req.body.code);\n', '  return JSON.parse(req.body.code);\n').replace(
      '  el.innerHTML = html;\n',
      '  el.textContent = html;\n',
    );
    fixture = await fixture.push({
      'src/app.ts': fixed + 'export const timer = (code: string) => setTimeout(`run(${code})`, 10);\n',
    });
    sim.push(fixture);
    const pushed = await runDist({ simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace });
    assert.deepEqual(sim.violations, []);
    const evalAfter = sim.state.reviewComments.find((c) => c.id === evalComment.id)!;
    assert.match(evalAfter.body, /Resolved/);
    assert.match(evalAfter.body, /<!-- ultra-create:resolved -->/);
    const innerAfter = sim.state.reviewComments.find((c) => c.id === innerHtml.id)!;
    assert.match(innerAfter.body, /Resolved/, 'a comment with replies is edited, never deleted');
    assert.ok(sim.state.reviewComments.some((c) => c.inReplyToId === innerHtml.id), 'the reply is still there');
    assert.equal(reviewPosts().length, 2);
    const ours = sim.state.reviews.filter((r) => r.user.login === 'github-actions[bot]');
    assert.equal(ours.length, 2);
    const newComments = sim.state.reviewComments.filter((c) => c.reviewId === ours[1]!.id);
    assert.deepEqual(
      newComments.map((c) => `${c.path}:${c.line}`),
      ['src/app.ts:17'],
    );
    assert.match(newComments[0]!.body, /js\/code-injection-timer-string/);
    assert.ok(Number(pushed.outputs.findings) >= 1);
  });
});

describe('degraded and invalid runs', () => {
  test('a fork PR (read-only token) reports through the summary and log annotations without failing by itself', async () => {
    const forkFixture = await createPullRequestFixture({ base: BASE, head: HEAD }, { owner: OWNER, repo: REPO });
    const forkSim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture: forkFixture, token: TOKEN, readOnly: true });
    try {
      const ws = await checkoutWorkspace(forkFixture);
      const run = await runDist({
        simUrl: forkSim.url,
        token: TOKEN,
        fixture: forkFixture,
        pullNumber: PULL,
        workspace: ws,
        fork: true,
        inputs: { 'fail-on': 'none' },
      });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /::warning::The token cannot write/);
      assert.match(run.stdout, /::error file=src\/app\.ts,line=11/);
      assert.match(run.summary, /js\/code-injection-eval/);
      assert.equal(forkSim.state.reviews.length, 0);
      assert.equal(run.outputs.conclusion, 'success');
      assert.deepEqual(forkSim.violations, []);
    } finally {
      await forkSim.close();
      await forkFixture.cleanup();
    }
  });

  test('an invalid input fails fast with its name and the allowed values, before any write', async () => {
    const badFixture = await createPullRequestFixture({ base: BASE, head: HEAD }, { owner: OWNER, repo: REPO });
    const badSim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture: badFixture, token: TOKEN });
    try {
      const ws = await checkoutWorkspace(badFixture);
      const run = await runDist({
        simUrl: badSim.url,
        token: TOKEN,
        fixture: badFixture,
        pullNumber: PULL,
        workspace: ws,
        inputs: { 'fail-on': 'severe', 'max-comments': '500' },
      });
      assert.equal(run.exitCode, 1);
      assert.match(run.stdout, /Invalid input 'fail-on': "severe" is not one of none, info, low, medium, high, critical/);
      assert.match(run.stdout, /max-comments/);
      assert.equal(badSim.requests.filter((r) => r.method !== 'GET').length, 0);
    } finally {
      await badSim.close();
      await badFixture.cleanup();
    }
  });
});
