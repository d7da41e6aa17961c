/**
 * Test reports brought back from the sandbox, read into one shape: JUnit XML (every runner's dialect: Node's, vitest's, jest-junit's,
 * pytest's, gotestsum's, surefire's) and TAP (Node's `--test-reporter=tap`). The reports are written by the pull request's code, so
 * they are hostile input: bounded in size, no DOCTYPE (so no entity of the report's own), nesting bounded by the parser, and nothing
 * here throws. Where each runner puts a test's location (measured on real outputs) is in DESIGN.md §5; `locate.ts` uses it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { gitattributesPatternToRegExp } from '../../collect/file-filter.js';
import { getErrorMessage } from '../../errors.js';
import { oneLine, truncate } from '../../text/strings.js';

export interface TestCaseResult {
  /** The test's name; where the format nests (describe blocks, subtests), the enclosing names first, joined with ' > '. */
  name: string;
  /** The classname, or the innermost suite's name when there is none. */
  suite?: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  /** The assertion or failure message, on one line. */
  message?: string;
  /** The failure's body (stack, captured output) or the TAP diagnostic block, as raw text. */
  details?: string;
  /** As the report gives it: an absolute path inside the container, a `file://` URL, or a relative path. */
  file?: string;
  /** 1-based. */
  line?: number;
  durationMs?: number;
  /** Repository-relative path of the report it came from. */
  report: string;
}

export interface ParsedReport {
  format: 'junit' | 'tap' | 'unknown';
  cases: TestCaseResult[];
  /** What is wrong with the report (it names the file); cases read before the problem are kept. */
  problem?: string;
}

/** Larger reports are refused: no runner writes one this size for a pull request's tests, a hostile one would. */
export const MAX_TEST_REPORT_BYTES = 20 * 1024 * 1024;
/** Deepest element nesting accepted in a JUnit report (suites in suites in Node's reporter: one level per describe). */
const MAX_XML_DEPTH = 100;
const MAX_MESSAGE_CHARS = 1000;

/**
 * Where common runners write their reports when told to (relative to the repository). `node_modules/` and `.git/` never match: the
 * packages a setup installs ship report fixtures of their own.
 */
export const DEFAULT_TEST_REPORT_GLOBS: readonly string[] = [
  '**/junit*.xml', // jest-junit's default `junit.xml`, `junit-report.xml`
  '**/*.junit.xml',
  '**/*-junit.xml',
  '**/*_junit.xml',
  '**/TEST-*.xml', // Maven surefire, Gradle, Ant
  '**/test-results/**/*.xml',
  '**/test-reports/**/*.xml',
  '**/*.tap',
];

const NEVER_REPORTS = /(^|\/)(node_modules|\.git)\//;

/** gitignore-style globs (`**`, `*`, `?`, `[…]`; no slash: any depth), with `!glob` excluding what an earlier glob took. */
export function matchesReportGlob(path: string, globs: readonly string[]): boolean {
  const normalised = path.replace(/^\.\//, '');
  if (NEVER_REPORTS.test(normalised)) return false;
  let matched = false;
  for (const glob of globs) {
    const negated = glob.startsWith('!');
    const pattern = (negated ? glob.slice(1) : glob).trim().replace(/^\.\//, '');
    if (pattern === '') continue;
    if (gitattributesPatternToRegExp(pattern).test(normalised)) matched = !negated;
  }
  return matched;
}

/** Never throws: an unreadable or malformed report gives `problem` naming the file and what is wrong. */
export function parseTestReport(path: string, content: string | Buffer): ParsedReport {
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.length;
  if (size > MAX_TEST_REPORT_BYTES) {
    return unknown(`${path}: ${formatMegabytes(size)} is over the ${formatMegabytes(MAX_TEST_REPORT_BYTES)} a test report may have`);
  }
  const text = decode(content);
  if (text === undefined) return unknown(`${path}: binary content, not a JUnit XML or TAP report`);
  const start = text.trimStart();
  try {
    if (start.startsWith('<')) return parseJunit(path, text);
    if (looksLikeTap(text)) return parseTap(path, text);
  } catch (error) {
    // The parsers below report what they can as `problem`; this is the stack overflow or the bug nobody foresaw.
    return unknown(`${path}: could not be read (${printableError(error)})`);
  }
  return unknown(`${path}: neither JUnit XML nor TAP`);
}

function unknown(problem: string): ParsedReport {
  return { format: 'unknown', cases: [], problem };
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

function printableError(error: unknown): string {
  return truncate(oneLine(getErrorMessage(error)), 200);
}

/** UTF-8 (BOM dropped) or UTF-16 with a BOM; undefined for binary content (a NUL byte, as git decides). */
function decode(content: string | Buffer): string | undefined {
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else if (content[0] === 0xff && content[1] === 0xfe) {
    text = content.subarray(2).toString('utf16le');
  } else if (content[0] === 0xfe && content[1] === 0xff) {
    const swapped = Buffer.from(content.subarray(2));
    swapped.swap16();
    text = swapped.toString('utf16le');
  } else {
    text = content.toString('utf8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.includes('\u0000') ? undefined : text;
}

// --- JUnit XML ---------------------------------------------------------------------------------------------------------------------

type XmlNode = Record<string, unknown>;

const ARRAY_ELEMENTS = new Set(['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped', 'system-out', 'system-err']);

function xmlParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    alwaysCreateTextNode: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: MAX_XML_DEPTH,
    // References are decoded below (`decodeXml`): this parser version decodes character references only together with HTML's
    // named entities, and a report has no business with those. A DOCTYPE is refused before parsing, so none can be declared.
    processEntities: false,
    isArray: (name) => ARRAY_ELEMENTS.has(name),
  });
}

function parseJunit(path: string, text: string): ParsedReport {
  // No runner writes a DOCTYPE; a report that has one wants entities of its own (expansion bombs, external files).
  if (/<!DOCTYPE/i.test(text)) return { format: 'junit', cases: [], problem: `${path}: has a DOCTYPE, which a test report never needs` };
  // Deprecated in favour of a separate package, still shipped and maintained here; the parser alone accepts unclosed tags.
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return { format: 'junit', cases: [], problem: `${path}: malformed XML at line ${valid.err.line}: ${oneLine(valid.err.msg)}` };
  }
  let document: XmlNode;
  try {
    document = xmlParser().parse(text) as XmlNode;
  } catch (error) {
    return { format: 'junit', cases: [], problem: `${path}: ${printableError(error)}` };
  }
  const cases: TestCaseResult[] = [];
  const roots = elements(document, 'testsuites');
  if (roots.length > 0) {
    for (const root of roots) {
      // Node's reporter puts top-level tests straight under <testsuites>, and each top-level describe is then a suite whose name
      // belongs to the test's name. Other runners' top-level suites are files, packages or "pytest": a suite, not part of a name.
      const suitesAreDescribes = elements(root, 'testcase').length > 0;
      for (const testcase of elements(root, 'testcase')) cases.push(junitCase(testcase, [], undefined, path));
      for (const suite of elements(root, 'testsuite')) collectSuite(suite, suitesAreDescribes ? [attribute(suite, 'name') ?? ''] : [], path, cases, undefined);
    }
  } else if (elements(document, 'testsuite').length > 0) {
    for (const suite of elements(document, 'testsuite')) collectSuite(suite, [], path, cases, undefined);
  } else {
    return { format: 'junit', cases: [], problem: `${path}: XML without a <testsuites> or <testsuite> root, not a JUnit report` };
  }
  return { format: 'junit', cases: dropGoParentFailures(cases) };
}

/** `names`: the suite names that are part of the test's name (nested describes); the suite itself is `suite`. */
function collectSuite(suite: XmlNode, names: string[], path: string, cases: TestCaseResult[], inheritedFile: string | undefined): void {
  const file = attribute(suite, 'file') ?? attribute(suite, 'filepath') ?? inheritedFile;
  const suiteName = attribute(suite, 'name');
  for (const testcase of elements(suite, 'testcase')) cases.push(junitCase(testcase, names, suiteName, path, file));
  for (const child of elements(suite, 'testsuite')) {
    const childName = attribute(child, 'name');
    collectSuite(child, childName ? [...names, childName] : names, path, cases, file);
  }
}

function junitCase(testcase: XmlNode, names: string[], suiteName: string | undefined, report: string, suiteFile?: string): TestCaseResult {
  const ownName = (attribute(testcase, 'name') ?? '').trim();
  const classname = attribute(testcase, 'classname')?.trim();
  const result: TestCaseResult = {
    name: [...names.map((name) => name.trim()).filter((name) => name !== ''), ownName].join(' > '),
    status: 'passed',
    report,
  };
  const suite = classname || suiteName?.trim();
  if (suite) result.suite = suite;

  const failures = elements(testcase, 'failure');
  const errors = elements(testcase, 'error');
  const failureAttribute = attribute(testcase, 'failure');
  const problems = failures.length > 0 || failureAttribute !== undefined ? failures : errors;
  if (failures.length > 0 || failureAttribute !== undefined) result.status = 'failed';
  else if (errors.length > 0) result.status = 'error';
  else if (elements(testcase, 'skipped').length > 0) result.status = 'skipped';

  if (result.status === 'failed' || result.status === 'error') {
    const first = problems[0];
    const body = problems.map((node) => textOf(node).trim()).filter((text) => text !== '');
    const output = [...elements(testcase, 'system-out'), ...elements(testcase, 'system-err')].map((node) => textOf(node).trim()).filter((text) => text !== '');
    const message = failureMessage(first ? (attribute(first, 'message') ?? attribute(first, 'type')) : undefined, failureAttribute, body.join('\n'));
    if (message) result.message = message;
    const details = [...body, ...output].join('\n\n');
    if (details !== '') result.details = details;
  } else if (result.status === 'skipped') {
    const message = attribute(elements(testcase, 'skipped')[0] ?? {}, 'message');
    if (message && message !== 'true') result.message = truncate(oneLine(message), MAX_MESSAGE_CHARS);
  }

  const file = attribute(testcase, 'file') ?? attribute(testcase, 'filepath') ?? suiteFile;
  if (file?.trim()) result.file = file.trim();
  const line = positiveInteger(attribute(testcase, 'line') ?? attribute(testcase, 'lineno'));
  if (line !== undefined && result.file !== undefined) {
    // pytest (junit_family=xunit1) writes the 0-based line of the `def`; it is the one runner writing `line` for Python files.
    result.line = result.file.endsWith('.py') ? line + 1 : line;
    if (result.line < 1) delete result.line;
  }
  const seconds = Number((attribute(testcase, 'time') ?? '').replace(/,/g, ''));
  if (Number.isFinite(seconds) && seconds >= 0 && attribute(testcase, 'time') !== undefined) result.durationMs = Math.round(seconds * 1_000_000) / 1000;
  return result;
}

/**
 * The message attribute when it says something; gotestsum writes the constant "Failed" and jest-junit none, so the body's first
 * telling line (Go's `file_test.go:17: message`, else the first line) is the message then.
 */
function failureMessage(message: string | undefined, failureAttribute: string | undefined, body: string): string | undefined {
  const given = message?.trim() || failureAttribute?.trim();
  if (given && given !== 'Failed') return truncate(oneLine(given), MAX_MESSAGE_CHARS);
  const lines = body.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !/^(===|---) /.test(line));
  const goLine = lines.find((line) => /^\S+\.go:\d+: /.test(line));
  const chosen = goLine ?? lines[0] ?? given;
  return chosen ? truncate(oneLine(chosen), MAX_MESSAGE_CHARS) : undefined;
}

/**
 * Go marks a test failed when one of its subtests failed, and gotestsum writes both: `TestX` and `TestX/case`. The parent says
 * nothing of its own (only `=== RUN` / `--- FAIL` lines), so it is the subtest's failure counted twice.
 */
function dropGoParentFailures(cases: TestCaseResult[]): TestCaseResult[] {
  const failedNames = new Set(cases.filter((tc) => tc.status === 'failed').map((tc) => `${tc.suite ?? ''}\u0000${tc.name}`));
  return cases.filter((tc) => {
    if (tc.status !== 'failed' || !/^(Test|Benchmark|Example|Fuzz)/.test(tc.name)) return true;
    const prefix = `${tc.suite ?? ''}\u0000${tc.name}/`;
    const hasFailedSubtest = [...failedNames].some((name) => name.startsWith(prefix));
    const saysNothing = (tc.details ?? '').split(/\r?\n/).every((line) => line.trim() === '' || /^(===|---) /.test(line.trim()));
    return !(hasFailedSubtest && saysNothing);
  });
}

function elements(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? value.filter((item): item is XmlNode => typeof item === 'object' && item !== null) : [];
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`];
  return typeof value === 'string' ? decodeXml(value) : undefined;
}

function textOf(node: XmlNode): string {
  const value = node['#text'];
  return typeof value === 'string' ? decodeXml(value) : '';
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five predefined entities and character references (`&#10;`, `&#xA;`), in one pass: `&amp;lt;` stays `&lt;`. */
function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? whole;
    const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function positiveInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

// --- TAP ---------------------------------------------------------------------------------------------------------------------------

const TAP_POINT = /^(\s*)(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$/;

function looksLikeTap(text: string): boolean {
  return /^\s*TAP version \d+/.test(text) || /^\s*(?:not )?ok\b/m.test(text) || /^\s*1\.\.\d+/m.test(text);
}

interface TapEntry {
  indent: number;
  /** The cases under this point, itself included when it counts. */
  cases: TestCaseResult[];
}

function parseTap(path: string, text: string): ParsedReport {
  const lines = text.split(/\r?\n/);
  // Node prints a test's subtests before the test's own line, indented deeper: when a point comes, the entries deeper than it
  // that are still open are its subtests.
  const open: TapEntry[] = [];
  let problem: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const bail = /^\s*Bail out!\s*(.*)$/.exec(line);
    if (bail) problem ??= `${path}: the run bailed out${bail[1] ? `: ${oneLine(bail[1])}` : ''}`;
    const point = TAP_POINT.exec(line);
    if (!point) continue;
    const indent = point[1]!.length;
    const { name, directive, reason } = splitDirective(point[4]!);
    const block = readYamlBlock(lines, index + 1, indent);
    if (block) index = block.end;
    const diagnostics = block ? parseDiagnostics(block.text) : {};

    const children: TestCaseResult[] = [];
    while (open.length > 0 && open[open.length - 1]!.indent > indent) children.unshift(...open.pop()!.cases);
    for (const child of children) child.name = `${name} > ${child.name}`;

    const tc: TestCaseResult = { name, status: 'passed', report: path };
    const failed = point[2] === 'not ok';
    if (directive === 'todo' || directive === 'skip') tc.status = 'skipped';
    else if (failed) tc.status = ['cancelledByParent', 'hookFailure'].includes(stringField(diagnostics, 'failureType') ?? '') ? 'error' : 'failed';
    if (tc.status === 'skipped' && reason) tc.message = truncate(oneLine(reason), MAX_MESSAGE_CHARS);
    const error = stringField(diagnostics, 'error');
    if (failed && error) tc.message = truncate(oneLine(error), MAX_MESSAGE_CHARS);
    if (failed && block) tc.details = block.text;
    const location = stringField(diagnostics, 'location');
    const where = location ? /^(.*?):(\d+)(?::\d+)?$/.exec(location) : null;
    if (where) {
      tc.file = where[1]!;
      const lineNumber = Number(where[2]);
      if (lineNumber >= 1) tc.line = lineNumber;
    }
    const duration = diagnostics.duration_ms;
    if (typeof duration === 'number' && Number.isFinite(duration) && duration >= 0) tc.durationMs = duration;

    open.push({ indent, cases: tapCounts(tc, diagnostics, children) ? [...children, tc] : children });
  }
  const cases = open.flatMap((entry) => entry.cases);
  if (cases.length === 0 && problem === undefined) problem = `${path}: TAP without any test point`;
  return problem === undefined ? { format: 'tap', cases } : { format: 'tap', cases, problem };
}

/**
 * A suite is not a test (Node counts suites apart), and a parent that failed only because a subtest did is that subtest's failure:
 * neither is a case of its own. A parent test that passed, or failed for its own reason, is one.
 */
function tapCounts(tc: TestCaseResult, diagnostics: Record<string, unknown>, children: TestCaseResult[]): boolean {
  if (children.length === 0) return true;
  if (diagnostics.type === 'suite') return false;
  if (diagnostics.failureType === 'subtestsFailed') return false;
  if (tc.status === 'failed' && diagnostics.error === undefined && children.some((child) => child.status === 'failed')) return false;
  return true;
}

/** `name # SKIP reason`; an escaped `\#` belongs to the name. */
function splitDirective(rest: string): { name: string; directive?: 'skip' | 'todo'; reason?: string } {
  const match = /(?:^|[^\\])#\s*(skip|todo)\b\s*(.*)$/i.exec(rest);
  let name = rest;
  let directive: 'skip' | 'todo' | undefined;
  let reason: string | undefined;
  if (match) {
    const hash = rest.indexOf('#', match.index);
    name = rest.slice(0, hash);
    directive = match[1]!.toLowerCase() as 'skip' | 'todo';
    reason = match[2]!.trim() || undefined;
  }
  name = name.trim().replace(/\\([#\\])/g, '$1');
  return reason === undefined ? { name, ...(directive ? { directive } : {}) } : { name, directive: directive!, reason };
}

/** The `---` … `...` block right after a point, indented deeper than the point; its text is dedented. */
function readYamlBlock(lines: string[], from: number, pointIndent: number): { text: string; end: number } | undefined {
  const opening = lines[from];
  if (opening?.trim() !== '---') return undefined;
  const blockIndent = opening.length - opening.trimStart().length;
  if (blockIndent <= pointIndent) return undefined;
  const body: string[] = [];
  for (let index = from + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '...' && line.length - line.trimStart().length === blockIndent) return { text: body.join('\n'), end: index };
    body.push(line.slice(Math.min(blockIndent, line.length - line.trimStart().length)));
  }
  // An unterminated block (a report cut short): keep what is there rather than read YAML as test points.
  return { text: body.join('\n'), end: lines.length - 1 };
}

function parseDiagnostics(text: string): Record<string, unknown> {
  try {
    const value: unknown = parseYaml(text, { maxAliasCount: 50, prettyErrors: false });
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
