import type { ModelSummary } from '../models/stage.js';
import type { Conclusion, FailOn, Finding, FilterMode, ScanReport, Severity, SkippedFile } from '../types.js';

/** What the reporters know about a rule: SARIF `rules[]`, the "why it matters" text, links. */
export interface RuleInfo {
  id: string;
  source: Finding['source'];
  severity: Severity;
  /** One line: the rule's message without metavariables. */
  shortDescription: string;
  /** The rule's note (why it matters, what to do), with the CWE. */
  fullDescription?: string;
  helpUri?: string;
  /** e.g. `CWE-78`. */
  cwe?: string;
  category?: string;
}

/**
 * Where a finding ends up. Every finding reaches at least one channel: all are annotations and in SARIF; the placement decides
 * whether it is also an inline comment or listed in the review body.
 */
export type Placement =
  /** A new inline comment in this run's review. */
  | { kind: 'inline'; line: number; startLine?: number; exact: boolean }
  /** Already commented by an earlier run (same fingerprint): not repeated. */
  | { kind: 'already-commented'; commentId: number }
  /** Could be inline but `max-comments` was reached: listed in the review body. */
  | { kind: 'overflow' }
  /** Listed in the body of an earlier run's review (over the cap, or outside the diff): not listed or commented again. */
  | { kind: 'already-listed' }
  /** In a changed file but not on a line GitHub accepts a comment on (or filtered out by `filter-mode`). */
  | { kind: 'outside-diff'; reason: string; inChangedFile: boolean }
  /** Claude judged it a false positive: not commented inline; listed as dismissed (with the reason) in the summaries. */
  | { kind: 'dismissed' };

export interface PlacedFinding {
  finding: Finding;
  placement: Placement;
}

/** Everything the reporters need; built once after triage, read by every reporter (pure functions). */
export interface ReviewReport {
  tool: { name: string; version: string; informationUri: string };
  /** `owner/repo`, when known. */
  repository?: string;
  /** `https://github.com` or a GitHub Enterprise Server URL, when known: model text may link into the repository there. */
  serverUrl?: string;
  pullNumber?: number;
  baseSha?: string;
  headSha: string;
  filterMode: FilterMode;
  failOn: FailOn;
  conclusion: Conclusion;
  maxComments: number;
  /** Every finding after dedupe, most severe first. */
  findings: PlacedFinding[];
  /** One per scanner that was asked for (including skipped and failed ones). */
  scans: ScanReport[];
  /** Rules that ran or produced findings, for SARIF and for notes. */
  rules: RuleInfo[];
  filesReviewed: number;
  skippedFiles: SkippedFile[];
  /** Comments of earlier runs whose finding is gone in this push (edited to say so). */
  resolvedCount: number;
  /** Warnings to show to the user (degraded publishing, capped lists, …). */
  notices: string[];
  /** What the local model and Claude did; absent when the model stages did not run. */
  models?: ModelSummary;
}
