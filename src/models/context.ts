import { parsePatch, type Hunk } from '../github/diff.js';
import type { ChangedFile, Finding } from '../types.js';

/**
 * What a model sees of the code around findings, numbered with new-file line numbers and the findings' lines marked:
 * - per finding (`buildFindingContext`, the local drafts): a window centred on it (the whole file when the file is short), and the
 *   diff hunk that contains it;
 * - per file (`fileView`, Claude): one view for all the file's findings — the union of their windows of about 40 lines, with the
 *   pull request's added and removed lines marked in place, so the hunk is not sent beside it.
 * All of it is untrusted PR text: the prompt builders fence it as data.
 *
 * Pure: strings in, strings out.
 */

export interface FindingContext {
  /** Numbered source lines (`> 12 | code` marks the finding's lines); empty when the file's content is not available. */
  code: string;
  /** First and last line shown (1-based); 0 and 0 when `code` is empty. */
  firstLine: number;
  lastLine: number;
  /** The whole file is shown. */
  wholeFile: boolean;
  /** The hunk of the file's patch that shows the finding's lines, with its `@@` header; undefined when the lines are not in the diff. */
  hunk?: string;
}

export interface ContextOptions {
  /** Lines shown around a finding (default 40). */
  windowLines?: number;
  /** Files with at most this many lines are shown whole (default 80). */
  wholeFileLines?: number;
  /** Most lines shown for a finding that spans more than the window (default 120). */
  maxLines?: number;
  /** Most lines of a hunk shown; a longer hunk is cut to the part around the finding (default 120). */
  maxHunkLines?: number;
}

const DEFAULTS: Required<ContextOptions> = { windowLines: 40, wholeFileLines: 80, maxLines: 120, maxHunkLines: 120 };

function splitLines(content: string): string[] {
  const lines = content.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The finding's line range, clamped to sane values (start ≥ 1, end ≥ start). */
function rangeOf(finding: Pick<Finding, 'startLine' | 'endLine'>): { start: number; end: number } {
  const start = Math.max(1, Math.floor(finding.startLine) || 1);
  const end = Math.max(start, Math.floor(finding.endLine) || start);
  return { start, end };
}

/** The window of lines shown around one finding in a file of `total` lines (both ends inclusive, 1-based). */
function windowOf(total: number, finding: Pick<Finding, 'startLine' | 'endLine'>, o: Required<ContextOptions>): { first: number; last: number } {
  const { start, end: rawEnd } = rangeOf(finding);
  const end = Math.min(rawEnd, total);
  if (start > total) {
    // The finding is past the end of the content we have (stale content): show the end of the file.
    return { first: Math.max(1, total - o.windowLines + 1), last: total };
  }
  if (total <= o.wholeFileLines) return { first: 1, last: total };
  const span = end - start + 1;
  if (span >= o.windowLines) {
    // A long finding: a little before it, then as much of it as fits.
    const first = Math.max(1, start - 5);
    return { first, last: Math.min(total, end + 5, first + o.maxLines - 1) };
  }
  const before = Math.floor((o.windowLines - span) / 2);
  let first = Math.max(1, start - before);
  const last = Math.min(total, first + o.windowLines - 1);
  first = Math.max(1, last - o.windowLines + 1); // near the end of the file: shift the window up
  return { first, last };
}

/** The lines around a finding in the file's (new-side) content, numbered. */
export function codeContext(
  content: string,
  finding: Pick<Finding, 'startLine' | 'endLine'>,
  options: ContextOptions = {},
): Pick<FindingContext, 'code' | 'firstLine' | 'lastLine' | 'wholeFile'> {
  const o = { ...DEFAULTS, ...options };
  const lines = splitLines(content);
  const total = lines.length;
  if (total === 0 || (total === 1 && lines[0] === '')) return { code: '', firstLine: 0, lastLine: 0, wholeFile: false };
  const { start, end: rawEnd } = rangeOf(finding);
  const { first, last } = windowOf(total, finding, o);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const mark = n >= start && n <= rawEnd ? '>' : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  }
  return { code: out.join('\n'), firstLine: first, lastLine: last, wholeFile: total <= o.wholeFileLines && start <= total };
}

function renderHunkHeader(hunk: Hunk): string {
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@${hunk.section ? ` ${hunk.section}` : ''}`;
}

const MARKER = { add: '+', del: '-', context: ' ' } as const;

/**
 * The hunk of `patch` that shows the finding's first line (or, failing that, any of its lines) on the new side, as unified diff
 * text with its `@@` header; a hunk longer than `maxHunkLines` is cut to the part around the finding.
 */
export function hunkFor(
  patch: string | undefined,
  finding: Pick<Finding, 'startLine' | 'endLine'>,
  options: Pick<ContextOptions, 'maxHunkLines'> = {},
): string | undefined {
  if (!patch) return undefined;
  const maxHunkLines = options.maxHunkLines ?? DEFAULTS.maxHunkLines;
  const { start, end } = rangeOf(finding);
  const { hunks } = parsePatch(patch);
  const shows = (hunk: Hunk, line: number) => hunk.lines.some((l) => l.newLine === line);
  let hunk = hunks.find((h) => shows(h, start));
  hunk ??= hunks.find((h) => h.lines.some((l) => l.newLine !== undefined && l.newLine >= start && l.newLine <= end));
  if (!hunk) return undefined;

  let from = 0;
  let to = hunk.lines.length; // exclusive
  let cutBefore = false;
  let cutAfter = false;
  if (hunk.lines.length > maxHunkLines) {
    const at = Math.max(0, hunk.lines.findIndex((l) => l.newLine !== undefined && l.newLine >= start));
    from = Math.max(0, at - Math.floor(maxHunkLines / 3));
    to = Math.min(hunk.lines.length, from + maxHunkLines);
    from = Math.max(0, to - maxHunkLines);
    cutBefore = from > 0;
    cutAfter = to < hunk.lines.length;
  }
  const body = hunk.lines.slice(from, to).map((l) => `${MARKER[l.kind]}${l.text}`);
  if (cutBefore) body.unshift(`… ${from} earlier line(s) of this hunk not shown`);
  if (cutAfter) body.push(`… ${hunk.lines.length - to} later line(s) of this hunk not shown`);
  return [renderHunkHeader(hunk), ...body].join('\n');
}

/** Context from whatever is known about the finding's file; without the file's content, the hunk alone carries the code. */
export function buildFindingContext(
  finding: Pick<Finding, 'startLine' | 'endLine'>,
  source: { content?: string; patch?: string },
  options: ContextOptions = {},
): FindingContext {
  const code =
    source.content === undefined
      ? { code: '', firstLine: 0, lastLine: 0, wholeFile: false }
      : codeContext(source.content, finding, options);
  const hunk = hunkFor(source.patch, finding, options);
  return hunk === undefined ? code : { ...code, hunk };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// One view of a file for several findings (what Claude reads)

/** What is known of a changed file: its new-side content and its patch, each when available. */
export interface FileSource {
  content?: string;
  patch?: string;
}

/** Where a finding's reported lines sit relative to the pull request's change. */
export type ChangePosition = 'added' | 'in-hunk' | 'unchanged';

export interface FileView {
  /**
   * The lines shown, annotated: `>` marks a reported line, `+` a line the pull request added, `-` a line it removed (shown where it
   * was, without a new-file number); `…` lines say what is left out between windows. Empty when nothing is known of the file.
   */
  code: string;
  /** `whole-file`: every line; `windows`: windows around the findings; `hunks`: the content is unknown, the diff hunks stand in. */
  kind: 'whole-file' | 'windows' | 'hunks' | 'none';
  /** New-file line ranges shown (for `whole-file` and `windows`). */
  ranges: { first: number; last: number }[];
}

/** Removed lines shown at one place at most; the rest are counted. */
const MAX_REMOVED_SHOWN = 20;
/** Windows closer than this many lines are merged (a gap this small costs less than the line saying it is there). */
const MERGE_GAP = 3;

/** The added new-side lines of a patch, and its removed lines keyed by the new-side line they were before. */
function changeMap(patch: string | undefined): { added: Set<number>; removedBefore: Map<number, string[]>; inHunk: (line: number) => boolean } {
  const added = new Set<number>();
  const removedBefore = new Map<number, string[]>();
  const spans: { from: number; to: number }[] = [];
  if (patch) {
    for (const hunk of parsePatch(patch).hunks) {
      let next = hunk.newStart; // the new-side line the next context or added line will have
      spans.push({ from: hunk.newStart, to: hunk.newStart + Math.max(0, hunk.newLines - 1) });
      for (const line of hunk.lines) {
        if (line.kind === 'del') {
          const list = removedBefore.get(next) ?? [];
          list.push(line.text);
          removedBefore.set(next, list);
          continue;
        }
        if (line.kind === 'add' && line.newLine !== undefined) added.add(line.newLine);
        next = (line.newLine ?? next) + 1;
      }
    }
  }
  return { added, removedBefore, inHunk: (line) => spans.some((s) => line >= s.from && line <= s.to) };
}

/** Where the finding's lines sit in the patch: on added lines, elsewhere in a hunk, or outside the diff. */
export function changePosition(patch: string | undefined, finding: Pick<Finding, 'startLine' | 'endLine'>): ChangePosition {
  const { added, inHunk } = changeMap(patch);
  const { start, end } = rangeOf(finding);
  let position: ChangePosition = 'unchanged';
  for (let n = start; n <= end; n++) {
    if (added.has(n)) return 'added';
    if (inHunk(n)) position = 'in-hunk';
  }
  return position;
}

/**
 * One annotated view of a file for all the findings in it: the whole file when it is short, else the union of each finding's window
 * (about 40 lines; merged where they meet), with the pull request's added and removed lines marked in place — the diff hunk is not
 * repeated beside it. Without the content, the hunks that show the findings stand in.
 */
export function fileView(
  source: FileSource,
  findings: readonly Pick<Finding, 'startLine' | 'endLine'>[],
  options: ContextOptions = {},
): FileView {
  const o = { ...DEFAULTS, ...options };
  if (source.content === undefined) {
    const hunks = [...new Set(findings.flatMap((f) => hunkFor(source.patch, f, o) ?? []))];
    return hunks.length > 0 ? { code: hunks.join('\n'), kind: 'hunks', ranges: [] } : { code: '', kind: 'none', ranges: [] };
  }
  const lines = splitLines(source.content);
  const total = lines.length;
  if (total === 0 || (total === 1 && lines[0] === '') || findings.length === 0) return { code: '', kind: 'none', ranges: [] };

  const windows = findings.map((f) => windowOf(total, f, o)).sort((a, b) => a.first - b.first || a.last - b.last);
  const ranges: { first: number; last: number }[] = [];
  for (const w of windows) {
    const prev = ranges[ranges.length - 1];
    if (prev && w.first <= prev.last + MERGE_GAP + 1) prev.last = Math.max(prev.last, w.last);
    else ranges.push({ ...w });
  }
  const reported = (n: number) => findings.some((f) => {
    const { start, end } = rangeOf(f);
    return n >= start && n <= end;
  });
  const { added, removedBefore } = changeMap(source.patch);
  const width = String(ranges[ranges.length - 1]!.last).length;
  const blank = ' '.repeat(width);
  const gap = ' '.repeat(width + 3); // a "…" line's text starts under the "|" of the numbered lines
  const out: string[] = [];
  const removed = (before: number) => {
    const list = removedBefore.get(before);
    if (!list) return;
    for (const text of list.slice(0, MAX_REMOVED_SHOWN)) out.push(` -${blank} | ${text}`);
    if (list.length > MAX_REMOVED_SHOWN) out.push(`${gap}… ${list.length - MAX_REMOVED_SHOWN} more removed line(s)`);
  };
  let shownTo = 0;
  for (const { first, last } of ranges) {
    if (first > shownTo + 1) out.push(`${gap}… lines ${shownTo + 1}-${first - 1} not shown`);
    for (let n = first; n <= last; n++) {
      removed(n);
      out.push(`${reported(n) ? '>' : ' '}${added.has(n) ? '+' : ' '}${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
    }
    if (last === total) removed(total + 1);
    shownTo = last;
  }
  if (shownTo < total) out.push(`${gap}… lines ${shownTo + 1}-${total} not shown`);
  const [only] = ranges;
  const whole = ranges.length === 1 && only?.first === 1 && only.last === total;
  return { code: out.join('\n'), kind: whole ? 'whole-file' : 'windows', ranges };
}

/**
 * What is known of each changed file: its new-side content (from the workspace, or the API) and its patch from the PR's changed
 * files. A file that cannot be read still has its patch.
 */
export function fileSourceReader(source: {
  readFile: (path: string) => Promise<string | undefined>;
  files: readonly Pick<ChangedFile, 'path' | 'patch'>[];
}): (path: string) => Promise<FileSource> {
  const patches = new Map(source.files.map((f) => [f.path, f.patch]));
  return async (path) => {
    const content = await source.readFile(path).catch(() => undefined);
    const patch = patches.get(path);
    return { ...(content !== undefined && { content }), ...(patch !== undefined && { patch }) };
  };
}

/** A `contextOf(finding)`: each finding's own context (window and hunk) from what is known of its file. */
export function contextProvider(
  sourceOf: (path: string) => Promise<FileSource>,
  options?: ContextOptions,
): (finding: Finding) => Promise<FindingContext> {
  return async (finding) => buildFindingContext(finding, await sourceOf(finding.path), options);
}
