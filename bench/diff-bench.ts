/**
 * Diff parsing and line mapping on the whole change: every patch parsed (parsePatch) and indexed (indexParsedPatch), an inline
 * comment planned for every added line, then for the real findings and for random ranges (most of which are not on added lines),
 * and, as the action runs it, triageFindings on the real findings. Pure CPU: median of 5 runs after one warm-up.
 */
import type { PullFile } from '../__tests__/support/git-fixture.js';
import {
  indexParsedPatch,
  parsePatch,
  planInlineComment,
  planInlineCommentForPath,
  type FileDiffIndex,
  type ParsedPatch,
} from '../src/github/diff.js';
import { triageFindings } from '../src/triage.js';
import type { ChangedFile, Finding } from '../src/types.js';
import { median } from './stats.js';

export interface DiffBenchResult {
  patches: number;
  patchBytes: number;
  addedLines: number;
  findings: number;
  randomRanges: number;
  /** Medians, ms. */
  parseMs: number;
  indexMs: number;
  planAddedMs: number;
  planFindingsMs: number;
  /** parse + index + plan every added line + plan the findings and the random ranges. */
  totalMs: number;
  triageMs: number;
  runs: number;
  /** Every added line was planned inline on itself, and the counts match the listing's `additions`. */
  anchoredAll: boolean;
  anchorProblems: string[];
  inlineFindings: number;
}

function randomRanges(indexes: [string, FileDiffIndex][], count: number): Pick<Finding, 'path' | 'startLine' | 'endLine'>[] {
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const ranges: Pick<Finding, 'path' | 'startLine' | 'endLine'>[] = [];
  for (let i = 0; i < count; i++) {
    const [path, index] = indexes[Math.floor(next() * indexes.length)]!;
    const last = index.hunks.at(-1);
    const lines = last ? last.newStart + last.newLines + 20 : 50;
    const startLine = 1 + Math.floor(next() * lines);
    ranges.push({ path, startLine, endLine: startLine + Math.floor(next() * 5) });
  }
  return ranges;
}

export function runDiffBench(files: readonly PullFile[], findings: readonly Finding[], runs = 5): DiffBenchResult {
  const withPatch = files.filter((f): f is PullFile & { patch: string } => f.patch !== undefined);
  const changed: ChangedFile[] = files.map((f) => ({
    path: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    patch: f.patch,
  }));
  const ranges = randomRanges(
    withPatch.map((f) => [f.filename, indexParsedPatch(parsePatch(f.patch))]),
    10_000,
  );

  const once = () => {
    const t0 = performance.now();
    const parsed: ParsedPatch[] = withPatch.map((f) => parsePatch(f.patch));
    const t1 = performance.now();
    const indexes: [string, FileDiffIndex][] = parsed.map((p, i) => [withPatch[i]!.filename, indexParsedPatch(p)]);
    const t2 = performance.now();
    let added = 0;
    let anchored = 0;
    for (const [, index] of indexes) {
      for (const line of index.addedLines()) {
        added++;
        const plan = planInlineComment({ startLine: line, endLine: line }, index, 'added');
        if (plan.inline && plan.line === line && plan.startLine === undefined) anchored++;
      }
    }
    const t3 = performance.now();
    const byPath = new Map<string, FileDiffIndex | undefined>(indexes);
    for (const f of files) if (!byPath.has(f.filename)) byPath.set(f.filename, undefined);
    let inline = 0;
    for (const finding of findings) if (planInlineCommentForPath(finding, byPath, 'added').inline) inline++;
    for (const range of ranges) planInlineCommentForPath(range, byPath, 'added');
    const t4 = performance.now();
    return { parse: t1 - t0, index: t2 - t1, planAdded: t3 - t2, planFindings: t4 - t3, total: t4 - t0, added, anchored, inline };
  };
  const triageOnce = (): number => {
    const t0 = performance.now();
    triageFindings({ findings, files: changed, filterMode: 'added', maxComments: 30, alreadyCommented: new Map() });
    return performance.now() - t0;
  };

  const first = once(); // warm-up (JIT), also the correctness check
  triageOnce();
  const samples = Array.from({ length: runs }, () => once());
  const triage = Array.from({ length: runs }, () => triageOnce());

  const listedAdditions = withPatch.reduce((n, f) => n + f.additions, 0);
  const anchorProblems: string[] = [];
  if (first.anchored !== first.added) anchorProblems.push(`${first.added - first.anchored} added line(s) not planned inline on themselves`);
  if (first.added !== listedAdditions) anchorProblems.push(`the patches show ${first.added} added lines, the listing says ${listedAdditions}`);
  return {
    patches: withPatch.length,
    patchBytes: withPatch.reduce((n, f) => n + Buffer.byteLength(f.patch), 0),
    addedLines: first.added,
    findings: findings.length,
    randomRanges: ranges.length,
    parseMs: median(samples.map((s) => s.parse)),
    indexMs: median(samples.map((s) => s.index)),
    planAddedMs: median(samples.map((s) => s.planAdded)),
    planFindingsMs: median(samples.map((s) => s.planFindings)),
    totalMs: median(samples.map((s) => s.total)),
    triageMs: median(triage),
    runs,
    anchoredAll: anchorProblems.length === 0,
    anchorProblems,
    inlineFindings: first.inline,
  };
}
