/**
 * Maps a file's unified diff (the `patch` field of `pulls.listFiles`, or `git diff` output) to the lines a review comment
 * may sit on.
 *
 * Why this exists: GitHub answers 422 to a batched review as a whole, without naming the culprit, when a single comment
 * names a line that is not part of the diff (DESIGN.md §5). So every inline comment is planned against the parsed patch
 * before anything is posted, and whatever cannot be anchored goes to annotations and the summary instead.
 *
 * Pure: strings in, plain data out, no I/O, never throws on bad input (a broken patch must degrade a review, not crash it).
 */
import type { ChangedFile, Finding, FilterMode } from '../types.js';

export type DiffLineKind = 'add' | 'del' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line's content without the leading marker (and without a trailing CR). */
  text: string;
  /** 1-based line in the old file; absent on added lines. */
  oldLine?: number;
  /** 1-based line in the new file; absent on removed lines. */
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  /**
   * Counts describe `lines` as kept. When the body disagrees with the header, the header's own counts are quoted in a
   * problem instead: consumers can then rely on a hunk being self-consistent.
   */
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the second `@@` (usually the enclosing function), without the separating space. */
  section: string;
  lines: DiffLine[];
}

export interface ParsedPatch {
  hunks: Hunk[];
  /** What was wrong with the patch and what was dropped because of it, each naming the hunk or the patch line. */
  problems: string[];
}

/** Random access into one file's diff; every query is O(log hunks) or better. */
export interface FileDiffIndex {
  readonly hunks: readonly Hunk[];
  readonly problems: readonly string[];
  /** The new-file line is shown as added. */
  isAdded(newLine: number): boolean;
  /** The new-file line is shown (added or context), so a comment with side RIGHT may sit on it. */
  isRight(newLine: number): boolean;
  /** The old-file line is shown (removed or context), so a comment with side LEFT may sit on it. */
  isLeft(oldLine: number): boolean;
  /** Index into `hunks` of the hunk showing this new-file line. */
  hunkOfRight(newLine: number): number | undefined;
  /** First and last new-file line shown by a hunk (every line in between is RIGHT); undefined for pure deletions. */
  rightRange(hunk: number): { first: number; last: number } | undefined;
  /** Smallest RIGHT line in [from, to]. */
  firstRightIn(from: number, to: number): number | undefined;
  /** Smallest added line in [from, to]. */
  firstAddedIn(from: number, to: number): number | undefined;
  /** Every added new-file line, ascending (a fresh array). */
  addedLines(): number[];
}

export type InlineSkipReason = 'not-in-diff' | 'file-not-in-diff' | 'no-patch' | 'context-only';

export type InlinePlan =
  | {
      inline: true;
      /** RIGHT-side line the comment is attached to (the last line of the anchored range). */
      line: number;
      /** First line of a multi-line comment; present only when it differs from `line`. */
      startLine?: number;
      /** The anchored range is exactly the finding's range, so a ```suggestion``` replacing those lines is safe. */
      exact: boolean;
    }
  | { inline: false; reason: InlineSkipReason };

export interface DiffStats {
  added: number;
  removed: number;
  context: number;
  hunks: number;
}

const CH_SPACE = 0x20;
const CH_PLUS = 0x2b;
const CH_MINUS = 0x2d;
const CH_BACKSLASH = 0x5c;

const HUNK_HEADER = /^@@[ \t]+-(\d+)(?:,(\d+))?[ \t]+\+(\d+)(?:,(\d+))?[ \t]+@@(.*)$/;

/** Extended header lines git writes between `diff --git` and the first hunk; none of them carries line content. */
const FILE_HEADER_PREFIXES = [
  'diff --git ',
  'diff --cc ',
  'diff --combined ',
  'index ',
  '--- ',
  '+++ ',
  'new file mode ',
  'deleted file mode ',
  'old mode ',
  'new mode ',
  'similarity index ',
  'dissimilarity index ',
  'rename from ',
  'rename to ',
  'copy from ',
  'copy to ',
  'Binary files ',
];

function isFileHeaderLine(line: string): boolean {
  return FILE_HEADER_PREFIXES.some((p) => line.startsWith(p));
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

interface OpenHunk {
  hunk: Hunk;
  label: string;
  headerOld: number;
  headerNew: number;
  remOld: number;
  remNew: number;
  nextOld: number;
  nextNew: number;
  /** Body lines that did not fit the header's counts (and everything after them up to the next header). */
  extra: number;
  overflowed: boolean;
}

/**
 * Parses hunks. Counts in the header are authoritative: a body line beyond them is dropped rather than trusted, because
 * claiming too few lines only loses a comment while claiming too many costs the whole review.
 */
export function parsePatch(patch: string): ParsedPatch {
  const hunks: Hunk[] = [];
  const problems: string[] = [];
  if (typeof patch !== 'string' || patch.length === 0) return { hunks, problems };

  const rows = patch.split('\n');
  // The newline that ends the last line is not an (empty) line of its own; an empty row before it may be, see below.
  if (rows[rows.length - 1] === '') rows.pop();

  let open: OpenHunk | undefined;
  let skipping = false; // after a malformed header: its body cannot be numbered
  let headers = 0;
  let sawHunk = false;
  let sawDiffGit = false;
  let stray = 0;
  let firstStray = '';
  let lastOld = 0;
  let lastNew = 0;

  const close = (): void => {
    if (!open) return;
    const o = open;
    open = undefined;
    const { hunk } = o;
    let gotOld = 0;
    let gotNew = 0;
    for (const l of hunk.lines) {
      if (l.oldLine !== undefined) gotOld++;
      if (l.newLine !== undefined) gotNew++;
    }
    const notes: string[] = [];
    if (gotOld !== o.headerOld || gotNew !== o.headerNew) {
      notes.push(`header counts -${o.headerOld}/+${o.headerNew} but the body has -${gotOld}/+${gotNew}`);
    }
    if (o.extra > 0) notes.push(`${o.extra} line(s) past the header's counts ignored`);
    hunk.oldLines = gotOld;
    hunk.newLines = gotNew;
    if (hunk.lines.length === 0) {
      problems.push(`${o.label}: no lines, dropped${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`);
      return;
    }
    // Overlapping or unordered hunks would make a line belong to two hunks; git never writes them, so drop rather than guess.
    const firstOld = hunk.lines.find((l) => l.oldLine !== undefined)?.oldLine;
    const firstNew = hunk.lines.find((l) => l.newLine !== undefined)?.newLine;
    if ((firstOld !== undefined && firstOld <= lastOld) || (firstNew !== undefined && firstNew <= lastNew)) {
      problems.push(`${o.label}: overlaps or precedes the previous hunk, dropped`);
      return;
    }
    if (gotOld > 0) lastOld = o.nextOld - 1;
    if (gotNew > 0) lastNew = o.nextNew - 1;
    if (notes.length > 0) problems.push(`${o.label}: ${notes.join('; ')}`);
    hunks.push(hunk);
  };

  let row = 0;
  for (; row < rows.length; row++) {
    const raw = rows[row]!;
    const line = raw.charCodeAt(raw.length - 1) === 0x0d ? raw.slice(0, -1) : raw;
    const c = line.charCodeAt(0);

    if (line.startsWith('@@')) {
      close();
      headers++;
      const m = HUNK_HEADER.exec(line);
      const parsed = m ? headerNumbers(m) : undefined;
      if (!m || !parsed) {
        problems.push(`hunk ${headers} (patch line ${row + 1}): malformed header ${quote(line)}, its lines are ignored`);
        skipping = true;
        continue;
      }
      skipping = false;
      sawHunk = true;
      const [oldStart, oldLines, newStart, newLines] = parsed;
      const section = (m[5] ?? '').replace(/^ /, '');
      open = {
        hunk: { oldStart, oldLines, newStart, newLines, section, lines: [] },
        label: `hunk ${headers} ${quote(line.slice(0, line.length - (m[5] ?? '').length))} (patch line ${row + 1})`,
        headerOld: oldLines,
        headerNew: newLines,
        remOld: oldLines,
        remNew: newLines,
        nextOld: oldStart,
        nextNew: newStart,
        extra: 0,
        overflowed: false,
      };
      continue;
    }

    if (open) {
      const o = open;
      if (c === CH_BACKSLASH) continue; // "\ No newline at end of file" annotates the previous line, it is not one
      if (!o.overflowed && (o.remOld > 0 || o.remNew > 0)) {
        // Some tools strip the single space of an empty context line; inside a hunk that still expects lines, '' is one.
        const kind: DiffLineKind | undefined =
          c === CH_SPACE || line.length === 0 ? 'context' : c === CH_PLUS ? 'add' : c === CH_MINUS ? 'del' : undefined;
        if (kind !== undefined) {
          const text = line.length === 0 ? '' : line.slice(1);
          if (kind === 'context' && o.remOld > 0 && o.remNew > 0) {
            o.hunk.lines.push({ kind, text, oldLine: o.nextOld++, newLine: o.nextNew++ });
            o.remOld--;
            o.remNew--;
          } else if (kind === 'add' && o.remNew > 0) {
            o.hunk.lines.push({ kind, text, newLine: o.nextNew++ });
            o.remNew--;
          } else if (kind === 'del' && o.remOld > 0) {
            o.hunk.lines.push({ kind, text, oldLine: o.nextOld++ });
            o.remOld--;
          } else {
            // The body disagrees with the header from here on: nothing after this point can be numbered reliably.
            o.overflowed = true;
            o.extra++;
          }
          continue;
        }
        // Neither a body line nor a header: the hunk was cut short; the line is judged as outside any hunk below.
        close();
      } else {
        if (line.length === 0) continue;
        const nextFileHeader = line.startsWith('--- ') && (rows[row + 1] ?? '').startsWith('+++ ');
        if ((c === CH_SPACE || c === CH_PLUS || c === CH_MINUS) && !nextFileHeader) {
          o.extra++;
          continue;
        }
        close();
      }
    }

    // Outside any hunk.
    if (line.length === 0) continue;
    if (line.startsWith('diff --git ') || (sawHunk && line.startsWith('--- ') && (rows[row + 1] ?? '').startsWith('+++ '))) {
      if (sawHunk || sawDiffGit) {
        // Mixing a second file's hunks into this index would map its lines onto the wrong file.
        problems.push(`patch line ${row + 1}: a second file's diff starts here, the rest of the patch is ignored`);
        break;
      }
      sawDiffGit = true;
      skipping = false;
      continue;
    }
    if (line.startsWith('GIT binary patch')) break; // base85 data follows; a binary file has no lines to comment on
    if (isFileHeaderLine(line)) {
      skipping = false;
      continue;
    }
    if (skipping) continue;
    if (stray === 0) firstStray = `patch line ${row + 1}: ${quote(line)}`;
    stray++;
  }
  close();
  if (stray > 0) problems.push(`${stray} line(s) outside any hunk ignored (no @@ header before them; first at ${firstStray})`);
  return { hunks, problems };
}

/** [oldStart, oldLines, newStart, newLines], or undefined when the numbers cannot describe a hunk. */
function headerNumbers(m: RegExpExecArray): [number, number, number, number] | undefined {
  const oldStart = Number(m[1]);
  const oldLines = m[2] === undefined ? 1 : Number(m[2]);
  const newStart = Number(m[3]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  const all = [oldStart, oldLines, newStart, newLines];
  if (!all.every((n) => Number.isSafeInteger(n))) return undefined;
  // Line 0 only exists as the position before the first line, which is only meaningful for an empty side.
  if ((oldStart === 0 && oldLines > 0) || (newStart === 0 && newLines > 0)) return undefined;
  return [oldStart, oldLines, newStart, newLines];
}

/**
 * Inside a hunk the new-side lines are consecutive, so the index stores per hunk one range plus one byte per line (added
 * or not), and answers queries by binary search over hunks: memory is linear in the patch, independent of the line
 * numbers it mentions, and a 3000-file pull request indexes in milliseconds.
 */
class PatchIndex implements FileDiffIndex {
  readonly hunks: readonly Hunk[];
  readonly problems: readonly string[];
  // Hunks that show at least one new-side line, in order.
  private readonly rFirst: number[] = [];
  private readonly rLast: number[] = [];
  private readonly rOffset: number[] = [];
  private readonly rHunk: number[] = [];
  private readonly rPosOfHunk: Int32Array;
  private readonly isAdd: Uint8Array;
  // Hunks that show at least one old-side line, in order.
  private readonly lFirst: number[] = [];
  private readonly lLast: number[] = [];
  private readonly added: Float64Array;

  constructor(parsed: ParsedPatch) {
    this.hunks = parsed.hunks;
    this.problems = parsed.problems;
    this.rPosOfHunk = new Int32Array(parsed.hunks.length).fill(-1);
    let right = 0;
    let addedCount = 0;
    for (const h of parsed.hunks) {
      for (const l of h.lines) {
        if (l.newLine !== undefined) right++;
        if (l.kind === 'add') addedCount++;
      }
    }
    this.isAdd = new Uint8Array(right);
    this.added = new Float64Array(addedCount);
    let offset = 0;
    let a = 0;
    parsed.hunks.forEach((h, hi) => {
      let first: number | undefined;
      let last = 0;
      let oFirst: number | undefined;
      let oLast = 0;
      for (const l of h.lines) {
        if (l.newLine !== undefined) {
          first ??= l.newLine;
          last = l.newLine;
          if (l.kind === 'add') {
            this.isAdd[offset + (l.newLine - first)] = 1;
            this.added[a++] = l.newLine;
          }
        }
        if (l.oldLine !== undefined) {
          oFirst ??= l.oldLine;
          oLast = l.oldLine;
        }
      }
      if (first !== undefined) {
        this.rPosOfHunk[hi] = this.rFirst.length;
        this.rFirst.push(first);
        this.rLast.push(last);
        this.rOffset.push(offset);
        this.rHunk.push(hi);
        offset += last - first + 1;
      }
      if (oFirst !== undefined) {
        this.lFirst.push(oFirst);
        this.lLast.push(oLast);
      }
    });
  }

  isAdded(newLine: number): boolean {
    const p = this.rightPos(newLine);
    return p >= 0 && this.isAdd[this.rOffset[p]! + newLine - this.rFirst[p]!] === 1;
  }

  isRight(newLine: number): boolean {
    return this.rightPos(newLine) >= 0;
  }

  isLeft(oldLine: number): boolean {
    if (!Number.isInteger(oldLine)) return false;
    const p = lastAtOrBelow(this.lFirst, oldLine);
    return p >= 0 && oldLine <= this.lLast[p]!;
  }

  hunkOfRight(newLine: number): number | undefined {
    const p = this.rightPos(newLine);
    return p >= 0 ? this.rHunk[p] : undefined;
  }

  rightRange(hunk: number): { first: number; last: number } | undefined {
    if (!Number.isInteger(hunk) || hunk < 0 || hunk >= this.rPosOfHunk.length) return undefined;
    const p = this.rPosOfHunk[hunk]!;
    return p >= 0 ? { first: this.rFirst[p]!, last: this.rLast[p]! } : undefined;
  }

  firstRightIn(from: number, to: number): number | undefined {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) return undefined;
    const p = lastAtOrBelow(this.rFirst, from);
    if (p >= 0 && from <= this.rLast[p]!) return from;
    const next = this.rFirst[p + 1];
    return next !== undefined && next <= to ? next : undefined;
  }

  firstAddedIn(from: number, to: number): number | undefined {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) return undefined;
    const lines = this.added;
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (lines[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const found = lines[lo];
    return found !== undefined && found <= to ? found : undefined;
  }

  addedLines(): number[] {
    return Array.from(this.added);
  }

  private rightPos(newLine: number): number {
    if (!Number.isInteger(newLine)) return -1;
    const p = lastAtOrBelow(this.rFirst, newLine);
    return p >= 0 && newLine <= this.rLast[p]! ? p : -1;
  }
}

/** Position of the last element <= value in an ascending array, or -1. */
function lastAtOrBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function indexParsedPatch(parsed: ParsedPatch): FileDiffIndex {
  return new PatchIndex(parsed);
}

export function indexPatch(patch: string): FileDiffIndex {
  return new PatchIndex(parsePatch(patch));
}

/**
 * One index per changed file, keyed by the new path. A file without a patch (binary, or too large for GitHub to include)
 * maps to undefined, which is different from a path that is absent from the pull request.
 */
export function indexChangedFiles(files: readonly ChangedFile[]): Map<string, FileDiffIndex | undefined> {
  const indexes = new Map<string, FileDiffIndex | undefined>();
  for (const file of files) indexes.set(file.path, file.patch === undefined ? undefined : indexPatch(file.patch));
  return indexes;
}

export function diffStats(index: FileDiffIndex): DiffStats {
  let added = 0;
  let removed = 0;
  let context = 0;
  for (const h of index.hunks) {
    for (const l of h.lines) {
      if (l.kind === 'add') added++;
      else if (l.kind === 'del') removed++;
      else context++;
    }
  }
  return { added, removed, context, hunks: index.hunks.length };
}

/**
 * Decides whether a finding can be an inline review comment and where. Only the RIGHT side is used because findings
 * describe the new file. The filter modes only differ in which lines qualify: `added` wants an added line in the range;
 * `diff_context`, `file` and `nofilter` accept any shown line (they differ in what the caller lists in the review body,
 * GitHub cannot anchor a comment anywhere else).
 */
export function planInlineComment(
  finding: Pick<Finding, 'startLine' | 'endLine'>,
  index: FileDiffIndex | undefined,
  mode: FilterMode,
): InlinePlan {
  const { startLine, endLine } = finding;
  // A broken range is the finding's fault whatever the diff looks like; it must not throw in the middle of a review.
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
    return { inline: false, reason: 'not-in-diff' };
  }
  if (!index) return { inline: false, reason: 'no-patch' };

  let anchor: number | undefined;
  switch (mode) {
    case 'diff_context':
    case 'file':
    case 'nofilter':
      anchor = index.firstRightIn(startLine, endLine);
      break;
    case 'added':
    default: {
      // Unknown modes (a config bypassing validation) get the strictest treatment rather than a 422.
      anchor = index.firstAddedIn(startLine, endLine);
      if (anchor === undefined) {
        const shown = index.firstRightIn(startLine, endLine) !== undefined;
        return { inline: false, reason: shown ? 'context-only' : 'not-in-diff' };
      }
    }
  }
  if (anchor === undefined) return { inline: false, reason: 'not-in-diff' };

  const hunk = index.hunkOfRight(anchor);
  const range = hunk === undefined ? undefined : index.rightRange(hunk);
  if (!range) return { inline: false, reason: 'not-in-diff' }; // unreachable with a consistent index
  // GitHub wants start_line and line in the same hunk, so a range spanning hunks keeps only the part in the first one.
  const first = Math.max(startLine, range.first);
  const last = Math.min(endLine, range.last);
  const exact = first === startLine && last === endLine;
  return first < last ? { inline: true, line: last, startLine: first, exact } : { inline: true, line: last, exact };
}

/** `planInlineComment` for a finding with a path: a path the pull request does not change is `file-not-in-diff`. */
export function planInlineCommentForPath(
  finding: Pick<Finding, 'path' | 'startLine' | 'endLine'>,
  indexes: ReadonlyMap<string, FileDiffIndex | undefined>,
  mode: FilterMode,
): InlinePlan {
  const plan = planInlineComment(finding, indexes.get(finding.path), mode);
  if (!plan.inline && plan.reason === 'no-patch' && !indexes.has(finding.path)) {
    return { inline: false, reason: 'file-not-in-diff' };
  }
  return plan;
}
