import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveHeadCheckout } from './collect/checkout.js';
import { collectChange, type CollectedChange } from './collect/collect.js';
import type { ChangeSource } from './collect/source.js';
import { STATE } from './config/inputs.js';
import type { Config } from './config/schema.js';
import type { Clock, Effects } from './effects.js';
import { getErrorMessage } from './errors.js';
import type { Logger } from './logger.js';
import type { ClaudeClient } from './models/claude.js';
import { draftStage, verifyStage, type DraftModel, type LinkContext } from './models/stage.js';
import { assignFingerprints } from './report/fingerprint.js';
import { startRuntime, type Runtime } from './runtime/start.js';
import { combinedNeeds, planScan, type ScanPlan } from './scanners/registry.js';
import { runScanners } from './scanners/scanner.js';
import { buildReviewReport, type Analysis } from './triage.js';
import {
  NOTHING_EARLIER,
  type ClaudeSummary,
  type DraftSummary,
  type EarlierReviews,
  type Finding,
  type HeadCheckout,
  type ReviewReport,
  type Service,
  type RuleInfo,
} from './types.js';
import { formatDuration } from './text/strings.js';

/**
 * The review pipeline (DESIGN.md §2), one stage per line, each in a log group of its own with its duration:
 *
 *   configuration ──> collect ──> start ──> scan ──> triage ──> verify (Claude) ──> draft (local model) ──> publish ──> cleanup
 *
 * Claude verifies before the local model drafts: a finding Claude dismisses is not commented, so it needs no words. The action and
 * the CLI run this same sequence; they differ only in the ports they pass (where the change comes from, where the results go, how
 * the configuration is read, the logger).
 */
export async function runReview(ports: ReviewPorts): Promise<ReviewReport> {
  const { logger, effects } = ports;
  const stage = stageRunner(logger, effects.clock);
  const config = await stage('Configuration', () => ports.configure());
  const tempDir = await mkdtemp(join(ports.tempRoot, 'ultra-create-'));
  ports.saveState(STATE.tempDir, tempDir);
  let runtime: Runtime | undefined;
  try {
    const change = await stage('Collect', () =>
      collectChange(ports.source, { tempDir, logger, extraRules: config.rules, checkoutDir: ports.checkoutDir }),
    );
    const plan = planScan({ config, change, env: effects.env });
    const started = await stage('Start', () => start(plan, config, change, tempDir, ports));
    runtime = started.runtime;
    const analysis = await stage('Scan', () => scan(plan, change, started, tempDir, logger));
    const publisher = ports.publisher(config);
    const reportOf = (findings: Finding[], earlier: EarlierReviews): ReviewReport =>
      buildReviewReport({ analysis: { ...analysis, findings }, config, earlier, repository: ports.links.repository, pullNumber: ports.links.pullNumber });
    // What `abandon` gets when a later stage fails: the latest report there is.
    let latest = reportOf(analysis.findings, NOTHING_EARLIER);
    try {
      const earlier = await stage('Triage', () => publisher.open(latest));
      const triaged = (latest = reportOf(analysis.findings, earlier));
      const verified = await stage('Verify (Claude)', async () => {
        const { anthropicApiKey: apiKey, anthropicBaseUrl: baseUrl } = config;
        const client = apiKey ? await effects.claudeClient({ apiKey, baseUrl, logger }) : undefined;
        return verify(triaged, analysis, earlier, { config, client, links: ports.links, logger });
      });
      latest = reportOf(verified.findings, earlier);
      const localModel = () => resolveLocalModel(started.runtime, effects);
      const drafted = await stage('Draft (local model)', () =>
        draft(reportOf(verified.findings, earlier), analysis, { config, localModel, links: ports.links, logger, offReason: ports.drafting?.offReason }),
      );
      latest = { ...drafted.report, ...(ports.links.serverUrl !== undefined && { serverUrl: ports.links.serverUrl }), models: { drafts: drafted.summary, claude: verified.summary } };
      const final = latest;
      return await stage('Publish', () => publisher.publish(final, change));
    } catch (error) {
      // What is known so far still reaches every channel that can take it; the error then fails the run.
      await publisher.abandon(latest);
      throw error;
    }
  } finally {
    await stage('Cleanup', async () => {
      await runtime?.stop();
      await rm(tempDir, { recursive: true, force: true }).catch((error: unknown) => {
        logger.warning(`Could not remove ${tempDir}: ${getErrorMessage(error)}`);
      });
    });
  }
}

/** Where the results go: the GitHub publisher (and the runner's outputs) for the action, stdout for the CLI. */
export interface Publisher {
  /** Before the models run: shows the review in progress where it can, and reads what earlier runs left on the pull request. */
  open(provisional: ReviewReport): Promise<EarlierReviews>;
  /** Every channel; returns the report with what publishing added (comments marked resolved, notices). */
  publish(report: ReviewReport, change: CollectedChange): Promise<ReviewReport>;
  /** A stage failed after the scan: the findings known so far go where they still can (never throws). */
  abandon(known: ReviewReport): Promise<void>;
}

/** What the action and the CLI pass in: the only things in which they differ. */
export interface ReviewPorts {
  logger: Logger;
  effects: Effects;
  /** The action: inputs and the base branch's config file; the CLI: flags and the config file. Read once. */
  configure(): Promise<Config>;
  source: ChangeSource;
  publisher(config: Config): Publisher;
  /** The checkout: head files whose bytes there are provably the head's are read in place. */
  checkoutDir: string;
  /** Where the run's temporary folder is made. */
  tempRoot: string;
  /** State for the `post:` step (the action); the CLI has none. */
  saveState(name: string, value: string): void;
  /** How a missing local model is told: a warning on a runner, a plain line for the CLI. */
  modelFallbackLevel: 'warning' | 'info';
  /** The pull request, where there is one: model text may link into the repository, the report names it. */
  links: LinkContext & { pullNumber?: number };
  /** Tests shorten the runtime's health waits. */
  healthTimeoutMs?: number;
  /**
   * The CLI, where drafting is opt-in: `mayProvisionModel: false` uses a model server only if it already answers (no Model Runner
   * started, no 1.3 GB pull); `offReason` says why drafting is off when `local-model` is off.
   */
  drafting?: { mayProvisionModel: boolean; offReason?: string };
}

/** Runs `fn` as a log group (never nested: the pipeline's stages are the only groups) and logs how long it took. */
function stageRunner(logger: Logger, clock: Clock) {
  return async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const started = clock.now();
    try {
      return await logger.group(name, fn);
    } finally {
      logger.info(`${name}: ${formatDuration(clock.now() - started)}`);
    }
  };
}

// ── start ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The containers the enabled scanners declared, and the whole head commit when one of them reads it (the tests). */
interface Started {
  runtime: Runtime;
  checkout: Service<HeadCheckout>;
}

async function start(plan: ScanPlan, config: Config, change: CollectedChange, tempDir: string, ports: ReviewPorts): Promise<Started> {
  const needs = combinedNeeds(plan);
  const checkout: Service<HeadCheckout> = needs.checkout
    ? await resolveHeadCheckout(ports.checkoutDir, change.headSha)
    : { status: 'skipped', reason: 'no enabled scanner reads the whole head commit' };
  const runtime = await startRuntime(needs, config, change.tree, {
    docker: ports.effects.docker,
    env: ports.effects.env,
    logger: ports.logger,
    tempDir,
    saveState: (name, value) => ports.saveState(name, value),
    healthTimeoutMs: ports.healthTimeoutMs,
    modelFallbackLevel: ports.modelFallbackLevel,
    ...(ports.drafting && { mayProvisionModel: ports.drafting.mayProvisionModel }),
  });
  const { gateway, sandbox } = runtime;
  if (gateway.status === 'failed') ports.logger.warning(`MCP gateway not available: ${gateway.reason}`);
  else if (gateway.status === 'skipped') ports.logger.info(`MCP gateway skipped: ${gateway.reason}.`);
  if (needs.sandbox && sandbox.status !== 'ready') ports.logger.info(`Sandbox ${sandbox.status}: ${sandbox.reason}.`);
  if (checkout.status === 'ready') ports.logger.info(`Head commit for the sandbox: ${checkout.value.revision.slice(0, 12)}${checkout.value.note ? ` (${checkout.value.note})` : ''}.`);
  return { runtime, checkout };
}

// ── scan ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** Every enabled scanner at once; each report is logged here, once, with its warnings. */
async function scan(plan: ScanPlan, change: CollectedChange, started: Started, tempDir: string, logger: Logger): Promise<Analysis> {
  // Files scanned by any scanner, for the live line on a terminal.
  const total = change.tree.files.length;
  const seen = new Set<string>();
  const onFileScanned = (path: string): void => {
    if (seen.has(path) || seen.size >= total) return;
    seen.add(path);
    logger.progress?.({ done: seen.size, total, unit: 'files' });
  };
  const results = await runScanners(plan.scanners, () => ({
    tree: change.tree,
    logger,
    tempDir,
    onFileScanned,
    gateway: started.runtime.gateway,
    sandbox: started.runtime.sandbox,
    checkout: started.checkout,
  }));
  if (total > 0) logger.progress?.({ done: total, total, unit: 'files' });
  for (const { report } of results) {
    // A skipped scanner ran nothing: no counts next to it.
    const counts = report.status === 'skipped' ? '' : `, ${report.findings.length} finding(s) in ${formatDuration(report.durationMs)}`;
    const line = `${report.scanner}: ${report.status}${counts}${report.reason ? `: ${report.reason}` : ''}`;
    if (report.status === 'failed') logger.error(line);
    else logger.info(line);
    for (const warning of report.warnings) logger.warning(`${report.scanner}: ${warning}`);
  }
  const rules = new Map<string, RuleInfo>();
  for (const result of results) for (const rule of result.rules) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  return {
    change,
    findings: assignFingerprints(results.flatMap((r) => r.report.findings)),
    scans: results.map((r) => r.report),
    rules: [...rules.values()],
  };
}

// ── verify, draft ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Claude sees the findings at or above `escalate-on` that no earlier run commented on; a finding judged on the same code by an
 * earlier run keeps that verdict without a call. Within a severity, the budget goes first to what this review comments on (inline or
 * over the cap), then to findings outside the diff. Returns every finding of the analysis, in its order, with its verdict.
 */
export async function verify(
  triaged: ReviewReport,
  analysis: Analysis,
  earlier: EarlierReviews,
  deps: { config: Config; client: ClaudeClient | undefined; links: LinkContext; logger: Logger },
): Promise<{ findings: Finding[]; summary: ClaudeSummary }> {
  const commentedBefore = new Set(triaged.findings.flatMap((p) => (p.placement.kind === 'already-commented' ? [p.finding.fingerprint] : [])));
  const onDiff = new Set(
    triaged.findings.flatMap((p) => (p.placement.kind === 'inline' || p.placement.kind === 'overflow' ? [p.finding.fingerprint] : [])),
  );
  const byPriority = [...analysis.findings].sort((a, b) => Number(onDiff.has(b.fingerprint)) - Number(onDiff.has(a.fingerprint)));
  const verified = await verifyStage(byPriority, {
    config: deps.config,
    client: deps.client,
    change: { tree: analysis.change.tree, files: analysis.change.files },
    rules: analysis.rules,
    skip: (finding) => commentedBefore.has(finding.fingerprint),
    ...(earlier.verdicts && { remembered: earlier.verdicts }),
    links: deps.links,
    logger: deps.logger,
  });
  const verdictOf = new Map(byPriority.map((finding, index) => [finding, verified.findings[index] ?? finding]));
  return { findings: analysis.findings.map((finding) => verdictOf.get(finding) ?? finding), summary: verified.summary };
}

/** Words the comments the review posts inline (placed with Claude's verdicts: a dismissed finding is not commented). */
export async function draft(
  report: ReviewReport,
  analysis: Analysis,
  deps: { config: Config; localModel: () => Promise<DraftModel>; links: LinkContext; logger: Logger; offReason?: string | undefined },
): Promise<{ report: ReviewReport; summary: DraftSummary }> {
  return draftStage(report, {
    localModel: deps.config.localModel,
    ...(deps.offReason !== undefined && { offReason: deps.offReason }),
    model: deps.localModel,
    budgetMs: deps.config.draftTimeoutSeconds * 1000,
    change: { tree: analysis.change.tree, files: analysis.change.files },
    links: deps.links,
    logger: deps.logger,
  });
}

/** The local model for the drafts: the runtime's endpoint (a Model Runner started on first need) and a client for it. */
async function resolveLocalModel(runtime: Runtime, effects: Effects): Promise<DraftModel> {
  const resolved = await runtime.localModel();
  if (resolved.status !== 'ready') return { kind: resolved.status, reason: resolved.reason };
  return { kind: 'model', client: await effects.draftClient(resolved.endpoint), model: resolved.model };
}
