/**
 * `npm run bench:quality`: detection quality of the built CLI on real code (bench/README.md, "bench:quality").
 *
 * For each corpus of corpora.json: a whole-app change (empty base, every file in head) in a cache folder, the built CLI
 * (`dist/cli.js review --format json --filter-mode nofilter`) on it, and the findings held against the corpus's labels
 * (labels/<name>.tsv) and the judgments (judgments.tsv). Prints recall per class, precision, the findings that match no label,
 * rates on clean code, and the targets with OK / MISSED. Exit code 1 when a target is missed or a corpus could not be measured.
 *
 *   npm run bench:quality                         every corpus
 *   npm run bench:quality -- --corpus dvws-node   one (repeatable)
 *   npm run bench:quality -- --json               the figures as JSON on stdout
 *   npm run bench:quality -- --markdown           the figures as markdown tables (RESULTS.md)
 *   options: --window N (±lines, default 3), --match-class (a finding counts only when its CWE's class is the label's),
 *            --scanners LIST (passed to the CLI), --cli FILE (default dist/cli.js; another worktree's build works too)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MissingCorpusError, parseCorpora, prepareCorpus, sourceLines, type Corpus } from './corpora.js';
import {
  DEFAULT_LINE_WINDOW,
  IN_SCOPE_CLASSES,
  findingClass,
  isTestPath,
  isVendoredPath,
  parseJudgments,
  parseLabels,
  precision,
  recallByClass,
  scoreCorpus,
  type Judgment,
  type Label,
  type Precision,
  type QualityFinding,
  type Ratio,
} from './labels.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');

export const QUALITY_TARGETS = { recall: 0.8, precision: 0.9, cleanHighPer100k: 1 } as const;

interface CliReport {
  findings: (QualityFinding & { placement?: unknown })[];
  scans: { scanner: string; status: string; reason?: string; findings: number; filesScanned: number }[];
  skippedFiles: { path: string; reason: string }[];
  totals: { filesReviewed: number };
  notReviewed?: string[];
}

interface CorpusResult {
  corpus: Corpus;
  error?: string;
  files?: number;
  filesReviewed?: number;
  lines?: number;
  exitCode?: number;
  durationMs?: number;
  scans?: CliReport['scans'];
  skipped?: CliReport['skippedFiles'];
  /** The CLI's last stderr line when it did not exit 0 or 1 (why the review is incomplete). */
  cliMessage?: string;
  findings?: QualityFinding[];
  // vulnerable corpora
  recall?: { byClass: Record<string, Ratio>; overall: Ratio; logic: Ratio; classAgrees: number };
  missedLabels?: Label[];
  precision?: Precision;
  offLabel?: { finding: QualityFinding; judgment?: Judgment }[];
  // every corpus
  criticalInTestsOrVendored?: QualityFinding[];
  // clean corpora
  perThousandLines?: number;
  highFalse?: QualityFinding[];
  highPer100k?: number;
}

function runCli(cli: string, prepared: { dir: string; base: string; head: string }, scanners: string | undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [cli, 'review', '--repo', prepared.dir, '--base', prepared.base, '--head', prepared.head, '--format', 'json',
    '--filter-mode', 'nofilter', '--local-model', 'off', '--quiet'];
  if (scanners) args.push('--scanners', scanners);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

function toQualityFinding(f: QualityFinding): QualityFinding {
  return { ruleId: f.ruleId, severity: f.severity, path: f.path, startLine: f.startLine, endLine: f.endLine, message: f.message, note: f.note };
}

async function measure(
  corpus: Corpus,
  options: { cli: string; window: number; requireClass: boolean; scanners?: string },
  judgments: readonly Judgment[],
  progress: (text: string) => void,
): Promise<CorpusResult> {
  let labels: Label[] = [];
  if (corpus.kind === 'vulnerable') {
    const file = join(HERE, 'labels', `${corpus.name}.tsv`);
    if (!existsSync(file)) return { corpus, error: `no label file ${file}` };
    const parsed = parseLabels(readFileSync(file, 'utf8'), `bench/quality/labels/${corpus.name}.tsv`);
    if (parsed.errors.length > 0) return { corpus, error: `bad label rows:\n  ${parsed.errors.join('\n  ')}` };
    labels = parsed.rows;
  }
  let prepared;
  try {
    prepared = await prepareCorpus(corpus, REPO_ROOT, process.env);
  } catch (error) {
    if (error instanceof MissingCorpusError) return { corpus, error: error.message };
    throw error;
  }
  progress(`${corpus.name}: ${prepared.files} files, running the CLI…`);
  const started = performance.now();
  const result = await runCli(options.cli, prepared, options.scanners);
  const durationMs = performance.now() - started;
  let report: CliReport;
  try {
    report = JSON.parse(result.stdout) as CliReport;
  } catch {
    return { corpus, exitCode: result.code, error: `the CLI exited ${result.code} without a JSON report: ${result.stderr.trim().slice(0, 2000)}` };
  }
  const findings = report.findings.map(toQualityFinding);
  const skipped = new Set(report.skippedFiles.map((f) => f.path));
  const lines = sourceLines(prepared.dir, skipped);
  const base: CorpusResult = {
    corpus,
    files: prepared.files,
    filesReviewed: report.totals.filesReviewed,
    lines,
    exitCode: result.code,
    durationMs,
    scans: report.scans,
    skipped: report.skippedFiles,
    ...(result.code > 1 && { cliMessage: result.stderr.trim().split('\n').at(-1) }),
    findings,
    criticalInTestsOrVendored: findings.filter((f) => f.severity === 'critical' && (isTestPath(f.path) || isVendoredPath(f.path))),
  };
  if (corpus.kind === 'vulnerable') {
    const score = scoreCorpus(corpus.name, findings, labels, judgments, { window: options.window, requireClass: options.requireClass });
    const recall = recallByClass(score.labels);
    return {
      ...base,
      recall: {
        byClass: Object.fromEntries(recall.byClass),
        overall: recall.overall,
        logic: recall.logic,
        classAgrees: score.labels.filter((o) => o.label.class !== 'logic' && o.classAgrees).length,
      },
      missedLabels: score.labels.filter((o) => o.label.class !== 'logic' && o.findings.length === 0).map((o) => o.label),
      precision: precision(score.verdicts),
      offLabel: score.verdicts.offLabel,
    };
  }
  // Clean code: every finding is off-label; a critical or high one is a false alarm unless judged true.
  const score = scoreCorpus(corpus.name, findings, [], judgments);
  const highFalse = score.verdicts.offLabel
    .filter((o) => (o.finding.severity === 'critical' || o.finding.severity === 'high') && o.judgment?.verdict !== 'true')
    .map((o) => o.finding);
  return {
    ...base,
    offLabel: score.verdicts.offLabel,
    precision: precision(score.verdicts),
    perThousandLines: lines === 0 ? 0 : (findings.length * 1000) / lines,
    highFalse,
    highPer100k: lines === 0 ? 0 : (highFalse.length * 100_000) / lines,
  };
}

const ratio = (r: Ratio): string => (r.total === 0 ? '-' : `${r.found}/${r.total} = ${(r.found / r.total).toFixed(2)}`);
const where = (f: QualityFinding): string => `${f.path}:${f.startLine}`;

function findingLine(f: QualityFinding, judgment?: Judgment): string {
  const cls = findingClass(f) ?? '?';
  const verdict = judgment ? `judged ${judgment.verdict}: ${judgment.reason}` : 'UNJUDGED';
  return `    ${where(f)}  ${f.ruleId}  ${f.severity}  [${cls}]  ${verdict}`;
}

interface TargetRow {
  figure: string;
  target: string;
  measured: string;
  ok: boolean;
}

function summarize(results: readonly CorpusResult[]): { rows: TargetRow[]; pooled: { recall: Ratio; precision: Precision | undefined } } {
  const rows: TargetRow[] = [];
  const pooledRecall: Ratio = { found: 0, total: 0 };
  const pooledPrecision = { matched: 0, judgedTrue: 0, judgedFalse: 0, unjudged: 0 };
  let highFalse = 0;
  let cleanLines = 0;
  let critical: QualityFinding[] = [];
  for (const r of results) {
    if (r.error !== undefined) {
      rows.push({ figure: r.corpus.name, target: 'measured', measured: 'not measured (see above)', ok: false });
      continue;
    }
    critical = critical.concat(r.criticalInTestsOrVendored ?? []);
    if (r.corpus.kind === 'vulnerable' && r.recall && r.precision) {
      pooledRecall.found += r.recall.overall.found;
      pooledRecall.total += r.recall.overall.total;
      pooledPrecision.matched += r.precision.matched;
      pooledPrecision.judgedTrue += r.precision.judgedTrue;
      pooledPrecision.judgedFalse += r.precision.judgedFalse;
      pooledPrecision.unjudged += r.precision.unjudged;
      const rec = r.recall.overall.total === 0 ? 1 : r.recall.overall.found / r.recall.overall.total;
      rows.push({ figure: `${r.corpus.name}: recall`, target: `≥ ${QUALITY_TARGETS.recall}`, measured: ratio(r.recall.overall), ok: rec >= QUALITY_TARGETS.recall });
      const p = r.precision;
      rows.push({
        figure: `${r.corpus.name}: precision`,
        target: `≥ ${QUALITY_TARGETS.precision}`,
        measured: `${p.value === undefined ? '-' : p.value.toFixed(2)} (${p.matched} on labels, ${p.judgedFalse} judged false, ${p.judgedTrue} judged true off-label, ${p.unjudged} unjudged)`,
        ok: p.value !== undefined && p.value >= QUALITY_TARGETS.precision && p.unjudged === 0,
      });
    }
    if (r.corpus.kind === 'clean' && r.highFalse && r.lines !== undefined) {
      highFalse += r.highFalse.length;
      cleanLines += r.lines;
    }
  }
  const p = pooledPrecision;
  const pooledValue = p.matched + p.judgedFalse === 0 ? undefined : p.matched / (p.matched + p.judgedFalse);
  if (pooledRecall.total > 0) {
    rows.push({ figure: 'vulnerable apps pooled: recall', target: `≥ ${QUALITY_TARGETS.recall}`, measured: ratio(pooledRecall), ok: pooledRecall.found / pooledRecall.total >= QUALITY_TARGETS.recall });
    rows.push({
      figure: 'vulnerable apps pooled: precision',
      target: `≥ ${QUALITY_TARGETS.precision}`,
      measured: `${pooledValue === undefined ? '-' : pooledValue.toFixed(2)} (${p.unjudged} unjudged)`,
      ok: pooledValue !== undefined && pooledValue >= QUALITY_TARGETS.precision && p.unjudged === 0,
    });
  }
  if (cleanLines > 0) {
    const per100k = (highFalse * 100_000) / cleanLines;
    rows.push({
      figure: 'clean code: critical/high false alarms',
      target: `≤ ${QUALITY_TARGETS.cleanHighPer100k} per 100k lines`,
      measured: `${per100k.toFixed(2)} per 100k (${highFalse} in ${cleanLines} lines)`,
      ok: per100k <= QUALITY_TARGETS.cleanHighPer100k,
    });
  }
  rows.push({
    figure: 'critical findings in tests or vendored files',
    target: '0',
    measured: critical.length === 0 ? '0' : `${critical.length}: ${critical.map((f) => `${where(f)} ${f.ruleId}`).join(', ')}`,
    ok: critical.length === 0,
  });
  return { rows, pooled: { recall: pooledRecall, precision: pooledValue === undefined ? undefined : { ...p, value: pooledValue } } };
}

function printResult(r: CorpusResult, window: number, say: (text?: string) => void): void {
  say(`== ${r.corpus.name} (${r.corpus.kind}, ${r.corpus.language}; ${r.corpus.repo} ${r.corpus.commit.slice(0, 12)})`);
  if (r.error !== undefined) {
    say(`  NOT MEASURED: ${r.error}`);
    say();
    return;
  }
  say(
    `  ${r.files ?? 0} files (${r.filesReviewed ?? 0} reviewed), ${r.lines ?? 0} lines of JS/TS/Python, ${r.findings?.length ?? 0} findings, ` +
      `CLI exit ${r.exitCode ?? '?'} in ${((r.durationMs ?? 0) / 1000).toFixed(1)} s`,
  );
  for (const scan of r.scans ?? []) {
    if (scan.status !== 'ok') say(`  scanner ${scan.scanner}: ${scan.status}${scan.reason ? ` (${scan.reason})` : ''}`);
  }
  const skippedBy = new Map<string, number>();
  for (const f of r.skipped ?? []) skippedBy.set(f.reason, (skippedBy.get(f.reason) ?? 0) + 1);
  if (skippedBy.size > 0) say(`  files skipped by the review: ${[...skippedBy].map(([reason, n]) => `${n} ${reason}`).join(', ')}`);
  if (r.cliMessage) say(`  CLI: ${r.cliMessage}`);
  if (r.recall) {
    say(`  recall per class (a finding within ±${window} lines of a label):`);
    for (const [cls, value] of Object.entries(r.recall.byClass)) say(`    ${cls.padEnd(16)} ${ratio(value)}`);
    say(`    ${'overall'.padEnd(16)} ${ratio(r.recall.overall)}   (of the found, ${r.recall.classAgrees} with a finding of the label's class)`);
    say(`    ${'logic (apart)'.padEnd(16)} ${ratio(r.recall.logic)}`);
    if (r.missedLabels && r.missedLabels.length > 0) {
      say('  missed labels:');
      for (const label of r.missedLabels) {
        const lines = label.startLine === label.endLine ? `${label.startLine}` : `${label.startLine}-${label.endLine}`;
        say(`    ${label.path}:${lines}  ${label.class}  ${label.cwe}  ${label.note}`);
      }
    }
  }
  if (r.perThousandLines !== undefined) {
    say(`  ${r.perThousandLines.toFixed(2)} findings per 1,000 lines; ${r.highFalse?.length ?? 0} critical/high not judged true = ${(r.highPer100k ?? 0).toFixed(2)} per 100,000 lines`);
  }
  const off = r.offLabel ?? [];
  if (off.length > 0) {
    say(`  findings on no label (${off.length}; path:line rule severity [class] verdict):`);
    for (const o of off) say(findingLine(o.finding, o.judgment));
  }
  if (r.precision && r.corpus.kind === 'vulnerable') {
    const p = r.precision;
    say(`  precision ${p.value === undefined ? '-' : p.value.toFixed(2)} = ${p.matched} on labels / (${p.matched} + ${p.judgedFalse} judged false); ${p.judgedTrue} judged true off-label, ${p.unjudged} unjudged`);
  }
  say();
}

interface RuleRow {
  ruleId: string;
  onLabel: number;
  judgedTrue: number;
  judgedFalse: number;
  unjudged: number;
  severe: number;
}

/** Every corpus's findings counted per rule: which rules find the labels and which make the false alarms. */
export function findingsByRule(results: readonly CorpusResult[]): RuleRow[] {
  const rows = new Map<string, RuleRow>();
  const row = (ruleId: string): RuleRow => {
    let found = rows.get(ruleId);
    if (!found) {
      found = { ruleId, onLabel: 0, judgedTrue: 0, judgedFalse: 0, unjudged: 0, severe: 0 };
      rows.set(ruleId, found);
    }
    return found;
  };
  for (const r of results) {
    const off = new Map((r.offLabel ?? []).map((o) => [o.finding, o.judgment]));
    for (const finding of r.findings ?? []) {
      const entry = row(finding.ruleId);
      if (finding.severity === 'critical' || finding.severity === 'high') entry.severe += 1;
      if (!off.has(finding)) entry.onLabel += 1;
      else {
        const judgment = off.get(finding);
        if (!judgment) entry.unjudged += 1;
        else if (judgment.verdict === 'true') entry.judgedTrue += 1;
        else entry.judgedFalse += 1;
      }
    }
  }
  return [...rows.values()].sort((a, b) => b.judgedFalse - a.judgedFalse || b.onLabel - a.onLabel || (a.ruleId < b.ruleId ? -1 : 1));
}

/** The figures as markdown tables (`--markdown`), for RESULTS.md. */
export function markdownTables(results: readonly CorpusResult[], rows: readonly TargetRow[]): string {
  const out: string[] = [];
  const vulnerable = results.filter((r) => r.corpus.kind === 'vulnerable' && r.recall);
  const cell = (value: Ratio | undefined): string => (value && value.total > 0 ? `${value.found}/${value.total}` : '-');
  const fixed = (value: Ratio): string => (value.total === 0 ? '-' : (value.found / value.total).toFixed(2));
  if (vulnerable.length > 0) {
    out.push(`| class | ${vulnerable.map((r) => r.corpus.name).join(' | ')} | all |`, `|---|${'---|'.repeat(vulnerable.length + 1)}`);
    for (const cls of IN_SCOPE_CLASSES) {
      const values = vulnerable.map((r) => r.recall?.byClass[cls]);
      const all = values.reduce<Ratio>((sum, v) => ({ found: sum.found + (v?.found ?? 0), total: sum.total + (v?.total ?? 0) }), { found: 0, total: 0 });
      if (all.total > 0) out.push(`| ${cls} | ${values.map(cell).join(' | ')} | ${cell(all)} (${fixed(all)}) |`);
    }
    const overall = vulnerable.map((r) => r.recall?.overall ?? { found: 0, total: 0 });
    const all = overall.reduce<Ratio>((sum, v) => ({ found: sum.found + v.found, total: sum.total + v.total }), { found: 0, total: 0 });
    out.push(`| **overall** | ${overall.map((v) => `**${cell(v)} = ${fixed(v)}**`).join(' | ')} | **${cell(all)} = ${fixed(all)}** |`);
    out.push(`| logic (not in recall) | ${vulnerable.map((r) => cell(r.recall?.logic)).join(' | ')} | |`, '');
    out.push('| vulnerable app | files | findings | on labels | off-label judged false | judged true | unjudged | precision |', '|---|---|---|---|---|---|---|---|');
    for (const r of vulnerable) {
      const p = r.precision;
      if (!p) continue;
      out.push(`| ${r.corpus.name} | ${r.files ?? 0} | ${r.findings?.length ?? 0} | ${p.matched} | ${p.judgedFalse} | ${p.judgedTrue} | ${p.unjudged} | ${p.value === undefined ? '-' : p.value.toFixed(2)} |`);
    }
    out.push('');
  }
  const clean = results.filter((r) => r.corpus.kind === 'clean' && r.error === undefined);
  if (clean.length > 0) {
    out.push('| clean project | files reviewed | lines (JS/TS/Python) | findings | per 1,000 lines | critical/high false alarms | per 100,000 lines |', '|---|---|---|---|---|---|---|');
    for (const r of clean) {
      out.push(`| ${r.corpus.name} (${r.corpus.commit.slice(0, 12)}) | ${r.filesReviewed ?? 0} | ${r.lines ?? 0} | ${r.findings?.length ?? 0} | ${(r.perThousandLines ?? 0).toFixed(2)} | ${r.highFalse?.length ?? 0} | ${(r.highPer100k ?? 0).toFixed(2)} |`);
    }
    out.push('');
  }
  const byRule = findingsByRule(results);
  if (byRule.length > 0) {
    out.push('| rule | on labels | judged true | judged false | unjudged | critical/high |', '|---|---|---|---|---|---|');
    for (const row of byRule) out.push(`| ${row.ruleId} | ${row.onLabel} | ${row.judgedTrue} | ${row.judgedFalse} | ${row.unjudged} | ${row.severe} |`);
    out.push('');
  }
  out.push('| figure | target | measured | |', '|---|---|---|---|');
  for (const row of rows) out.push(`| ${row.figure} | ${row.target} | ${row.measured} | ${row.ok ? 'OK' : 'MISSED'} |`);
  return `${out.join('\n')}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      corpus: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      markdown: { type: 'boolean' },
      window: { type: 'string' },
      'match-class': { type: 'boolean' },
      scanners: { type: 'string' },
      cli: { type: 'string' },
    },
  });
  const window = values.window === undefined ? DEFAULT_LINE_WINDOW : Number(values.window);
  if (!Number.isInteger(window) || window < 0) throw new Error(`--window must be a whole number ≥ 0, got ${values.window ?? ''}`);
  const cli = resolve(values.cli ?? join(REPO_ROOT, 'dist', 'cli.js'));
  const say = values.json || values.markdown ? (): void => undefined : (text = ''): void => void process.stdout.write(`${text}\n`);
  const progress = (text: string): void => void process.stderr.write(`${text}\n`);
  if (!existsSync(cli)) {
    process.stderr.write(`bench:quality: ${cli} does not exist: run npm run build first.\n`);
    return 1;
  }
  const stale = staleBuild(cli);
  const commit = await gitDescribe(dirname(dirname(cli)));
  const all = parseCorpora(readFileSync(join(HERE, 'corpora.json'), 'utf8'), 'bench/quality/corpora.json');
  const wanted = values.corpus ?? all.map((c) => c.name);
  const unknown = wanted.filter((name) => !all.some((c) => c.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`bench:quality: unknown corpus ${unknown.join(', ')}; corpora: ${all.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  const judged = parseJudgments(readFileSync(join(HERE, 'judgments.tsv'), 'utf8'), 'bench/quality/judgments.tsv');
  if (judged.errors.length > 0) process.stderr.write(`bench:quality: bad judgment rows (left out):\n  ${judged.errors.join('\n  ')}\n`);

  say(`bench:quality — ${new Date().toISOString()}, CLI ${cli} (its checkout at ${commit})`);
  if (stale) say(`WARNING: ${stale} is newer than the build: the figures are the last build's. Run npm run build.`);
  say(`matching: same path and within ±${window} lines${values['match-class'] ? ', same class (from the finding\'s CWE)' : ''}`);
  say();
  const results: CorpusResult[] = [];
  for (const corpus of all.filter((c) => wanted.includes(c.name))) {
    const result = await measure(corpus, { cli, window, requireClass: values['match-class'] ?? false, scanners: values.scanners }, judged.rows, progress);
    results.push(result);
    printResult(result, window, say);
  }
  const summary = summarize(results);
  if (values.markdown) {
    process.stdout.write(markdownTables(results, summary.rows));
  } else if (values.json) {
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), window, matchClass: values['match-class'] ?? false, targets: QUALITY_TARGETS, results, summary }, null, 2)}\n`);
  } else {
    const pooled = new Map<string, Ratio>();
    for (const r of results) {
      for (const [cls, value] of Object.entries(r.recall?.byClass ?? {})) {
        const sum = pooled.get(cls) ?? { found: 0, total: 0 };
        pooled.set(cls, { found: sum.found + value.found, total: sum.total + value.total });
      }
    }
    if (pooled.size > 0) {
      say('== recall per class, vulnerable apps together');
      for (const cls of IN_SCOPE_CLASSES) {
        const value = pooled.get(cls);
        if (value) say(`    ${cls.padEnd(16)} ${ratio(value)}`);
      }
      say();
    }
    const byRule = findingsByRule(results);
    if (byRule.length > 0) {
      say('== findings per rule, every corpus (on labels / judged true / judged false / unjudged; critical+high)');
      for (const row of byRule) {
        say(`    ${row.ruleId.padEnd(40)} ${String(row.onLabel).padStart(3)} / ${String(row.judgedTrue).padStart(3)} / ${String(row.judgedFalse).padStart(3)} / ${String(row.unjudged).padStart(3)}   ${row.severe} critical/high`);
      }
      say();
    }
    say('== targets');
    const width = Math.max(...summary.rows.map((row) => row.figure.length));
    for (const row of summary.rows) say(`${row.figure.padEnd(width)}  ${row.target.padEnd(24)}  ${row.ok ? 'OK    ' : 'MISSED'}  ${row.measured}`);
    const missed = summary.rows.filter((row) => !row.ok).length;
    say();
    say(missed === 0 ? 'Every target holds. Exit code 0.' : `${missed} target(s) missed or not measured. Exit code 1.`);
  }
  return summary.rows.every((row) => row.ok) ? 0 : 1;
}

/** A file under src/ or rules/ changed after the build (2 s of slack: a checkout writes files in no set order), or undefined. */
function staleBuild(cli: string): string | undefined {
  const pack = join(dirname(cli), 'rule-pack.json');
  const built = Math.min(statSync(cli).mtimeMs, existsSync(pack) ? statSync(pack).mtimeMs : Infinity);
  let newest: { path: string; mtimeMs: number } | undefined;
  const walk = (from: string): void => {
    for (const entry of readdirSyncSafe(from)) {
      const path = join(from, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (!newest || stat.mtimeMs > newest.mtimeMs) newest = { path, mtimeMs: stat.mtimeMs };
    }
  };
  // The checkout the CLI was built from: --cli may name another worktree's dist/cli.js.
  const root = dirname(dirname(cli));
  walk(join(root, 'src'));
  walk(join(root, 'rules'));
  return newest && newest.mtimeMs > built + 2000 ? newest.path : undefined;
}

/** `<short sha>` of the checkout's HEAD, `+ uncommitted changes…` when its rules/ or src/ differ from it. */
function gitDescribe(root: string): Promise<string> {
  const out = (args: string[]): Promise<string> =>
    new Promise((resolvePromise) => {
      const child = spawn('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', () => resolvePromise(''));
      child.on('close', () => resolvePromise(Buffer.concat(chunks).toString('utf8').trim()));
    });
  return Promise.all([out(['rev-parse', '--short=12', 'HEAD']), out(['status', '--porcelain', '--', 'rules', 'src'])]).then(
    ([sha, changes]) => `${sha || 'unknown'}${changes ? ' + uncommitted changes in rules/ or src/' : ''}`,
  );
}

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`bench:quality: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
