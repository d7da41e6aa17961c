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

/** The lower of two severities. */
export function atMost(severity: Severity, cap: Severity): Severity {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[cap] ? severity : cap;
}

/** The scanners a user can choose (`scanners` input). */
export type ScannerName = 'ast-grep' | 'ramparts' | 'tests';
export const SCANNER_NAMES: readonly ScannerName[] = ['ast-grep', 'ramparts', 'tests'];
/**
 * Where findings come from: the chosen scanners, the ad-hoc ast-grep patterns run through the MCP gateway, and the template files
 * (run whenever `ast-grep` is chosen).
 */
export type ScanSource = ScannerName | 'mcp-pattern' | 'templates';

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
  /** The tool's own output about this finding (a failing test's log excerpt), secrets redacted; shown in a fenced block. */
  output?: string;
  /** Text written for the review comment (model draft or template), filled by the draft stage. */
  draft?: FindingDraft;
  /** Set by the escalation stage. */
  verdict?: FindingVerdict;
  /**
   * Other places that explain the finding (where a query built on this line runs, where the input came from), at most
   * `MAX_RELATED_LOCATIONS`. Never part of the fingerprint, never where a comment is anchored: the finding's own lines are.
   */
  related?: RelatedLocation[];
}

/** Related locations kept per finding; a rule's further labels are dropped. */
export const MAX_RELATED_LOCATIONS = 3;

/** A place related to a finding: same conventions as the finding's own lines and columns, and a short sentence about it. */
export interface RelatedLocation {
  /** Repository-relative path with forward slashes, new-file side. */
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** 1-based; `endColumn` exclusive. */
  startColumn?: number;
  endColumn?: number;
  /** What happens there, as a sentence ("The query runs here."). */
  message: string;
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
  /** Files of the pull request the scanner was given but could not scan (a per-file time limit, invalid UTF-8), with the reason. */
  filesNotScanned?: readonly { path: string; reason: string }[];
  /** Facts about the scan that are not problems (findings in test code left out by their rule's `in-tests: skip`), one line each. */
  notices?: string[];
  /** The tests scanner's counts and the sandbox it ran in, for the check run and the summary. */
  tests?: TestRunStats;
  /** The MCP audit (`ramparts`): what became of each server a live check was due for, shown in every channel. */
  mcpServers?: readonly McpServerOutcome[];
}

/**
 * One MCP server's outcome in one live check (the reporting view of `McpServerAudit` in src/scanners/mcp-audit/model.ts, which is
 * assignable to it). Anything but `scanned` carries its reason and is never shown as clean.
 */
export interface McpServerOutcome {
  server: string;
  configPath: string;
  line: number;
  check: string;
  status: 'scanned' | 'failed' | 'degraded' | 'not-scanned';
  reason?: string;
  tools?: number;
  prompts?: number;
  resources?: number;
  findings: number;
}

/** What a sandboxed test run did: counts from the reports, how it ended, and the settings that applied. */
export interface TestRunStats {
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  durationMs: number;
  /** One line: `tests exited 1`, `setup failed (exit 2)`, `timed out after 10 min`, `out of memory`. */
  outcome: string;
  /** The sandbox settings that applied, one per line. */
  sandbox: readonly string[];
  /** Where the whole log is on the runner. */
  logFile?: string;
  /** Report files read (repository-relative). */
  reports: readonly string[];
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
  | 'empty'
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

/** Claude's verdicts on the lowest severity that is escalated. */
export type EscalateOn = 'critical' | 'high';

// ── what the model stages did ────────────────────────────────────────────────────────────────────────────────────────────────

/** A verdict Claude gave, stored for later runs under the key of the code it judged (see `verdictKey` in models/stage.ts). */
export interface RememberedVerdict {
  key: string;
  verdict: 'confirmed' | 'false_positive' | 'uncertain';
  reasoning?: string;
  comment?: string;
}

export interface VerificationStats {
  /** Findings at or above the threshold. */
  escalated: number;
  /** Calls started (a call the SDK retried is one call; failed calls count). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Prompt-cache tokens, when the API reports any. */
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Findings Claude gave a verdict on: confirmed + dismissed + uncertain. */
  verified: number;
  confirmed: number;
  /** `false_positive`. */
  dismissed: number;
  uncertain: number;
  unverifiedBudget: number;
  /** Call failed, answer truncated, refused or not in the shape. */
  unverifiedError: number;
  unverifiedNoKey: number;
}

export interface DraftStats {
  /** Findings whose draft the model wrote. */
  model: number;
  /** Findings with template text. */
  template: number;
  /** Calls started. */
  calls: number;
  /** One line per reason findings fell back to templates (a failed call, invalid entries, the budget or call cap). */
  failures: string[];
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
}

export interface DraftSummary {
  /** `model`: a local model was asked; `off`: `local-model: off`; `unavailable`: no endpoint answered with the model. */
  mode: 'model' | 'off' | 'unavailable';
  model?: string;
  /** Why there is no model (`off`, `unavailable`). */
  reason?: string;
  stats: DraftStats;
}

export interface ClaudeSummary {
  /** `on`: a key is set; `no-key`: escalated findings are posted unverified. */
  mode: 'on' | 'no-key';
  model: string;
  escalateOn: EscalateOn;
  maxCalls: number;
  maxUsd: number;
  /** Findings at or above the threshold that earlier runs already commented on: not sent again. */
  alreadyCommented: number;
  /** Findings whose verdict came from an earlier run on the same code (counted in `stats` too, with no call). */
  reused: number;
  stats: VerificationStats;
  /** The verdicts of this run, for the next one (recorded in the check run). */
  remember: RememberedVerdict[];
}

export interface ModelSummary {
  drafts: DraftSummary;
  claude: ClaudeSummary;
}

// ── the review report: what every reporter reads ─────────────────────────────────────────────────────────────────────────────

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
  /** Further SARIF tags (the OWASP MCP Top 10 category of the MCP audit's rules). */
  tags?: readonly string[];
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
  /**
   * What of the pull request was not reviewed, one short phrase each (`ast-grep failed`, `1 file over the size cap`): empty when the
   * review ran fully. Never shown as "No findings"; fails the check run unless `fail-on-scan-error` is false.
   */
  notReviewed: string[];
  maxComments: number;
  /** Check-run annotations at most (repeats of one rule in one file are aggregated first). */
  maxAnnotations: number;
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

/** What earlier runs left on the pull request (nothing for the CLI and for a token that cannot read comments). */
export interface EarlierReviews {
  /** Fingerprint → id of our open comment on it. */
  commented: ReadonlyMap<string, number>;
  /** Fingerprints an earlier review body listed. */
  listed: ReadonlySet<string>;
  /** Claude's verdicts an earlier run recorded in its check run, by verdict key. */
  verdicts?: ReadonlyMap<string, RememberedVerdict>;
}

export const NOTHING_EARLIER: EarlierReviews = { commented: new Map(), listed: new Set(), verdicts: new Map() };

// ── the head tree: what every scanner reads ─────────────────────────────────────────────────────────────────────────────────────

/**
 * The head-side bytes of the reviewable files, materialized once and shared by every scanner and model stage. `root` is the checkout
 * itself when every file there is provably the head's (a regular file, not reached through a symlink, whose git blob sha is the
 * head's), else a folder of this run.
 */
export interface HeadTree {
  root: string;
  /** Repository-relative paths (forward slashes) of the files under `root`: the reviewable files of the change. */
  files: readonly string[];
  /** `root` is the checkout (nothing was copied). */
  inPlace: boolean;
}

/**
 * The whole repository at the head commit, from git's objects (never the working files): what the sandbox copies in, and where the
 * tests scanner maps report paths back to. Made by collect/checkout.ts.
 */
export interface HeadCheckout {
  /** The commit whose tree this is. */
  readonly revision: string;
  /** Why it is not the pull request's head commit, when it is not (a merge commit checked out by actions/checkout). */
  readonly note?: string;
  /** Every file path of the tree (forward slashes), submodules excepted. */
  listFiles(): Promise<readonly string[]>;
  /** A file's bytes, when it exists and is at most `maxBytes` (default 2 MiB). */
  readFile(path: string, maxBytes?: number): Promise<Buffer | undefined>;
  /** Several files at once (two git processes in all, not two per file): each path's bytes, or undefined as for `readFile`. */
  readFiles?(paths: readonly string[], maxBytes?: number): Promise<ReadonlyMap<string, Buffer | undefined>>;
  /** The tree as a tar stream, entries relative to the tree's root; the stream fails once more than `maxBytes` came out. */
  archive(maxBytes: number): NodeJS.ReadableStream;
}

/** A service the runtime started for a run (the MCP gateway, the sandbox): ready, or why not. */
export type Service<T> = { status: 'ready'; value: T; reason?: undefined } | { status: 'skipped' | 'failed'; value?: undefined; reason: string };

/** The tool's own identity, as SARIF and the reports name it. */
export const TOOL = {
  name: 'ultra-create',
  version: '1.0.0',
  informationUri: 'https://github.com/ultra-create/action',
} as const;
