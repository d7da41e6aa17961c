import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { getErrorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { REDACTED, redactSecrets } from '../../text/redact.js';
import { isTestPath } from '../../text/test-paths.js';
import type { RelatedLocation, RuleInfo } from '../../types.js';
import { atMost, MAX_RELATED_LOCATIONS, type Finding, type ScanReport, type ScanStatus } from '../../types.js';
import { readRegularFile, safeJoin } from '../../collect/head-tree.js';
import { ranOutOfMemory, runAstGrep } from './process.js';
import { TextPool } from './rule-needs.js';
import {
  CALL_PROBE_IDS,
  CallArguments,
  chainCalls,
  FORWARD_PROBE_IDS,
  forwardingOf,
  joinCrossFile,
  forwardFileCandidates,
  MAX_CHAIN_CALLS,
  PARAM_COPY_SUFFIX,
  paramSinkOf,
  requestCallOf,
  type RequestCall,
  sinkFileCandidates,
} from './cross-file.js';
import {
  blamedDocument,
  catalogOf,
  configErrorReason,
  explainRuleError,
  inTestsPolicyOf,
  loadBuiltinRules,
  loadThirdPartyRules,
  forLanguagesOf,
  isJoinInput,
  isForwardProbe,
  isParamCopy,
  isScriptHost,
  metadataOf,
  prebuiltBuiltinConfig,
  prepareBuiltinConfig,
  severityOf,
  TSX_ID_SUFFIX,
  withOrigins,
  writeEffectiveConfig,
  type EffectiveConfig,
  type InTestsPolicy,
  type RuleDocument,
  type RuleExclusion,
  type RuleSet,
} from './rules.js';
import { findBrokenRules, isSuccessfulExit } from './validate.js';
import { ENV_FILE_SECRET_RULE, findEnvFileSecrets } from './env-secrets.js';
import { findPrivateKeyFiles, PRIVATE_KEY_FILE_RULE } from './private-keys.js';
import { compareStrings, cutAround, formatBinaryBytes, formatDuration, truncate } from '../../text/strings.js';

export interface AstGrepScanInput {
  binary: string;
  /** The head-side content of the files, at their repository paths. */
  workDir: string;
  /** Paths relative to `workDir`, forward slashes. */
  files: string[];
  /** The built-in pack (`rules/` with its sgconfig.yml); see `builtinRulesDir`. */
  builtinRulesDir: string;
  /** The repository's own config: a folder with `sgconfig.yml` and the folders it names (read from the base branch). */
  repoConfigDir?: string;
  /** The `rules` input: folders of rule files, folders with an `sgconfig.yml`, `sgconfig.yml` files or single rule files. */
  extraRuleSources: string[];
  logger: Logger;
  /** For the whole scan, all ast-grep processes together; default 5 minutes. */
  timeoutMs?: number;
  /** Per file (a chunk of files gets it as a whole first); default 1 minute. A file over it is reported as not scanned. */
  fileTimeoutMs?: number;
  /** What ast-grep may print about one file; default FILE_OUTPUT_CHARS. A file over it is reported as not scanned. */
  fileOutputChars?: number;
  /** The address space of one ast-grep process (Linux); default AST_GREP_MEMORY_BYTES. A file over it is reported as not scanned. */
  memoryLimitBytes?: number;
  signal?: AbortSignal;
  /** Where the scanner's scratch folder goes (removed at the end); default the OS temp folder. */
  tempDir?: string;
  /** Each file ast-grep reports having looked at (scanned or skipped), possibly more than once: for progress only. */
  onFileInspected?(path: string): void;
}

export interface AstGrepScanResult {
  report: ScanReport;
  /** The rules that ran (built-in and third-party), for SARIF and notes. */
  rules: RuleInfo[];
}

export const DEFAULT_SCAN_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_FILE_TIMEOUT_MS = 60_000;
/**
 * Command lines are limited: files are passed in chunks of at most this many bytes. Linux allows 2 MB (ARG_MAX) in all and 128 KB
 * per argument, so one process takes a whole large change there; Windows (32 K) and macOS (256 K in all) get smaller chunks.
 */
const MAX_ARG_BYTES = process.platform === 'linux' ? 1_000_000 : process.platform === 'win32' ? 24_000 : 100_000;
/** Per ast-grep process while looking for the rules that do not load. */
const VALIDATION_TIMEOUT_MS = 30_000;

const SCAN_FLAGS = [
  '--json=stream',
  '--include-metadata',
  // sgconfig.yml may name native parser libraries: never load code from the repository.
  '--custom-languages',
  'ignore',
  '--color',
  'never',
  // per-file lines on stderr: which files a rule applied to, which were skipped and why
  '--inspect',
  'entity',
];

/** One line of `ast-grep scan --json=stream` (the fields we read). */
export interface AstGrepMatch {
  ruleId: string;
  severity?: string;
  message?: string;
  note?: string | null;
  file: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  text: string;
  lines: string;
  charCount?: { leading: number; trailing: number };
  replacement?: string;
  metadata?: Record<string, unknown> | null;
  metaVariables?: { single?: Record<string, { text?: unknown } | undefined> | null } | null;
  /**
   * The rule's `labels` (or, without them, every node the rule looked at, unlabelled): `style` primary|secondary, `message` when
   * the rule gave one, `range` zero-based like the match's.
   */
  labels?: unknown;
}

/** A path as ast-grep prints it, as the change names it: forward slashes, no leading `./`. */
const normalizePath = (path: string): string => path.replace(/\\/g, '/').replace(/^\.\//, '');

/**
 * Evidence keeps each matched line to EVIDENCE_LINE_CHARS characters around the match and EVIDENCE_MAX_CHARS in all (what the
 * report shows of it): a pull request can put thousands of matches on one line of 100,000 characters, and each finding would
 * hold all of it.
 */
const EVIDENCE_LINE_CHARS = 2_000;
const EVIDENCE_MAX_CHARS = 16_384;

function boundedEvidence(covered: string, startColumn: number): string {
  if (covered.length <= EVIDENCE_LINE_CHARS) return covered;
  const lines = covered.split('\n').map((line, index) => cutAround(line, index === 0 ? startColumn - 1 : 0, EVIDENCE_LINE_CHARS));
  return truncate(lines.join('\n'), EVIDENCE_MAX_CHARS);
}

/** A rule that binds `$SECRET` marks the text there as a secret value (a literal key given to a sink): it never leaves the runner. */
export const SECRET_METAVARIABLE = 'SECRET';

/** `redactSecrets`, plus the text the rule bound to `$SECRET` (its quotes kept: `"«redacted»"`). */
function redactorFor(match: AstGrepMatch): (text: string) => string {
  const bound = match.metaVariables?.single?.[SECRET_METAVARIABLE]?.text;
  if (typeof bound !== 'string' || bound.length === 0) return redactSecrets;
  const quoted = /^([rbuRBU]{0,2})(["'`])[\s\S]*\2$/.exec(bound);
  const masked = quoted ? `${quoted[1] ?? ''}${quoted[2] ?? ''}${REDACTED}${quoted[2] ?? ''}` : REDACTED;
  return (text) => redactSecrets(text.split(bound).join(masked));
}

function isMatch(value: unknown): value is AstGrepMatch {
  return hasMatchShape(value) && typeof (value as { ruleId?: unknown }).ruleId === 'string';
}

/** The fields every ast-grep JSON match has (`scan` and `run` alike): file, text, lines and a range of line/column positions. */
export function hasMatchShape(value: unknown): value is Pick<AstGrepMatch, 'file' | 'text' | 'lines' | 'range'> {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { file?: unknown; text?: unknown; lines?: unknown; range?: { start?: unknown; end?: unknown } | null };
  const pos = (p: unknown): boolean =>
    typeof p === 'object' && p !== null && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { column?: unknown }).column === 'number';
  return (
    typeof m.file === 'string' &&
    typeof m.text === 'string' &&
    typeof m.lines === 'string' &&
    typeof m.range === 'object' &&
    m.range !== null &&
    pos(m.range.start) &&
    pos(m.range.end)
  );
}

/** `lines` minus its last line: the match ended at the start of that line, which it does not cover. */
function withoutLastLine(text: string): string {
  const cut = text.lastIndexOf('\n');
  return cut < 0 ? text : text.slice(0, cut);
}

function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\r$/, '');
}

/** A related location's message at most (a third-party rule's label message is the repository's text). */
const MAX_LABEL_MESSAGE_CHARS = 200;

/**
 * The rule's secondary labels that carry a message → related locations (lines only: ast-grep counts columns in Unicode scalar
 * values and the label's line is not in the match's `lines`, so an exact UTF-16 column cannot be told). Labels without a message
 * (ast-grep's default labels of every node the rule touched), primary ones, and those starting on the finding's own lines are
 * left out; the rest are ordered by line, repeats dropped, at most `MAX_RELATED_LOCATIONS`.
 */
export function relatedFromLabels(
  labels: unknown,
  primary: Pick<Finding, 'path' | 'startLine' | 'endLine'>,
  redact: (text: string) => string,
): RelatedLocation[] {
  if (!Array.isArray(labels)) return [];
  const found = new Map<string, RelatedLocation>();
  for (const label of labels as unknown[]) {
    if (typeof label !== 'object' || label === null) continue;
    const { style, message, range } = label as { style?: unknown; message?: unknown; range?: { start?: unknown; end?: unknown } | null };
    if (style !== 'secondary' || typeof message !== 'string' || message.trim() === '') continue;
    const start = positionOf(range?.start);
    const end = positionOf(range?.end);
    if (!start || !end || end.line < start.line) continue;
    const startLine = start.line + 1;
    const endLine = end.column === 0 && end.line > start.line ? end.line : end.line + 1;
    if (startLine >= primary.startLine && startLine <= primary.endLine) continue;
    const related: RelatedLocation = {
      path: primary.path,
      startLine,
      endLine,
      message: truncate(redact(message.replace(/\s+/g, ' ').trim()), MAX_LABEL_MESSAGE_CHARS),
    };
    const key = `${startLine}\0${related.message}`;
    if (!found.has(key)) found.set(key, related);
  }
  return [...found.values()].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine).slice(0, MAX_RELATED_LOCATIONS);
}

function positionOf(value: unknown): { line: number; column: number } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { line, column } = value as { line?: unknown; column?: unknown };
  return Number.isInteger(line) && Number.isInteger(column) && (line as number) >= 0 && (column as number) >= 0
    ? { line: line as number, column: column as number }
    : undefined;
}

/**
 * One ast-grep match → a Finding. Lines are 1-based; a match that ends at column 0 of a later line (a node that takes the line
 * break) ends on the line before. Columns are 1-based UTF-16 code units with an exclusive end, as in SARIF and JavaScript strings
 * (ast-grep counts Unicode scalar values). `fix.replacementLines` is the text of startLine..endLine with the fix applied, built
 * from `lines` and `charCount` (also in scalar values); it is left out when the match cannot be laid over `lines` exactly, or when
 * redaction changed it (a suggestion must not contain «redacted»).
 */
export function findingFromMatch(match: AstGrepMatch, ruleId: string, rule: RuleInfo | undefined): Finding {
  const { start, end } = match.range;
  const chars = Array.from(match.lines);
  const leading = match.charCount?.leading;
  const trailing = match.charCount?.trailing;
  const fits =
    leading !== undefined &&
    trailing !== undefined &&
    leading >= 0 &&
    trailing >= 0 &&
    leading + trailing <= chars.length &&
    chars.slice(leading, chars.length - trailing).join('') === match.text;
  const prefix = fits ? chars.slice(0, leading).join('') : undefined;
  const suffix = fits ? chars.slice(chars.length - trailing).join('') : undefined;

  const endsAtLineStart = end.column === 0 && end.line > start.line;
  const startLine = start.line + 1;
  const endLine = endsAtLineStart ? end.line : end.line + 1;
  const covered = normalizeEol(endsAtLineStart ? withoutLastLine(match.lines) : match.lines);

  const startColumn = prefix !== undefined ? prefix.length + 1 : start.column + 1;
  let endColumn: number;
  if (endsAtLineStart) endColumn = (covered.split('\n').pop() ?? '').length + 1;
  else if (prefix === undefined) endColumn = end.column + 1;
  else if (start.line === end.line) endColumn = prefix.length + match.text.length + 1;
  else endColumn = match.text.slice(match.text.lastIndexOf('\n') + 1).length + 1;

  const metadata = match.metadata ?? undefined;
  const redact = redactorFor(match);
  const finding: Finding = {
    ruleId,
    source: 'ast-grep',
    severity: rule?.severity ?? severityOf(match.severity, metadata?.severity),
    path: normalizePath(match.file),
    startLine,
    endLine,
    startColumn,
    endColumn,
    message: redact(match.message?.trim() || rule?.shortDescription || `${ruleId} matched.`),
    evidence: redact(boundedEvidence(covered, startColumn)),
    fingerprint: '',
  };
  const note = typeof match.note === 'string' && match.note.trim() ? match.note.trim() : rule?.fullDescription;
  if (note) finding.note = note;
  if (rule?.helpUri) finding.helpUri = rule.helpUri;
  const related = relatedFromLabels(match.labels, finding, redact);
  if (related.length > 0) finding.related = related;

  if (typeof match.replacement === 'string') {
    const replacement = redact(match.replacement);
    finding.fix = { replacement };
    if (prefix !== undefined && suffix !== undefined) {
      let lines: string | undefined = prefix + match.replacement + suffix;
      if (endsAtLineStart) {
        // the match took the line break: whole lines only if the replacement gives one back
        const joined = prefix + match.replacement;
        lines = /\r?\n$/.test(joined) ? joined.replace(/\r?\n$/, '') : undefined;
      }
      if (lines !== undefined) {
        const normalized = normalizeEol(lines);
        if (redact(normalized) === normalized && replacement === match.replacement) finding.fix.replacementLines = normalized;
      }
    }
  }
  return finding;
}

/** Splits `files` so that no ast-grep command line carries more than `maxBytes` of paths. */
export function chunkFiles(files: readonly string[], maxBytes = MAX_ARG_BYTES): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const size = Buffer.byteLength(file) + 1;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

const SKIP_REASONS: Readonly<Record<string, string>> = {
  invalidUtf8: 'it is not valid UTF-8',
};


/** What the ast-grep processes of one scan produced. */
interface Collected {
  findings: Finding[];
  /** Files at least one rule applied to. */
  scanned: Set<string>;
  /** Files ast-grep skipped, with its reason. */
  skipped: Map<string, string>;
  sawInspect: boolean;
  /** Output lines that were not JSON matches. */
  badLines: string[];
  /** Matches of the built-in parameter copies and probes: the cross-file join's input, not findings. */
  joinInput: AstGrepMatch[];
  /** Files whose matches printed more than the output limit: the process was stopped (runFiles). */
  overflowed: Set<string>;
}

function newCollected(): Collected {
  return { findings: [], scanned: new Set(), skipped: new Map(), sawInspect: false, badLines: [], joinInput: [], overflowed: new Set() };
}

/**
 * The most ast-grep may print about one file (its matches' JSON, in characters). A pull request can be written so that its
 * matches repeat a long text: 10,000 arguments of one call each printed with the whole line (1.7 GB of output, and the review ran
 * out of memory). Past it, the process is stopped and the file is reported as not scanned; the other files run again.
 */
export const FILE_OUTPUT_CHARS = 64 * 1024 * 1024;

/**
 * The address space one ast-grep process may use (Linux): 4 GiB, or three quarters of the machine's memory when that is less.
 * ast-grep keeps a file's matches before printing them, so a file written to repeat a long text in each match (a call of
 * 10,000 request-data arguments printed 8.7 GB) would take the runner's memory; at the limit it stops, and the file alone is
 * reported as not scanned.
 */
export const AST_GREP_MEMORY_BYTES = Math.min(4 * 1024 ** 3, Math.floor(totalmem() * 0.75));

function mergeCollected(into: Collected, from: Collected): void {
  into.findings.push(...from.findings);
  for (const file of from.scanned) into.scanned.add(file);
  for (const [file, reason] of from.skipped) into.skipped.set(file, reason);
  into.sawInspect ||= from.sawInspect;
  into.badLines.push(...from.badLines);
  into.joinInput.push(...from.joinInput);
  // (`overflowed` is read from each attempt itself: an attempt with an overflowed file is run again, never merged)
}

/** A file of ours ast-grep could not open: `ERROR: src/a.js: No such file or directory (os error 2)` (paths may contain ": "). */
function unreadableFile(line: string, chunk: ReadonlySet<string>): { path: string; reason: string } | undefined {
  if (!line.startsWith('ERROR: ')) return undefined;
  const rest = line.slice('ERROR: '.length);
  for (let i = rest.indexOf(': '); i >= 0; i = rest.indexOf(': ', i + 1)) {
    const path = rest.slice(0, i).replace(/\\/g, '/');
    if (chunk.has(path)) return { path, reason: rest.slice(i + 2).trim() || 'unreadable' };
  }
  return undefined;
}

const INSPECT_FILE = /^sg: entity\|file\|(.*): (?:language=[^,]*,appliedRuleCount=(\d+)|skipped=(.*))$/;

type RunOutcome =
  | { kind: 'ok' }
  /** The first chunk failed before printing anything: the configuration did not load. */
  | { kind: 'config-error'; reason: string; stderr: string }
  | { kind: 'failed'; reason: string; fatal: boolean };

interface RunContext {
  input: AstGrepScanInput;
  chunks: string[][];
  deadline: number;
  timeoutMs: number;
  /** Per ast-grep process over a chunk, and per file when a chunk had to be split. */
  fileTimeoutMs: number;
  fileCount: number;
  /** What ast-grep may print about one file (input.fileOutputChars or FILE_OUTPUT_CHARS). */
  fileOutputChars: number;
  /** The address space of one ast-grep process (input.memoryLimitBytes or AST_GREP_MEMORY_BYTES). */
  memoryLimitBytes: number;
  /** ast-grep processes started (names their stderr files). */
  runs: number;
  /** The scan's own folder, removed at the end. */
  scratch: string;
}

function describeChunk(context: RunContext, index: number): string {
  if (context.chunks.length === 1) return `${context.fileCount} file(s)`;
  const before = context.chunks.slice(0, index).reduce((n, c) => n + c.length, 0);
  return `files ${before + 1}–${before + (context.chunks[index]?.length ?? 0)} of ${context.fileCount}`;
}

/** One ast-grep process over `files`; its matches and per-file lines go to `into`. */
async function runFiles(
  context: RunContext,
  config: EffectiveConfig,
  label: string,
  files: readonly string[],
  timeoutMs: number,
  catalog: ReadonlyMap<string, RuleInfo>,
  stripTsx: boolean,
  into: Collected,
): Promise<{ run: Awaited<ReturnType<typeof runAstGrep>>; matches: number }> {
  const { input } = context;
  let matches = 0;
  const chunkSet = new Set(files);
  const outputChars = new Map<string, number>();
  const overflow = new AbortController();
  const run = await runAstGrep({
    binary: input.binary,
    args: ['scan', '-c', config.configPath, ...SCAN_FLAGS, '--', ...files],
    cwd: input.workDir,
    timeoutMs,
    memoryLimitBytes: context.memoryLimitBytes,
    signal: input.signal ? AbortSignal.any([input.signal, overflow.signal]) : overflow.signal,
    // In the scan's scratch folder (the built-in configuration may be dist/'s own, which is not ours to write).
    stderrFile: join(context.scratch, `stderr-${label.replace(/\W+/g, '-')}-${context.runs++}.log`),
    onStdoutLine: (line) => {
      if (line.trim() === '' || overflow.signal.aborted) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (!isMatch(parsed)) {
        into.badLines.push(line.length > 200 ? `${line.slice(0, 200)}…` : line);
        return;
      }
      const file = normalizePath(parsed.file);
      const printed = (outputChars.get(file) ?? 0) + line.length;
      outputChars.set(file, printed);
      if (printed > context.fileOutputChars) {
        into.overflowed.add(file);
        overflow.abort();
        return;
      }
      matches++;
      const ruleId = stripTsx && parsed.ruleId.endsWith(TSX_ID_SUFFIX) ? parsed.ruleId.slice(0, -TSX_ID_SUFFIX.length) : parsed.ruleId;
      // a probe's place and names are all the join reads of it
      if (stripTsx && (CALL_PROBE_IDS.has(ruleId) || FORWARD_PROBE_IDS.has(ruleId))) into.joinInput.push({ ...parsed, ruleId, text: '', lines: '' });
      else if (stripTsx && ruleId.endsWith(PARAM_COPY_SUFFIX)) into.joinInput.push({ ...parsed, ruleId });
      else into.findings.push(findingFromMatch(parsed, ruleId, catalog.get(ruleId)));
    },
    onStderrLine: (line) => {
      const unreadable = unreadableFile(line, chunkSet);
      if (unreadable) {
        into.skipped.set(unreadable.path, unreadable.reason);
        return;
      }
      const file = INSPECT_FILE.exec(line);
      if (!file) return;
      into.sawInspect = true;
      const path = (file[1] ?? '').replace(/\\/g, '/');
      input.onFileInspected?.(path);
      if (file[3] !== undefined) into.skipped.set(path, SKIP_REASONS[file[3]] ?? file[3]);
      else if (Number(file[2]) > 0) into.scanned.add(path);
    },
  });
  return { run, matches };
}

/**
 * Runs one configuration over every chunk, in order; matches go to `collected`. A chunk gets the per-file time limit: when it
 * does not finish within it, a chunk of more than SPLIT_PARTS files runs again as SPLIT_PARTS smaller chunks (each within the same
 * limit, split again when it too runs out), and a chunk of at most SPLIT_PARTS files runs again one file at a time, each within
 * that limit; a file that still does not finish is reported as not scanned while the others are. Splitting first matters for a
 * large change that is merely big (a whole repository of hundreds of files just past the limit): every ast-grep process compiles
 * the whole pack again, so hundreds of single-file runs would spend the scan's time on that alone. Only the scan's overall time
 * limit stops the whole configuration.
 */
async function runConfig(
  context: RunContext,
  config: EffectiveConfig,
  label: string,
  catalog: ReadonlyMap<string, RuleInfo>,
  stripTsx: boolean,
  collected: Collected,
): Promise<RunOutcome> {
  const { input } = context;
  const timeoutReason = (what: string) =>
    `ast-grep did not finish within the scan time limit of ${formatDuration(context.timeoutMs)} (running the ${label} on ${what}); it was stopped.`;
  const perFile = `the per-file time limit of ${formatDuration(context.fileTimeoutMs)}`;
  const overflowed = (file: string) =>
    collected.skipped.set(
      file,
      `not scanned: ast-grep's matches on it printed more than ${formatBinaryBytes(context.fileOutputChars)} (the ${label}), which no real file needs`,
    );
  for (const [index, whole] of context.chunks.entries()) {
    // the chunk and, after a time-out, the parts it was split into (see above), in order
    const pending: string[][] = [whole];
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
      let chunk = next;
      // A file whose output went past the output limit stopped the process: it is left out and the others run again.
      for (;;) {
        const remaining = context.deadline - Date.now();
        if (remaining <= 0) return { kind: 'failed', reason: timeoutReason(describeChunk(context, index)), fatal: true };
        const limitedByFile = context.fileTimeoutMs < remaining;
        const attempt = newCollected();
        const { run, matches } = await runFiles(context, config, label, chunk, Math.min(remaining, context.fileTimeoutMs), catalog, stripTsx, attempt);
        input.logger.debug(`ast-grep (${label}, ${describeChunk(context, index)}): exit ${run.exitCode ?? run.exitSignal}, ${matches} match(es), ${run.durationMs} ms.`);
        if (run.spawnError) {
          return { kind: 'failed', reason: `ast-grep could not be started (${input.binary}): ${run.spawnError.message}`, fatal: true };
        }
        if (attempt.overflowed.size > 0 && !input.signal?.aborted) {
          for (const file of attempt.overflowed) overflowed(file);
          chunk = chunk.filter((file) => !attempt.overflowed.has(file));
          if (chunk.length === 0) break;
          continue;
        }
        if (run.aborted) return { kind: 'failed', reason: 'The scan was cancelled before ast-grep finished.', fatal: true };
        if (run.timedOut && !limitedByFile) return { kind: 'failed', reason: timeoutReason(describeChunk(context, index)), fatal: true };
        if (run.timedOut && chunk.length > SPLIT_PARTS) {
          // What the stopped process printed is dropped: the chunk runs again in smaller parts (see above).
          pending.unshift(...splitChunk(chunk, SPLIT_PARTS));
          break;
        }
        if (run.timedOut || ranOutOfMemory(run)) {
          // What the stopped process printed is dropped: each file runs again alone, so that one slow or memory-hungry file costs
          // only itself.
          for (const file of chunk) {
            const left = context.deadline - Date.now();
            if (left <= 0) return { kind: 'failed', reason: timeoutReason(file), fatal: true };
            const alone = newCollected();
            const single = await runFiles(context, config, label, [file], Math.min(left, context.fileTimeoutMs), catalog, stripTsx, alone);
            if (single.run.spawnError || input.signal?.aborted) return { kind: 'failed', reason: 'The scan was cancelled before ast-grep finished.', fatal: true };
            if (alone.overflowed.size > 0) {
              overflowed(file);
              continue;
            }
            if (ranOutOfMemory(single.run)) {
              collected.skipped.set(file, `not scanned: ast-grep ran out of its memory limit of ${formatBinaryBytes(context.memoryLimitBytes)} on it (the ${label})`);
              continue;
            }
            if (single.run.timedOut) {
              if (context.fileTimeoutMs >= left) return { kind: 'failed', reason: timeoutReason(file), fatal: true };
              collected.skipped.set(file, `not scanned: ast-grep did not finish it within ${perFile} (the ${label})`);
              continue;
            }
            mergeCollected(collected, alone);
          }
          break;
        }
        mergeCollected(collected, attempt);
        if (!isSuccessfulExit(run.exitCode, run.stderr)) {
          const reason = withOrigins(configErrorReason(run.stderr), config);
          if (index === 0 && matches === 0) return { kind: 'config-error', reason, stderr: run.stderr };
          return {
            kind: 'failed',
            reason: `ast-grep stopped with exit ${run.exitCode ?? run.exitSignal} while running the ${label} on ${describeChunk(context, index)}: ${reason}`,
            fatal: false,
          };
        }
        break;
      }
    }
  }
  return { kind: 'ok' };
}

/** How many parts a chunk that ran out of time is split into before its files run one at a time. */
export const SPLIT_PARTS = 8;

/** `files` in `parts` consecutive parts of nearly equal length (none empty). */
export function splitChunk(files: readonly string[], parts: number): string[][] {
  const out: string[][] = [];
  const size = Math.ceil(files.length / Math.max(1, parts));
  for (let i = 0; i < files.length; i += size) out.push(files.slice(i, i + size));
  return out;
}

/**
 * Applies each rule's `metadata.in-tests` to the findings in test or example code (`isTestPath`): `report` (also when absent) keeps a finding
 * but never above `medium`, `downgrade` keeps it as `low`, `skip` leaves it out. Returns what is kept and, per rule, how many were
 * left out, so the report can say so.
 */
export function applyTestPolicy(
  findings: readonly Finding[],
  policyOf: (ruleId: string) => InTestsPolicy,
): { kept: Finding[]; dropped: Map<string, number> } {
  const kept: Finding[] = [];
  const dropped = new Map<string, number>();
  for (const finding of findings) {
    if (!isTestPath(finding.path)) {
      kept.push(finding);
      continue;
    }
    const policy = policyOf(finding.ruleId);
    if (policy === 'skip') dropped.set(finding.ruleId, (dropped.get(finding.ruleId) ?? 0) + 1);
    else kept.push({ ...finding, severity: atMost(finding.severity, policy === 'downgrade' ? 'low' : 'medium') });
  }
  return { kept, dropped };
}

/** One line naming how many findings each rule left out in test or example code, or undefined when none was. */
export function testCodeNotice(dropped: ReadonlyMap<string, number>): string | undefined {
  if (dropped.size === 0) return undefined;
  const total = [...dropped.values()].reduce((sum, n) => sum + n, 0);
  const byRule = [...dropped].sort(([a], [b]) => compareStrings(a, b)).map(([id, n]) => `${id} ${n}`);
  return `ast-grep: ${total} finding(s) in test or example code were not reported (their rules say in-tests: skip): ${byRule.join(', ')}.`;
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compareStrings(a.path, b.path) ||
      a.startLine - b.startLine ||
      (a.startColumn ?? 0) - (b.startColumn ?? 0) ||
      compareStrings(a.ruleId, b.ruleId) ||
      a.endLine - b.endLine,
  );
}

/** The files the cross-file join reads (a calling file's imports), at most this large. */
const JOIN_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** A changed file's bytes, when it is a regular file inside `workDir` of at most `maxBytes` (no symlink, FIFO or device is read). */
function readChangedFile(workDir: string, file: string, maxBytes: number): Buffer | undefined {
  const full = safeJoin(workDir, file);
  const read = full === undefined ? undefined : readRegularFile(full, maxBytes);
  return read !== undefined && 'bytes' in read ? read.bytes : undefined;
}

/**
 * The calls with request data the probes found, outside test and example code (a test that calls a helper with a fake request
 * shows no flow; an example shows how to call the project, not a flow of what it deploys).
 */
function requestCalls(collected: Collected, files: JoinFiles): RequestCall[] {
  return collected.joinInput.filter((m) => CALL_PROBE_IDS.has(m.ruleId) && !isTestPath(m.file)).flatMap((m) => requestCallOf(m, files.callArguments) ?? []);
}

/** What the cross-file join reads of the change's files (callers' imports and argument lists, candidate sink files), each read once. */
interface JoinFiles {
  text: (file: string) => string | undefined;
  callArguments: (file: string) => CallArguments | undefined;
}

function joinFiles(workDir: string): JoinFiles {
  const bytes = new Map<string, Buffer | undefined>();
  const read = (file: string): Buffer | undefined => {
    if (!bytes.has(file)) bytes.set(file, readChangedFile(workDir, file, JOIN_MAX_FILE_BYTES));
    return bytes.get(file);
  };
  const texts = new Map<string, string | undefined>();
  const calls = new Map<string, CallArguments | undefined>();
  return {
    text: (file) => {
      if (!texts.has(file)) texts.set(file, read(file)?.toString('utf8'));
      return texts.get(file);
    },
    // latin1: one character per byte, so that ast-grep's byte offsets index it
    callArguments: (file) => {
      if (!calls.has(file)) {
        const found = read(file);
        calls.set(file, found && new CallArguments(found.toString('latin1')));
      }
      return calls.get(file);
    },
  };
}

/**
 * The calls of chains that pass the request's calls' data on through parameters (the forwarding probes' matches, outside test
 * and example code), up to MAX_CHAIN_CALLS calls a chain.
 */
function chainedCalls(collected: Collected, calls: readonly RequestCall[], files: JoinFiles): RequestCall[] {
  const forwards = collected.joinInput.filter((m) => FORWARD_PROBE_IDS.has(m.ruleId) && !isTestPath(m.file)).flatMap((m) => forwardingOf(m, files.callArguments) ?? []);
  return forwards.length === 0 ? [] : chainCalls(calls, forwards, files.text);
}

/** The findings of flows across files: parameter copies' sinks joined with the calls that pass request data (cross-file.ts). */
function crossFileFindings(collected: Collected, catalog: ReadonlyMap<string, RuleInfo>, calls: readonly RequestCall[], textOf: (file: string) => string | undefined): Finding[] {
  const sinks = collected.joinInput
    .filter((m) => m.ruleId.endsWith(PARAM_COPY_SUFFIX) && !FORWARD_PROBE_IDS.has(m.ruleId))
    .flatMap((m) => {
      const ruleId = m.ruleId.slice(0, -PARAM_COPY_SUFFIX.length);
      return paramSinkOf(m, findingFromMatch(m, ruleId, catalog.get(ruleId))) ?? [];
    });
  if (sinks.length === 0 || calls.length === 0) return [];
  return joinCrossFile(sinks, calls, textOf, collected.findings, MAX_RELATED_LOCATIONS);
}

/** Changes up to these sizes are read before the scan (see smallChangeText); larger ones run every rule. */
export const NEEDS_MAX_FILES = 200;
export const NEEDS_MAX_BYTES = 512 * 1024;

/**
 * The text of a small change's files, for rule needs (rule-needs.ts); undefined when the change is larger than NEEDS_MAX_FILES
 * files or NEEDS_MAX_BYTES bytes, or a file is not a regular file that reads: then every rule runs, as ast-grep decides alone.
 */
function smallChangeText(workDir: string, files: readonly string[]): TextPool | undefined {
  if (files.length > NEEDS_MAX_FILES) return undefined;
  const texts: string[] = [];
  let budget = NEEDS_MAX_BYTES;
  for (const file of files) {
    const bytes = readChangedFile(workDir, file, budget);
    if (bytes === undefined) return undefined;
    budget -= bytes.length;
    texts.push(bytes.toString('utf8'));
  }
  return new TextPool(texts);
}

/**
 * The findings less the ones a rule's `metadata.supersedes` (an id or a list of ids) names on a line that rule reports: the sink
 * rule's "a value of unknown origin" says the same as the source-to-sink rule's finding there, less well (also across files).
 */
export function withoutSuperseded(findings: readonly Finding[], rules: readonly RuleDocument[]): Finding[] {
  const supersedes = new Map<string, string[]>();
  for (const doc of rules) {
    const named = metadataOf(doc).supersedes;
    const ids = (Array.isArray(named) ? named : [named]).filter((id): id is string => typeof id === 'string');
    if (doc.id && ids.length > 0) supersedes.set(doc.id, ids);
  }
  const replaced = new Set(findings.flatMap((f) => (supersedes.get(f.ruleId) ?? []).map((id) => `${id}\0${f.path}\0${f.startLine}`)));
  return replaced.size === 0 ? [...findings] : findings.filter((f) => !replaced.has(`${f.ruleId}\0${f.path}\0${f.startLine}`));
}

/**
 * A page with more `<script` and `<style` tags than this is not given to ast-grep: it reads the code embedded in a page in a time
 * that grows with the square of the number of pieces (20,000 empty scripts took over a minute, 20,000 styles 15 s). Hand-written
 * pages have a few.
 */
export const MAX_PAGE_SCRIPTS = 500;
/** How much of a page is read to count its scripts (the review's own size cap is lower). */
const PAGE_READ_MAX_BYTES = 8 * 1024 * 1024;

/** The pages of `files` with more than MAX_PAGE_SCRIPTS script tags, with the reason they are not scanned. */
function crowdedPages(workDir: string, files: readonly string[]): Map<string, string> {
  const crowded = new Map<string, string>();
  for (const file of files) {
    if (!isScriptHost(file)) continue;
    const text = readChangedFile(workDir, file, PAGE_READ_MAX_BYTES)?.toString('latin1').toLowerCase();
    if (text === undefined) continue;
    let count = 0;
    for (const tag of ['<script', '<style']) {
      for (let at = text.indexOf(tag); at >= 0 && count <= MAX_PAGE_SCRIPTS; at = text.indexOf(tag, at + tag.length)) count++;
    }
    if (count > MAX_PAGE_SCRIPTS) {
      crowded.set(file, `not scanned: it has more than ${MAX_PAGE_SCRIPTS} <script> and <style> tags, and ast-grep's time on a page grows with the square of their number`);
    }
  }
  return crowded;
}

/**
 * Scans `files` with the built-in pack and, in a second ast-grep process running at the same time, with the repository's own rules
 * and the `rules` input (separate configurations, so the pack's `languageGlobs` never change how the repository's rules see its
 * files). A third-party rule that ast-grep refuses is named in the warnings with ast-grep's reason and the others still run
 * (status `degraded`); a built-in rule that does not load, a binary that does not start, the time limit or cancellation make the
 * scan `failed`. Never throws for those: the report says what happened.
 */
export async function runAstGrepScan(rawInput: AstGrepScanInput): Promise<AstGrepScanResult> {
  const started = Date.now();
  // ast-grep runs in workDir: relative paths of ours must not be read from there.
  const input: AstGrepScanInput = {
    ...rawInput,
    binary: /[\\/]/.test(rawInput.binary) ? resolve(rawInput.binary) : rawInput.binary,
    workDir: resolve(rawInput.workDir),
    builtinRulesDir: resolve(rawInput.builtinRulesDir),
    repoConfigDir: rawInput.repoConfigDir === undefined ? undefined : resolve(rawInput.repoConfigDir),
    extraRuleSources: rawInput.extraRuleSources.map((source) => resolve(source)),
  };
  const files = [...new Set(rawInput.files.map((f) => f.replace(/\\/g, '/').replace(/^\.\//, '')))].filter((f) => f.length > 0);
  if (files.length === 0) {
    // Nothing to scan, so no rule was loaded: `rulesRun` stays unset rather than reading "0 rules".
    return {
      report: { scanner: 'ast-grep', status: 'ok', findings: [], durationMs: 0, filesScanned: 0, warnings: [] },
      rules: [],
    };
  }
  const scratch = await mkdtemp(join(input.tempDir ?? tmpdir(), 'ultra-create-ast-grep-'));
  try {
    return await scan(input, files, scratch, started);
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function scan(input: AstGrepScanInput, allFiles: string[], scratch: string, started: number): Promise<AstGrepScanResult> {
  const { logger } = input;
  const crowded = crowdedPages(input.workDir, allFiles);
  const files = allFiles.filter((file) => !crowded.has(file));
  const timeoutMs = input.timeoutMs ?? DEFAULT_SCAN_TIMEOUT_MS;
  const fileTimeoutMs = Math.min(input.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS, timeoutMs);
  const context: RunContext = {
    input,
    chunks: chunkFiles(files),
    deadline: started + timeoutMs,
    timeoutMs,
    fileTimeoutMs,
    fileCount: files.length,
    fileOutputChars: input.fileOutputChars ?? FILE_OUTPUT_CHARS,
    memoryLimitBytes: input.memoryLimitBytes ?? AST_GREP_MEMORY_BYTES,
    scratch,
    runs: 0,
  };
  const warnings: string[] = [];
  const collected = newCollected();
  for (const [file, reason] of crowded) collected.skipped.set(file, reason);
  /** Rule id → `metadata.in-tests`, for the built-in and the third-party rules alike. */
  const policies = new Map<string, InTestsPolicy>();
  const report = (status: ScanStatus, reason: string | undefined, rulesRun: number, rules: RuleInfo[]): AstGrepScanResult => {
    const filesScanned =
      collected.sawInspect || rulesRun === 0 ? collected.scanned.size : status === 'failed' ? 0 : files.filter((file) => !collected.skipped.has(file)).length;
    const { kept, dropped } = applyTestPolicy(collected.findings, (id) => policies.get(id) ?? 'report');
    const scanReport: ScanReport = {
      scanner: 'ast-grep',
      status,
      findings: sortFindings(kept),
      durationMs: Date.now() - started,
      filesScanned,
      rulesRun,
      warnings,
    };
    if (collected.skipped.size > 0) {
      scanReport.filesNotScanned = [...collected.skipped].sort(([a], [b]) => compareStrings(a, b)).map(([path, why]) => ({ path, reason: why }));
    }
    const notice = testCodeNotice(dropped);
    if (notice) {
      scanReport.notices = [notice];
      logger.info(notice);
    }
    if (reason) scanReport.reason = reason;
    return { report: scanReport, rules };
  };

  let pack: RuleSet;
  try {
    pack = await loadBuiltinRules(input.builtinRulesDir);
  } catch (error) {
    const reason = `The built-in ast-grep rule pack could not be read (a bug in ultra-create/action): ${getErrorMessage(error)}`;
    logger.error(reason);
    return report('failed', reason, 0, []);
  }
  const third = await loadThirdPartyRules(input.repoConfigDir, input.extraRuleSources, logger).catch((error: unknown): RuleSet => {
    // Never at the cost of the built-in rules: the third-party ones are left out, and the report says so.
    warnings.push(`The repository's ast-grep rules could not be read and none of them ran: ${getErrorMessage(error)}`);
    return { rules: [], utils: [], languageGlobs: {}, customLanguages: new Set(), disabled: [], warnings: [] };
  });
  warnings.push(...third.warnings);

  // A third-party rule never replaces or turns off a built-in rule: the review must not depend on rules a repository (or a pull
  // request, through a path the base commit lacks) can bring. It is left out, by name.
  const builtinIds = new Set(pack.rules.map((r) => r.id));
  const clashes = (doc: RuleDocument): boolean => doc.id !== undefined && builtinIds.has(doc.id);
  for (const doc of [...third.rules, ...third.disabled].filter(clashes)) {
    warnings.push(
      `The ast-grep rule ${doc.id} (${doc.origin}) was not run: a built-in rule has this id, and a third-party rule can neither replace nor turn off a built-in rule.`,
    );
  }
  third.rules = third.rules.filter((doc) => !clashes(doc));
  for (const doc of [...pack.rules, ...third.rules]) if (doc.id) policies.set(doc.id, inTestsPolicyOf(doc));
  const overridden = new Set<string>();
  // Rules as the report counts them: a tsx copy is its rule, a parameter copy or a probe is no rule of its own.
  const distinctIds = (docs: readonly RuleDocument[]): number => new Set(docs.filter((doc) => !isJoinInput(doc)).map((doc) => doc.id?.replace(TSX_ID_SUFFIX, ''))).size;
  // The built-in rules for the languages of these files (a tsx copy is its rule, not another one).
  const builtinRuleCount = distinctIds(forLanguagesOf(pack, overridden, files));
  // On a small change, the rules whose needs the files' text does not meet are not started: they cannot match there.
  const pool = smallChangeText(input.workDir, files);
  const canMatch = pool && ((doc: RuleDocument): boolean => pool.meets(doc.needs ?? []));
  // The parameter copies run after, only on the files a call with request data may reach (runParamCopies).
  const firstRun = (doc: RuleDocument): boolean => !isParamCopy(doc) && (!canMatch || canMatch(doc));
  const builtinConfig =
    (await prebuiltBuiltinConfig(input.builtinRulesDir, pack, overridden, join(scratch, 'builtin'), files, firstRun)) ??
    (await prepareBuiltinConfig(join(scratch, 'builtin'), pack, overridden, files, firstRun));
  const joinInput = joinFiles(input.workDir);
  // The probes' calls, read once the first run is done (the parameter copies' run adds no probe match).
  let calls: RequestCall[] | undefined;
  const requestCallsOnce = (): RequestCall[] => (calls ??= requestCalls(collected, joinInput));
  const builtinRules = pack.rules.filter((doc) => !doc.id || !overridden.has(doc.id));
  const builtinCatalog = catalogOf(builtinRules);
  const builtinCatalogById = new Map(builtinCatalog.map((r) => [r.id, r]));
  const builtinStarted = distinctIds(builtinConfig.rules);
  if (builtinStarted < builtinRuleCount) {
    logger.info(`ast-grep: ${builtinStarted} of the ${builtinRuleCount} built-in rule(s) for these files can match their text; the other ${builtinRuleCount - builtinStarted} were not started.`);
  }

  const runBuiltin = async (): Promise<RunOutcome> => {
    // No file in a language of the pack (documentation, configuration, other languages), or no rule that can match: nothing to do.
    if (builtinConfig.rules.length === 0) return { kind: 'ok' };
    const outcome = packOutcome(await runConfig(context, builtinConfig, 'built-in rules', builtinCatalogById, true, collected), builtinConfig);
    return outcome.kind === 'ok' ? runParamCopies() : outcome;
  };
  const packOutcome = (outcome: RunOutcome, config: EffectiveConfig): RunOutcome => {
    if (outcome.kind !== 'config-error') return outcome;
    const blamed = blamedDocument(outcome.stderr, config);
    return {
      kind: 'failed',
      reason: `The built-in ast-grep rule pack does not load — a bug in ultra-create/action, please report it: ${blamed ? `${blamed.origin}: ` : ''}${outcome.reason}`,
      fatal: true,
    };
  };
  /**
   * The parameter copies of the cross-file rules, on the files the calls with request data found by the first run may reach (the
   * callers' imports, holding a called name): a parameter reaching a sink is common, such a call is not, so this is usually no
   * file at all. With them, the forwarding probes on the files that define a called name (the callers and their imports). Then,
   * up to MAX_CHAIN_CALLS calls a chain, the same for the calls that pass a parameter on, found by the forwarding probes just
   * run: each file at most once per kind of run, and only where a chain goes on.
   */
  const runParamCopies = async (): Promise<RunOutcome> => {
    const found = requestCallsOnce();
    const scanned = { sinks: new Set<string>(), forwards: new Set<string>() };
    let frontier: readonly RequestCall[] = found;
    for (let hop = 1; hop <= MAX_CHAIN_CALLS && frontier.length > 0; hop++) {
      const sinkTargets = sinkFileCandidates(frontier, files, joinInput.text).filter((file) => !scanned.sinks.has(file));
      const forwardTargets = hop === MAX_CHAIN_CALLS ? [] : forwardFileCandidates(frontier, files, joinInput.text).filter((file) => !scanned.forwards.has(file));
      const runs = [
        { targets: sinkTargets, started: (doc: RuleDocument) => isParamCopy(doc) && !isForwardProbe(doc), into: scanned.sinks, what: 'the parameter copies of the cross-file rules' },
        { targets: forwardTargets, started: isForwardProbe, into: scanned.forwards, what: 'the forwarding probes' },
      ];
      for (const [index, run] of runs.entries()) {
        if (run.targets.length === 0) continue;
        for (const file of run.targets) run.into.add(file);
        const dir = join(scratch, `join-${hop}-${index}`);
        const config =
          (await prebuiltBuiltinConfig(input.builtinRulesDir, pack, overridden, dir, run.targets, run.started)) ??
          (await prepareBuiltinConfig(dir, pack, overridden, run.targets, run.started));
        if (config.rules.length === 0) continue;
        logger.debug(`ast-grep: ${run.what} run on ${run.targets.length} file(s) that a ${hop === 1 ? 'call with request data' : 'chain of calls'} may reach.`);
        const joinContext: RunContext = { ...context, chunks: chunkFiles(run.targets), fileCount: run.targets.length };
        const outcome = packOutcome(await runConfig(joinContext, config, 'built-in rules, flows across files', builtinCatalogById, true, collected), config);
        if (outcome.kind !== 'ok') return outcome;
      }
      if (forwardTargets.length === 0) break;
      const fresh = new Set(forwardTargets);
      frontier = chainedCalls(collected, found, joinInput).filter((call) => fresh.has(call.file));
    }
    return { kind: 'ok' };
  };

  /** The third-party rules that ran, after leaving out the ones ast-grep refused. */
  let thirdPartyLoaded: RuleInfo[] = [];
  let thirdPartyRuleCount = 0;
  const runThirdParty = async (): Promise<RunOutcome> => {
    if (third.rules.length === 0) return { kind: 'ok' };
    let languageGlobs = third.languageGlobs;
    let config = await writeEffectiveConfig(join(scratch, 'third-party'), third.rules, third.utils, languageGlobs);
    const excluded: RuleExclusion[] = [];
    for (let attempt = 0; ; attempt++) {
      const attemptCollected = newCollected();
      const catalog = new Map(catalogOf(config.rules).map((r) => [r.id, r]));
      const outcome = await runConfig(context, config, 'repository rules', catalog, false, attemptCollected);
      if (outcome.kind === 'ok' || (outcome.kind === 'failed' && !outcome.fatal)) mergeCollected(collected, attemptCollected);
      if (outcome.kind === 'ok') {
        thirdPartyLoaded = catalogOf(config.rules);
        thirdPartyRuleCount = config.rules.length;
        break;
      }
      if (outcome.kind === 'failed') {
        if (!outcome.fatal) warnings.push(`The repository's ast-grep rules did not complete: ${outcome.reason}`);
        return outcome.fatal ? outcome : { kind: 'ok' };
      }
      // The configuration did not load: find the rules that do not, leave them out, run again.
      const found: RuleExclusion[] = [];
      let globsChanged = false;
      if (attempt === 0) {
        const broken = await findBrokenRules(config, {
          binary: input.binary,
          scratchDir: join(scratch, 'validate'),
          timeoutMs: Math.max(1000, Math.min(VALIDATION_TIMEOUT_MS, context.deadline - Date.now())),
          signal: input.signal,
          customLanguages: third.customLanguages,
        });
        found.push(...broken.exclusions);
        if (broken.globProblems.length > 0) {
          warnings.push(...broken.globProblems.map((problem) => `The repository's ast-grep ${problem}`));
          languageGlobs = broken.languageGlobs;
          globsChanged = true;
        }
      } else {
        const blamed = blamedDocument(outcome.stderr, config);
        if (blamed) {
          const kind = config.utils.includes(blamed) ? 'util' : 'rule';
          found.push({ doc: blamed, kind, reason: explainRuleError(blamed, outcome.reason, third.customLanguages) });
        }
      }
      if (input.signal?.aborted) return { kind: 'failed', reason: 'The scan was cancelled before ast-grep finished.', fatal: true };
      if (Date.now() >= context.deadline) {
        return {
          kind: 'failed',
          reason: `ast-grep did not finish within the scan time limit of ${formatDuration(timeoutMs)} (while checking which repository rules load); it was stopped.`,
          fatal: true,
        };
      }
      if ((found.length === 0 && !globsChanged) || attempt >= 3) {
        warnings.push(`The repository's ast-grep rules could not be loaded and none of them ran: ${outcome.reason}`);
        return { kind: 'ok' };
      }
      excluded.push(...found);
      for (const { doc, kind, reason } of found) {
        const name = doc.id ? `${kind} ${doc.id} (${doc.origin})` : `${kind} in ${doc.origin}`;
        warnings.push(`The ast-grep ${name} was not ${kind === 'util' ? 'loaded' : 'run'}: ${reason}`);
      }
      const out = new Set(excluded.map((e) => e.doc));
      const rules = config.rules.filter((d) => !out.has(d));
      const utils = config.utils.filter((d) => !out.has(d));
      if (rules.length === 0) return { kind: 'ok' };
      config = await writeEffectiveConfig(join(scratch, `third-party-${attempt + 1}`), rules, utils, languageGlobs);
    }
    return { kind: 'ok' };
  };

  const [builtinOutcome, thirdOutcome] = await Promise.all([runBuiltin(), runThirdParty()]);
  const requestData = requestCallsOnce();
  collected.findings.push(...crossFileFindings(collected, builtinCatalogById, [...requestData, ...chainedCalls(collected, requestData, joinInput)], joinInput.text));
  collected.findings = withoutSuperseded(collected.findings, builtinRules);
  // Keys in files ast-grep has no grammar for, crowded pages included (they are read, not parsed); test fixtures carry throwaway
  // keys (in-tests: skip).
  const keyFiles = await findPrivateKeyFiles(input.workDir, allFiles);
  collected.findings.push(...keyFiles);
  policies.set(PRIVATE_KEY_FILE_RULE.id, 'skip');
  const envSecrets = await findEnvFileSecrets(input.workDir, allFiles);
  collected.findings.push(...envSecrets);
  policies.set(ENV_FILE_SECRET_RULE.id, 'skip');

  for (const file of [...collected.skipped.keys()].sort()) {
    warnings.push(`ast-grep skipped ${file}: ${collected.skipped.get(file)}.`);
  }
  if (collected.badLines.length > 0) {
    for (const line of collected.badLines.slice(0, 5)) warnings.push(`ast-grep printed a line that is not a JSON match: ${line}`);
    if (collected.badLines.length > 5) warnings.push(`… and ${collected.badLines.length - 5} more such line(s).`);
  }
  for (const warning of warnings) logger.warning(warning);

  const builtinRan = builtinOutcome.kind === 'ok';
  const rulesRun = (builtinRan ? builtinRuleCount : 0) + thirdPartyRuleCount;
  const rules = [...(builtinRan ? builtinCatalog : []), ...(keyFiles.length > 0 ? [PRIVATE_KEY_FILE_RULE] : []), ...(envSecrets.length > 0 ? [ENV_FILE_SECRET_RULE] : []), ...thirdPartyLoaded];
  const failure = [builtinOutcome, thirdOutcome].find((o): o is Extract<RunOutcome, { kind: 'failed' }> => o.kind === 'failed');
  if (failure) {
    logger.error(failure.reason);
    return report('failed', failure.reason, rulesRun, rules);
  }
  const result = report(warnings.length > 0 ? 'degraded' : 'ok', degradedReason(warnings, collected), rulesRun, rules);
  logger.info(
    `ast-grep: ${result.report.findings.length} finding(s); ${result.report.filesScanned} of ${allFiles.length} file(s) scanned with ${rulesRun} rule(s) in ${result.report.durationMs} ms.`,
  );
  return result;
}

function degradedReason(warnings: readonly string[], collected: Collected): string | undefined {
  if (warnings.length === 0) return undefined;
  const parts: string[] = [];
  const rulesNotRun = warnings.filter((w) => /^The ast-grep (rule|util)\b.* was not (run|loaded)/.test(w)).length;
  if (rulesNotRun > 0) parts.push(`${rulesNotRun} third-party rule(s) or util(s) were not run`);
  if (collected.skipped.size > 0) parts.push(`${collected.skipped.size} file(s) could not be scanned`);
  const other = warnings.length - rulesNotRun - collected.skipped.size;
  if (other > 0) parts.push(`${other} other problem(s)`);
  return `ast-grep ran with problems: ${parts.join('; ')} (see the warnings).`;
}
