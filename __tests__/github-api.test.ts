/**
 * `createPullRequestApi` with the real Octokit client from src (retries, throttling) against the GitHub simulator: pagination and
 * GitHub's 3000-file cap, contents over 1 MB, what "not a file" looks like, trees and blobs, the token's identity, and which
 * requests Octokit may retry by itself (reads) and which it must not (the review POST).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExternalServiceError } from '../src/errors.js';
import { createPullRequestApi, GITHUB_FILE_CAP, type PullRequestApi } from '../src/github/api.js';
import { createOctokit } from '../src/github/client.js';
import { RecordingLogger } from './support/recording-logger.js';
import { createPullRequestFixture, git, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator, type SimulatorOptions } from './support/github-simulator.js';

const OWNER = 'octo-org';
const REPO = 'warehouse';
const PULL = 9;
const TOKEN = 'ghs_apiTestToken0123456789abcdef';

const fixtures: PullRequestFixture[] = [];
const simulators: GitHubSimulator[] = [];

after(async () => {
  for (const sim of simulators) await sim.close();
  for (const fixture of fixtures) await fixture.cleanup();
});

async function makeFixture(...args: Parameters<typeof createPullRequestFixture>): Promise<PullRequestFixture> {
  const fixture = await createPullRequestFixture(args[0], { owner: OWNER, repo: REPO, ...args[1] });
  fixtures.push(fixture);
  return fixture;
}

async function simulator(fixture: PullRequestFixture, overrides: Partial<SimulatorOptions> = {}): Promise<GitHubSimulator> {
  const sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN, ...overrides });
  simulators.push(sim);
  return sim;
}

function apiFor(sim: GitHubSimulator, token = TOKEN): PullRequestApi {
  const octokit = createOctokit({
    token,
    baseUrl: sim.url,
    logger: new RecordingLogger(),
    userAgent: 'ultra-create-test',
    throttle: { writeMinTimeMs: 0, notificationMinTimeMs: 0 },
  });
  return createPullRequestApi(octokit, { owner: OWNER, repo: REPO, pullNumber: PULL });
}

function manyFiles(count: number, prefix: string): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}/f${String(i).padStart(4, '0')}.ts`, `export const v${i} = ${i};\n`]));
}

describe('listFiles', () => {
  test('follows the pages past 100 files (per_page=100) and keeps what GitHub says of each file', async () => {
    const fixture = await makeFixture({
      base: { 'src/keep.ts': 'a\nb\n', 'old/name.ts': 'export const x = 1;\n', 'gone.ts': 'bye\n' },
      head: { ...manyFiles(250, 'gen'), 'src/keep.ts': 'a\nB\n', 'gone.ts': null, 'bin/logo.png': Buffer.from([0x89, 0x50, 0x00, 0x01]) },
      renames: { 'old/name.ts': 'new/name.ts' },
    });
    const sim = await simulator(fixture);
    const { files, truncated } = await apiFor(sim).listFiles();

    assert.equal(truncated, false);
    assert.equal(files.length, fixture.files.length);
    assert.equal(files.length, 254);
    assert.deepEqual(
      files.map((f) => f.path),
      fixture.files.map((f) => f.filename),
      'every file once, in GitHub’s order',
    );
    const pages = sim.requestsFor('pulls/list-files', 'GET');
    assert.equal(pages.length, 3);
    assert.ok(pages.every((p) => p.query.per_page === '100'));

    const byPath = new Map(files.map((f) => [f.path, f]));
    const modified = byPath.get('src/keep.ts')!;
    assert.equal(modified.status, 'modified');
    assert.equal(modified.additions, 1);
    assert.equal(modified.deletions, 1);
    assert.match(modified.patch ?? '', /^@@ -1,2 \+1,2 @@/);
    assert.equal(modified.blobSha, fixture.files.find((f) => f.filename === 'src/keep.ts')!.sha);
    assert.deepEqual(
      { status: byPath.get('new/name.ts')?.status, previousPath: byPath.get('new/name.ts')?.previousPath },
      { status: 'renamed', previousPath: 'old/name.ts' },
    );
    assert.equal(byPath.get('gone.ts')?.status, 'removed');
    assert.equal(byPath.get('bin/logo.png')?.patch, undefined, 'a binary file has no patch');
    assert.deepEqual(sim.violations, []);
  });

  test(`stops at GitHub’s cap: a 3010-file pull request lists ${GITHUB_FILE_CAP} files, truncated`, async () => {
    const fixture = await makeFixture({ base: { 'README.md': '# x\n' }, head: manyFiles(3010, 'many') });
    assert.equal(fixture.files.length, 3010);
    const sim = await simulator(fixture, { primaryRateLimit: false });
    const { files, truncated } = await apiFor(sim).listFiles();
    assert.equal(files.length, GITHUB_FILE_CAP);
    assert.equal(truncated, true);
    assert.equal(new Set(files.map((f) => f.path)).size, GITHUB_FILE_CAP, 'no file twice');
    assert.equal(sim.requestsFor('pulls/list-files', 'GET').length, 30);
    assert.deepEqual(sim.violations, []);
  });

  test('a pull request under the cap is not reported truncated', async () => {
    const fixture = await makeFixture({ base: { 'README.md': '# x\n' }, head: manyFiles(101, 'some') });
    const sim = await simulator(fixture);
    const { files, truncated } = await apiFor(sim).listFiles();
    assert.equal(files.length, 101);
    assert.equal(truncated, false);
  });
});

describe('contents, trees and blobs', () => {
  const bigText = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'x'.repeat(20)} ünïcødé`).join('\n') + '\n';
  const binary = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;
  let api: PullRequestApi;

  before(async () => {
    fixture = await makeFixture({
      base: {
        '.github/ultra-create.yml': 'fail-on: high\n',
        'docs/big.txt': bigText,
        'docs/nested/deep.md': '# deep\n',
        'assets/raw.bin': binary,
        'empty.txt': '',
      },
      head: { 'src/new.ts': 'export const y = 2;\n', 'docs/big.txt': null },
    });
    sim = await simulator(fixture);
    api = apiFor(sim);
  });

  test('readFile returns a file over 1 MB whole (raw media type), byte for byte', async () => {
    assert.ok(Buffer.byteLength(bigText) > 1024 * 1024);
    const text = await api.readFile(fixture.baseSha, 'docs/big.txt');
    assert.equal(text, bigText);
    const request = sim.requestsFor('repos/get-content', 'GET').at(-1)!;
    assert.match(request.headers.accept ?? '', /application\/vnd\.github\.v3\.raw/);
    assert.equal(request.status, 200);
  });

  test('readFile: a small file, an empty file, and the base side (not the head) of a file the PR deletes', async () => {
    assert.equal(await api.readFile(fixture.baseSha, '.github/ultra-create.yml'), 'fail-on: high\n');
    assert.equal(await api.readFile(fixture.baseSha, 'empty.txt'), '');
    assert.equal(await api.readFile(fixture.headSha, 'docs/big.txt'), undefined, 'deleted at the head');
  });

  test('readFile: a missing file, an unknown ref, a folder → undefined', async () => {
    assert.equal(await api.readFile(fixture.baseSha, 'nope/missing.yml'), undefined);
    assert.equal(await api.readFile('0123456789abcdef0123456789abcdef01234567', '.github/ultra-create.yml'), undefined);
    assert.equal(await api.readFile(fixture.baseSha, 'docs'), undefined);
    assert.equal(await api.readFile(fixture.baseSha, 'docs/nested'), undefined);
    assert.deepEqual(sim.violations, []);
  });

  test('readFile: other failures are GitHub errors, not "no file"', async () => {
    await assert.rejects(apiFor(sim, 'ghs_wrong').readFile(fixture.baseSha, '.github/ultra-create.yml'), (error: unknown) => {
      assert.ok(error instanceof ExternalServiceError);
      assert.equal(error.status, 401);
      assert.match(error.message, /could not read \.github\/ultra-create\.yml/);
      return true;
    });
  });

  test('listTree lists the whole tree at a commit, recursively, as git does', async () => {
    const entries = await api.listTree(fixture.baseSha);
    const expected = (await git(fixture.dir, ['ls-tree', '-r', '-t', '-l', fixture.baseSha]))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [, type, sha, size] = meta.split(/ +/) as [string, string, string, string];
        return { path, sha, type, size: size === '-' ? undefined : Number(size) };
      });
    assert.deepEqual(
      entries.map((e) => ({ path: e.path, sha: e.sha, type: e.type, size: e.size })).sort((a, b) => a.path.localeCompare(b.path)),
      expected.sort((a, b) => a.path.localeCompare(b.path)),
    );
    assert.ok(entries.some((e) => e.path === 'docs/nested/deep.md' && e.type === 'blob'));
    assert.ok(entries.some((e) => e.path === 'docs/nested' && e.type === 'tree'));
    assert.equal(sim.requestsFor('git/get-tree', 'GET').at(-1)?.query.recursive, 'true');
  });

  test('getBlob returns the bytes, binary included', async () => {
    const entries = await api.listTree(fixture.baseSha);
    const raw = entries.find((e) => e.path === 'assets/raw.bin')!;
    assert.deepEqual(await api.getBlob(raw.sha), binary);
    const big = entries.find((e) => e.path === 'docs/big.txt')!;
    assert.equal((await api.getBlob(big.sha)).toString('utf8'), bigText);
  });

  test('getBlob of an unknown sha is a GitHub error naming the blob', async () => {
    const sha = 'f'.repeat(40);
    await assert.rejects(api.getBlob(sha), (error: unknown) => {
      assert.ok(error instanceof ExternalServiceError);
      assert.equal(error.status, 404);
      assert.match(error.message, new RegExp(`read blob ${sha}`));
      return true;
    });
    assert.deepEqual(sim.violations, []);
  });
});

describe('getAuthenticatedLogin', () => {
  let fixture: PullRequestFixture;
  before(async () => {
    fixture = await makeFixture({ base: { 'a.ts': '1\n' }, head: { 'a.ts': '2\n' } });
  });

  test('an installation token (GITHUB_TOKEN) cannot tell: GET /user answers 403 → undefined', async () => {
    const sim = await simulator(fixture);
    assert.equal(await apiFor(sim).getAuthenticatedLogin(), undefined);
    assert.equal(sim.requestsFor('users/get-authenticated', 'GET')[0]?.status, 403);
  });

  test('a personal access token answers with its login', async () => {
    const sim = await simulator(fixture, { identity: { login: 'review-bot' } });
    assert.equal(await apiFor(sim).getAuthenticatedLogin(), 'review-bot');
  });

  test('a bad token is not an identity either', async () => {
    const sim = await simulator(fixture, { identity: { login: 'review-bot' } });
    assert.equal(await apiFor(sim, 'ghp_revoked').getAuthenticatedLogin(), undefined);
  });
});

describe('reviews and comments', () => {
  let fixture: PullRequestFixture;
  before(async () => {
    const base = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const head = Array.from({ length: 200 }, (_, i) => `line ${i + 1} changed`).join('\n') + '\n';
    fixture = await makeFixture({ base: { 'src/a.ts': base }, head: { 'src/a.ts': head } });
  });

  test('listReviewComments follows the pages and maps replies', async () => {
    const sim = await simulator(fixture);
    const created = Array.from({ length: 130 }, (_, i) => sim.addReviewComment({ path: 'src/a.ts', line: i + 1, body: `c${i}`, login: 'maintainer' }));
    sim.addReply(created[0]!.id, 'a reply', 'octocat');
    const comments = await apiFor(sim).listReviewComments();
    assert.equal(comments.length, 131);
    assert.equal(sim.requestsFor('pulls/list-review-comments', 'GET').length, 2);
    const reply = comments.find((c) => c.body === 'a reply')!;
    assert.equal(reply.inReplyToId, created[0]!.id);
    assert.equal(reply.userLogin, 'octocat');
    const first = comments.find((c) => c.id === created[0]!.id)!;
    assert.deepEqual({ path: first.path, line: first.line, userLogin: first.userLogin }, { path: 'src/a.ts', line: 1, userLogin: 'maintainer' });
    assert.deepEqual(sim.violations, []);
  });

  test('createReview posts one review with its comments; listReviewBodies and updateReviewComment round-trip', async () => {
    const sim = await simulator(fixture);
    const api = apiFor(sim);
    const review = await api.createReview({
      commitId: fixture.headSha,
      body: 'body <!-- ultra-create:review run=1.1 -->',
      event: 'COMMENT',
      comments: [
        { path: 'src/a.ts', line: 5, side: 'RIGHT', body: 'one' },
        { path: 'src/a.ts', line: 9, side: 'RIGHT', start_line: 7, start_side: 'RIGHT', body: 'range' },
      ],
    });
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(review.id, sim.state.reviews[0]!.id);
    assert.match(review.htmlUrl ?? '', /#pullrequestreview-/);
    assert.equal(sim.state.reviewComments.find((c) => c.body === 'range')?.startLine, 7);
    const bodies = await api.listReviewBodies();
    assert.deepEqual(
      bodies.map((b) => [b.id, b.body, b.userLogin]),
      [[review.id, 'body <!-- ultra-create:review run=1.1 -->', 'github-actions[bot]']],
    );
    const comment = sim.state.reviewComments[0]!;
    await api.updateReviewComment(comment.id, 'edited');
    assert.equal(comment.body, 'edited');
    assert.deepEqual(sim.violations, []);
  });

  test('Octokit never retries the review POST by itself, though it retries reads', async () => {
    const sim = await simulator(fixture);
    const api = apiFor(sim);
    for (const kind of ['error', 'drop'] as const) {
      sim.failNext({ route: 'pulls/create-review', method: 'POST', kind, status: 502 });
      await assert.rejects(
        api.createReview({ commitId: fixture.headSha, body: 'x', event: 'COMMENT', comments: [] }),
        (error: unknown) => (error as { status?: number }).status === (kind === 'error' ? 502 : 500),
      );
    }
    sim.failNext({ route: 'pulls/create-review', method: 'POST', kind: 'apply-then-error', status: 504 });
    await assert.rejects(api.createReview({ commitId: fixture.headSha, body: 'y', event: 'COMMENT', comments: [] }));
    assert.equal(sim.requestsFor('pulls/create-review', 'POST').length, 3, 'one POST per call');
    assert.equal(sim.state.reviews.length, 1, 'only the applied one exists');

    // The retry plugin is active: the same failure on a read is retried (after 1 s) and succeeds.
    sim.failNext({ route: 'pulls/list-reviews', method: 'GET', kind: 'error', status: 502 });
    const bodies = await api.listReviewBodies();
    assert.equal(bodies.length, 1);
    assert.deepEqual(
      sim.requestsFor('pulls/list-reviews', 'GET').map((r) => r.status),
      [502, 200],
    );
  });
});

describe('check runs', () => {
  test('create (in progress, no conclusion sent), then update to completed, valid for GitHub', async () => {
    const fixture = await makeFixture({ base: { 'a.ts': '1\n' }, head: { 'a.ts': '2\n' } });
    const sim = await simulator(fixture);
    const api = apiFor(sim);
    const annotation = { path: 'a.ts', start_line: 1, end_line: 1, annotation_level: 'warning' as const, message: 'm' };
    const created = await api.createCheckRun({
      name: 'ultra-create',
      headSha: fixture.headSha,
      status: 'in_progress',
      output: { title: 't', summary: 's', annotations: [annotation] },
      detailsUrl: 'https://github.example/runs/1',
      externalId: '42.1',
    });
    assert.equal(created.appSlug, 'github-actions');
    assert.deepEqual(await api.findCheckRun(fixture.headSha, 'ultra-create', '42.1'), { id: created.id, appSlug: 'github-actions' });
    assert.equal(await api.findCheckRun(fixture.headSha, 'ultra-create', 'another-run'), undefined);
    assert.equal(await api.countCheckRunAnnotations(created.id), 1);
    const body = sim.requestsFor('checks/create', 'POST')[0]!.body as Record<string, unknown>;
    assert.equal('conclusion' in body, false);
    assert.equal(sim.state.checkRuns[0]!.status, 'in_progress');
    await api.updateCheckRun(created.id, { status: 'completed', conclusion: 'neutral', output: { title: 't', summary: 's', annotations: [annotation] } });
    const run = sim.state.checkRuns[0]!;
    assert.deepEqual([run.status, run.conclusion, run.annotations.length, run.detailsUrl], ['completed', 'neutral', 2, 'https://github.example/runs/1']);
    assert.deepEqual(sim.violations, []);
  });
});
