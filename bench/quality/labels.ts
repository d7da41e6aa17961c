/**
 * The detection-quality benchmark's data and arithmetic, free of I/O: label and judgment files (TSV), matching findings to
 * labelled lines, recall per class, precision from judgments, rates on clean code. `run.ts` reads the files and runs the CLI.
 */

/** Vulnerability classes a static rule can see: they count in recall. */
export const IN_SCOPE_CLASSES = [
  'sql',
  'nosql',
  'command',
  'code',
  'path',
  'ssrf',
  'redirect',
  'xss',
  'xxe',
  'xpath',
  'redos',
  'deserialization',
  'secret',
  'settings',
  'crypto',
] as const;
export type InScopeClass = (typeof IN_SCOPE_CLASSES)[number];
/** `logic`: documented flaws out of a static rule's reach (access control, CSRF, mass assignment): counted apart, not in recall. */
export type LabelClass = InScopeClass | 'logic';
export const LABEL_CLASSES: readonly LabelClass[] = [...IN_SCOPE_CLASSES, 'logic'];

/** A finding matches a label when it is in the same file and its lines come within this many lines of the label's. */
export const DEFAULT_LINE_WINDOW = 3;

export interface Label {
  path: string;
  /** 1-based, inclusive: one line, or the lines a flaw spans (`29-40`: built on 29, run on 40). */
  startLine: number;
  endLine: number;
  class: LabelClass;
  cwe: string;
  note: string;
  /** Where the label comes from (the app's docs, a comment, an advisory). */
  source: string;
  /** Line of the TSV file, for messages. */
  fileLine: number;
}

export interface Judgment {
  corpus: string;
  path: string;
  line: number;
  ruleId: string;
  verdict: 'true' | 'false';
  reason: string;
  fileLine: number;
}

/** The part of a CLI finding the benchmark uses. */
export interface QualityFinding {
  ruleId: string;
  severity: string;
  path: string;
  startLine: number;
  endLine: number;
  message: string;
  /** The rule's note, which ends with the CWE: the finding's class comes from it. */
  note?: string;
}

export interface ParseResult<T> {
  rows: T[];
  /** One message per bad row: `<file>:<line>: <what is wrong>`. */
  errors: string[];
}

const LABEL_COLUMNS = ['path', 'line', 'class', 'CWE', 'note', 'source'] as const;
const JUDGMENT_COLUMNS = ['corpus', 'path', 'line', 'rule', 'verdict', 'reason'] as const;

/**
 * Splits a TSV file into rows of cells. `#` lines and blank lines are comments; the first other line must be the header
 * `expected` (case-insensitive); every row must have exactly as many cells.
 */
function parseTsv(text: string, fileName: string, expected: readonly string[]): ParseResult<{ cells: string[]; fileLine: number }> {
  const rows: { cells: string[]; fileLine: number }[] = [];
  const errors: string[] = [];
  let header = false;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const fileLine = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const cells = raw.split('\t').map((cell) => cell.trim());
    if (!header) {
      header = true;
      const got = cells.map((cell) => cell.toLowerCase());
      if (got.length !== expected.length || expected.some((name, i) => got[i] !== name.toLowerCase())) {
        errors.push(`${fileName}:${fileLine}: the header must be the columns ${expected.join(', ')} (tab-separated), got ${cells.join(', ')}`);
      }
      continue;
    }
    if (cells.length !== expected.length) {
      errors.push(`${fileName}:${fileLine}: ${cells.length} column(s), expected ${expected.length} (${expected.join(', ')}), tab-separated`);
      continue;
    }
    rows.push({ cells, fileLine });
  }
  if (!header) errors.push(`${fileName}: no header line (${expected.join(', ')})`);
  return { rows, errors };
}

/** Messages `<file>:<line>: …` in the order of their lines (a header or file-level message first). */
function inLineOrder(errors: string[]): string[] {
  const lineOf = (message: string): number => Number(/^[^:]*:(\d+):/.exec(message)?.[1] ?? 0);
  return errors.sort((a, b) => lineOf(a) - lineOf(b));
}

function checkPath(path: string): string | undefined {
  if (path === '') return 'an empty path';
  if (path.startsWith('/') || path.includes('\\') || path.split('/').includes('..')) {
    return `path ${path} must be relative to the corpus root, with forward slashes and no ..`;
  }
  return undefined;
}

/** `12` or `12-15`; undefined when it is neither. */
export function parseLineRange(text: string): { startLine: number; endLine: number } | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return undefined;
  const startLine = Number(match[1]);
  const endLine = match[2] === undefined ? startLine : Number(match[2]);
  if (startLine < 1 || endLine < startLine) return undefined;
  return { startLine, endLine };
}

/** Reads a label file (`bench/quality/labels/<corpus>.tsv`). Bad rows are left out and named in `errors`. */
export function parseLabels(text: string, fileName: string): ParseResult<Label> {
  const table = parseTsv(text, fileName, LABEL_COLUMNS);
  const rows: Label[] = [];
  const errors = [...table.errors];
  for (const { cells, fileLine } of table.rows) {
    const [path = '', line = '', cls = '', cwe = '', note = '', source = ''] = cells;
    const where = `${fileName}:${fileLine}`;
    const badPath = checkPath(path);
    const range = parseLineRange(line);
    if (badPath) errors.push(`${where}: ${badPath}`);
    else if (!range) errors.push(`${where}: line ${line === '' ? '(empty)' : line} is not a line number or a range like 12-15`);
    else if (!(LABEL_CLASSES as readonly string[]).includes(cls)) {
      errors.push(`${where}: class ${cls === '' ? '(empty)' : cls} is not one of ${LABEL_CLASSES.join(', ')}`);
    } else if (!/^CWE-\d+$/.test(cwe)) errors.push(`${where}: CWE ${cwe === '' ? '(empty)' : cwe} is not of the form CWE-89`);
    else if (note === '') errors.push(`${where}: the note is empty`);
    else if (source === '') errors.push(`${where}: the source is empty (say where the label comes from)`);
    else rows.push({ path, ...range, class: cls as LabelClass, cwe, note, source, fileLine });
  }
  return { rows, errors: inLineOrder(errors) };
}

/** Reads `bench/quality/judgments.tsv`: verdicts on findings that match no label. */
export function parseJudgments(text: string, fileName: string): ParseResult<Judgment> {
  const table = parseTsv(text, fileName, JUDGMENT_COLUMNS);
  const rows: Judgment[] = [];
  const errors = [...table.errors];
  for (const { cells, fileLine } of table.rows) {
    const [corpus = '', path = '', line = '', ruleId = '', verdict = '', reason = ''] = cells;
    const where = `${fileName}:${fileLine}`;
    const badPath = checkPath(path);
    if (corpus === '') errors.push(`${where}: the corpus is empty`);
    else if (badPath) errors.push(`${where}: ${badPath}`);
    else if (!/^\d+$/.test(line) || Number(line) < 1) errors.push(`${where}: line ${line === '' ? '(empty)' : line} is not a line number`);
    else if (ruleId === '') errors.push(`${where}: the rule id is empty`);
    else if (verdict !== 'true' && verdict !== 'false') errors.push(`${where}: verdict ${verdict === '' ? '(empty)' : verdict} must be true or false`);
    else if (reason === '') errors.push(`${where}: the reason is empty`);
    else rows.push({ corpus, path, line: Number(line), ruleId, verdict, reason, fileLine });
  }
  return { rows, errors: inLineOrder(errors) };
}

/** CWE → class, for findings: their rule's note ends with the CWE. Unknown CWEs give no class. */
const CWE_CLASS: Readonly<Record<string, InScopeClass>> = {
  'CWE-89': 'sql',
  'CWE-564': 'sql',
  'CWE-943': 'nosql',
  'CWE-78': 'command',
  'CWE-77': 'command',
  'CWE-88': 'command',
  'CWE-94': 'code',
  'CWE-95': 'code',
  'CWE-1336': 'code',
  'CWE-22': 'path',
  'CWE-23': 'path',
  'CWE-36': 'path',
  'CWE-73': 'path',
  'CWE-918': 'ssrf',
  'CWE-601': 'redirect',
  'CWE-79': 'xss',
  'CWE-80': 'xss',
  'CWE-116': 'xss',
  'CWE-611': 'xxe',
  'CWE-776': 'xxe',
  'CWE-643': 'xpath',
  'CWE-1333': 'redos',
  'CWE-400': 'redos',
  'CWE-502': 'deserialization',
  'CWE-798': 'secret',
  'CWE-259': 'secret',
  'CWE-321': 'secret',
  'CWE-547': 'secret',
  'CWE-614': 'settings',
  'CWE-1004': 'settings',
  'CWE-489': 'settings',
  'CWE-215': 'settings',
  'CWE-200': 'settings',
  'CWE-942': 'settings',
  'CWE-319': 'settings',
  'CWE-295': 'settings',
  'CWE-16': 'settings',
  'CWE-1275': 'settings',
  'CWE-327': 'crypto',
  'CWE-328': 'crypto',
  'CWE-330': 'crypto',
  'CWE-338': 'crypto',
  'CWE-347': 'crypto',
  'CWE-916': 'crypto',
};

/** The class a finding's CWE (the last `CWE-n` of its note, else of its message) stands for; undefined when unknown. */
export function findingClass(finding: Pick<QualityFinding, 'note' | 'message'>): InScopeClass | undefined {
  for (const text of [finding.note ?? '', finding.message]) {
    const cwes = text.match(/CWE-\d+/g);
    if (cwes) {
      for (const cwe of [...cwes].reverse()) {
        const cls = CWE_CLASS[cwe];
        if (cls) return cls;
      }
    }
  }
  return undefined;
}

export interface MatchOptions {
  /** ±lines around a label (default DEFAULT_LINE_WINDOW). */
  window?: number;
  /** Also require the finding's class (from its CWE) to be the label's. */
  requireClass?: boolean;
}

/** Whether a finding lands on a label: same path, line ranges within ±window; with requireClass, the same class too. */
export function findingMatchesLabel(finding: QualityFinding, label: Label, options: MatchOptions = {}): boolean {
  const window = options.window ?? DEFAULT_LINE_WINDOW;
  if (finding.path !== label.path) return false;
  if (finding.endLine < label.startLine - window || finding.startLine > label.endLine + window) return false;
  return !options.requireClass || findingClass(finding) === label.class;
}

/** Lines between a finding and a label (0 when they overlap). */
function lineGap(finding: QualityFinding, label: Label): number {
  if (finding.endLine < label.startLine) return label.startLine - finding.endLine;
  if (finding.startLine > label.endLine) return finding.startLine - label.endLine;
  return 0;
}

/**
 * The labels a finding counts for. Of the labels in reach (findingMatchesLabel), those of the finding's class when there are
 * any, and of those the nearest (ties all count): in dense code (several labelled lines within ±window) one finding must not
 * count for every flaw around it.
 */
export function labelsForFinding(finding: QualityFinding, labels: readonly Label[], options: MatchOptions = {}): Label[] {
  let candidates = labels.filter((label) => findingMatchesLabel(finding, label, options));
  const cls = findingClass(finding);
  const sameClass = candidates.filter((label) => label.class === cls);
  if (sameClass.length > 0) candidates = sameClass;
  const nearest = Math.min(...candidates.map((label) => lineGap(finding, label)));
  return candidates.filter((label) => lineGap(finding, label) === nearest);
}

export interface LabelOutcome {
  label: Label;
  /** Findings that count for it (labelsForFinding). */
  findings: QualityFinding[];
  /** Whether one of them is of the label's class. */
  classAgrees: boolean;
}

export interface Verdicts {
  /** Findings on a labelled line. */
  matched: QualityFinding[];
  /** Findings on no label, with their judgment when there is one. */
  offLabel: { finding: QualityFinding; judgment?: Judgment }[];
}

export interface CorpusScore {
  labels: LabelOutcome[];
  verdicts: Verdicts;
}

/** Matches findings against a corpus's labels and its judgments (judgments of other corpora are ignored). */
export function scoreCorpus(
  corpus: string,
  findings: readonly QualityFinding[],
  labels: readonly Label[],
  judgments: readonly Judgment[],
  options: MatchOptions = {},
): CorpusScore {
  const assigned = new Map(findings.map((finding) => [finding, labelsForFinding(finding, labels, options)]));
  const outcomes = labels.map((label) => {
    const on = findings.filter((finding) => assigned.get(finding)?.includes(label));
    return { label, findings: on, classAgrees: on.some((finding) => findingClass(finding) === label.class) };
  });
  const matched: QualityFinding[] = [];
  const offLabel: Verdicts['offLabel'] = [];
  for (const finding of findings) {
    if ((assigned.get(finding)?.length ?? 0) > 0) {
      matched.push(finding);
      continue;
    }
    const judgment = judgments.find(
      (j) => j.corpus === corpus && j.path === finding.path && j.line === finding.startLine && j.ruleId === finding.ruleId,
    );
    offLabel.push(judgment ? { finding, judgment } : { finding });
  }
  return { labels: outcomes, verdicts: { matched, offLabel } };
}

export interface Ratio {
  found: number;
  total: number;
}

/** Recall over in-scope labels, per class and overall (`logic` labels are left out and counted apart). */
export function recallByClass(outcomes: readonly LabelOutcome[]): { byClass: Map<InScopeClass, Ratio>; overall: Ratio; logic: Ratio } {
  const byClass = new Map<InScopeClass, Ratio>();
  const overall: Ratio = { found: 0, total: 0 };
  const logic: Ratio = { found: 0, total: 0 };
  for (const { label, findings } of outcomes) {
    const hit = findings.length > 0 ? 1 : 0;
    if (label.class === 'logic') {
      logic.total += 1;
      logic.found += hit;
      continue;
    }
    const ratio = byClass.get(label.class) ?? { found: 0, total: 0 };
    ratio.total += 1;
    ratio.found += hit;
    byClass.set(label.class, ratio);
    overall.total += 1;
    overall.found += hit;
  }
  return { byClass: new Map([...byClass].sort(([a], [b]) => IN_SCOPE_CLASSES.indexOf(a) - IN_SCOPE_CLASSES.indexOf(b))), overall, logic };
}

export interface Precision {
  matched: number;
  judgedTrue: number;
  judgedFalse: number;
  unjudged: number;
  /** matched / (matched + judged false); undefined with no finding to count. Unjudged findings are not in it. */
  value: number | undefined;
}

/** Precision as the benchmark defines it: findings on labels against findings judged false alarms. */
export function precision(verdicts: Verdicts): Precision {
  const matched = verdicts.matched.length;
  const judgedTrue = verdicts.offLabel.filter((o) => o.judgment?.verdict === 'true').length;
  const judgedFalse = verdicts.offLabel.filter((o) => o.judgment?.verdict === 'false').length;
  const unjudged = verdicts.offLabel.filter((o) => !o.judgment).length;
  const denominator = matched + judgedFalse;
  return { matched, judgedTrue, judgedFalse, unjudged, value: denominator === 0 ? undefined : matched / denominator };
}

/** Test code by path and file name, in JavaScript, TypeScript and Python (the benchmark's own reading, for its checks). */
export function isTestPath(path: string): boolean {
  const parts = path.split('/');
  const name = parts.at(-1) ?? '';
  if (parts.slice(0, -1).some((dir) => /^(tests?|__tests__|__mocks__|spec|specs|testing|fixtures?)$/i.test(dir))) return true;
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(name) || /^test_.*\.py$/.test(name) || name.endsWith('_test.py') || name === 'conftest.py';
}

/** Vendored or bundled code by path: third-party folders, copied front-end libraries, minified files. */
export function isVendoredPath(path: string): boolean {
  return (
    /(^|\/)(vendor|vendored|third[_-]?party|node_modules|bower_components)\//i.test(path) ||
    /(^|\/)(public|static|assets)\/(.*\/)?(js|lib|libs|vendor|static)\//i.test(path) ||
    /(^|\/)(jquery|angular|bootstrap|three|materialize|react(-dom)?|vue|lodash|underscore|d3|moment|popper)([.-][\w.-]*)?\.js$/i.test(path) ||
    /\.min\.[cm]?js$/.test(path)
  );
}

/** Counts lines as `wc -l` plus a last line without a newline. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}
