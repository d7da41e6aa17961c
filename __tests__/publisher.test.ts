/**
 * The publisher against the GitHub simulator, with the real Octokit client from src (retries and throttling included): how many
 * requests a run makes, what happens when GitHub fails half-way through a review POST, the 422 fallback, the review event, whose
 * markers are trusted, how fixed findings are resolved, and the read-only (fork) token. Findings are built directly; placements come
 * from the real triage against the patches GitHub lists, except where a test needs a placement GitHub refuses.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAction, type ActionDeps } from '../src/action/main-step.js';
import { ExternalServiceError } from '../src/errors.js';
import { createPullRequestApi, type PullRequestApi } from '../src/github/api.js';
import { createOctokit } from '../src/github/client.js';
import { RecordingLogger } from './support/recording-logger.js';
import { CHECK_RUN_NAME, GitHubPublisher, type PriorComments, type PublishResult } from '../src/publish/github-publisher.js';
import { computeConclusion, notReviewedParts } from '../src/report/conclusion.js';
import { computeFingerprint } from '../src/report/fingerprint.js';
import { fingerprintMarker, isMarkedResolved, readFingerprintMarker, reviewMarker, verdictsMarker } from '../src/report/markers.js';
import { triageFindings } from '../src/triage.js';
import { type ChangedFile, type Finding, type FindingVerdict, type PlacedFinding, type Placement, type ReviewReport, type RuleInfo, type ScanReport, type Severity, type SkippedFile } from '../src/types.js';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator, type SimulatorOptions } from './support/github-simulator.js';
import { checkoutWorkspace } from './support/run-dist.js';
import { stub } from './support/stub.js';

const OWNER = 'octo-org';
const REPO = 'shop';
const PULL = 17;
const TOKEN = 'ghs_publisherTestToken0123456789';
const BOT = 'github-actions[bot]';
const PAT_USER = 'review-bot';

// ---------------------------------------------------------------------------------------------------------------------------------
// The pull request: src/new.ts is added (160 lines, every one commentable), src/app.ts changes lines 100-102 of 120 (lines 1-96 are
// outside the diff), src/lib.ts changes line 5. Each eval runs request data (a critical finding).

const NEW_LINES = Array.from({ length: 160 }, (_, i) => `export const n${i + 1} = eval(req.query.input${i + 1});`);
const APP_BASE = Array.from({ length: 120 }, (_, i) => `export const a${i + 1} = ${i + 1};`);
const APP_HEAD = APP_BASE.map((line, i) => (i >= 99 && i <= 101 ? `export const a${i + 1} = eval(req.body.source${i + 1});` : line));
const LIB_BASE = Array.from({ length: 10 }, (_, i) => `export const l${i + 1} = ${i + 1};`);
const LIB_HEAD = LIB_BASE.map((line, i) => (i === 4 ? 'export const l5 = eval(req.query.lib);' : line));

const BASE = { 'src/app.ts': text(APP_BASE), 'src/lib.ts': text(LIB_BASE), 'README.md': '# shop\n' };
const HEAD = { 'src/app.ts': text(APP_HEAD), 'src/lib.ts': text(LIB_HEAD), 'src/new.ts': text(NEW_LINES) };

function text(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Head content of a path, for findings' evidence (what fingerprints hash). */
const headContent = new Map<string, string[]>([
  ['src/new.ts', NEW_LINES],
  ['src/app.ts', APP_HEAD],
  ['src/lib.ts', LIB_HEAD],
]);

let fixture: PullRequestFixture;
const simulators: GitHubSimulator[] = [];

before(async () => {
  fixture = await createPullRequestFixture({ base: BASE, head: HEAD }, { owner: OWNER, repo: REPO });
});

after(async () => {
  for (const sim of simulators) await sim.close();
  await fixture?.cleanup();
});

async function simulator(overrides: Partial<SimulatorOptions> = {}): Promise<GitHubSimulator> {
  const sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN, ...overrides });
  simulators.push(sim);
  return sim;
}

function apiFor(sim: GitHubSimulator, logger = new RecordingLogger()): PullRequestApi {
  const octokit = createOctokit({
    token: TOKEN,
    baseUrl: sim.url,
    logger,
    userAgent: 'ultra-create-test',
    throttle: { writeMinTimeMs: 0, notificationMinTimeMs: 0 },
  });
  return createPullRequestApi(octokit, { owner: OWNER, repo: REPO, pullNumber: PULL });
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Findings and reports

const RULES: RuleInfo[] = [
  {
    id: 'js/code-injection-eval',
    source: 'ast-grep',
    severity: 'critical',
    shortDescription: 'eval() runs arbitrary code',
    fullDescription: 'Code built from strings can be controlled by an attacker.',
    cwe: 'CWE-95',
  },
];

function finding(path: string, line: number, overrides: Partial<Finding> = {}): Finding {
  const ruleId = overrides.ruleId ?? 'js/code-injection-eval';
  const evidence = headContent.get(path)?.[line - 1] ?? `line ${line} of ${path}`;
  return {
    ruleId,
    source: 'ast-grep',
    severity: 'high',
    path,
    startLine: line,
    endLine: line,
    message: `eval() on input at ${path}:${line}`,
    evidence,
    fingerprint: computeFingerprint(ruleId, path, evidence),
    ...overrides,
  };
}

/** Findings on the first `n` lines of src/new.ts. */
function newFileFindings(n: number, severity: Severity = 'high'): Finding[] {
  // One rule per finding: repeats of one rule in one file would be folded into one annotation (planAnnotations).
  return Array.from({ length: n }, (_, i) => finding('src/new.ts', i + 1, { severity, ruleId: `js/rule-${i}` }));
}

function astGrepScan(status: ScanReport['status'] = 'ok'): ScanReport {
  return {
    scanner: 'ast-grep',
    status,
    ...(status === 'ok' ? {} : { reason: status === 'failed' ? 'ast-grep exited with code 2' : 'some rules did not parse' }),
    findings: [],
    durationMs: 10,
    filesScanned: 3,
    warnings: [],
  };
}

interface ReportOptions {
  alreadyCommented?: ReadonlyMap<string, number>;
  alreadyListed?: ReadonlySet<string>;
  scans?: ScanReport[];
  skippedFiles?: SkippedFile[];
  maxComments?: number;
  /** Placements to use instead of triage's (e.g. one GitHub refuses). */
  placements?: Placement[];
}

/** What `buildReviewReport` assembles, from findings and the files GitHub lists, with the real triage. */
function makeReport(findings: readonly Finding[], files: readonly ChangedFile[], headSha: string, options: ReportOptions = {}): ReviewReport {
  const scans = options.scans ?? [astGrepScan()];
  const placed: PlacedFinding[] = options.placements
    ? findings.map((f, i) => ({ finding: f, placement: options.placements![i]! }))
    : triageFindings({
        findings,
        files,
        filterMode: 'added',
        maxComments: options.maxComments ?? 30,
        alreadyCommented: options.alreadyCommented ?? new Map(),
        alreadyListed: options.alreadyListed,
      });
  return {
    tool: { name: 'ultra-create', version: '0.1.0', informationUri: 'https://github.com/ultra-create/action' },
    repository: `${OWNER}/${REPO}`,
    pullNumber: PULL,
    baseSha: fixture.baseSha,
    headSha,
    filterMode: 'added',
    failOn: 'critical',
    conclusion: computeConclusion(
      placed.map((p) => p.finding),
      'critical',
      notReviewedParts({ scans, skipped: [], truncated: false, listed: 1 }),
    ),
    notReviewed: notReviewedParts({ scans, skipped: [], truncated: false, listed: 1 }),
    maxComments: options.maxComments ?? 30,
    maxAnnotations: 1000,
    findings: placed,
    scans,
    rules: RULES,
    filesReviewed: files.length,
    skippedFiles: options.skippedFiles ?? [],
    resolvedCount: 0,
    notices: [],
  };
}

interface RunOptions extends ReportOptions {
  headSha?: string;
  runKey?: string;
  reviewEvent?: 'comment' | 'request-changes';
  truncated?: boolean;
  /** Paths left out of the listing (as past GitHub's 3000-file cap, or a file that left the pull request). */
  unlisted?: string[];
  logger?: RecordingLogger;
}

interface RunResult {
  result: PublishResult;
  prior: PriorComments;
  report: ReviewReport;
  logger: RecordingLogger;
  publisher: GitHubPublisher;
}

let runCounter = 0;

/** One run of the publish stage, sequenced as `runAction` does: check run, earlier comments, triage against them, publish. */
async function publishRun(sim: GitHubSimulator, findings: readonly Finding[], options: RunOptions = {}): Promise<RunResult> {
  const logger = options.logger ?? new RecordingLogger();
  const api = apiFor(sim, logger);
  const headSha = options.headSha ?? sim.state.headSha;
  const listed = await api.listFiles();
  const files = listed.files.filter((f) => !options.unlisted?.includes(f.path));
  const publisher = new GitHubPublisher(api, {
    headSha,
    runKey: options.runKey ?? `${++runCounter}.1`,
    reviewEvent: options.reviewEvent ?? 'comment',
    logger,
  });
  await publisher.openCheckRun(makeReport(findings, files, headSha, options));
  const prior: PriorComments = publisher.isReadOnly
    ? { open: new Map(), ours: [], listed: new Set() }
    : await publisher.readPriorComments();
  const alreadyCommented = new Map([...prior.open].map(([fingerprint, comment]) => [fingerprint, comment.id]));
  const report = makeReport(findings, files, headSha, { ...options, alreadyCommented, alreadyListed: prior.listed });
  const result = await publisher.publish(report, prior, { files, truncated: options.truncated ?? false });
  return { result, prior, report, logger, publisher };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Request accounting

function writes(sim: GitHubSimulator): { method: string; path: string; status: number }[] {
  return sim.requests.filter((r) => r.method !== 'GET').map((r) => ({ method: r.method, path: r.path, status: r.status }));
}

function reviewPosts(sim: GitHubSimulator) {
  return sim.requestsFor('pulls/create-review', 'POST');
}

function checkRunRequests(sim: GitHubSimulator) {
  return [...sim.requestsFor('checks/create', 'POST'), ...sim.requestsFor('checks/update', 'PATCH')];
}

function deletes(sim: GitHubSimulator) {
  return sim.requests.filter((r) => r.method === 'DELETE');
}

/** Annotations as GitHub serves them back (GET .../check-runs/{id}/annotations, every page). */
async function annotationsOnGitHub(sim: GitHubSimulator, checkRunId: number): Promise<{ path: string; start_line: number }[]> {
  const octokit = createOctokit({ token: TOKEN, baseUrl: sim.url, logger: new RecordingLogger(), userAgent: 'ultra-create-test' });
  const all = await octokit.paginate(octokit.rest.checks.listAnnotations, {
    owner: OWNER,
    repo: REPO,
    check_run_id: checkRunId,
    per_page: 100,
  });
  return all.map((a) => ({ path: a.path, start_line: a.start_line }));
}

function ourComments(sim: GitHubSimulator, login = BOT) {
  return sim.state.reviewComments.filter((c) => c.user.login === login && readFingerprintMarker(c.body) !== undefined);
}

function commentFor(sim: GitHubSimulator, f: Finding, login = BOT) {
  return ourComments(sim, login).filter((c) => readFingerprintMarker(c.body) === f.fingerprint);
}

// ---------------------------------------------------------------------------------------------------------------------------------

describe('API calls of one run', () => {
  for (const n of [0, 1, 49, 50, 51, 100, 101, 130]) {
    // The create (in progress, no annotations: Claude's verdicts can still change them) and the chunks of 50, the last completing it.
    test(`${n} annotation(s): ${1 + Math.max(1, Math.ceil(n / 50))} check-run request(s), ${n === 0 ? 'no review' : 'one review'}`, async () => {
      const sim = await simulator();
      const findings = newFileFindings(n, 'critical');
      const { result } = await publishRun(sim, findings);

      const checkRuns = checkRunRequests(sim);
      assert.equal(checkRuns.length, 1 + Math.max(1, Math.ceil(n / 50)));
      assert.ok(checkRuns.every((r) => r.status >= 200 && r.status < 300), JSON.stringify(checkRuns.map((r) => r.detail)));
      assert.equal(reviewPosts(sim).length, n === 0 ? 0 : 1);
      assert.equal(sim.state.reviews.length, n === 0 ? 0 : 1);

      // Only the last request completes the run; earlier ones carry no conclusion.
      const bodies = checkRuns.map((r) => r.body as { status?: string; conclusion?: string; output?: { annotations?: unknown[] } });
      const last = bodies[bodies.length - 1]!;
      assert.equal(last.status, 'completed');
      assert.equal(last.conclusion, n === 0 ? 'success' : 'failure');
      for (const body of bodies.slice(0, -1)) {
        assert.notEqual(body.status, 'completed');
        assert.equal(body.conclusion, undefined);
      }
      assert.deepEqual(
        bodies.map((b) => b.output?.annotations?.length ?? 0),
        [0, ...Array.from({ length: checkRuns.length - 1 }, (_, i) => Math.max(0, Math.min(50, n - i * 50)))],
      );

      assert.equal(sim.state.checkRuns.length, 1);
      const run = sim.state.checkRuns[0]!;
      assert.equal(run.id, result.checkRunId);
      assert.equal(run.name, CHECK_RUN_NAME);
      assert.equal(run.headSha, fixture.headSha);
      assert.equal(run.status, 'completed');
      assert.equal(run.conclusion, n === 0 ? 'success' : 'failure');
      const served = await annotationsOnGitHub(sim, run.id);
      assert.equal(served.length, n);
      assert.deepEqual(
        served.map((a) => `${a.path}:${a.start_line}`).sort(),
        findings.map((f) => `${f.path}:${f.startLine}`).sort(),
        'every finding arrived once as an annotation',
      );
      if (n > 0) {
        assert.equal(sim.state.reviewComments.length, Math.min(n, 30), 'max-comments caps the inline comments');
        assert.equal(result.reviewId, sim.state.reviews[0]!.id);
      } else {
        assert.equal(result.reviewId, undefined);
      }
      assert.equal(result.degraded, false);
      assert.deepEqual(sim.violations, []);
    });
  }
});

describe('the review POST is never blindly retried', () => {
  const findings = (): Finding[] => [finding('src/new.ts', 3), finding('src/new.ts', 7)];

  test('GitHub created the review but answered 502: the run finds its own review and does not post again', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'pulls/create-review', method: 'POST', kind: 'apply-then-error', status: 502 });
    const { result, logger } = await publishRun(sim, findings());
    assert.equal(reviewPosts(sim).length, 1, 'neither Octokit nor the publisher posted it again');
    assert.equal(reviewPosts(sim)[0]!.status, 502);
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(sim.state.reviewComments.length, 2);
    assert.equal(result.reviewId, sim.state.reviews[0]!.id);
    // Once for earlier runs' listed findings, once after the failed POST before deciding.
    assert.equal(sim.requestsFor('pulls/list-reviews', 'GET').length, 2, 'the reviews were read before deciding');
    assert.match(logger.text(), /created despite the error/);
    assert.equal(sim.state.checkRuns[0]!.status, 'completed');
    assert.deepEqual(sim.violations, []);
  });

  for (const failure of [
    { name: 'a 502 before anything was created', rule: { kind: 'error' as const, status: 502 } },
    { name: 'a 500 before anything was created', rule: { kind: 'error' as const, status: 500 } },
    { name: 'a dropped connection', rule: { kind: 'drop' as const } },
  ]) {
    test(`${failure.name}: the reviews are checked, then it is posted exactly once more`, async () => {
      const sim = await simulator();
      sim.failNext({ route: 'pulls/create-review', method: 'POST', ...failure.rule });
      const { result, logger } = await publishRun(sim, findings());
      const sequence = sim.requests
        .filter((r) => r.operationId === 'pulls/create-review' || r.operationId === 'pulls/list-reviews')
        .map((r) => `${r.method} ${r.operationId}`);
      // Octokit's retry plugin would have sent the second POST straight after the first, without the GET in between.
      assert.deepEqual(sequence, [
        'GET pulls/list-reviews', // earlier runs' reviews, before triage
        'POST pulls/create-review',
        'GET pulls/list-reviews',
        'POST pulls/create-review',
      ]);
      assert.equal(sim.state.reviews.length, 1);
      assert.equal(sim.state.reviewComments.length, 2);
      assert.equal(result.reviewId, sim.state.reviews[0]!.id);
      assert.match(logger.text(), /no review of this run is on the pull request, trying once more/);
      assert.deepEqual(sim.violations, []);
    });
  }

  test('a secondary rate limit on the review POST (refused, so safe to retry): retried after retry-after, one review', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'pulls/create-review', method: 'POST', kind: 'secondary-rate-limit', retryAfter: 1 });
    const started = Date.now();
    const { result, logger } = await publishRun(sim, findings());
    assert.equal(reviewPosts(sim).length, 2);
    assert.equal(reviewPosts(sim)[0]!.status, 403);
    assert.equal(reviewPosts(sim)[1]!.status, 200);
    assert.ok(Date.now() - started >= 900, 'waited for retry-after');
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(result.reviewId, sim.state.reviews[0]!.id);
    assert.equal(result.degraded, false, 'a rate limit is not a read-only token');
    assert.match(logger.text(), /secondary rate limit on POST/);
    assert.deepEqual(sim.violations, []);
  });

  test('when the second attempt fails too, the error surfaces (no third POST, no silent loss)', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'pulls/create-review', method: 'POST', kind: 'error', status: 502, times: 2 });
    await assert.rejects(publishRun(sim, findings()), (error: unknown) => {
      assert.ok(error instanceof ExternalServiceError, 'a GitHub failure, not a crash of the action');
      assert.equal(error.status, 502);
      assert.match(error.message, /could not post the review/);
      return true;
    });
    assert.equal(reviewPosts(sim).length, 2);
    assert.equal(sim.state.reviews.length, 0);
  });

  test('when the reviews cannot be read after a failed POST, it is not posted again (that would be a blind retry)', async () => {
    let posts = 0;
    const api = stubApi({
      createCheckRun: async () => ({ id: 1, appSlug: 'github-actions' }),
      getAuthenticatedLogin: async () => undefined,
      listReviewComments: async () => [],
      createReview: async () => {
        posts++;
        throw Object.assign(new Error('Bad Gateway'), { status: 502 });
      },
      // Read fine before triage; unavailable when the failed POST has to be checked.
      listReviewBodies: async () => {
        if (posts === 0) return [];
        throw Object.assign(new Error('Service Unavailable'), { status: 503 });
      },
    });
    const publisher = new GitHubPublisher(api, { headSha: fixture.headSha, runKey: '5.1', reviewEvent: 'comment', logger: new RecordingLogger() });
    const report = makeReport(findings(), await filesOf(), fixture.headSha);
    await publisher.openCheckRun(report);
    const prior = await publisher.readPriorComments();
    await assert.rejects(publisher.publish(report, prior, { files: await filesOf() }), (error: unknown) => {
      assert.ok(error instanceof ExternalServiceError);
      assert.match(error.message, /not posting it again/);
      return true;
    });
    assert.equal(posts, 1);
  });

  test("a review by someone else that carries this run's marker is not taken for ours", async () => {
    const runKey = '991.1';
    let posts = 0;
    const api = stubApi({
      createReview: async () => {
        posts++;
        if (posts === 1) throw Object.assign(new Error('Bad Gateway'), { status: 502 });
        return { id: 77, htmlUrl: 'https://github.example/r/77' };
      },
      listReviewBodies: async () => [{ id: 5, body: `copied ${reviewMarker(runKey)}`, userLogin: 'mallory' }],
      listReviewComments: async () => [],
      getAuthenticatedLogin: async () => undefined,
      createCheckRun: async () => ({ id: 1, appSlug: 'github-actions' }),
      updateCheckRun: async () => undefined,
    });
    const publisher = new GitHubPublisher(api, { headSha: fixture.headSha, runKey, reviewEvent: 'comment', logger: new RecordingLogger() });
    const report = makeReport(findings(), await filesOf(), fixture.headSha);
    await publisher.openCheckRun(report);
    const prior = await publisher.readPriorComments();
    const result = await publisher.publish(report, prior, { files: await filesOf() });
    assert.equal(posts, 2);
    assert.equal(result.reviewId, 77);
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Partial stubs: anything a test does not provide throws.

function stubApi(methods: Partial<PullRequestApi>): PullRequestApi {
  return stub<PullRequestApi>('PullRequestApi', methods);
}

let cachedFiles: ChangedFile[] | undefined;
async function filesOf(): Promise<ChangedFile[]> {
  if (!cachedFiles) {
    const sim = await simulator();
    cachedFiles = (await apiFor(sim).listFiles()).files;
  }
  return cachedFiles;
}

describe('re-runs over the comment cap stay quiet', () => {
  test('findings listed in an earlier review body are neither listed again nor commented on later', async () => {
    const sim = await simulator();
    const findings = newFileFindings(8, 'high');
    const first = await publishRun(sim, findings, { maxComments: 3 });
    assert.equal(sim.state.reviewComments.length, 3);
    assert.equal(first.report.findings.filter((p) => p.placement.kind === 'overflow').length, 5);
    assert.match(sim.state.reviews[0]!.body, /<!-- ultra-create:listed=[0-9a-f,]+ -->/);

    // Same findings again: nothing new to say, so no review at all (before, the 5 listed ones would have become 3 new comments).
    const again = await publishRun(sim, findings, { maxComments: 3 });
    assert.equal(again.result.reviewId, undefined);
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(sim.state.reviewComments.length, 3);
    assert.equal(again.report.findings.filter((p) => p.placement.kind === 'already-listed').length, 5);

    // A new finding is still commented on.
    const fresh = finding('src/new.ts', 60, { severity: 'critical' });
    await publishRun(sim, [...findings, fresh], { maxComments: 3 });
    assert.equal(sim.state.reviews.length, 2);
    const latest = sim.state.reviewComments.filter((c) => c.reviewId === sim.state.reviews[1]!.id);
    assert.deepEqual(latest.map((c) => c.line), [60]);
    assert.deepEqual(sim.violations, []);
  });

  test("another account's review body cannot mark findings as listed", async () => {
    const sim = await simulator();
    const findings = newFileFindings(2, 'high');
    const report = makeReport(findings, (await apiFor(sim).listFiles()).files, sim.state.headSha);
    const forged = `<!-- ultra-create:listed=${report.findings.map((p) => p.finding.fingerprint).join(',')} -->`;
    sim.addReviewComment({ path: 'src/new.ts', line: 1, body: `looks fine ${forged}`, login: 'mallory' });
    await publishRun(sim, findings);
    assert.equal(sim.state.reviewComments.filter((c) => c.user.login === 'github-actions[bot]').length, 2);
  });
});

describe('check-run writes are not retried blindly either', () => {
  test('a create GitHub applied but answered 502 for: found by its external id, not created twice', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'checks/create', method: 'POST', kind: 'apply-then-error', status: 502 });
    const { result } = await publishRun(sim, newFileFindings(3, 'high'));
    assert.equal(sim.state.checkRuns.length, 1);
    assert.equal(result.checkRunId, sim.state.checkRuns[0]!.id);
    assert.equal(sim.requestsFor('checks/create', 'POST').length, 1);
    assert.equal(sim.state.checkRuns[0]!.annotations.length, 3);
    assert.deepEqual(sim.violations, []);
  });

  test('a create that failed before anything happened is sent once more', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'checks/create', method: 'POST', kind: 'error', status: 502 });
    await publishRun(sim, newFileFindings(3, 'high'));
    assert.equal(sim.state.checkRuns.length, 1);
    assert.equal(sim.requestsFor('checks/create', 'POST').length, 2);
  });

  test('an annotation update GitHub applied but answered 502 for: no annotation twice', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'checks/update', method: 'PATCH', kind: 'apply-then-error', status: 502 });
    await publishRun(sim, newFileFindings(120, 'medium'));
    const run = sim.state.checkRuns[0]!;
    assert.equal(run.annotations.length, 120);
    assert.equal(run.status, 'completed');
    // 120 annotations are 3 updates; the one GitHub applied is not sent again.
    assert.equal(sim.requestsFor('checks/update', 'PATCH').length, 3);
  });

  test('an annotation update that was not applied is sent once more', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'checks/update', method: 'PATCH', kind: 'error', status: 500 });
    await publishRun(sim, newFileFindings(120, 'medium'));
    const run = sim.state.checkRuns[0]!;
    assert.equal(run.annotations.length, 120);
    assert.equal(run.status, 'completed');
    assert.equal(sim.requestsFor('checks/update', 'PATCH').length, 4);
  });
});

describe('a review GitHub refuses (422)', () => {
  test('an inline comment off the diff: posted again without inline comments, every finding listed in the body', async () => {
    const sim = await simulator();
    const onDiff = finding('src/new.ts', 12, { severity: 'critical' });
    // Line 3 of src/app.ts is far from the changed lines 100-102: GitHub cannot place a comment there.
    const offDiff = finding('src/app.ts', 3, { ruleId: 'js/insecure-random', message: 'Math.random() is not a secure source' });
    const placements: Placement[] = [
      { kind: 'inline', line: 12, exact: true },
      { kind: 'inline', line: 3, exact: true },
    ];
    const { result, logger } = await publishRun(sim, [onDiff, offDiff], { placements });

    const posts = reviewPosts(sim);
    assert.equal(posts.length, 2);
    assert.equal(posts[0]!.status, 422);
    assert.match(posts[0]!.detail ?? '', /comments\[1\] \(src\/app\.ts\)/, 'the simulator refused the off-diff comment');
    assert.equal(posts[1]!.status, 200);
    assert.deepEqual((posts[1]!.body as { comments?: unknown[] }).comments, []);

    assert.equal(sim.state.reviews.length, 1);
    assert.equal(sim.state.reviewComments.length, 0);
    const body = sim.state.reviews[0]!.body;
    for (const f of [onDiff, offDiff]) {
      assert.ok(body.includes(f.ruleId), `the body names ${f.ruleId}`);
      assert.ok(body.includes(f.path), `the body names ${f.path}`);
    }
    assert.match(body, /src\/new\.ts:12|src\/new\.ts.{0,40}\b12\b/s);
    assert.match(body, /src\/app\.ts:3|src\/app\.ts.{0,40}\b3\b/s);
    assert.equal(result.reviewId, sim.state.reviews[0]!.id);
    assert.match(body, /GitHub rejected an inline comment/, 'the body says why the findings are listed, not commented');
    assert.ok(result.notices.some((n) => n.includes('rejected an inline comment')));
    assert.match(logger.text(), /GitHub rejected the review/);
    // Annotations still carry both findings.
    assert.equal((await annotationsOnGitHub(sim, result.checkRunId!)).length, 2);
    assert.deepEqual(sim.violations, []);
  });
});

describe('the review event', () => {
  const critical = (): Finding => finding('src/new.ts', 20, { severity: 'critical' });
  const high = (): Finding => finding('src/new.ts', 21, { severity: 'high' });

  const cases: {
    name: string;
    reviewEvent: 'comment' | 'request-changes';
    findings: () => Finding[];
    placements?: Placement[];
    expected: 'REQUEST_CHANGES' | 'COMMENT';
  }[] = [
    { name: 'request-changes with a critical inline finding', reviewEvent: 'request-changes', findings: () => [critical(), high()], expected: 'REQUEST_CHANGES' },
    { name: 'request-changes without a critical finding', reviewEvent: 'request-changes', findings: () => [high()], expected: 'COMMENT' },
    {
      name: 'request-changes with a critical finding Claude dismissed (not inline) and a high one',
      reviewEvent: 'request-changes',
      findings: () => [{ ...critical(), verdict: { verdict: 'false_positive' } satisfies FindingVerdict }, high()],
      expected: 'COMMENT',
    },
    {
      name: 'request-changes with a critical finding that is not inline (over max-comments)',
      reviewEvent: 'request-changes',
      findings: () => [critical(), high()],
      placements: [{ kind: 'overflow' }, { kind: 'inline', line: 21, exact: true }],
      expected: 'COMMENT',
    },
    { name: 'comment with a critical finding', reviewEvent: 'comment', findings: () => [critical()], expected: 'COMMENT' },
  ];
  for (const c of cases) {
    test(`${c.name} → ${c.expected}`, async () => {
      const sim = await simulator();
      await publishRun(sim, c.findings(), { reviewEvent: c.reviewEvent, placements: c.placements });
      assert.equal(reviewPosts(sim).length, 1);
      assert.equal((reviewPosts(sim)[0]!.body as { event?: string }).event, c.expected);
      assert.equal(sim.state.reviews[0]!.state, c.expected === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED');
      assert.deepEqual(sim.violations, []);
    });
  }

  test("on the token owner's own pull request GitHub refuses REQUEST_CHANGES (422): a COMMENT review with the same comments", async () => {
    const sim = await simulator({ identity: { login: 'octocat' }, prAuthor: 'octocat' });
    const { result, logger } = await publishRun(sim, [critical(), high()], { reviewEvent: 'request-changes' });
    const posts = reviewPosts(sim);
    assert.deepEqual(
      posts.map((p) => [(p.body as { event?: string }).event, p.status]),
      [
        ['REQUEST_CHANGES', 422],
        ['COMMENT', 200],
      ],
    );
    assert.equal((posts[1]!.body as { comments?: unknown[] }).comments?.length, 2, 'the inline comments are kept');
    assert.equal(sim.state.reviews.length, 1);
    assert.equal(sim.state.reviews[0]!.state, 'COMMENTED');
    assert.equal(sim.state.reviewComments.length, 2);
    assert.equal(result.reviewId, sim.state.reviews[0]!.id);
    assert.equal(result.degraded, false);
    assert.match(logger.text(), /refuses REQUEST_CHANGES on your own pull request/);
    assert.deepEqual(sim.violations, []);
  });
});

describe('whose markers are trusted', () => {
  test('an installation token (GET /user answers 403) trusts only <app slug>[bot], the check run’s app', async () => {
    const sim = await simulator();
    const [a, b, c, d, e, f] = [30, 31, 32, 33, 34, 35].map((line) => finding('src/new.ts', line)) as [Finding, Finding, Finding, Finding, Finding, Finding];
    await publishRun(sim, [a, b]);
    assert.equal(ourComments(sim).length, 2);

    // Copies of our markers by others: a human (c not commented yet, d gone, a's twin), another bot, a PAT user.
    const forged = [
      sim.addReviewComment({ path: 'src/new.ts', line: 32, body: `looks fine ${fingerprintMarker(c.fingerprint)}`, login: 'mallory' }),
      sim.addReviewComment({ path: 'src/new.ts', line: 33, body: `old ${fingerprintMarker(d.fingerprint)}`, login: 'mallory' }),
      sim.addReviewComment({ path: 'src/new.ts', line: 30, body: `me too ${fingerprintMarker(a.fingerprint)}`, login: 'mallory' }),
      sim.addReviewComment({ path: 'src/new.ts', line: 34, body: `bot ${fingerprintMarker(e.fingerprint)}`, login: 'other-app[bot]' }),
      sim.addReviewComment({ path: 'src/new.ts', line: 35, body: `pat ${fingerprintMarker(f.fingerprint)}`, login: PAT_USER }),
    ];
    const before = forged.map((comment) => comment.body);

    const second = await publishRun(sim, [a, b, c, d, e, f]);
    assert.equal(sim.requestsFor('users/get-authenticated', 'GET')[0]?.status, 403);
    assert.equal(second.prior.identity, BOT);
    assert.deepEqual(
      second.prior.ours.map((comment) => comment.userLogin),
      [BOT, BOT],
    );
    assert.deepEqual([...second.prior.open.keys()].sort(), [a.fingerprint, b.fingerprint].sort());
    // c, d, e and f are commented by this run: nobody else's marker counts as "already commented".
    const newReview = sim.state.reviews.filter((r) => r.user.login === BOT)[1]!;
    const newComments = sim.state.reviewComments.filter((comment) => comment.reviewId === newReview.id);
    assert.deepEqual(
      newComments.map((comment) => readFingerprintMarker(comment.body)).sort(),
      [c, d, e, f].map((x) => x.fingerprint).sort(),
    );

    // a is fixed: only our comment on it is resolved; nobody else's comment is ever edited.
    const third = await publishRun(sim, [b, c, d, e, f]);
    assert.equal(third.result.resolved, 1);
    const patches = sim.requestsFor('pulls/update-review-comment', 'PATCH');
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.path.endsWith(`/${commentFor(sim, a)[0]!.id}`), true);
    assert.deepEqual(
      forged.map((comment) => comment.body),
      before,
    );
    assert.ok(forged.every((comment) => !patches.some((p) => p.path.endsWith(`/${comment.id}`))));
    assert.deepEqual(deletes(sim), []);
    assert.deepEqual(sim.violations, []);
  });

  test('a personal access token trusts its own login; its 403 on check runs does not make it read-only', async () => {
    const sim = await simulator({ identity: { login: PAT_USER } });
    const [g, h] = [50, 51].map((line) => finding('src/new.ts', line)) as [Finding, Finding];
    // The default workflow token commented g earlier (its comment is not this identity's).
    sim.addReviewComment({ path: 'src/new.ts', line: 50, body: `earlier ${fingerprintMarker(g.fingerprint)}`, login: BOT });

    const first = await publishRun(sim, [g, h]);
    assert.equal(sim.requestsFor('checks/create', 'POST')[0]?.status, 403, 'only GitHub Apps create check runs');
    assert.equal(first.result.degraded, false);
    assert.equal(first.result.checkRunId, undefined);
    assert.ok(first.result.notices.some((n) => n.includes('No check run')));
    assert.equal(first.prior.identity, PAT_USER);
    assert.equal(first.prior.ours.length, 0);
    assert.equal(first.result.reviewId, sim.state.reviews.find((r) => r.user.login === PAT_USER)?.id);
    assert.equal(commentFor(sim, g, PAT_USER).length, 1, 'the bot’s marker did not count for this identity');
    assert.equal(commentFor(sim, h, PAT_USER).length, 1);

    const postsBefore = reviewPosts(sim).length;
    const second = await publishRun(sim, [g, h]);
    assert.equal(second.prior.ours.length, 2);
    assert.equal(reviewPosts(sim).length, postsBefore, 're-run on the same head is quiet');
    assert.equal(sim.requestsFor('checks/update', 'PATCH').length, 0);
    assert.deepEqual(sim.violations, []);
  });

  test('when the token cannot tell who it is (no login, no check run), no marker is trusted and none is read', async () => {
    const logger = new RecordingLogger();
    const api = stubApi({ getAuthenticatedLogin: async () => undefined });
    const publisher = new GitHubPublisher(api, { headSha: fixture.headSha, runKey: '3.1', reviewEvent: 'comment', logger });
    const prior = await publisher.readPriorComments();
    assert.equal(prior.identity, undefined);
    assert.equal(prior.open.size, 0);
    assert.deepEqual(prior.ours, []);
    assert.match(logger.text(), /Cannot tell which account/);
  });
});

describe('resolving comments whose finding is gone', () => {
  /** A pull request of its own, so that it can be pushed to. */
  async function story(): Promise<{ sim: GitHubSimulator; push: (changes: Record<string, string | Buffer | null>) => Promise<void> }> {
    let current = await createPullRequestFixture({ base: BASE, head: HEAD }, { owner: OWNER, repo: REPO });
    const sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture: current, token: TOKEN });
    simulators.push(sim);
    const created = current;
    after(() => created.cleanup());
    return {
      sim,
      push: async (changes) => {
        current = await current.push(changes);
        sim.push(current);
      },
    };
  }

  const withLines = (changes: Record<number, string>): string =>
    text(NEW_LINES.map((line, i) => changes[i + 1] ?? line));

  test('a fixed finding’s comment is edited once; a comment with replies is edited, never deleted; a finding that returns is commented anew', async () => {
    const { sim, push } = await story();
    const a = finding('src/new.ts', 40);
    const b = finding('src/new.ts', 41);
    const lib = finding('src/lib.ts', 5);
    await publishRun(sim, [a, b, lib]);
    const [commentA] = commentFor(sim, a);
    const [commentB] = commentFor(sim, b);
    assert.ok(commentA && commentB);
    const reply = sim.addReply(commentB.id, 'We sanitize upstream, see #12', 'maintainer');

    await push({ 'src/new.ts': withLines({ 40: 'export const n40 = JSON.parse(input40);', 41: 'export const n41 = Number(input41);' }) });
    const fixed = await publishRun(sim, [lib]);
    assert.equal(fixed.result.resolved, 2);
    const patches = sim.requestsFor('pulls/update-review-comment', 'PATCH');
    assert.deepEqual(patches.map((p) => p.path.split('/').pop()).sort(), [String(commentA.id), String(commentB.id)].sort());
    for (const comment of [commentA, commentB]) {
      assert.ok(isMarkedResolved(comment.body));
      assert.match(comment.body, /✅ Resolved in [0-9a-f]{7}/);
      assert.equal(readFingerprintMarker(comment.body), readFingerprintMarker(comment === commentA ? fingerprintMarker(a.fingerprint) : fingerprintMarker(b.fingerprint)));
    }
    assert.ok(sim.state.reviewComments.includes(reply), 'the reply is still there');
    assert.equal(reply.body, 'We sanitize upstream, see #12');
    assert.equal(commentFor(sim, lib)[0]!.body.includes('Resolved'), false, 'a finding still present stays open');
    assert.equal(reviewPosts(sim).length, 1, 'nothing new to comment: no review');

    // The same head again: already resolved, not edited again.
    const again = await publishRun(sim, [lib]);
    assert.equal(again.result.resolved, 0);
    assert.equal(sim.requestsFor('pulls/update-review-comment', 'PATCH').length, 2);

    // a comes back: a new comment, the resolved one stays as it is.
    const resolvedBody = commentA.body;
    await push({ 'src/new.ts': withLines({ 41: 'export const n41 = Number(input41);' }) });
    const back = await publishRun(sim, [a, lib]);
    assert.equal(back.result.resolved, 0);
    const aComments = commentFor(sim, a);
    assert.equal(aComments.length, 2);
    assert.equal(commentA.body, resolvedBody);
    assert.equal(aComments.filter((c) => !isMarkedResolved(c.body)).length, 1);
    assert.equal(reviewPosts(sim).length, 2);
    assert.equal(sim.requestsFor('pulls/update-review-comment', 'PATCH').length, 2);

    // And a re-run after that is quiet.
    await publishRun(sim, [a, lib]);
    assert.equal(reviewPosts(sim).length, 2);
    assert.equal(commentFor(sim, a).length, 2);
    assert.deepEqual(deletes(sim), [], 'no DELETE request, ever');
    assert.deepEqual(sim.violations, []);
  });

  test('a comment on a file this scan skipped (now binary, or too large) is not resolved', async () => {
    const { sim, push } = await story();
    const a = finding('src/new.ts', 60);
    const lib = finding('src/lib.ts', 5);
    await publishRun(sim, [a, lib]);
    await push({ 'src/lib.ts': Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10]) });
    assert.equal(sim.state.files.find((f) => f.filename === 'src/lib.ts')?.patch, undefined, 'GitHub lists the binary file without a patch');

    const binary = await publishRun(sim, [a], { skippedFiles: [{ path: 'src/lib.ts', reason: 'binary', detail: 'binary file' }] });
    assert.equal(binary.result.resolved, 0);
    const tooLarge = await publishRun(sim, [a], { skippedFiles: [{ path: 'src/lib.ts', reason: 'too-large', detail: '3 MB' }] });
    assert.equal(tooLarge.result.resolved, 0);
    assert.equal(sim.requestsFor('pulls/update-review-comment', 'PATCH').length, 0);
    assert.ok(!isMarkedResolved(commentFor(sim, lib)[0]!.body));
    assert.deepEqual(sim.violations, []);
  });

  for (const status of ['failed', 'skipped'] as const) {
    test(`nothing is resolved when the ast-grep scan ${status}`, async () => {
      const sim = await simulator();
      const a = finding('src/new.ts', 70);
      await publishRun(sim, [a]);
      const run = await publishRun(sim, [], { scans: [astGrepScan(status)] });
      assert.equal(run.result.resolved, 0);
      assert.equal(sim.requestsFor('pulls/update-review-comment', 'PATCH').length, 0);
      assert.ok(!isMarkedResolved(commentFor(sim, a)[0]!.body));
    });
  }

  test('a pattern comment is not resolved when the gateway pattern scan failed, even though ast-grep ran', async () => {
    const sim = await simulator();
    const viaGateway = finding('src/new.ts', 71, { ruleId: 'pattern/no-eval', source: 'mcp-pattern' });
    const patternScan = (status: ScanReport['status']): ScanReport => ({ ...astGrepScan(status), scanner: 'mcp-pattern' });
    await publishRun(sim, [viaGateway], { scans: [astGrepScan(), patternScan('ok')] });
    assert.match(commentFor(sim, viaGateway)[0]!.body, / src=mcp-pattern -->/);
    const failed = await publishRun(sim, [], { scans: [astGrepScan(), patternScan('failed')] });
    assert.equal(failed.result.resolved, 0);
    assert.ok(!isMarkedResolved(commentFor(sim, viaGateway)[0]!.body));
    const ran = await publishRun(sim, [], { scans: [astGrepScan(), patternScan('ok')] });
    assert.equal(ran.result.resolved, 1);
  });

  test('a file missing from a truncated listing (over 3000 files) is not taken for gone; one that left a complete listing is', async () => {
    const sim = await simulator();
    const lib = finding('src/lib.ts', 5);
    await publishRun(sim, [lib]);
    const truncated = await publishRun(sim, [], { unlisted: ['src/lib.ts'], truncated: true });
    assert.equal(truncated.result.resolved, 0);
    assert.equal(sim.requestsFor('pulls/update-review-comment', 'PATCH').length, 0);
    const complete = await publishRun(sim, [], { unlisted: ['src/lib.ts'], truncated: false });
    assert.equal(complete.result.resolved, 1);
    assert.ok(isMarkedResolved(commentFor(sim, lib)[0]!.body));
  });
});

describe('a read-only token (fork pull request)', () => {
  test('every write answers 403: degraded, no exception, nothing written after the review is refused too', async () => {
    const sim = await simulator({ readOnly: true });
    const logger = new RecordingLogger();
    const { result } = await publishRun(sim, newFileFindings(60, 'critical'), { logger });
    assert.equal(result.degraded, true);
    assert.equal(result.reviewId, undefined);
    assert.equal(result.checkRunId, undefined);
    // A 403 on the check run alone could be a token without checks: write; the refused review proves the token read-only.
    assert.deepEqual(writes(sim), [
      { method: 'POST', path: `/repos/${OWNER}/${REPO}/check-runs`, status: 403 },
      { method: 'POST', path: `/repos/${OWNER}/${REPO}/pulls/${PULL}/reviews`, status: 403 },
    ]);
    assert.equal(sim.state.reviews.length, 0);
    assert.equal(logger.lines.filter((l) => l.level === 'warning' && l.message.includes('cannot write to this repository')).length, 1);
    assert.deepEqual(sim.violations, []);
  });

  test('a 403 on resolving a comment stops every later write except finishing the check run it created', async () => {
    const sim = await simulator();
    const a = finding('src/new.ts', 80);
    const b = finding('src/new.ts', 81);
    await publishRun(sim, [a, b]);
    sim.failNext({ route: 'pulls/update-review-comment', method: 'PATCH', kind: 'error', status: 403, times: 5 });
    const before = sim.requests.length;
    // a and b are gone (fixed): their comments would be resolved; 60 other findings need two check-run updates.
    const { result } = await publishRun(sim, newFileFindings(60, 'high'));
    const later = sim.requests.slice(before).filter((r) => r.method !== 'GET');
    assert.deepEqual(
      later.map((r) => `${r.method} ${r.operationId} ${r.status}`),
      ['POST checks/create 201', 'PATCH pulls/update-review-comment 403', 'PATCH checks/update 200', 'PATCH checks/update 200'],
    );
    assert.equal(result.degraded, true);
    assert.equal(result.resolved, 0);
    assert.equal(sim.state.checkRuns[1]!.status, 'completed', 'the check run does not stay in progress');
    assert.equal(sim.state.checkRuns[1]!.annotations.length, 60);
  });
});

/** runAction in-process, as the runner would call it, with every side effect captured. */
async function runActionInProcess(sim: GitHubSimulator, inputs: Record<string, string> = {}) {
  const workspace = await checkoutWorkspace(fixture, fixture.baseSha);
  const runnerTemp = await mkdtemp(join(tmpdir(), 'uc-publisher-runner-'));
  const eventPath = join(runnerTemp, 'event.json');
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: PULL,
      pull_request: {
        number: PULL,
        title: 'From a fork',
        head: { sha: fixture.headSha, ref: fixture.headRef, repo: { full_name: `fork-contributor/${REPO}` } },
        base: { sha: fixture.baseSha, ref: fixture.baseRef, repo: { full_name: `${OWNER}/${REPO}` } },
      },
    }),
  );
  const logger = new RecordingLogger();
  const commands: string[] = [];
  const outputs = new Map<string, string>();
  const state = new Map<string, string>();
  const failures: string[] = [];
  let summary = '';
  const deps: ActionDeps = {
    env: {
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_API_URL: sim.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_TEMP: runnerTemp,
      'INPUT_GITHUB-TOKEN': TOKEN,
      'INPUT_FAIL-ON': 'none',
      INPUT_SCANNERS: 'ast-grep',
    },
    logger,
    createApi: (token, runner, pr) =>
      createPullRequestApi(
        createOctokit({ token, baseUrl: runner.apiUrl, logger, userAgent: 'ultra-create-test', throttle: { writeMinTimeMs: 0, notificationMinTimeMs: 0 } }),
        { owner: runner.repository.owner, repo: runner.repository.repo, pullNumber: pr.number },
      ),
    setOutput: (name, value) => outputs.set(name, String(value)),
    writeSummary: async (markdown) => {
      summary += markdown;
    },
    saveState: (name, value) => state.set(name, value),
    writeCommand: (line) => commands.push(line),
    setFailed: (message) => failures.push(message),
  };

  for (const [name, value] of Object.entries(inputs)) deps.env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    await runAction(deps);
  } finally {
    await rm(runnerTemp, { recursive: true, force: true });
    await rm(workspace, { recursive: true, force: true });
  }
  return { logger, commands, outputs, state, failures, summary: () => summary, runnerTemp };
}

describe('the action in-process', () => {
  test('a fork PR: the refused writes degrade the run to workflow-command annotations, with no further write', async () => {
    const sim = await simulator({ readOnly: true });
    const { logger, commands, outputs, failures, summary: summaryOf } = await runActionInProcess(sim);
    const summary = summaryOf();

    assert.deepEqual(failures, [], logger.text());
    assert.deepEqual(
      writes(sim),
      [
        { method: 'POST', path: `/repos/${OWNER}/${REPO}/check-runs`, status: 403 },
        { method: 'POST', path: `/repos/${OWNER}/${REPO}/pulls/${PULL}/reviews`, status: 403 },
      ],
      'the check run and the review are refused, then nothing',
    );
    assert.equal(sim.state.reviews.length, 0);
    assert.match(logger.text(), /The token cannot write to this repository/);

    const findings = Number(outputs.get('findings'));
    assert.ok(findings >= 160, `every eval in src/new.ts is a finding (got ${findings})`);
    const annotations = commands.filter((line) => /^::(error|warning|notice) file=/.test(line));
    // Repeats of one rule in one file are folded: the first few one by one, then one command standing for the rest.
    assert.ok(annotations.length < findings && annotations.length <= 20, `${annotations.length} workflow commands for ${findings} findings`);
    assert.ok(annotations.some((line) => line.includes('more in this file')), 'an aggregate command stands for the repeats');
    assert.ok(commands.some((line) => line.startsWith('::error file=src/new.ts,line=1,endLine=1,')));
    assert.ok(commands.some((line) => line.startsWith('::error file=src/app.ts,line=100,')));
    assert.match(commands[commands.length - 1]!, /^::notice title=ultra-create%3A \d+ findings::GitHub shows only the first annotations/);
    assert.ok(!commands.some((line) => line.includes(TOKEN)));
    assert.equal(outputs.get('conclusion'), 'success');
    assert.equal(outputs.get('review-id'), undefined);
    assert.equal(outputs.get('check-run-id'), undefined);
    assert.match(summary, /src\/new\.ts/);
    assert.deepEqual(sim.violations, []);
  });

  test('GitHub failing half way through publishing: the step fails with the reason, and the findings still reach the log, the summary and SARIF', async () => {
    const sim = await simulator();
    sim.failNext({ route: 'pulls/create-review', method: 'POST', kind: 'error', status: 502, times: 3 });
    const sarifDir = await mkdtemp(join(tmpdir(), 'uc-publisher-sarif-'));
    try {
      const sarifFile = join(sarifDir, 'out.sarif');
      const { commands, outputs, failures, summary } = await runActionInProcess(sim, { 'SARIF-FILE': sarifFile });
      assert.equal(failures.length, 1);
      assert.match(failures[0]!, /review/i);
      assert.doesNotMatch(failures[0]!, /internal error/);
      assert.ok(commands.some((line) => line.startsWith('::error file=src/new.ts,')), 'log annotations');
      assert.match(summary(), /src\/new\.ts/);
      assert.equal(outputs.get('sarif-file'), sarifFile);
      const sarif = JSON.parse(await readFile(sarifFile, 'utf8')) as { runs: { results: unknown[] }[] };
      assert.ok(sarif.runs[0]!.results.length >= 160);
    } finally {
      await rm(sarifDir, { recursive: true, force: true });
    }
  });
});

describe('verdicts recorded by earlier check runs', () => {
  const KEY = (n: number) => `${String(n).repeat(32).slice(0, 32)}.${'cd'.repeat(8)}`;
  const recorded = (n: number, verdict: 'confirmed' | 'false_positive') => verdictsMarker([{ key: KEY(n), verdict, reasoning: `run ${n}` }]);

  async function openedPublisher(api: Partial<PullRequestApi>, logger = new RecordingLogger()) {
    const files = await filesOf();
    const publisher = new GitHubPublisher(
      stubApi({ createCheckRun: async () => ({ id: 100, appSlug: 'github-actions' }), ...api }),
      { headSha: 'h'.repeat(40), runKey: '9.1', reviewEvent: 'comment', logger },
    );
    await publisher.openCheckRun(makeReport([], files, 'h'.repeat(40)));
    return publisher;
  }

  test('the newest check run of our own app on the head, else on the latest commits before it; other apps and this run are not read', async () => {
    const asked: string[] = [];
    const publisher = await openedPublisher({
      listCommitShas: async () => ['a'.repeat(40), 'b'.repeat(40), 'h'.repeat(40)],
      listCheckRuns: async (ref) => {
        asked.push(ref.slice(0, 1));
        if (ref.startsWith('h')) {
          return [
            { id: 100, appSlug: 'github-actions', text: recorded(1, 'confirmed') }, // this run's own
            { id: 99, appSlug: 'someone-else', text: recorded(2, 'false_positive') }, // not ours
          ];
        }
        if (ref.startsWith('b')) {
          return [
            { id: 50, appSlug: 'github-actions', text: recorded(3, 'confirmed') },
            { id: 70, appSlug: 'github-actions', text: recorded(4, 'false_positive') },
          ];
        }
        return [{ id: 10, appSlug: 'github-actions', text: recorded(5, 'confirmed') }];
      },
    });
    const verdicts = await publisher.readEarlierVerdicts();
    assert.deepEqual([...verdicts.keys()], [KEY(4)], 'the newest of ours on the latest commit that has one');
    assert.equal(verdicts.get(KEY(4))?.reasoning, 'run 4');
    assert.deepEqual(asked, ['h', 'b'], 'newest first, stopping at the first record');
  });

  test('no check run of our own: nothing is read (and nothing was recorded); a failure to read costs only the memory', async () => {
    const logger = new RecordingLogger();
    const withoutCheckRun = new GitHubPublisher(stubApi({}), { headSha: 'h'.repeat(40), runKey: '9.1', reviewEvent: 'comment', logger });
    assert.equal((await withoutCheckRun.readEarlierVerdicts()).size, 0);

    const failing = await openedPublisher(
      {
        listCommitShas: async () => {
          throw new ExternalServiceError('GitHub API: 502', 'github', 502);
        },
      },
      logger,
    );
    assert.equal((await failing.readEarlierVerdicts()).size, 0);
    assert.match(logger.text(), /warning: Could not read the verdicts of earlier runs \(GitHub API: 502\); findings are verified again/);
  });
});
