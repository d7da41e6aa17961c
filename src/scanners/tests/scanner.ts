import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getErrorMessage } from '../../errors.js';
import type { SandboxBackend, SandboxPhase, SandboxPhaseResult, SandboxResult } from '../../runtime/sandbox.js';
import { SANDBOX_WORKDIR } from '../../runtime/sandbox.js';
import { redactSecrets } from '../../text/redact.js';
import { formatDuration, oneLine, truncate } from '../../text/strings.js';
import type { Finding, HeadCheckout, RuleInfo, ScanReport, TestRunStats } from '../../types.js';
import { emptyReport, type ScanPorts, type ScanResult, type Scanner } from '../scanner.js';
// The report parsers (an XML parser among them) load when tests have run, not with every review.
import type { locateTestCase as LocateTestCaseFn } from './locate.js';
import type { TestCaseResult } from './reports.js';

type LocateTestCase = typeof LocateTestCaseFn;

/** What the tests scanner reads of the run: its own inputs, the allowlisted environment, where the log goes. Never a token. */
export interface TestsSettings {
  command: string;
  setupCommand?: string;
  /** The setup phase's network (the test phase never has one). */
  setupNetwork: boolean;
  image: string;
  timeoutMs: number;
  memoryBytes: number;
  cpus: number;
  /** Exactly what reaches the sandbox (`CI=true`, `LANG`, `TZ`, the names of `test-env` that are set). */
  env: Readonly<Record<string, string>>;
  /** Names of `test-env` that are not set on the runner: said once, never an error. */
  missingEnv: readonly string[];
  /** Globs (relative to the repository) of the reports to read; empty: the defaults. */
  reportGlobs: readonly string[];
  /** Where the whole log is written: the runner's temp folder, kept after the run (the `test-log` output). */
  logDir: string;
  /** The workflow file, when known: where a run-level finding (setup failed, timed out) is anchored. */
  workflowPath?: string;
}

export const TEST_RULES = {
  failed: 'tests/failed',
  error: 'tests/error',
  run: 'tests/run-failed',
  setup: 'tests/setup-failed',
} as const;

const RULES: RuleInfo[] = [
  {
    id: TEST_RULES.failed,
    source: 'tests',
    shortDescription: 'A test of the pull request fails.',
    fullDescription: 'A test failed when the pull request’s tests ran in the sandbox: the change breaks behaviour the tests expect, or the test needs updating.',
    category: 'tests',
    severity: 'high',
  },
  {
    id: TEST_RULES.error,
    source: 'tests',
    shortDescription: 'A test of the pull request ends with an error.',
    fullDescription: 'A test ended with an error (not an assertion) when the pull request’s tests ran in the sandbox.',
    severity: 'high',
  },
  {
    id: TEST_RULES.run,
    source: 'tests',
    shortDescription: 'The test command failed, timed out or ran out of memory.',
    fullDescription: 'The test command did not complete successfully, and no test report says which test failed.',
    severity: 'high',
  },
  {
    id: TEST_RULES.setup,
    source: 'tests',
    shortDescription: 'The test setup command failed: the tests did not run.',
    fullDescription: 'The dependency install step failed, so the pull request’s tests could not run.',
    severity: 'high',
  },
];

/** Bounds: the head tree copied in, one report read, the log excerpt a finding carries. */
const MAX_TREE_BYTES = 2 * 1024 * 1024 * 1024;
const COLLECT_LIMITS = { files: 50, bytesPerFile: 10 * 1024 * 1024 };
const EXCERPT_LINES = 40;
/** Failing tests beyond this are counted, not each a finding: a broken suite must not become a thousand annotations. */
const MAX_TEST_FINDINGS = 100;
/** Head files read (two git processes each) to place failing tests, over the whole run: a crafted report cannot make it thousands. */
const MAX_SOURCE_FILES = 200;
const EXCERPT_CHARS = 4_000;
const MANIFESTS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt', 'go.mod', 'Cargo.toml', 'pom.xml', 'build.gradle', 'Makefile'];

export function createTestsScanner(settings: TestsSettings): Scanner {
  return {
    name: 'tests',
    async run(ports) {
      const started = Date.now();
      const sandbox = ports.sandbox;
      // Never on the host: without a sandbox the tests do not run. The workflow asked for them (test-command is set), so that is a
      // review that did not run fully, never a pass: `failed`, and the check fails closed unless fail-on-scan-error is false.
      if (sandbox.status !== 'ready') return emptyReport('tests', 'failed', `the tests were not run (never on the host): ${sandbox.reason}`);
      const checkout = ports.checkout;
      if (checkout.status !== 'ready') return emptyReport('tests', 'failed', `the tests were not run: ${checkout.reason}`);
      return runTests(settings, ports, sandbox.value, checkout.value, started);
    },
  };
}

async function runTests(
  settings: TestsSettings,
  ports: ScanPorts,
  sandbox: SandboxBackend,
  checkout: HeadCheckout,
  started: number,
): Promise<ScanResult> {
  const warnings: string[] = [];
  if (checkout.note) warnings.push(checkout.note);
  if (settings.missingEnv.length > 0) warnings.push(`test-env names not set on the runner (not passed): ${settings.missingEnv.join(', ')}`);
  const phases: SandboxPhase[] = [
    ...(settings.setupCommand ? [{ name: 'setup' as const, command: settings.setupCommand, network: settings.setupNetwork ? ('default' as const) : ('none' as const) }] : []),
    { name: 'test', command: settings.command, network: 'none' },
  ];
  await mkdir(settings.logDir, { recursive: true });
  const logFile = join(settings.logDir, `ultra-create-tests-${checkout.revision.slice(0, 12)}-${String(Date.now())}.log`);
  const { DEFAULT_TEST_REPORT_GLOBS, parseTestReport } = await import('./reports.js');
  const { locateTestCase } = await import('./locate.js');
  const globs = settings.reportGlobs.length > 0 ? settings.reportGlobs : DEFAULT_TEST_REPORT_GLOBS;
  let result: SandboxResult;
  try {
    result = await sandbox.run({
      image: settings.image,
      tree: { kind: 'tar', open: () => checkout.archive(MAX_TREE_BYTES) },
      phases,
      env: settings.env,
      limits: {
        timeoutMs: settings.timeoutMs,
        memoryBytes: settings.memoryBytes,
        cpus: settings.cpus,
        pids: 2048,
        openFiles: 8192,
        processes: 2048,
      },
      collect: globs,
      collectLimits: COLLECT_LIMITS,
      logFile,
      redact: redactSecrets,
      ...(ports.signal && { signal: ports.signal }),
    });
  } catch (error) {
    return emptyReport('tests', 'failed', `the sandbox could not run the tests: ${getErrorMessage(error)}`, Date.now() - started);
  }
  warnings.push(...result.collectWarnings);

  const files = new Set(await checkout.listFiles());
  const sources = new Map<string, string | undefined>();
  const cases: TestCaseResult[] = [];
  const reports: string[] = [];
  for (const [path, content] of [...result.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parsed = parseTestReport(path, content);
    if (parsed.problem) warnings.push(parsed.problem);
    if (parsed.cases.length > 0) reports.push(path);
    cases.push(...parsed.cases);
  }
  const failing = cases.filter((c) => c.status === 'failed' || c.status === 'error');

  const setup = result.phases.find((p) => p.name === 'setup');
  const test = result.phases.find((p) => p.name === 'test');
  const stats: TestRunStats = {
    passed: cases.filter((c) => c.status === 'passed').length,
    failed: cases.filter((c) => c.status === 'failed').length,
    errors: cases.filter((c) => c.status === 'error').length,
    skipped: cases.filter((c) => c.status === 'skipped').length,
    durationMs: result.durationMs,
    outcome: outcomeOf(setup, test, settings.timeoutMs),
    sandbox: [`backend: ${sandbox.description}`, `image: ${settings.image}`, ...result.applied],
    logFile: result.logFile,
    reports,
  };

  const anchor = await runAnchor(settings, files, checkout);
  const findings: Finding[] = [];
  const setupFailed = setup !== undefined && !(setup.ended === 'exited' && setup.exitCode === 0);
  if (setupFailed) {
    findings.push(runFinding(TEST_RULES.setup, `The test setup ${endedText(setup, settings.timeoutMs)}: the tests did not run.`, anchor, result));
  } else {
    for (const tc of failing.slice(0, MAX_TEST_FINDINGS)) {
      const location = (await locate(tc, files, checkout, sources, locateTestCase)) ?? anchor;
      findings.push(caseFinding(tc, location, sources.get(location.path), result));
    }
    if (failing.length > MAX_TEST_FINDINGS) {
      warnings.push(`${String(failing.length)} failing tests: the first ${String(MAX_TEST_FINDINGS)} are findings, the rest are in the log and the reports`);
    }
    const testOk = test?.ended === 'exited' && test.exitCode === 0;
    // A killed run (deadline, memory) is always said, even when a report holds failures: those are not why it stopped.
    const killed = test !== undefined && test.ended !== 'exited' && test.ended !== 'not-run';
    if (killed || (!testOk && failing.length === 0)) {
      const reportNote = reports.length === 0 ? ' No test report was found' + (globs.length > 0 ? ` (looked for ${globs.slice(0, 4).join(', ')}${globs.length > 4 ? ', …' : ''})` : '') + '.' : '';
      findings.push(runFinding(TEST_RULES.run, `The test command ${endedText(test, settings.timeoutMs)}.${reportNote}`, anchor, result));
    }
  }

  const report: ScanReport = {
    scanner: 'tests',
    status: 'ok',
    findings,
    durationMs: Date.now() - started,
    filesScanned: files.size,
    warnings,
    tests: stats,
  };
  ports.logger.info(`Tests: ${stats.outcome}; ${String(stats.passed)} passed, ${String(stats.failed)} failed, ${String(stats.errors)} errors, ${String(stats.skipped)} skipped in ${formatDuration(stats.durationMs)}. Log: ${result.logFile}`);
  return { report, rules: RULES };
}

function outcomeOf(setup: SandboxPhaseResult | undefined, test: SandboxPhaseResult | undefined, timeoutMs: number): string {
  if (setup && !(setup.ended === 'exited' && setup.exitCode === 0)) return `setup ${endedText(setup, timeoutMs)}`;
  if (!test) return 'tests not run';
  return `tests ${endedText(test, timeoutMs)}`;
}

function endedText(phase: SandboxPhaseResult | undefined, timeoutMs: number): string {
  if (!phase) return 'did not run';
  switch (phase.ended) {
    case 'timed-out':
      return `timed out after ${formatDuration(timeoutMs)} (killed at the deadline)`;
    case 'out-of-memory':
      return 'ran out of memory (killed)';
    case 'cancelled':
      return 'was cancelled';
    case 'not-run':
      return 'did not run';
    case 'exited':
      return phase.exitCode === 0 ? 'passed (exit 0)' : `failed (exit ${String(phase.exitCode)})`;
  }
}

interface Anchor {
  path: string;
  line: number;
}

/** Where a finding about the whole run goes: the workflow that set `test-command`, else the project's manifest, else the first file. */
async function runAnchor(settings: TestsSettings, files: ReadonlySet<string>, checkout: HeadCheckout): Promise<Anchor> {
  const workflow = settings.workflowPath && files.has(settings.workflowPath) ? settings.workflowPath : undefined;
  if (workflow) {
    const text = (await checkout.readFile(workflow))?.toString('utf8') ?? '';
    const index = text.split('\n').findIndex((line) => /\btest-command\s*:/.test(line));
    return { path: workflow, line: index >= 0 ? index + 1 : 1 };
  }
  const manifest = MANIFESTS.find((name) => files.has(name));
  return { path: manifest ?? [...files].sort()[0] ?? 'README.md', line: 1 };
}

/**
 * `locateTestCase` reads files synchronously; the head commit's files come from git asynchronously. Each pass records the files it
 * wanted and did not have, they are read, and it runs again (a few passes at most: a report names few files).
 */
async function locate(
  tc: TestCaseResult,
  files: ReadonlySet<string>,
  checkout: HeadCheckout,
  cache: Map<string, string | undefined>,
  locateTestCase: LocateTestCase,
): Promise<Anchor | undefined> {
  for (let pass = 0; pass < 4; pass++) {
    const missing = new Set<string>();
    const read = (path: string): string | undefined => {
      if (cache.has(path)) return cache.get(path);
      missing.add(path);
      return undefined;
    };
    const location = locateTestCase(tc, { workdir: SANDBOX_WORKDIR, files, read });
    if (missing.size === 0) return location;
    for (const path of [...missing].slice(0, 20)) {
      // A report names the files; past the bound they count as unreadable (the report's own line is then trusted, or the anchor).
      cache.set(path, cache.size < MAX_SOURCE_FILES ? (await checkout.readFile(path))?.toString('utf8') : undefined);
    }
  }
  return locateTestCase(tc, { workdir: SANDBOX_WORKDIR, files, read: (path) => cache.get(path) });
}

function caseFinding(tc: TestCaseResult, location: Anchor, source: string | undefined, result: SandboxResult): Finding {
  const message = tc.message ? `: ${oneLine(tc.message)}` : '';
  const text = truncate(`Test ${tc.status === 'error' ? 'error' : 'failed'}: ${oneLine(tc.name)}${message}`, 500);
  const details = tc.details?.trim() ? tc.details : tailOf(result.logTail);
  return {
    ruleId: tc.status === 'error' ? TEST_RULES.error : TEST_RULES.failed,
    source: 'tests',
    severity: 'high',
    path: location.path,
    startLine: location.line,
    endLine: location.line,
    message: text,
    evidence: lineOf(source, location.line),
    output: excerpt(redactSecrets(details), 'start'),
    fingerprint: '',
  };
}

function runFinding(ruleId: string, message: string, anchor: Anchor, result: SandboxResult): Finding {
  return {
    ruleId,
    source: 'tests',
    severity: 'high',
    path: anchor.path,
    startLine: anchor.line,
    endLine: anchor.line,
    message,
    evidence: '',
    output: excerpt(tailOf(result.logTail)),
    fingerprint: '',
  };
}

function lineOf(text: string | undefined, line: number): string {
  return redactSecrets(text?.split('\n')[line - 1]?.trimEnd() ?? '');
}

function tailOf(log: string): string {
  return log.split('\n').slice(-EXCERPT_LINES).join('\n');
}

/**
 * At most a few thousand characters of a text, cut at a line: the start of a failure (its message and first frames say what
 * failed), the end of a log (it says how the run ended).
 */
function excerpt(text: string, keep: 'start' | 'end' = 'end'): string {
  const trimmed = text.trim();
  if (trimmed.length <= EXCERPT_CHARS) return trimmed;
  if (keep === 'start') {
    const cut = trimmed.slice(0, EXCERPT_CHARS);
    return `${cut.slice(0, Math.max(cut.lastIndexOf('\n'), 0))}\n…`;
  }
  const cut = trimmed.slice(-EXCERPT_CHARS);
  return `…${cut.slice(cut.indexOf('\n') + 1)}`;
}
