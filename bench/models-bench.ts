/**
 * [6] Models: what the tiering costs in Claude tokens, against the approach most AI reviewers take (the whole diff to the big model),
 * and what the local draft stage costs per finding. Both against loopback servers (`__tests__/support`): nothing leaves the machine,
 * no key is needed, and the token counts come from the request bodies the servers recorded.
 *
 * - Tiered: the action's own escalation stage, `verifyStage` (src/models/stage.ts: `verifyCriticalFindings` with `fileSources` over
 *   the collected head files and the listed patches) through `createAnthropicClient`, on the analysis' findings at or above `critical`
 *   (the default `escalate-on`), and again at or above `high`; a budget large enough for all of them (the figure is tokens per run for
 *   the same findings, not what the default budget allows; that is printed on its own line).
 * - Whole diff: one system prompt the size of ours + the PR's title and description + every reviewable file's patch (all hunks, with a
 *   `diff --git` header), packed into requests of at most WHOLE_DIFF_REQUEST_TOKENS input tokens each.
 * - Both sides are counted with the one estimator the budget uses (`estimateInputTokens`: characters / CHARS_PER_TOKEN, per request).
 * - Local drafts: the action's `draftStage` (`draftFindings` on the findings triage places inline, at most max-comments, most severe
 *   first, 5 per call) through `createOpenAIDraftClient` against the loopback OpenAI-compatible server.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { answerEach, startAnthropicServer, type AnthropicServer, type MessagesBody } from '../__tests__/support/anthropic-server.js';
import { BASE as E2E_BASE, HEAD as E2E_HEAD, RENAMES as E2E_RENAMES } from '../__tests__/fixtures/e2e-pull-request.js';
import { createPullRequestFixture, type FileContent, type PullRequestFixture, type PullRequestFixtureSpec } from '../__tests__/support/git-fixture.js';
import { requestedIndexes, startOpenAICompatibleServer, type ChatRequest, type OpenAICompatibleServer } from '../__tests__/support/openai-compatible-server.js';
import type { Config, EscalateOn } from '../src/config/schema.js';
import { readVerdictsMarker, verdictsMarker, VERDICTS_MARKER_MAX_CHARS } from '../src/report/markers.js';
import { RecordingLogger } from '../__tests__/support/recording-logger.js';
import { CHARS_PER_TOKEN, estimateInputTokens } from '../src/models/budget.js';
import { DEFAULT_BATCH_LIMITS, OUTPUT_TOKENS_PER_FINDING, verificationSystemPrompt } from '../src/models/claude.js';
import { newDelimiter } from '../src/models/untrusted.js';
import { DEFAULT_BATCH_SIZE } from '../src/models/local-drafts.js';
import { CLAUDE_MAX_OUTPUT_TOKENS, draftStage, fileSources, verifyStage } from '../src/models/stage.js';
import { fileView } from '../src/models/context.js';
import { atLeast, NOTHING_EARLIER, type ChangedFile, type Finding, type RememberedVerdict, type ReviewReport, type VerificationStats } from '../src/types.js';
import { runCliPath } from './cli-run.js';
import { REPO_ROOT } from '../__tests__/support/run-dist.js';
import { realCodePr } from './real-code-pr.js';
import { planSyntheticPr } from './synthetic-pr.js';
import { count, median, ms, table } from './stats.js';
import { createAnthropicClient } from '../src/models/anthropic-client.js';
import { createOpenAIDraftClient } from '../src/models/openai-client.js';
import { type Analysis, buildReviewReport } from '../src/triage.js';

/** The target: at least this many times fewer Claude input tokens than whole-diff review, for the same critical findings. */
export const MODEL_TARGETS = { tokenRatio: 10 };
/** Assumed per-request input limit of a whole-diff reviewer (a 200k-token context window, leaving room for the answer). */
export const WHOLE_DIFF_REQUEST_TOKENS = 150_000;
const API_KEY = 'sk-ant-bench-loopback-0000000000000000';

/** The slow draft profile: a fixed cost per call plus a cost per generated token (the server's own chars/4 count). */
const SLOW = { perCallMs: 200, perTokenMs: 2 };

const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

// ---------------------------------------------------------------------------------------------------------------------------------
// The pull requests

export interface BenchPr {
  name: string;
  title: string;
  body: string;
  analysis: Analysis;
  /**
   * Set on the dense synthetic PRs: their ratio is printed for information, not held against the target (see DENSE_PR_REASON), so
   * it does not make the bench's exit code non-zero. The real-code PR is the target.
   */
  informationOnly?: string;
}

/** Why the synthetic PRs' token rows are not targets: the issue that owned them concluded that the code alone caps them below 10x. */
export const DENSE_PR_REASON = 'information only: a PR this dense in critical findings cannot reach 10x, the code alone caps it (see [6]); the real-code PR is the target';

const SYNTHETIC_DESCRIPTION = {
  title: 'Orders, billing and reporting services: new modules, refactors and moves',
  body: [
    'This change adds the new order, billing and reporting services, rewrites parts of the existing handlers, moves the shared',
    'helpers into `moved/` folders, drops the legacy data tables and updates the lock file.',
    '',
    '- new: services, handlers and their docs',
    '- changed: handlers get inserted and rewritten functions',
    '- removed: legacy tables',
  ].join('\n'),
};

const E2E_DESCRIPTION = {
  title: 'Run user scripts, render HTML snippets, look up users by id',
  body: 'Adds `run` and `show` to the app, a user lookup and a fetch helper to db.py, and vendors a small helper library.',
};

/**
 * A mid-size PR cut from the synthetic plan: every `step`-th changed path (sorted), with its base side; the same mix of added,
 * modified, renamed, removed, binary and skipped files as the big one, at the same rule-trigger rate.
 */
export function slicePlan(seed: number, step: number): PullRequestFixtureSpec {
  const { spec } = planSyntheticPr({ seed });
  const renames = spec.renames ?? {};
  const renamedTo = new Map(Object.entries(renames).map(([from, to]) => [to, from]));
  const changed = [...new Set([...Object.keys(spec.head), ...renamedTo.keys()])].sort();
  const base: Record<string, FileContent> = {};
  const head: Record<string, FileContent | null> = {};
  const sliceRenames: Record<string, string> = {};
  if (spec.base['.gitattributes'] !== undefined) base['.gitattributes'] = spec.base['.gitattributes'];
  changed.forEach((path, i) => {
    if (i % step !== 0) return;
    const from = renamedTo.get(path);
    if (from !== undefined) {
      base[from] = spec.base[from]!;
      sliceRenames[from] = path;
    } else if (spec.base[path] !== undefined) {
      base[path] = spec.base[path];
    }
    if (path in spec.head) head[path] = spec.head[path]!;
  });
  return { base, head, renames: sliceRenames };
}

/** Builds the fixture PRs as git repositories and runs the CLI path (runReview with the CLI's ports) on each; `cleanup` removes them. */
export async function buildFixturePrs(seed: number): Promise<{ prs: BenchPr[]; cleanup: () => Promise<void> }> {
  const fixtures: PullRequestFixture[] = [];
  const tempDirs: string[] = [];
  const prs: BenchPr[] = [];
  const cleanup = async (): Promise<void> => {
    for (const f of fixtures) await f.cleanup().catch(() => undefined);
    for (const d of tempDirs) await rm(d, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const step = 75;
    const real = realCodePr(REPO_ROOT);
    const specs: [string, PullRequestFixtureSpec, { title: string; body: string; informationOnly?: string }][] = [
      [`synthetic slice (1 in ${step})`, slicePlan(seed, step), { ...SYNTHETIC_DESCRIPTION, informationOnly: DENSE_PR_REASON }],
      ['e2e-action.test fixture', { base: E2E_BASE, head: E2E_HEAD, renames: E2E_RENAMES }, { ...E2E_DESCRIPTION, informationOnly: DENSE_PR_REASON }],
      [
        `real code (${real.packages.length} npm packages)`,
        real.spec,
        {
          title: `Bring ${real.packages.length} packages into the monorepo`,
          body: `Adds the sources of ${real.packages.join(', ')} under packages/ (${real.files} files, ${real.lines} lines).`,
        },
      ],
    ];
    for (const [name, spec, description] of specs) {
      const fixture = await createPullRequestFixture(spec, { owner: 'octo-org', repo: 'shop' });
      fixtures.push(fixture);
      const run = await runCliPath(fixture.dir, fixture.baseSha, fixture.headSha);
      tempDirs.push(run.tempDir);
      prs.push({ name, ...description, analysis: run.analysis });
    }
    return { prs, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export function syntheticPr(analysis: Analysis): BenchPr {
  return { name: 'synthetic PR', ...SYNTHETIC_DESCRIPTION, analysis, informationOnly: DENSE_PR_REASON };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Counting

/** Characters the model reads of a Messages request: the system prompt and every message's text. */
function requestChars(body: MessagesBody): number {
  const text = (content: MessagesBody['system'] | MessagesBody['messages'][number]['content'] | undefined): number => {
    if (content === undefined) return 0;
    if (typeof content === 'string') return content.length;
    return content.reduce((n, block) => n + (block.text?.length ?? 0), 0);
  };
  return text(body.system) + body.messages.reduce((n, m) => n + text(m.content), 0);
}

const tokensOf = (chars: number): number => estimateInputTokens(chars);

// ---------------------------------------------------------------------------------------------------------------------------------
// Whole diff

export interface WholeDiff {
  files: number;
  patchChars: number;
  requests: number;
  inputTokens: number;
  largestRequestTokens: number;
  systemChars: number;
}

function fileDiff(file: ChangedFile): string {
  const from = file.status === 'added' ? '/dev/null' : `a/${file.previousPath ?? file.path}`;
  return `diff --git a/${file.previousPath ?? file.path} b/${file.path}\n--- ${from}\n+++ b/${file.path}\n${file.patch ?? ''}\n`;
}

/** Splits text that is too long for one request at hunk starts, else at line ends, into pieces of at most `max` characters. */
function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  const units = text.split(/(?=^@@ )/m).flatMap((unit) => (unit.length <= max ? [unit] : unit.split(/(?<=\n)/)));
  let current = '';
  for (const unit of units) {
    if (current.length + unit.length > max && current !== '') {
      pieces.push(current);
      current = '';
    }
    current += unit.length > max ? unit.slice(0, max) : unit;
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

/** What a whole-diff reviewer sends for the PR: the requests' texts (system + user), packed under the per-request limit. */
export function wholeDiffRequests(pr: BenchPr, system: string): string[] {
  const header = (part: number) =>
    `Review this pull request (part ${part}). Report every security problem and bug with file and line.\n\nTitle: ${pr.title}\n\n${pr.body}\n\n`;
  const maxChars = Math.floor(WHOLE_DIFF_REQUEST_TOKENS * CHARS_PER_TOKEN);
  const room = maxChars - system.length - header(999).length;
  const requests: string[] = [];
  let current = '';
  const flush = () => {
    if (current === '') return;
    requests.push(system + header(requests.length + 1) + current);
    current = '';
  };
  for (const file of pr.analysis.change.reviewable) {
    if (file.patch === undefined) continue;
    for (const piece of splitText(fileDiff(file), room)) {
      if (current.length + piece.length > room) flush();
      current += piece;
    }
  }
  flush();
  if (requests.length === 0) requests.push(system + header(1));
  return requests;
}

function measureWholeDiff(pr: BenchPr, system: string): WholeDiff {
  const requests = wholeDiffRequests(pr, system);
  const tokens = requests.map((r) => tokensOf(r.length));
  const withPatch = pr.analysis.change.reviewable.filter((f) => f.patch !== undefined);
  return {
    files: withPatch.length,
    patchChars: withPatch.reduce((n, f) => n + (f.patch?.length ?? 0), 0),
    requests: requests.length,
    inputTokens: tokens.reduce((a, b) => a + b, 0),
    largestRequestTokens: Math.max(0, ...tokens),
    systemChars: system.length,
  };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Tiered (Claude)

export interface TieredRun {
  escalateOn: EscalateOn;
  /** Findings at or above escalateOn (after triage's dedupe). */
  escalated: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Per call, from the recorded bodies. */
  medianCallTokens: number;
  maxCallTokens: number;
  stats: VerificationStats;
  wallMs: number;
  /** Verdicts reused from `remembered` (no call). */
  reused: number;
  /** What the check run would record for the next push. */
  remember: RememberedVerdict[];
}

/** A plausible verdict (about 160 tokens of JSON); each finding of a call gets one. */
const VERDICT = {
  verdict: 'confirmed' as const,
  reasoning:
    'The value reaches the sink straight from a function parameter that callers fill from request data, and nothing on the way validates or escapes it, so the rule applies here.',
  comment:
    'This passes caller-controlled input to a sink that interprets it. Anyone who controls the argument controls what runs or what is queried. ' +
    'Validate the input against a fixed set of allowed values, or use the safe API (a parameterized query, `textContent`, an argument list ' +
    'instead of a shell string), and add a test with a hostile value.',
};
/** The answer to a verification request: the verdict above for every finding it asks about. */
const answerOf = (body: MessagesBody): string => answerEach(body, () => VERDICT);
const VERDICT_TOKENS = tokensOf(JSON.stringify({ id: 'F1', ...VERDICT }).length);

async function runTiered(
  server: AnthropicServer,
  pr: BenchPr,
  config: Config,
  escalateOn: EscalateOn,
  limits: { maxCalls: number; maxUsd: number },
  remembered?: ReadonlyMap<string, RememberedVerdict>,
): Promise<TieredRun> {
  const logger = new RecordingLogger();
  const client = createAnthropicClient({ apiKey: API_KEY, baseUrl: server.url, logger, maxRetries: 0 });
  const from = server.requests.length;
  const started = performance.now();
  const { summary } = await verifyStage(pr.analysis.findings, {
    config: { claudeModel: config.claudeModel, escalateOn, claudeMaxCalls: limits.maxCalls, claudeMaxUsd: limits.maxUsd },
    client,
    change: pr.analysis.change,
    rules: pr.analysis.rules,
    skip: () => false,
    ...(remembered && { remembered }),
    links: {},
    logger,
  });
  const wallMs = performance.now() - started;
  const sent = server.requests.slice(from).filter((r) => r.status === 200);
  const callTokens = sent.map((r) => tokensOf(requestChars(r.body as MessagesBody)));
  return {
    escalateOn,
    escalated: summary.stats.escalated,
    calls: sent.length,
    inputTokens: callTokens.reduce((a, b) => a + b, 0),
    outputTokens: sent.reduce((n, r) => n + tokensOf(answerOf(r.body as MessagesBody).length), 0),
    medianCallTokens: median(callTokens),
    maxCallTokens: Math.max(0, ...callTokens),
    stats: summary.stats,
    wallMs,
    reused: summary.reused,
    remember: summary.remember,
  };
}

/** The same verdict with its texts replaced by random characters of the same length (the worst case for the deflated record). */
function incompressible(v: RememberedVerdict): RememberedVerdict {
  const noise = (text: string | undefined) => (text === undefined ? undefined : randomBytes(text.length).toString('base64').slice(0, text.length));
  return { ...v, ...(v.reasoning !== undefined && { reasoning: noise(v.reasoning) }), ...(v.comment !== undefined && { comment: noise(v.comment) }) };
}

/** The code Claude must be shown for the findings at or above `escalateOn`: each file's one view, as the stage builds it. */
async function codeFloor(pr: BenchPr, escalateOn: EscalateOn): Promise<number> {
  const sourceOf = fileSources(pr.analysis.change);
  const byFile = new Map<string, Finding[]>();
  for (const f of pr.analysis.findings) if (atLeast(f.severity, escalateOn)) byFile.set(f.path, [...(byFile.get(f.path) ?? []), f]);
  let chars = 0;
  for (const [path, findings] of byFile) chars += fileView(await sourceOf(path), findings).code.length;
  return tokensOf(chars);
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Local drafts

export interface DraftRun {
  profile: string;
  findings: number;
  calls: number;
  byModel: number;
  failures: string[];
  promptTokens: number;
  completionTokens: number;
  wallMs: number;
  /** The time the server waited on purpose (the simulated model). */
  serverDelayMs: number;
}

/** A conforming answer with drafts of realistic length (title ~60, body ~330, fix hint ~110 characters). */
function realisticDrafts(request: ChatRequest): string {
  return JSON.stringify({
    drafts: requestedIndexes(request).map((index) => ({
      index,
      title: `Untrusted input reaches a dangerous sink (finding ${index})`,
      body:
        'The value used here comes from the caller and is passed on without validation. If it can be influenced by a user, it ' +
        'changes what the code executes or queries, which is how injection bugs are exploited. Keep untrusted data out of this ' +
        'call, or restrict it to known values first.',
      fixHint: 'Use the safe API for this call (parameters, an argument list or a text property) and validate the input early.',
    })),
  });
}

async function runDrafts(
  server: OpenAICompatibleServer,
  pr: BenchPr,
  report: ReviewReport,
  config: Config,
  profile: { label: string; delay: (completionTokens: number) => number },
): Promise<DraftRun> {
  const logger = new RecordingLogger();
  let serverDelayMs = 0;
  server.respond = (request) => {
    const content = realisticDrafts(request);
    const delayMs = profile.delay(Math.ceil(content.length / 4));
    serverDelayMs += delayMs;
    return { content, delayMs };
  };
  const model = config.localModel ?? 'ai/llama3.2:1B-Q8_0';
  const started = performance.now();
  const { summary } = await draftStage(report, {
    localModel: model,
    model: () => Promise.resolve({ kind: 'model', client: createOpenAIDraftClient({ endpoint: server.endpoint() }), model }),
    budgetMs: config.draftTimeoutSeconds * 1000,
    change: pr.analysis.change,
    links: {},
    logger,
  });
  const wallMs = performance.now() - started;
  const { stats } = summary;
  return {
    profile: profile.label,
    findings: stats.model + stats.template,
    calls: stats.calls,
    byModel: stats.model,
    failures: stats.failures,
    promptTokens: stats.promptTokens,
    completionTokens: stats.completionTokens,
    wallMs,
    serverDelayMs,
  };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// The section

export interface PrModels {
  name: string;
  informationOnly?: string;
  files: number;
  addedLines: number;
  findings: number;
  critical: number;
  /** Critical findings triage can place inline (on lines the PR adds, with filter-mode added; over max-comments included). */
  criticalInline: number;
  wholeDiff: WholeDiff;
  tiered: TieredRun[];
  /** escalate-on critical with the action's default budget (claude-max-calls, claude-max-usd). */
  defaultBudget: TieredRun;
  /** escalate-on critical again on the next push, the code unchanged, with the verdicts the first run recorded. */
  nextPush: TieredRun;
  /** Size of the marker that records them. */
  markerChars: number;
  /** How many the marker would keep if every text were as long but did not compress at all (real texts lie between). */
  keptIncompressible: number;
  /** Tokens of the code views alone (each file's one view for its critical findings): what no tiered prompt can go below. */
  codeFloorTokens: number;
  drafts: DraftRun[];
}

export interface ModelsBenchResult {
  prs: PrModels[];
  model: string;
  localModel: string;
  defaultLimits: { maxCalls: number; maxUsd: number };
  maxComments: number;
  filterMode: string;
  wallMs: number;
}

export async function runModelsBench(prs: readonly BenchPr[], config: Config): Promise<ModelsBenchResult> {
  const started = performance.now();
  const anthropic = await startAnthropicServer();
  anthropic.fallback = (request) => ({
    text: answerOf(request.body),
    usage: { input_tokens: tokensOf(requestChars(request.body)), output_tokens: tokensOf(answerOf(request.body).length) },
  });
  const local = await startOpenAICompatibleServer({ models: [config.localModel ?? 'ai/llama3.2:1B-Q8_0'] });
  const unlimited = { maxCalls: 1_000_000, maxUsd: 10_000 };
  const defaultLimits = { maxCalls: config.claudeMaxCalls, maxUsd: config.claudeMaxUsd };
  const results: PrModels[] = [];
  try {
    for (const pr of prs) {
      // The action escalates the analysis' findings (inline or not) and drafts those the report places inline.
      const report = buildReviewReport({ analysis: pr.analysis, config, earlier: NOTHING_EARLIER });
      const placed = report.findings;
      const findings = pr.analysis.findings;
      // The system prompt the whole-diff side gets: ours, same size (it does not depend on the finding).
      const system = verificationSystemPrompt(newDelimiter());
      const tiered: TieredRun[] = [];
      for (const escalateOn of ['critical', 'high'] as const) tiered.push(await runTiered(anthropic, pr, config, escalateOn, unlimited));
      const defaultBudget = await runTiered(anthropic, pr, config, 'critical', defaultLimits);
      // The next push, with the judged code unchanged: what the first run's check run recorded (through the marker, size cap included).
      const recorded = readVerdictsMarker(verdictsMarker(tiered[0]!.remember));
      const nextPush = await runTiered(anthropic, pr, config, 'critical', unlimited, new Map(recorded.map((v) => [v.key, v])));
      anthropic.requests.length = 0; // bodies can be megabytes in all
      const drafts: DraftRun[] = [];
      drafts.push(await runDrafts(local, pr, report, config, { label: 'instant answers (0 ms)', delay: () => 0 }));
      drafts.push(
        await runDrafts(local, pr, report, config, {
          label: `${SLOW.perCallMs} ms + ${SLOW.perTokenMs} ms/generated token`,
          delay: (tokens) => SLOW.perCallMs + SLOW.perTokenMs * tokens,
        }),
      );
      local.reset();
      results.push({
        name: pr.name,
        informationOnly: pr.informationOnly,
        files: pr.analysis.change.files.length,
        addedLines: pr.analysis.change.files.reduce((n, f) => n + f.additions, 0),
        findings: findings.length,
        critical: findings.filter((f) => f.severity === 'critical').length,
        criticalInline: placed.filter((p) => p.finding.severity === 'critical' && (p.placement.kind === 'inline' || p.placement.kind === 'overflow')).length,
        wholeDiff: measureWholeDiff(pr, system),
        tiered,
        defaultBudget,
        nextPush,
        markerChars: verdictsMarker(tiered[0]!.remember).length,
        keptIncompressible: readVerdictsMarker(verdictsMarker(tiered[0]!.remember.map(incompressible))).length,
        codeFloorTokens: await codeFloor(pr, 'critical'),
        drafts,
      });
    }
  } finally {
    await anthropic.close();
    await local.close();
  }
  return {
    prs: results,
    model: config.claudeModel,
    localModel: config.localModel ?? 'off',
    defaultLimits,
    maxComments: config.maxComments,
    filterMode: config.filterMode,
    wallMs: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Printing

/** Per 1,000, with two significant digits below 1 (real code has far fewer findings than one per 1,000 lines). */
const perThousand = (n: number, of: number): string => {
  const value = (n / of) * 1000;
  return value < 1 ? value.toPrecision(2) : value.toFixed(1);
};
const ratioOf = (wholeDiff: number, tiered: number): number => (tiered === 0 ? Infinity : wholeDiff / tiered);
const showRatio = (r: number): string => (Number.isFinite(r) ? `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}x` : '∞ (no call)');
const verdictOf = (r: number, pr: PrModels): string => (r >= MODEL_TARGETS.tokenRatio ? 'PASS' : pr.informationOnly ? 'below (info)' : 'FAIL');
const fineMs = (value: number): string => (value < 10 ? `${value.toFixed(2)} ms` : ms(value));

const indentTable = (text: string): string =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

export function printModels(result: ModelsBenchResult): void {
  say(
    `  tokens: one estimator for both sides, estimateInputTokens (src/models/budget.ts) = ceil(characters / ${CHARS_PER_TOKEN}) per request, ` +
      `characters = system prompt + message text of the bodies the loopback server recorded (whole diff: of the requests built below)`,
  );
  say(
    `  tiered: verifyStage (verifyCriticalFindings + fileSources, as the action runs it: up to ${DEFAULT_BATCH_LIMITS.maxFindings} findings per call, each file's code once), model ${result.model}, max_tokens ${OUTPUT_TOKENS_PER_FINDING} per finding (at most ${CLAUDE_MAX_OUTPUT_TOKENS}), budget unlimited for the comparison (every escalated finding verified); ` +
      `the loopback Anthropic server answers at once, a scripted ${VERDICT_TOKENS}-token verdict per finding`,
  );
  say(
    `  whole diff: our system prompt's size + "Review this pull request" + title + description + every reviewable file's patch (all hunks, ` +
      `diff --git header), in requests of at most ${count(WHOLE_DIFF_REQUEST_TOKENS)} input tokens (a 200k context, room left for the answer); ` +
      `no file contents beyond the patch, removed and skipped files left out; its output is not modelled`,
  );
  const rows = [
    ['pull request', 'files', '+lines', 'findings', 'escalate-on', 'escalated', 'calls', 'tiered in', 'tiered out', 'whole diff in', 'requests', 'whole / tiered', ''],
  ];
  for (const pr of result.prs) {
    for (const t of pr.tiered) {
      const r = ratioOf(pr.wholeDiff.inputTokens, t.inputTokens);
      rows.push([
        t.escalateOn === 'critical' ? pr.name : '',
        t.escalateOn === 'critical' ? count(pr.files) : '',
        t.escalateOn === 'critical' ? count(pr.addedLines) : '',
        t.escalateOn === 'critical' ? count(pr.findings) : '',
        t.escalateOn,
        count(t.escalated),
        count(t.calls),
        count(t.inputTokens),
        count(t.outputTokens),
        count(pr.wholeDiff.inputTokens),
        count(pr.wholeDiff.requests),
        showRatio(r),
        verdictOf(r, pr),
      ]);
    }
  }
  say(indentTable(table(rows, [1, 2, 3, 5, 6, 7, 8, 9, 10, 11])));
  say(`  target: whole diff / tiered ≥ ${MODEL_TARGETS.tokenRatio}x input tokens for the same critical findings (PASS/FAIL per row; "∞ (no call)": no finding at or above escalate-on, Claude is not called; "below (info)": ${DENSE_PR_REASON})`);
  for (const pr of result.prs) {
    const crit = pr.tiered[0]!;
    const perFinding = crit.escalated > 0 ? crit.inputTokens / crit.escalated : NaN;
    const breakEven = Number.isFinite(perFinding) ? Math.floor(pr.wholeDiff.inputTokens / MODEL_TARGETS.tokenRatio / perFinding) : NaN;
    say(`  ${pr.name}:`);
    say(
      `    per verification call: median ${count(Math.round(crit.medianCallTokens))}, largest ${count(crit.maxCallTokens)} input tokens, ` +
        `${crit.calls > 0 ? (crit.escalated / crit.calls).toFixed(1) : '-'} findings per call, ${Number.isFinite(perFinding) ? count(Math.round(perFinding)) : 'n/a'} tokens per finding; ` +
        `10x holds up to ${Number.isFinite(breakEven) ? count(breakEven) : 'n/a'} critical finding(s) on this PR (whole diff ${count(pr.wholeDiff.inputTokens)} / 10 / tokens per finding); ` +
        `it has ${count(crit.escalated)} (${pr.addedLines > 0 ? perThousand(crit.escalated, pr.addedLines) : 'n/a'} per 1,000 added lines)`,
    );
    say(
      `    code floor: the code views alone (each file once, about 40 lines around each finding, whole files up to 80 lines; no instructions, rules or finding texts) ` +
        `are ${count(pr.codeFloorTokens)} tokens, so no prompt that shows them does better than ${showRatio(ratioOf(pr.wholeDiff.inputTokens, pr.codeFloorTokens))}; ` +
        `the rest of the tiered prompts (instructions, rules, findings, fences) is ${count(Math.max(0, crit.inputTokens - pr.codeFloorTokens))} tokens`,
    );
    say(
      `    critical findings escalated: ${count(pr.critical)}, of which ${count(pr.criticalInline)} on lines the PR adds (filter-mode ${result.filterMode}: inline or over max-comments) ` +
        `and ${count(pr.critical - pr.criticalInline)} elsewhere in changed files (unchanged code; annotations and summary only): all of them are verified`,
    );
    say(
      `    verdicts (critical): ${crit.stats.confirmed} confirmed, ${crit.stats.dismissed} dismissed, ${crit.stats.uncertain} uncertain, ` +
        `${crit.stats.unverifiedBudget + crit.stats.unverifiedError} unverified; ${fineMs(crit.calls > 0 ? crit.wallMs / crit.calls : NaN)} per call on loopback (${ms(crit.wallMs)} in all)`,
    );
    const d = pr.defaultBudget;
    say(
      `    with the default budget (claude-max-calls ${result.defaultLimits.maxCalls}, claude-max-usd ${result.defaultLimits.maxUsd.toFixed(2)}): ` +
        `${d.stats.verified} of ${d.escalated} verified, ${d.stats.unverifiedBudget} unverified (budget), ${count(d.inputTokens)} input tokens → ` +
        `${showRatio(ratioOf(pr.wholeDiff.inputTokens, d.inputTokens))} (not the same findings: for information only)`,
    );
    const n = pr.nextPush;
    say(
      `    next push, the judged code unchanged: ${count(n.reused)} of ${count(n.escalated)} verdicts reused from the check run's record ` +
        `(${count(pr.markerChars)} characters), ${count(n.calls)} call(s), ${count(n.inputTokens)} input tokens ` +
        `(${count(Math.max(0, n.escalated - n.reused))} verified again: the record keeps what fits in ${count(VERDICTS_MARKER_MAX_CHARS)} characters, deflated; ` +
        `the scripted verdicts repeat one text, and with texts of the same length that do not compress at all it would keep ${count(pr.keptIncompressible)})`,
    );
    say(
      `    whole diff: ${count(pr.wholeDiff.files)} patches, ${(pr.wholeDiff.patchChars / 1024).toFixed(0)} KB, ${pr.wholeDiff.requests} request(s), ` +
        `largest ${count(pr.wholeDiff.largestRequestTokens)} tokens; system prompt ${count(pr.wholeDiff.systemChars)} characters`,
    );
  }
  say();
  say(
    `  local drafts: draftStage → draftFindings (${result.localModel}) against the loopback OpenAI-compatible server, on the findings triage places inline ` +
      `(at most max-comments ${result.maxComments}, most severe first), ${DEFAULT_BATCH_SIZE} per call (the stage's default); ` +
      `answers of realistic length; tokens as the server reports them (characters / 4)`,
  );
  const draftRows = [['pull request', 'server delay', 'findings', 'calls', 'per call', 'by model', 'prompt tok', 'completion tok', 'wall', 'server waited', 'overhead / finding']];
  for (const pr of result.prs) {
    for (const [i, d] of pr.drafts.entries()) {
      const overhead = d.findings > 0 ? (d.wallMs - d.serverDelayMs) / d.findings : NaN;
      draftRows.push([
        i === 0 ? pr.name : '',
        d.profile,
        count(d.findings),
        count(d.calls),
        d.calls > 0 ? (d.findings / d.calls).toFixed(1) : '-',
        count(d.byModel),
        count(d.promptTokens),
        count(d.completionTokens),
        ms(d.wallMs),
        ms(d.serverDelayMs),
        fineMs(overhead),
      ]);
    }
  }
  say(indentTable(table(draftRows, [2, 3, 4, 5, 6, 7, 8, 9, 10])));
  say('  overhead = (wall − what the server waited on purpose) / findings: our prompt building, the SDK, HTTP on loopback, validation');
  for (const pr of result.prs) {
    for (const d of pr.drafts) if (d.failures.length > 0) say(`  ${pr.name}, ${d.profile}: ${d.failures.slice(0, 3).join('; ')}`);
  }
  say(`  section wall time: ${ms(result.wallMs)}`);
}

export function modelsSummaryRows(result: ModelsBenchResult | undefined): string[][] {
  if (!result) return [];
  const rows: string[][] = [];
  for (const pr of result.prs) {
    const crit = pr.tiered[0]!;
    const r = ratioOf(pr.wholeDiff.inputTokens, crit.inputTokens);
    rows.push([
      `Claude tokens whole diff / tiered, ${pr.name}`,
      `≥ ${MODEL_TARGETS.tokenRatio}x`,
      `${showRatio(r)} (${count(pr.wholeDiff.inputTokens)} / ${count(crit.inputTokens)}; ${crit.escalated} critical; the code alone caps it at ${showRatio(ratioOf(pr.wholeDiff.inputTokens, pr.codeFloorTokens))})`,
      pr.informationOnly
        ? `info: ${r >= MODEL_TARGETS.tokenRatio ? 'above 10x, not a target here' : 'below 10x by design, the code alone caps it'} (see [6])`
        : r >= MODEL_TARGETS.tokenRatio
          ? 'OK'
          : 'MISSED',
    ]);
  }
  const synthetic = result.prs[0];
  const fast = synthetic?.drafts[0];
  if (synthetic && fast) {
    const overhead = fast.findings > 0 ? (fast.wallMs - fast.serverDelayMs) / fast.findings : NaN;
    rows.push(['local drafts: overhead per finding', '-', `${fineMs(overhead)} (${synthetic.name}: ${fast.findings} findings, ${fast.calls} calls, loopback)`, '']);
  }
  return rows;
}
