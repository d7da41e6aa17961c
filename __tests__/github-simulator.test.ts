/**
 * Self-test of the GitHub simulator: driven by the real Octokit over HTTP, it must answer like GitHub (shapes checked against GitHub's
 * OpenAPI response schemas) and refuse what GitHub refuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Octokit } from '@octokit/rest';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { parsePatch, startGitHubSimulator, type GitHubSimulator, type SimulatorOptions } from './support/github-simulator.js';
import { completeFromSchema, matchOperation, validateRequest, validateResponse } from './support/openapi-validator.js';

const OWNER = 'octo-org';
const REPO = 'octo-repo';
const PULL = 7;
const TOKEN = 'ghs_simulated_installation_token';

interface Failure {
  status: number;
  data: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    const e = error as { status?: number; response?: { data?: unknown; headers?: Record<string, string | undefined> } };
    assert.equal(typeof e.status, 'number', `expected an HTTP error, got ${String(error)}`);
    return { status: e.status ?? 0, data: (e.response?.data ?? {}) as Record<string, unknown>, headers: e.response?.headers ?? {} };
  }
  assert.fail('expected the request to fail');
}

// src/app.ts: 40 lines; the head changes line 5, inserts two lines after line 20 and changes line 35 → three hunks.
const APP_BASE = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`);
const APP_HEAD = [...APP_BASE];
APP_HEAD[4] = 'line 5 changed';
APP_HEAD[34] = 'line 35 changed';
APP_HEAD.splice(20, 0, 'inserted A', 'inserted B');
const GENERATED = 150;

// Octokit logs every failed request; the failures here are on purpose.
const noop = (): void => undefined;
const quiet = { debug: noop, info: noop, warn: noop, error: noop };

let fixture: PullRequestFixture;
const simulators: GitHubSimulator[] = [];

async function simulator(overrides: Partial<SimulatorOptions> = {}): Promise<{ sim: GitHubSimulator; octokit: Octokit }> {
  const sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN, ...overrides });
  simulators.push(sim);
  return { sim, octokit: new Octokit({ auth: TOKEN, baseUrl: sim.url, log: quiet }) };
}

const pr = { owner: OWNER, repo: REPO, pull_number: PULL };
const repo = { owner: OWNER, repo: REPO };

before(async () => {
  const base: Record<string, string | Buffer> = {
    'src/app.ts': APP_BASE.join('\n') + '\n',
    'docs/old-name.md': '# Title\n\nSome text.\nMore text.\nEnd.\n',
    'gone.txt': 'to be deleted\n',
    'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03]),
    'README.md': '# readme\n',
    'data/big.txt': 'q'.repeat(1_200_000) + '\n',
  };
  const head: Record<string, string | Buffer | null> = {
    'src/app.ts': APP_HEAD.join('\n') + '\n',
    'docs/new-name.md': '# Title\n\nSome text.\nMore text, edited.\nEnd.\n',
    'gone.txt': null,
    'data/big.txt': 'r'.repeat(1_200_000) + '\n',
    'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x09, 0x08, 0x07]),
  };
  for (let i = 0; i < GENERATED; i++) head[`gen/file-${String(i).padStart(3, '0')}.txt`] = `generated ${i}\n`;
  fixture = await createPullRequestFixture({ base, head, renames: { 'docs/old-name.md': 'docs/new-name.md' } }, { owner: OWNER, repo: REPO });
});

after(async () => {
  await Promise.all(simulators.map((s) => s.close()));
  await fixture.cleanup();
});

describe('git fixture', () => {
  test('pulls/files comes from git: renamed, removed, binary and modified files', () => {
    const byName = new Map(fixture.files.map((f) => [f.filename, f]));
    assert.equal(fixture.files.length, GENERATED + 5);

    const renamed = byName.get('docs/new-name.md');
    assert.equal(renamed?.status, 'renamed');
    assert.equal(renamed?.previous_filename, 'docs/old-name.md');
    assert.equal(renamed?.additions, 1);
    assert.equal(renamed?.deletions, 1);
    assert.ok(renamed?.patch?.startsWith('@@ '));

    const removed = byName.get('gone.txt');
    assert.equal(removed?.status, 'removed');
    assert.equal(removed?.deletions, 1);
    assert.match(removed?.sha ?? '', /^[0-9a-f]{40}$/);

    const binary = byName.get('assets/logo.png');
    assert.equal(binary?.status, 'modified');
    assert.equal(binary?.patch, undefined, 'binary files have no patch');
    assert.equal(binary?.changes, 0);

    const app = byName.get('src/app.ts');
    assert.equal(app?.status, 'modified');
    assert.equal(app?.additions, 4);
    assert.equal(app?.deletions, 2);
    assert.ok(app?.patch?.startsWith('@@ -2,7 +2,7 @@'), app?.patch);
    assert.ok(!app?.patch?.endsWith('\n'), 'GitHub patches carry no trailing newline');
    assert.equal(parsePatch(app?.patch ?? '').hunks.length, 3);
    assert.equal(byName.get('gen/file-000.txt')?.status, 'added');

    const big = byName.get('data/big.txt');
    assert.deepEqual([big?.status, big?.additions, big?.deletions, big?.patch], ['modified', 1, 1, undefined], 'very large patches are omitted');
  });

  test('omits patches over the configured size, and reads files and trees at a ref', async () => {
    const big = await createPullRequestFixture(
      { base: { 'a.txt': 'a\n' }, head: { 'a.txt': 'a\n' + 'x\n'.repeat(200), 'b.txt': 'b\n' } },
      { maxPatchBytes: 100 },
    );
    try {
      assert.equal(big.files.find((f) => f.filename === 'a.txt')?.patch, undefined);
      assert.ok(big.files.find((f) => f.filename === 'b.txt')?.patch);
      assert.equal((await big.git.readFileAt('main', 'a.txt'))?.toString(), 'a\n');
      assert.equal((await big.git.readFileAt(big.headSha, 'b.txt'))?.toString(), 'b\n');
      assert.equal(await big.git.readFileAt('main', 'b.txt'), undefined);
      assert.equal(await big.git.resolveCommit('--output=/tmp/x'), undefined, 'refs never pass for options');
      const tree = await big.git.listTree(big.headSha, true);
      assert.deepEqual(tree?.entries.map((e) => e.path).sort(), ['a.txt', 'b.txt']);
    } finally {
      await big.cleanup();
    }
  });

  test('the patch parser numbers lines and positions like GitHub', () => {
    const parsed = parsePatch('@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,2 +10,3 @@ fn\n x\n+y\n z\n\\ No newline at end of file');
    assert.equal(parsed.right.get(2)?.kind, 'added');
    assert.equal(parsed.left.get(2)?.kind, 'removed');
    assert.equal(parsed.right.get(2)?.position, 3);
    assert.equal(parsed.byPosition.get(5), undefined, 'the second hunk header takes position 5');
    assert.equal(parsed.right.get(11)?.position, 7);
    assert.equal(parsed.right.get(11)?.hunk, 1);
    assert.equal(parsed.right.get(5), undefined);
    assert.throws(() => parsePatch('@@ -1,2 +1,2 @@\n a\n'), /malformed/);
  });
});

describe('OpenAPI validator', () => {
  test('matches routes, coerces parameters, reports type errors readably', () => {
    assert.equal(matchOperation('GET', '/repos/o/r/contents/a/b.ts')?.params.path, 'a/b.ts');
    assert.equal(matchOperation('PATCH', '/repos/o/r/pulls/comments/12')?.operationId, 'pulls/update-review-comment');
    assert.equal(matchOperation('GET', '/repos/o/r/no-such-thing'), undefined);
    const bad = validateRequest({ method: 'GET', path: '/repos/o/r/pulls/x/files', query: { per_page: 'many' } });
    assert.deepEqual(bad.errors, ['path parameter "pull_number" must be integer (got "x")', 'query parameter "per_page" must be integer (got "many")']);
    const body = validateRequest({
      method: 'POST',
      path: '/repos/o/r/check-runs',
      body: { name: 'n', head_sha: 's', output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 1, end_line: 1, annotation_level: 'error', message: 'm' }] } },
    });
    assert.equal(body.errors.length, 1);
    assert.match(body.errors[0] ?? '', /annotation_level must be equal to one of the allowed values/);
    // OpenAPI 3.0 `nullable` is honoured.
    assert.deepEqual(validateResponse('GET', '/repos/o/r/check-runs/1', 200, completeFromSchema('check-run', {})), []);
  });
});

describe('GitHub simulator', () => {
  test('401 Bad credentials without the token or with a wrong one', async () => {
    const { sim } = await simulator();
    for (const octokit of [new Octokit({ baseUrl: sim.url, log: quiet }), new Octokit({ baseUrl: sim.url, auth: 'wrong', log: quiet })]) {
      const error = await failure(octokit.rest.pulls.get(pr));
      assert.equal(error.status, 401);
      assert.equal(error.data.message, 'Bad credentials');
      assert.equal(error.data.status, '401');
      assert.ok(error.data.documentation_url);
    }
    const bearer = new Octokit({ baseUrl: sim.url, log: quiet });
    assert.equal((await bearer.rest.pulls.get({ ...pr, headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
  });

  test('paginates pulls/files with Link headers; octokit.paginate gets every file', async () => {
    const { sim, octokit } = await simulator();
    const first = await octokit.rest.pulls.listFiles({ ...pr, per_page: 100 });
    assert.equal(first.data.length, 100);
    assert.match(first.headers.link ?? '', new RegExp(`<${sim.url}/repos/${OWNER}/${REPO}/pulls/${PULL}/files\\?per_page=100&page=2>; rel="next"`));
    assert.match(first.headers.link ?? '', /page=2>; rel="last"/);
    const defaults = await octokit.rest.pulls.listFiles(pr);
    assert.equal(defaults.data.length, 30, 'per_page defaults to 30');
    const clamped = await octokit.rest.pulls.listFiles({ ...pr, per_page: 500 });
    assert.equal(clamped.data.length, 100, 'per_page is at most 100');

    const all = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pr, per_page: 100 });
    assert.deepEqual(
      all.map((f) => f.filename),
      fixture.files.map((f) => f.filename),
    );
    const renamed = all.find((f) => f.filename === 'docs/new-name.md');
    assert.equal(renamed?.previous_filename, 'docs/old-name.md');
    assert.equal(all.find((f) => f.filename === 'gone.txt')?.status, 'removed');
    assert.equal(all.find((f) => f.filename === 'assets/logo.png')?.patch, undefined);
    assert.deepEqual(sim.violations, []);
  });

  test('caps pulls/files at 3000 files', async () => {
    const head: Record<string, string> = {};
    for (let i = 0; i < 3010; i++) head[`many/f${String(i).padStart(4, '0')}.txt`] = `${i}\n`;
    const large = await createPullRequestFixture({ base: { 'README.md': 'x\n' }, head });
    try {
      const { sim, octokit } = await simulator({ fixture: large });
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pr, per_page: 100 });
      assert.equal(files.length, 3000);
      assert.equal((await octokit.rest.pulls.listFiles({ ...pr, per_page: 100, page: 31 })).data.length, 0);
      assert.equal((await octokit.rest.pulls.get(pr)).data.changed_files, 3010);
      const diff = await failure(octokit.rest.pulls.get({ ...pr, mediaType: { format: 'diff' } }));
      assert.equal(diff.status, 406, 'the diff media type refuses more than 300 files');
      assert.deepEqual(sim.violations, []);
    } finally {
      await large.cleanup();
    }
  });

  test('accepts a valid review with single- and multi-line comments, lists its comments', async () => {
    const { sim, octokit } = await simulator();
    const review = await octokit.rest.pulls.createReview({
      ...pr,
      commit_id: fixture.headSha,
      event: 'COMMENT',
      body: 'Review body',
      comments: [
        { path: 'src/app.ts', line: 21, side: 'RIGHT', body: 'on an added line' },
        { path: 'src/app.ts', start_line: 18, line: 22, side: 'RIGHT', start_side: 'RIGHT', body: 'multi-line, same hunk' },
        { path: 'src/app.ts', line: 5, side: 'LEFT', body: 'on a removed line' },
        { path: 'src/app.ts', line: 7, body: 'on a context line, side defaults to RIGHT' },
        { path: 'docs/new-name.md', line: 4, body: 'on the renamed file' },
      ],
    });
    assert.equal(review.status, 200);
    assert.equal(review.data.state, 'COMMENTED');
    assert.equal(review.data.user?.login, 'github-actions[bot]');
    assert.equal(review.data.commit_id, fixture.headSha);

    const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...pr, per_page: 100 });
    assert.equal(comments.length, 5);
    for (const c of comments) {
      assert.equal(c.pull_request_review_id, review.data.id);
      assert.equal(c.commit_id, fixture.headSha);
      assert.equal(c.user?.login, 'github-actions[bot]');
      assert.equal(c.user?.id, 41898282);
      assert.equal(c.user?.type, 'Bot');
      assert.equal('in_reply_to_id' in c, false);
      assert.equal(c.original_line, c.line);
    }
    const [single, multi, left, context] = comments;
    assert.deepEqual([single?.line, single?.start_line, single?.side], [21, null, 'RIGHT']);
    assert.deepEqual([multi?.line, multi?.start_line, multi?.start_side], [22, 18, 'RIGHT']);
    assert.ok(multi?.diff_hunk.startsWith('@@ -18,6 +18,8 @@'));
    assert.ok(multi?.diff_hunk.endsWith('+inserted B'));
    assert.deepEqual([left?.line, left?.side], [5, 'LEFT']);
    assert.equal(context?.side, 'RIGHT');

    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...pr, per_page: 100 });
    assert.deepEqual(
      reviews.map((r) => [r.id, r.body]),
      [[review.data.id, 'Review body']],
    );
    assert.deepEqual(sim.violations, []);
  });

  test('a comment outside the diff fails the whole review with 422, and nothing is created', async () => {
    const { sim, octokit } = await simulator();
    const attempts = [
      { path: 'src/app.ts', line: 12, body: 'line 12 is not in any hunk' },
      { path: 'src/app.ts', start_line: 12, line: 21, body: 'start_line outside the diff' },
      { path: 'src/app.ts', line: 41, body: 'past the end' },
      { path: 'src/app.ts', line: 39, side: 'LEFT' as const, body: 'old line 39 is outside the hunks' },
      { path: 'src/app.ts', line: 21, side: 'BOTH', body: 'not a side' },
      { path: 'assets/logo.png', line: 1, body: 'binary: no patch' },
    ];
    for (const bad of attempts) {
      const error = await failure(
        octokit.rest.pulls.createReview({
          ...pr,
          commit_id: fixture.headSha,
          event: 'COMMENT',
          comments: [{ path: 'src/app.ts', line: 21, body: 'valid' }, bad],
        }),
      );
      assert.equal(error.status, 422, JSON.stringify(bad));
      assert.equal(error.data.message, 'Unprocessable Entity');
    }
    const lineError = await failure(
      octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', comments: [{ path: 'src/app.ts', line: 12, body: 'x' }] }),
    );
    assert.deepEqual(lineError.data.errors, ['Line could not be resolved']);
    const pathError = await failure(
      octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', comments: [{ path: 'nope.ts', line: 1, body: 'x' }] }),
    );
    assert.deepEqual(pathError.data.errors, ['Path could not be resolved']);
    assert.match(sim.requests.at(-1)?.detail ?? '', /not part of the pull request/);

    assert.equal(sim.state.reviews.length, 0);
    assert.equal(sim.state.reviewComments.length, 0);
    assert.deepEqual(await octokit.paginate(octokit.rest.pulls.listReviewComments, pr), []);
    assert.deepEqual(sim.violations, [], 'these requests are well-formed; GitHub refuses them for their lines');
  });

  test('multi-line comments must stay in one hunk, with start_line before line', async () => {
    const { sim, octokit } = await simulator();
    const acrossHunks = await failure(
      octokit.rest.pulls.createReview({
        ...pr,
        commit_id: fixture.headSha,
        event: 'COMMENT',
        comments: [{ path: 'src/app.ts', start_line: 5, line: 21, body: 'two hunks' }],
      }),
    );
    assert.equal(acrossHunks.status, 422);
    assert.match(String((acrossHunks.data.errors as string[])[0]), /same hunk/);
    const sameLine = await failure(
      octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', comments: [{ path: 'src/app.ts', start_line: 21, line: 21, body: 'x' }] }),
    );
    assert.deepEqual(sameLine.data.errors, ['Pull request review thread start line must precede the end line.']);
    const reversed = await failure(
      octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', comments: [{ path: 'src/app.ts', start_line: 22, line: 20, body: 'x' }] }),
    );
    assert.equal(reversed.status, 422);
    assert.equal(sim.state.reviews.length, 0);
  });

  test('review rules: head commit, body or comments, size limits, approvals', async () => {
    const { sim, octokit } = await simulator();
    const stale = await failure(octokit.rest.pulls.createReview({ ...pr, commit_id: fixture.baseSha, event: 'COMMENT', body: 'x' }));
    assert.equal(stale.status, 422);
    const merge = (await octokit.rest.pulls.get(pr)).data.merge_commit_sha ?? '';
    assert.equal((await failure(octokit.rest.pulls.createReview({ ...pr, commit_id: merge, event: 'COMMENT', body: 'x' }))).status, 422);
    assert.equal((await failure(octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT' }))).status, 422);
    assert.equal((await failure(octokit.rest.pulls.createReview({ ...pr, event: 'REQUEST_CHANGES', body: ' ' }))).status, 422);
    const tooLong = await failure(octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', body: 'x'.repeat(65537) }));
    assert.equal(tooLong.status, 422);
    const approve = await failure(octokit.rest.pulls.createReview({ ...pr, event: 'APPROVE' }));
    assert.deepEqual(approve.data.errors, ['GitHub Actions is not permitted to approve pull requests.']);
    assert.equal(sim.state.reviews.length, 0);
    // Exactly at the limit is fine.
    assert.equal((await octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', body: 'x'.repeat(65536) })).status, 200);

    const { octokit: allowed } = await simulator({ actionsCanApprove: true });
    assert.equal((await allowed.rest.pulls.createReview({ ...pr, event: 'APPROVE' })).data.state, 'APPROVED');
  });

  test('a request body with a wrong type is a recorded violation (422 Invalid request.)', async () => {
    const { sim } = await simulator();
    // Octokit validates nothing: send the wrong type through it.
    const octokit = new Octokit({ auth: TOKEN, baseUrl: sim.url, log: quiet });
    const error = await failure(
      octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
        ...pr,
        event: 'COMMENT',
        comments: [{ path: 'src/app.ts', line: 'abc', body: 'x' }],
      } as never),
    );
    assert.equal(error.status, 422);
    assert.equal(error.data.message, 'Invalid request.');
    assert.deepEqual(error.data.errors, ['body/comments/0/line must be integer (got "abc")']);
    assert.equal(sim.violations.length, 1);
    assert.equal(sim.violations[0]?.kind, 'invalid-request');
    assert.equal(sim.violations[0]?.operationId, 'pulls/create-review');

    await failure(octokit.request('GET /repos/{owner}/{repo}/not-an-endpoint', repo as never));
    assert.equal(sim.violations[1]?.kind, 'unknown-route');
    await failure(octokit.rest.pulls.get({ ...pr, pull_number: 8 }));
    assert.equal(sim.violations[2]?.kind, 'unknown-resource');
    assert.equal(sim.state.reviews.length, 0);
  });

  test('writes need JSON bodies: 415 for another media type, 400 for malformed JSON', async () => {
    const { sim } = await simulator();
    const post = (contentType: string, body: string): Promise<Response> =>
      fetch(`${sim.url}/repos/${OWNER}/${REPO}/pulls/${PULL}/reviews`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': contentType },
        body,
      });
    assert.equal((await post('application/x-www-form-urlencoded', 'event=COMMENT')).status, 415);
    const malformed = await post('application/json', '{"event": ');
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { message: string }).message, 'Problems parsing JSON');
    assert.deepEqual(
      sim.violations.map((v) => v.kind),
      ['unsupported-media-type', 'malformed-json'],
    );
  });

  test('check runs: 50 annotations per request, appended across updates; 51 is refused', async () => {
    const { sim, octokit } = await simulator();
    const annotations = (n: number, from = 1): { path: string; start_line: number; end_line: number; annotation_level: 'warning'; message: string }[] =>
      Array.from({ length: n }, (_, i) => ({ path: 'src/app.ts', start_line: from + i, end_line: from + i, annotation_level: 'warning', message: `m${from + i}` }));

    const tooMany = await failure(
      octokit.rest.checks.create({ ...repo, name: 'review', head_sha: fixture.headSha, status: 'in_progress', output: { title: 't', summary: 's', annotations: annotations(51) } }),
    );
    assert.equal(tooMany.status, 422);
    assert.equal(sim.state.checkRuns.length, 0);

    const created = await octokit.rest.checks.create({
      ...repo,
      name: 'review',
      head_sha: fixture.headSha,
      status: 'in_progress',
      output: { title: 't', summary: 's', annotations: annotations(50) },
    });
    assert.equal(created.status, 201);
    assert.equal(created.data.app?.slug, 'github-actions');
    assert.equal(created.data.output.annotations_count, 50);
    assert.equal(created.data.pull_requests[0]?.number, PULL);

    const updated = await octokit.rest.checks.update({
      ...repo,
      check_run_id: created.data.id,
      status: 'completed',
      conclusion: 'neutral',
      output: { title: 't2', summary: 's2', annotations: annotations(50, 51) },
    });
    assert.equal(updated.data.output.annotations_count, 100);
    assert.equal(updated.data.conclusion, 'neutral');
    assert.ok(updated.data.completed_at);
    const overflow = await failure(
      octokit.rest.checks.update({ ...repo, check_run_id: created.data.id, output: { summary: 's', annotations: annotations(51) } }),
    );
    assert.equal(overflow.status, 422);

    const listed = await octokit.paginate(octokit.rest.checks.listAnnotations, { ...repo, check_run_id: created.data.id, per_page: 100 });
    assert.equal(listed.length, 100);
    assert.equal(listed[99]?.message, 'm100');
    assert.equal((await octokit.rest.checks.get({ ...repo, check_run_id: created.data.id })).data.output.summary, 's2');
    assert.deepEqual(sim.state.checkRuns[0]?.annotationBatches, [50, 50]);
    // Only the two 51-annotation requests broke the API description (maxItems: 50).
    assert.equal(sim.violations.length, 2);
  });

  test('check runs: head_sha, columns, summary size, conclusion', async () => {
    const { sim, octokit } = await simulator();
    const base = { ...repo, name: 'review', status: 'in_progress' as const, output: { title: 't', summary: 's' } };
    const merge = (await octokit.rest.pulls.get(pr)).data.merge_commit_sha ?? '';
    const noCommit = await failure(octokit.rest.checks.create({ ...base, head_sha: merge }));
    assert.equal(noCommit.status, 422);
    assert.match(String(noCommit.data.message), /No commit found for SHA/);
    const columns = await failure(
      octokit.rest.checks.create({
        ...base,
        head_sha: fixture.headSha,
        output: {
          title: 't',
          summary: 's',
          annotations: [{ path: 'a', start_line: 1, end_line: 3, start_column: 1, end_column: 4, annotation_level: 'notice', message: 'm' }],
        },
      }),
    );
    assert.equal(columns.status, 422);
    const summary = await failure(octokit.rest.checks.create({ ...base, head_sha: fixture.headSha, output: { title: 't', summary: 'x'.repeat(65536) } }));
    assert.equal(summary.status, 422);
    const incomplete = await failure(octokit.rest.checks.create({ ...base, head_sha: fixture.headSha, status: 'completed' }));
    assert.equal(incomplete.status, 422);
    const sameLine = await octokit.rest.checks.create({
      ...base,
      head_sha: fixture.headSha,
      output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 2, end_line: 2, start_column: 1, end_column: 4, annotation_level: 'failure', message: 'm' }] },
    });
    assert.equal(sameLine.status, 201);
    assert.equal(sim.state.checkRuns.length, 1);
    const forRef = await octokit.rest.checks.listForRef({ ...repo, ref: fixture.headRef });
    assert.equal(forRef.data.total_count, 1);
  });

  test('read-only (fork) mode: every write answers 403, reads work', async () => {
    const { sim, octokit } = await simulator({ readOnly: true });
    const writes = [
      octokit.rest.pulls.createReview({ ...pr, commit_id: fixture.headSha, event: 'COMMENT', body: 'x' }),
      octokit.rest.checks.create({ ...repo, name: 'n', head_sha: fixture.headSha, status: 'in_progress', output: { title: 't', summary: 's' } }),
      octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: 1, body: 'x' }),
      octokit.rest.issues.createComment({ ...repo, issue_number: PULL, body: 'x' }),
    ];
    for (const write of writes) {
      const error = await failure(write);
      assert.equal(error.status, 403);
      assert.equal(error.data.message, 'Resource not accessible by integration');
    }
    const pull = await octokit.rest.pulls.get(pr);
    assert.equal(pull.data.head.repo?.fork, true);
    assert.equal((await octokit.rest.pulls.listFiles(pr)).status, 200);
    assert.equal(sim.state.reviews.length + sim.state.checkRuns.length + sim.state.issueComments.length, 0);
  });

  test('identities: installation token vs personal access token', async () => {
    const { octokit: app } = await simulator();
    const user = await failure(app.rest.users.getAuthenticated());
    assert.equal(user.status, 403);
    assert.equal(user.data.message, 'Resource not accessible by integration');

    const { octokit: pat } = await simulator({ identity: { login: 'alice' } });
    assert.equal((await pat.rest.users.getAuthenticated()).data.login, 'alice');
    const review = await pat.rest.pulls.createReview({ ...pr, event: 'COMMENT', comments: [{ path: 'src/app.ts', line: 21, body: 'x' }] });
    assert.equal(review.data.user?.login, 'alice');
    const check = await failure(pat.rest.checks.create({ ...repo, name: 'n', head_sha: fixture.headSha, status: 'in_progress', output: { title: 't', summary: 's' } }));
    assert.equal(check.status, 403);
    assert.equal(check.data.message, 'You must authenticate via a GitHub App.');

    const { octokit: author } = await simulator({ identity: { login: 'octocat' } });
    assert.deepEqual((await failure(author.rest.pulls.createReview({ ...pr, event: 'APPROVE' }))).data.errors, ['Can not approve your own pull request']);
  });

  test('comments: edit own, never others; human replies; pushes outdate comments', async () => {
    const { sim, octokit } = await simulator();
    await octokit.rest.pulls.createReview({
      ...pr,
      commit_id: fixture.headSha,
      event: 'COMMENT',
      comments: [
        { path: 'src/app.ts', line: 21, body: 'first' },
        { path: 'src/app.ts', line: 37, body: 'second' },
      ],
    });
    const [first, second] = await octokit.paginate(octokit.rest.pulls.listReviewComments, pr);
    assert.ok(first && second);
    const edited = await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: first.id, body: 'first, edited' });
    assert.equal(edited.data.body, 'first, edited');
    const blank = await failure(octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: first.id, body: '' }));
    assert.equal(blank.status, 422);
    const missing = await failure(octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: 999_999, body: 'x' }));
    assert.equal(missing.status, 404);

    const reply = sim.addReply(first.id, 'I disagree', 'alice');
    const human = sim.addReviewComment({ path: 'src/app.ts', line: 22, body: 'human note', login: 'bob' });
    const listed = await octokit.paginate(octokit.rest.pulls.listReviewComments, pr);
    const listedReply = listed.find((c) => c.id === reply.id);
    assert.equal(listedReply?.in_reply_to_id, first.id);
    assert.equal(listedReply?.user?.login, 'alice');
    assert.equal(listedReply?.line, 21);
    for (const id of [reply.id, human.id]) {
      const error = await failure(octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: id, body: 'hijack' }));
      assert.equal(error.status, 403);
    }
    assert.equal(sim.state.reviewComments.find((c) => c.id === human.id)?.body, 'human note');
    assert.equal((await octokit.paginate(octokit.rest.pulls.listReviews, pr)).length, 3, 'a reply comes with its own review');

    // A push that rewrites line 37 and shifts nothing before line 21.
    const lines = [...APP_HEAD];
    lines[36] = 'line 35 changed again';
    const pushed = await fixture.push({ 'src/app.ts': lines.join('\n') + '\n' });
    sim.push(pushed);
    const after = await octokit.paginate(octokit.rest.pulls.listReviewComments, pr);
    assert.equal(after.find((c) => c.id === first.id)?.line, 21, 'an unchanged line keeps its comment');
    assert.equal(after.find((c) => c.id === first.id)?.commit_id, pushed.headSha);
    assert.equal(after.find((c) => c.id === second.id)?.line, null, 'a rewritten line outdates its comment');
    assert.equal(after.find((c) => c.id === second.id)?.original_line, 37);
    assert.equal((await octokit.rest.pulls.get(pr)).data.head.sha, pushed.headSha);
    const old = await failure(octokit.rest.pulls.createReview({ ...pr, commit_id: fixture.headSha, event: 'COMMENT', body: 'x' }));
    assert.equal(old.status, 422, 'reviews must target the new head');
    assert.deepEqual(sim.violations, []);
  });

  test('contents, blobs and trees read the fixture repository', async () => {
    const { sim, octokit } = await simulator();
    const file = await octokit.rest.repos.getContent({ ...repo, path: 'src/app.ts', ref: fixture.headSha });
    assert.ok(!Array.isArray(file.data) && file.data.type === 'file');
    if (Array.isArray(file.data) || file.data.type !== 'file') return;
    assert.equal(Buffer.from(file.data.content, 'base64').toString('utf8'), APP_HEAD.join('\n') + '\n');
    const atBase = await octokit.rest.repos.getContent({ ...repo, path: 'gone.txt', ref: fixture.baseSha });
    assert.ok(!Array.isArray(atBase.data));
    const gone = await failure(octokit.rest.repos.getContent({ ...repo, path: 'gone.txt', ref: fixture.headSha }));
    assert.equal(gone.status, 404);
    assert.equal(gone.data.message, 'Not Found');
    const dir = await octokit.rest.repos.getContent({ ...repo, path: 'docs', ref: fixture.headRef });
    assert.ok(Array.isArray(dir.data));
    assert.deepEqual(Array.isArray(dir.data) ? dir.data.map((e) => [e.path, e.type]) : [], [['docs/new-name.md', 'file']]);
    const noRef = await failure(octokit.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'no-such-branch' }));
    assert.equal(noRef.status, 404);
    const root = await octokit.rest.repos.getContent({ ...repo, path: '', ref: fixture.headSha });
    assert.deepEqual(Array.isArray(root.data) ? root.data.map((e) => e.path) : [], ['README.md', 'assets', 'data', 'docs', 'gen', 'src']);

    // Over 1 MB: the default media type refuses, the object media type has no content, the raw one has it all.
    const tooLarge = await failure(octokit.rest.repos.getContent({ ...repo, path: 'data/big.txt', ref: fixture.headSha }));
    assert.equal(tooLarge.status, 403);
    assert.deepEqual(tooLarge.data.errors, [{ resource: 'Blob', field: 'data', code: 'too_large' }]);
    const asObject = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...repo,
      path: 'data/big.txt',
      ref: fixture.headSha,
      headers: { accept: 'application/vnd.github.object+json' },
    });
    assert.deepEqual([(asObject.data as { encoding?: string }).encoding, (asObject.data as { content?: string }).content], ['none', '']);
    const asRaw = await octokit.rest.repos.getContent({ ...repo, path: 'data/big.txt', ref: fixture.headSha, mediaType: { format: 'raw' } });
    // The raw media type answers the bytes as text, which the endpoint's types do not describe.
    const raw: unknown = asRaw.data;
    assert.ok(typeof raw === 'string');
    assert.equal(raw.length, 1_200_001);

    const blob = await octokit.rest.git.getBlob({ ...repo, file_sha: file.data.sha });
    assert.equal(Buffer.from(blob.data.content, 'base64').toString('utf8'), APP_HEAD.join('\n') + '\n');
    const tree = await octokit.rest.git.getTree({ ...repo, tree_sha: fixture.headSha, recursive: '1' });
    const paths = tree.data.tree.map((e) => e.path);
    assert.ok(paths.includes('src/app.ts') && paths.includes('src') && paths.includes('gen/file-149.txt'));
    assert.ok(!paths.includes('gone.txt'));
    const shallow = await octokit.rest.git.getTree({ ...repo, tree_sha: fixture.headSha });
    assert.ok(!shallow.data.tree.some((e) => e.path?.includes('/')));
    assert.deepEqual(sim.violations, []);
  });

  test('failure injection: 5xx, dropped connections, secondary rate limits', async () => {
    const { sim, octokit } = await simulator();
    sim.failNext({ route: 'pulls/list-files', times: 2, status: 502 });
    assert.equal((await failure(octokit.rest.pulls.listFiles(pr))).status, 502);
    assert.equal((await failure(octokit.rest.pulls.listFiles(pr))).status, 502);
    assert.equal((await octokit.rest.pulls.listFiles(pr)).status, 200);

    sim.failNext({ route: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', method: 'POST', kind: 'secondary-rate-limit', retryAfter: 7 });
    const limited = await failure(octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', body: 'x' }));
    assert.equal(limited.status, 403);
    assert.equal(limited.headers['retry-after'], '7');
    assert.match(String(limited.data.message), /secondary rate limit/);
    assert.equal(sim.state.reviews.length, 0);

    sim.failNext({ route: 'pulls/create-review', kind: 'apply-then-error' });
    assert.equal((await failure(octokit.rest.pulls.createReview({ ...pr, event: 'COMMENT', body: 'x' }))).status, 502);
    assert.equal(sim.state.reviews.length, 1, 'the review exists although the client saw an error');

    sim.failNext({ route: 'pulls/get', kind: 'drop' });
    await assert.rejects(octokit.rest.pulls.get(pr));
    assert.equal((await octokit.rest.pulls.get(pr)).status, 200);

    const { octokit: metered } = await simulator({ primaryRateLimit: 2 });
    const first = await metered.rest.pulls.get(pr);
    assert.equal(first.headers['x-ratelimit-limit'], '2');
    assert.equal(first.headers['x-ratelimit-remaining'], '1');
    await metered.rest.pulls.get(pr);
    const exhausted = await failure(metered.rest.pulls.get(pr));
    assert.equal(exhausted.status, 403);
    assert.equal(exhausted.headers['x-ratelimit-remaining'], '0');
    assert.equal((await (await simulator()).octokit.rest.pulls.get(pr)).headers['x-ratelimit-limit'], '1000', 'GITHUB_TOKEN: 1000 an hour');

    const { octokit: busy } = await simulator({ secondaryRateLimit: { perMinute: 3 } });
    for (let i = 0; i < 3; i++) await busy.rest.issues.createComment({ ...repo, issue_number: PULL, body: `c${i}` });
    const blocked = await failure(busy.rest.issues.createComment({ ...repo, issue_number: PULL, body: 'c3' }));
    assert.equal(blocked.status, 403);
    assert.equal(blocked.headers['retry-after'], '60');
  });

  test("responses match GitHub's OpenAPI response schemas", async () => {
    const { sim, octokit } = await simulator({ validateResponses: true, identity: 'app' });
    const check = (method: string, path: string, status: number, data: unknown): void => {
      assert.deepEqual(validateResponse(method, path, status, data), [], `${method} ${path}`);
    };
    const base = `/repos/${OWNER}/${REPO}`;
    check('GET', `${base}/pulls/${PULL}`, 200, (await octokit.rest.pulls.get(pr)).data);
    check('GET', `${base}/pulls/${PULL}/files`, 200, (await octokit.rest.pulls.listFiles({ ...pr, per_page: 100 })).data);
    const review = await octokit.rest.pulls.createReview({
      ...pr,
      commit_id: fixture.headSha,
      event: 'COMMENT',
      body: 'b',
      comments: [
        { path: 'src/app.ts', line: 21, body: 'x' },
        { path: 'src/app.ts', start_line: 18, line: 22, body: 'y' },
      ],
    });
    check('POST', `${base}/pulls/${PULL}/reviews`, 200, review.data);
    check('GET', `${base}/pulls/${PULL}/reviews`, 200, (await octokit.rest.pulls.listReviews(pr)).data);
    const comments = await octokit.rest.pulls.listReviewComments(pr);
    check('GET', `${base}/pulls/${PULL}/comments`, 200, comments.data);
    const commentId = comments.data[0]?.id ?? 0;
    check('PATCH', `${base}/pulls/comments/${commentId}`, 200, (await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: commentId, body: 'z' })).data);
    sim.addReply(commentId, 'reply');
    check('GET', `${base}/pulls/${PULL}/comments`, 200, (await octokit.rest.pulls.listReviewComments(pr)).data);
    const run = await octokit.rest.checks.create({
      ...repo,
      name: 'n',
      head_sha: fixture.headSha,
      status: 'in_progress',
      output: { title: 't', summary: 's', annotations: [{ path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' }] },
    });
    check('POST', `${base}/check-runs`, 201, run.data);
    check('PATCH', `${base}/check-runs/${run.data.id}`, 200, (await octokit.rest.checks.update({ ...repo, check_run_id: run.data.id, conclusion: 'success' })).data);
    check('GET', `${base}/check-runs/${run.data.id}/annotations`, 200, (await octokit.rest.checks.listAnnotations({ ...repo, check_run_id: run.data.id })).data);
    await octokit.rest.checks.listForRef({ ...repo, ref: fixture.headSha });
    const issueComment = await octokit.rest.issues.createComment({ ...repo, issue_number: PULL, body: 'hello' });
    await octokit.rest.issues.updateComment({ ...repo, comment_id: issueComment.data.id, body: 'hello again' });
    await octokit.rest.issues.listComments({ ...repo, issue_number: PULL });
    await octokit.rest.repos.getContent({ ...repo, path: 'src/app.ts', ref: fixture.headSha });
    await octokit.rest.repos.getContent({ ...repo, path: 'src', ref: fixture.headSha });
    await octokit.rest.git.getTree({ ...repo, tree_sha: fixture.headSha, recursive: 'true' });
    await octokit.rest.git.getBlob({ ...repo, file_sha: fixture.files.find((f) => f.filename === 'src/app.ts')?.sha ?? '' });
    await octokit.rest.repos.get(repo);
    const { sim: patSim, octokit: pat } = await simulator({ validateResponses: true, identity: { login: 'alice', name: 'Alice' } });
    await pat.rest.users.getAuthenticated();

    const validated = sim.requests.filter((r) => r.status >= 200 && r.status < 300).length;
    assert.ok(validated >= 18, `${validated} responses validated`);
    assert.deepEqual(sim.responseViolations, []);
    assert.deepEqual(patSim.responseViolations, []);
    assert.deepEqual(sim.violations, []);
  });
});
