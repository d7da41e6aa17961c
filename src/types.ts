/**
 * The shapes that travel between pipeline stages (DESIGN.md §3). Stages depend on these, never on each other's internals.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is more severe; used for thresholds and sorting. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 5,
  high: 4,
  medium: 3,
  low: 2,
  info: 1,
};

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** The scanners a user can choose (`scanners` input). */
export type ScannerName = 'ast-grep' | 'ramparts' | 'tests';
export const SCANNER_NAMES: readonly ScannerName[] = ['ast-grep', 'ramparts', 'tests'];
/** Where findings come from: the chosen scanners, and the ad-hoc ast-grep patterns run through the MCP gateway. */
export type ScanSource = ScannerName | 'mcp-pattern';

export interface Finding {
  ruleId: string;
  source: ScanSource;
  severity: Severity;
  /** Repository-relative path with forward slashes, new-file side. */
  path: string;
  /** 1-based, new-file side, inclusive. */
  startLine: number;
  endLine: number;
  /** Columns when the tool gives them: `startColumn` 1-based, `endColumn` 1-based and exclusive (SARIF's convention). */
  startColumn?: number;
  endColumn?: number;
  message: string;
  /** Why it matters (the rule's note, with the CWE). */
  note?: string;
  /** Replacement text for the matched range, when the rule has a fix. */
  fix?: FindingFix;
  /** The matched source lines, secrets redacted. */
  evidence: string;
  /** Stable across line moves and re-runs: hash of ruleId + path + normalized evidence. */
  fingerprint: string;
  /** Rule documentation link, when known. */
  helpUri?: string;
  /** Text written for the review comment (model draft or template), filled by the draft stage. */
  draft?: FindingDraft;
  /** Set by the escalation stage. */
  verdict?: FindingVerdict;
}

export interface FindingFix {
  /**
   * The full text of lines startLine..endLine after the fix; only then can it be a ```suggestion``` block. One trailing newline is a
   * line terminator; `''` deletes the lines.
   */
  replacementLines?: string;
  /** Free text of the replacement for the matched range (always kept for SARIF and summaries). */
  replacement: string;
}

/**
 * The words of a finding's review comment. `template`: plain text made from the tool's message (holds PR text: escaped when
 * rendered). `model`: markdown a local model wrote, already passed through `sanitizeModelText` by the draft stage: posted as it is.
 */
export interface FindingDraft {
  title: string;
  body: string;
  fixHint?: string;
  author: 'model' | 'template';
}

/**
 * Claude's judgement of an escalated finding. `reasoning` and `comment` are markdown already passed through `sanitizeModelText`
 * (posted as they are); `fix` is code, shown only inside a code block, with markers, hidden characters and secrets removed.
 * `unverified`: not sent (no key, budget spent) or no usable answer; `reasoning` then says why, in our own words.
 */
/** Reasons of `unverified` verdicts start with one of these, so reporters can tell them apart. */
export const UNVERIFIED = {
  noKey: 'no anthropic-api-key',
  budget: 'budget',
  error: 'error',
} as const;

export interface FindingVerdict {
  verdict: 'confirmed' | 'false_positive' | 'uncertain' | 'unverified';
  reasoning?: string;
  comment?: string;
  fix?: string;
}

export type ScanStatus = 'ok' | 'skipped' | 'failed' | 'degraded';

export interface ScanReport {
  scanner: ScanSource;
  status: ScanStatus;
  /** Required for every status except `ok`: what was skipped, what failed, what is missing. */
  reason?: string;
  findings: Finding[];
  durationMs: number;
  /** Files the scanner looked at. */
  filesScanned: number;
  /** Rules loaded and run (ast-grep), servers audited (ramparts), tests run (tests). */
  rulesRun?: number;
  /** Problems that did not stop the scan (a third-party rule that does not parse, …), each naming its subject. */
  warnings: string[];
}

export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

/** One file of the pull request, as `pulls.listFiles` or `git diff` describes it. */
export interface ChangedFile {
  path: string;
  previousPath?: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  /** Unified diff hunks without the file header; absent for binary files and patches GitHub truncates. */
  patch?: string;
  /** Git blob sha of the new-side content (GitHub gives it; locally from `git diff --raw`). */
  blobSha?: string;
}

export type SkipReason =
  | 'binary'
  | 'no-patch'
  | 'removed'
  | 'vendored'
  | 'generated'
  | 'minified'
  | 'too-large'
  | 'unreadable'
  | 'file-cap';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export type FilterMode = 'added' | 'diff_context' | 'file' | 'nofilter';
export const FILTER_MODES: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

export type FailOn = 'none' | Severity;
export type Conclusion = 'success' | 'failure' | 'neutral';
