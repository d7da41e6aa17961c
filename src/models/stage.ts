import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import { redactSecrets } from '../text/redact.js';
import {
  atLeast,
  type ChangedFile,
  type ClaudeSummary,
  type DraftStats,
  type DraftSummary,
  type Finding,
  type FindingDraft,
  type FindingVerdict,
  type HeadTree,
  type RememberedVerdict,
  type ReviewReport,
  type RuleInfo,
} from '../types.js';
import { ClaudeBudget } from './budget.js';
import { DEFAULT_BATCH_LIMITS, OUTPUT_TOKENS_PER_FINDING, VERDICT_LIMITS, verifyCriticalFindings, type ClaudeClient } from './claude.js';
import { contextProvider, fileSourceReader, fileView, type ContextOptions, type FileSource } from './context.js';
import { draftFindings, type DraftClient } from './local-drafts.js';
import { removeInvisibleCharacters, sanitizeModelText } from '../text/sanitize.js';
import { DRAFT_LIMITS, templateDraft } from './templates.js';
import { defuseMarkers } from '../text/markdown.js';

/**
 * The two model stages of the pipeline, in the order src/main.ts runs them (triage ──> verify ──> draft ──> publish): Claude verifies
 * first, so that a finding it dismisses is never drafted or commented.
 *
 * - `verifyStage` sends the findings at or above `escalate-on` that are not already commented on to Claude, within the run's hard
 *   budget, unless an earlier run recorded a verdict on the same code (reused, no call); each gets a verdict (`unverified` when not
 *   sent or not answered), and the verdicts Claude gave are offered for recording.
 * - `draftStage` words the comments that will be posted inline: the local model's draft, template text where it has none.
 *
 * Everything a model wrote is sanitized here, field by field, before any reporter sees it: a model read untrusted PR text.
 */

/** Where links may point: the repository's own pages stay links, everything else is rendered inert. */
export interface LinkContext {
  repository?: string;
  serverUrl?: string;
}

/** The largest `max_tokens` of a call: a full batch, `OUTPUT_TOKENS_PER_FINDING` for each of its findings. */
export const CLAUDE_MAX_OUTPUT_TOKENS = OUTPUT_TOKENS_PER_FINDING * DEFAULT_BATCH_LIMITS.maxFindings;
/** The lines a small local model sees around a finding: enough to word it, small enough for a 4k-token window with 5 findings. */
const DRAFT_CONTEXT: ContextOptions = { windowLines: 12, wholeFileLines: 24, maxLines: 24, maxHunkLines: 24 };




// ── sanitizing ───────────────────────────────────────────────────────────────────────────────────────────────────────────────

export function sanitizeDraft(draft: FindingDraft, links: LinkContext): FindingDraft {
  if (draft.author !== 'model') return draft;
  const title = sanitizeModelText(draft.title.replace(/\s+/g, ' '), { ...links, maxLength: DRAFT_LIMITS.title }).replace(/\s+/g, ' ');
  const clean: FindingDraft = {
    title: title.trim(),
    body: sanitizeModelText(draft.body, { ...links, maxLength: DRAFT_LIMITS.body }).trim(),
    author: 'model',
  };
  const fixHint = draft.fixHint === undefined ? '' : sanitizeModelText(draft.fixHint, { ...links, maxLength: DRAFT_LIMITS.fixHint }).trim();
  if (fixHint) clean.fixHint = fixHint;
  // A draft sanitized down to nothing says nothing: the caller falls back to the template.
  return clean.title && clean.body ? clean : { ...draft, title: '', body: '' };
}

/** Claude's prose is sanitized markdown; its fix is code (shown in a code block only): hidden characters, markers and secrets go. */
export function sanitizeVerdict(verdict: FindingVerdict, links: LinkContext): FindingVerdict {
  if (verdict.verdict === 'unverified') return verdict;
  const clean: FindingVerdict = { verdict: verdict.verdict };
  if (verdict.reasoning) clean.reasoning = sanitizeModelText(verdict.reasoning, { ...links, maxLength: VERDICT_LIMITS.reasoning });
  if (verdict.comment) clean.comment = sanitizeModelText(verdict.comment, { ...links, maxLength: VERDICT_LIMITS.comment });
  if (verdict.fix) {
    const fix = defuseMarkers(redactSecrets(removeInvisibleCharacters(verdict.fix)));
    clean.fix = fix.length > VERDICT_LIMITS.fix ? fix.slice(0, VERDICT_LIMITS.fix) : fix;
  }
  return clean;
}

// ── file contents for context ───────────────────────────────────────────────────────────────────────────────────────────────

/** What the model stages read of the change: the head tree and the listed files (for their patches). */
export interface ChangeView {
  tree: HeadTree;
  files: readonly ChangedFile[];
}

/** Reads a reviewed file's head content from the head tree, and nothing else; each file once (several findings share one). */
export function headFileReader(tree: HeadTree): (path: string) => Promise<string | undefined> {
  const reviewed = new Set(tree.files);
  const read = new Map<string, Promise<string | undefined>>();
  return (path) => {
    if (!reviewed.has(path)) return Promise.resolve(undefined);
    let content = read.get(path);
    if (!content) {
      content = readFile(join(tree.root, path), 'utf8').catch(() => undefined);
      read.set(path, content);
    }
    return content;
  };
}

/** What a model may read of a changed file: its head content (from the head tree) and its patch. */
export function fileSources(change: ChangeView): (path: string) => Promise<FileSource> {
  return fileSourceReader({ readFile: headFileReader(change.tree), files: change.files });
}

// ── escalate ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The key a verdict is remembered under: the finding's fingerprint and a hash of what Claude is shown of it (its own view of the
 * file, with the change marked) and of the model. The same finding on the same code keeps its verdict across pushes; any change to
 * the code around it, or another model, asks again.
 */
export function verdictKey(finding: Pick<Finding, 'fingerprint' | 'ruleId' | 'startLine' | 'endLine'>, source: FileSource, model: string): string {
  const view = fileView(source, [finding]).code;
  const hash = createHash('sha256').update(`${model}\u0000${finding.ruleId}\u0000${view}`).digest('hex').slice(0, 16);
  return `${finding.fingerprint}.${hash}`;
}

export async function verifyStage(
  findings: readonly Finding[],
  deps: {
    config: Pick<Config, 'claudeModel' | 'escalateOn' | 'claudeMaxCalls' | 'claudeMaxUsd'>;
    client: ClaudeClient | undefined;
    change: ChangeView;
    rules: readonly RuleInfo[];
    /** Findings an earlier run already commented on: not sent again (their comment stays as it was). */
    skip: (finding: Finding) => boolean;
    /** Verdicts earlier runs recorded, by `verdictKey`: a finding whose code is unchanged keeps its verdict without a call. */
    remembered?: ReadonlyMap<string, RememberedVerdict>;
    links: LinkContext;
    logger: Logger;
  },
): Promise<{ findings: Finding[]; summary: ClaudeSummary }> {
  const { config } = deps;
  const budget = new ClaudeBudget({
    maxCalls: config.claudeMaxCalls,
    maxUsd: config.claudeMaxUsd,
    model: config.claudeModel,
    maxOutputTokens: CLAUDE_MAX_OUTPUT_TOKENS,
    logger: deps.client ? deps.logger : undefined,
  });
  const sourceOf = fileSources(deps.change);
  const escalated = (f: Finding) => atLeast(f.severity, config.escalateOn);
  // Keys of the findings Claude may judge (only with a key: without one, nothing is verified, not even from memory).
  const keys = new Map<Finding, string>();
  if (deps.client) {
    for (const f of findings) if (escalated(f) && !deps.skip(f)) keys.set(f, verdictKey(f, await sourceOf(f.path), config.claudeModel));
  }
  const verdicts = new Map<Finding, FindingVerdict>();
  const reused = { confirmed: 0, dismissed: 0, uncertain: 0 };
  for (const [finding, key] of keys) {
    const earlier = deps.remembered?.get(key);
    if (!earlier) continue;
    verdicts.set(finding, sanitizeVerdict({ verdict: earlier.verdict, reasoning: earlier.reasoning, comment: earlier.comment }, deps.links));
    if (earlier.verdict === 'confirmed') reused.confirmed += 1;
    else if (earlier.verdict === 'false_positive') reused.dismissed += 1;
    else reused.uncertain += 1;
  }
  const reusedCount = reused.confirmed + reused.dismissed + reused.uncertain;
  if (reusedCount > 0) {
    deps.logger.info(`Claude: ${reusedCount} verdict(s) from an earlier run on the same code (not sent again).`);
  }

  const candidates = findings.filter((finding) => !deps.skip(finding) && !verdicts.has(finding));
  const result = await verifyCriticalFindings(candidates, {
    client: deps.client,
    model: config.claudeModel,
    escalateOn: config.escalateOn,
    budget,
    rules: deps.rules,
    sourceOf,
    logger: deps.logger,
  });
  result.findings.forEach((finding, index) => {
    const original = candidates[index];
    if (original && finding.verdict) verdicts.set(original, sanitizeVerdict(finding.verdict, deps.links));
  });
  // What the next run may reuse: every verdict Claude gave on this code (dismissals first: they have no comment to recall them).
  const remember: RememberedVerdict[] = [];
  for (const [finding, key] of keys) {
    const verdict = verdicts.get(finding);
    if (!verdict || verdict.verdict === 'unverified') continue;
    remember.push({ key, verdict: verdict.verdict, reasoning: verdict.reasoning, comment: verdict.comment });
  }
  remember.sort((a, b) => Number(b.verdict === 'false_positive') - Number(a.verdict === 'false_positive'));
  const stats = result.stats;
  return {
    findings: findings.map((finding) => {
      const verdict = verdicts.get(finding);
      return verdict ? { ...finding, verdict } : finding;
    }),
    summary: {
      mode: deps.client ? 'on' : 'no-key',
      model: config.claudeModel,
      escalateOn: config.escalateOn,
      maxCalls: config.claudeMaxCalls,
      maxUsd: config.claudeMaxUsd,
      alreadyCommented: findings.filter((f) => deps.skip(f) && escalated(f)).length,
      reused: reusedCount,
      stats: {
        ...stats,
        escalated: stats.escalated + reusedCount,
        verified: stats.verified + reusedCount,
        confirmed: stats.confirmed + reused.confirmed,
        dismissed: stats.dismissed + reused.dismissed,
        uncertain: stats.uncertain + reused.uncertain,
      },
      remember,
    },
  };
}

// ── draft ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/** How the draft stage reaches a local model; `client` undefined means templates only, for `reason`. */
export type DraftModel =
  | { kind: 'model'; client: DraftClient; model: string }
  | { kind: 'off'; reason: string }
  | { kind: 'unavailable'; reason: string };

export async function draftStage(
  report: ReviewReport,
  deps: {
    /** `local-model` (undefined: off). */
    localModel: string | undefined;
    /** Why drafting is off when `localModel` is undefined (default: "local-model is 'off'"). */
    offReason?: string;
    /** Resolved only when there is something to draft (starting a Model Runner is not free). */
    model: () => Promise<DraftModel>;
    budgetMs: number;
    change: ChangeView;
    links: LinkContext;
    logger: Logger;
  },
): Promise<{ report: ReviewReport; summary: DraftSummary }> {
  const inline = report.findings.flatMap((placed, position) => (placed.placement.kind === 'inline' ? [{ placed, position }] : []));
  const targets = inline.map(({ placed }) => placed.finding);
  const rules = new Map(report.rules.map((rule) => [rule.id, rule]));
  const emptyStats: DraftStats = { model: 0, template: 0, calls: 0, failures: [], promptTokens: 0, completionTokens: 0, durationMs: 0 };

  let drafted: Finding[];
  let summary: DraftSummary;
  const model: DraftModel | undefined =
    deps.localModel === undefined
      ? { kind: 'off', reason: deps.offReason ?? "local-model is 'off'" }
      : targets.length === 0
        ? undefined
        : await deps.model();
  if (!model) {
    drafted = [];
    summary = { mode: 'model', ...(deps.localModel && { model: deps.localModel }), stats: emptyStats };
  } else if (model.kind !== 'model') {
    drafted = targets.map((finding) => ({ ...finding, draft: templateDraft(finding, rules.get(finding.ruleId)) }));
    summary = { mode: model.kind, reason: model.reason, stats: { ...emptyStats, template: targets.length } };
  } else {
    const contextOf = contextProvider(fileSources(deps.change), DRAFT_CONTEXT);
    const code = new Map<Finding, string>();
    for (const finding of targets) {
      const context = await contextOf(finding);
      code.set(finding, context.code || context.hunk || finding.evidence);
    }
    const result = await draftFindings(targets, {
      client: model.client,
      model: model.model,
      rules,
      codeOf: (finding) => code.get(finding) ?? finding.evidence,
      logger: deps.logger,
      budgetMs: deps.budgetMs,
    });
    const stats = { ...result.stats };
    drafted = result.findings.map((finding, index) => {
      if (finding.draft?.author !== 'model') return finding;
      const clean = sanitizeDraft(finding.draft, deps.links);
      if (clean.title && clean.body) return { ...finding, draft: clean };
      stats.model -= 1;
      stats.template += 1;
      stats.failures.push(`the draft for finding ${index + 1} was empty once sanitized`);
      const original = targets[index]!;
      return { ...finding, draft: templateDraft(original, rules.get(original.ruleId)) };
    });
    summary = { mode: 'model', model: model.model, stats };
  }

  const findings = [...report.findings];
  inline.forEach(({ placed, position }, index) => {
    findings[position] = { ...placed, finding: drafted[index]! };
  });
  return { report: { ...report, findings }, summary };
}
