import { indexPatch, planInlineComment, type FileDiffIndex, type InlineSkipReason } from './github/diff.js';
import type { CollectedChange } from './collect/collect.js';
import type { Config } from './config/schema.js';
import { annotationNotice } from './report/annotations.js';
import { computeConclusion, notReviewedParts } from './report/conclusion.js';
import { compareBySeverity } from './report/text.js';
import {
  SEVERITY_RANK,
  TOOL,
  type ChangedFile,
  type EarlierReviews,
  type FilterMode,
  type Finding,
  type PlacedFinding,
  type ReviewReport,
  type RuleInfo,
  type ScanReport,
} from './types.js';

/** `max-annotations` when the caller gives none (tests building a report by hand). */
const DEFAULT_MAX_ANNOTATIONS = 1000;

export interface TriageInput {
  findings: readonly Finding[];
  /** The files of the change, with their patches. */
  files: readonly ChangedFile[];
  filterMode: FilterMode;
  maxComments: number;
  /** Fingerprints this action already commented on, in earlier runs, with the comment id. */
  alreadyCommented: ReadonlyMap<string, number>;
  /** Fingerprints an earlier run's review body listed (over the cap or outside the diff). */
  alreadyListed?: ReadonlySet<string>;
}

/**
 * Most severe first, then by place, so that the cap keeps what matters and output order is stable. The reporters' order
 * (code-unit path order, not the machine's locale): the findings the cap keeps inline are the first ones every report lists.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return compareBySeverity(a, b);
}

/** One finding per fingerprint: the same rule from two rule sources reports the same code once, at its highest severity. */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  for (const finding of findings) {
    const existing = byFingerprint.get(finding.fingerprint);
    if (!existing || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[existing.severity]) {
      byFingerprint.set(finding.fingerprint, finding);
    }
  }
  return [...byFingerprint.values()];
}

/**
 * Decides where each finding goes: a new inline comment, nothing new (already commented), the review body (over the cap), or only
 * annotations/summary/SARIF (not on a line GitHub accepts, or filtered out by the filter mode). Every finding gets a placement.
 */
export function triageFindings(input: TriageInput): PlacedFinding[] {
  const patches = new Map(input.files.map((file) => [file.path, file.patch]));
  const indexes = new Map<string, FileDiffIndex | undefined>();
  const indexFor = (path: string): FileDiffIndex | undefined => {
    if (!indexes.has(path)) {
      const patch = patches.get(path);
      indexes.set(path, patch === undefined ? undefined : indexPatch(patch));
    }
    return indexes.get(path);
  };

  let inline = 0;
  return dedupeFindings(input.findings)
    .sort(compareFindings)
    .map((finding): PlacedFinding => {
      if (finding.verdict?.verdict === 'false_positive') return { finding, placement: { kind: 'dismissed' } };
      if (!patches.has(finding.path)) {
        return { finding, placement: { kind: 'outside-diff', reason: 'file not in the pull request', inChangedFile: false } };
      }
      const plan = planInlineComment(finding, indexFor(finding.path), input.filterMode);
      const commentId = input.alreadyCommented.get(finding.fingerprint);
      if (plan.inline && commentId !== undefined) return { finding, placement: { kind: 'already-commented', commentId } };
      if (input.alreadyListed?.has(finding.fingerprint)) return { finding, placement: { kind: 'already-listed' } };
      if (!plan.inline) {
        return { finding, placement: { kind: 'outside-diff', reason: OUTSIDE_REASONS[plan.reason], inChangedFile: true } };
      }
      if (inline >= input.maxComments) return { finding, placement: { kind: 'overflow' } };
      inline++;
      return {
        finding,
        placement: { kind: 'inline', line: plan.line, startLine: plan.startLine, exact: plan.exact },
      };
    });
}

const OUTSIDE_REASONS: Record<InlineSkipReason, string> = {
  'not-in-diff': 'not on a line of the diff',
  'file-not-in-diff': 'file not in the diff',
  'no-patch': 'no patch for this file',
  'context-only': `on unchanged lines (filter-mode 'added')`,
};

/** What the scan stage hands to triage: the change, every finding (fingerprinted), each scanner's report and the rules that ran. */
export interface Analysis {
  change: CollectedChange;
  findings: Finding[];
  scans: ScanReport[];
  rules: RuleInfo[];
}

/**
 * triage ──> report: places every finding against what earlier runs left and assembles what every reporter reads. Run once before
 * the models (what Claude is asked about first), and again with Claude's verdicts (a dismissed finding is not commented).
 */
export function buildReviewReport(input: {
  analysis: Analysis;
  config: Pick<Config, 'filterMode' | 'maxComments' | 'failOn'> & Partial<Pick<Config, 'failOnScanError' | 'maxAnnotations'>>;
  earlier: EarlierReviews;
  repository?: string;
  pullNumber?: number;
}): ReviewReport {
  const { analysis, config } = input;
  const placed: PlacedFinding[] = triageFindings({
    findings: analysis.findings,
    files: analysis.change.files,
    filterMode: config.filterMode,
    maxComments: config.maxComments,
    alreadyCommented: input.earlier.commented,
    alreadyListed: input.earlier.listed,
  });
  const { change } = analysis;
  const notReviewed = notReviewedParts({ scans: analysis.scans, skipped: change.skipped, truncated: change.truncated, listed: change.files.length });
  const maxAnnotations = config.maxAnnotations ?? DEFAULT_MAX_ANNOTATIONS;
  const annotated = annotationNotice(analysis.findings, maxAnnotations);
  return {
    tool: { ...TOOL },
    repository: input.repository,
    pullNumber: input.pullNumber,
    baseSha: analysis.change.baseSha,
    headSha: analysis.change.headSha,
    filterMode: config.filterMode,
    failOn: config.failOn,
    conclusion: computeConclusion(
      placed.map((p) => p.finding),
      config.failOn,
      notReviewed,
      config.failOnScanError ?? true,
    ),
    notReviewed,
    maxComments: config.maxComments,
    maxAnnotations,
    findings: placed,
    scans: analysis.scans,
    rules: analysis.rules,
    filesReviewed: analysis.change.reviewable.length,
    skippedFiles: analysis.change.skipped,
    resolvedCount: 0,
    notices: [...analysis.change.notices, ...analysis.scans.flatMap((scan) => scan.notices ?? []), ...(annotated ? [annotated] : [])],
  };
}
