import { parsePatch, type Hunk } from '../github/diff.js';
import type { ChangedFile, Finding } from '../types.js';

/**
 * What Claude sees of the code around a finding: about 40 lines centred on it (the whole file when the file is short), numbered
 * with new-file line numbers and the finding's lines marked, and the diff hunk that contains it. Both are untrusted PR text: the
 * prompt builder fences them as data.
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
  const end = Math.min(rawEnd, total);

  let first: number;
  let last: number;
  const wholeFile = total <= o.wholeFileLines;
  if (wholeFile) {
    first = 1;
    last = total;
  } else {
    const span = end - start + 1;
    if (span >= o.windowLines) {
      // A long finding: a little before it, then as much of it as fits.
      first = Math.max(1, start - 5);
      last = Math.min(total, end + 5, first + o.maxLines - 1);
    } else {
      const before = Math.floor((o.windowLines - span) / 2);
      first = Math.max(1, start - before);
      last = Math.min(total, first + o.windowLines - 1);
      first = Math.max(1, last - o.windowLines + 1); // near the end of the file: shift the window up
    }
  }
  if (start > total) {
    // The finding is past the end of the content we have (stale content): show the end of the file.
    first = Math.max(1, total - o.windowLines + 1);
    last = total;
  }
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const mark = n >= start && n <= rawEnd ? '>' : ' ';
    out.push(`${mark} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`);
  }
  return { code: out.join('\n'), firstLine: first, lastLine: last, wholeFile: wholeFile && start <= total };
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
  if (!hunk) {
    hunk = hunks.find((h) => h.lines.some((l) => l.newLine !== undefined && l.newLine >= start && l.newLine <= end));
  }
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

/**
 * A `contextOf(finding)` for the escalation stage: reads the file's new-side content (from the workspace, or the API) and takes the
 * patch from the PR's changed files. A file that cannot be read still gets its hunk.
 */
export function contextProvider(source: {
  readFile: (path: string) => Promise<string | undefined>;
  files: readonly Pick<ChangedFile, 'path' | 'patch'>[];
  options?: ContextOptions;
}): (finding: Finding) => Promise<FindingContext> {
  const patches = new Map(source.files.map((f) => [f.path, f.patch]));
  return async (finding) => {
    let content: string | undefined;
    try {
      content = await source.readFile(finding.path);
    } catch {
      content = undefined;
    }
    const patch = patches.get(finding.path);
    return buildFindingContext(finding, { ...(content !== undefined && { content }), ...(patch !== undefined && { patch }) }, source.options);
  };
}
