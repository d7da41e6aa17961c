/**
 * The tests scanner's own logic, over a backend that replays what a sandbox run returns (phases, log, the reports it brought back):
 * which findings a run becomes, where they are, what the counts say, and what the scanner asks the sandbox for. The sandbox itself
 * runs against the real Docker engine in sandbox-docker.test.ts and end to end in e2e-sandbox.test.ts.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveHeadCheckout } from '../src/collect/checkout.js';
import type { SandboxBackend, SandboxPhaseResult, SandboxResult, SandboxRun } from '../src/runtime/sandbox.js';
import type { ScanPorts } from '../src/scanners/scanner.js';
import { createTestsScanner, TEST_RULES, type TestsSettings } from '../src/scanners/tests/scanner.js';
import type { HeadCheckout, Service } from '../src/types.js';
import { git } from './support/git-fixture.js';
import { RecordingLogger } from './support/recording-logger.js';

const FIXTURES = new URL('./fixtures/test-reports/', import.meta.url);
let scratch = '';
let checkout: Service<HeadCheckout>;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uc-tests-scanner-'));
  const repo = join(scratch, 'repo');
  await cp(new URL('project/', FIXTURES), repo, { recursive: true });
  await git(repo, ['init', '-q', '-b', 'main']);
  await git(repo, ['add', '-A']);
  await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'project']);
  const head = (await git(repo, ['rev-parse', 'HEAD'])).toString('utf8').trim();
  checkout = await resolveHeadCheckout(repo, head);
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function settings(overrides: Partial<TestsSettings> = {}): TestsSettings {
  return {
    command: 'npm test',
    setupNetwork: true,
    image: 'node:22',
    timeoutMs: 600_000,
    memoryBytes: 1 << 30,
    cpus: 2,
    env: { CI: 'true' },
    missingEnv: [],
    reportGlobs: [],
    logDir: scratch,
    ...overrides,
  };
}

/** Replays one sandbox outcome and keeps what the scanner asked for. */
function replay(outcome: { phases: SandboxPhaseResult[]; reports?: Record<string, string>; logTail?: string }) {
  const requests: SandboxRun[] = [];
  const backend: SandboxBackend = {
    description: 'replay',
    run(request) {
      requests.push(request);
      const result: SandboxResult = {
        phases: outcome.phases,
        durationMs: 1234,
        logTail: outcome.logTail ?? 'line one\nline two',
        logFile: request.logFile,
        files: new Map(Object.entries(outcome.reports ?? {}).map(([path, text]) => [path, Buffer.from(text)])),
        collectWarnings: [],
        applied: ['user 1000:1000', 'network: test none'],
      };
      return Promise.resolve(result);
    },
  };
  return { backend, requests };
}

function ports(backend: Service<SandboxBackend>, head: Service<HeadCheckout> = checkout): ScanPorts {
  return {
    tree: { root: scratch, files: [], inPlace: false },
    logger: new RecordingLogger(),
    tempDir: scratch,
    gateway: { status: 'skipped', reason: 'not needed' },
    sandbox: backend,
    checkout: head,
  };
}

const exited = (name: 'setup' | 'test', exitCode: number): SandboxPhaseResult => ({ name, exitCode, ended: 'exited', durationMs: 10 });

describe('the tests scanner', () => {
  test('failing tests in a report become high findings at the test line, with the message and the output; the counts follow the report', async () => {
    const junit = await readFile(new URL('node-junit.xml', FIXTURES), 'utf8');
    const { backend, requests } = replay({ phases: [exited('setup', 0), exited('test', 1)], reports: { 'reports/junit.xml': junit } });
    const scanner = createTestsScanner(settings({ setupCommand: 'npm ci', reportGlobs: ['reports/*.xml'] }));
    const { report, rules } = await scanner.run(ports({ status: 'ready', value: backend }));

    assert.equal(report.status, 'ok');
    assert.deepEqual(
      report.findings.map((f) => [f.ruleId, f.severity, f.path]),
      [
        [TEST_RULES.failed, 'high', 'test/node/port.test.js'],
        [TEST_RULES.failed, 'high', 'test/node/port.test.js'],
      ],
    );
    const source = (await readFile(new URL('project/test/node/port.test.js', FIXTURES), 'utf8')).split('\n');
    const [first, second] = report.findings;
    assert.match(source[first!.startLine - 1]!, /assert\.strictEqual\(add\(2, 2\), 5/);
    assert.equal(first!.evidence, source[first!.startLine - 1]!.trimEnd());
    assert.match(first!.message, /^Test failed: adds two and two: .*two and two make five/);
    assert.match(source[second!.startLine - 1]!, /parsePort\('99999'\)/);
    assert.match(first!.output ?? '', /AssertionError|two and two/);
    assert.deepEqual(
      { passed: report.tests?.passed, failed: report.tests?.failed, errors: report.tests?.errors, skipped: report.tests?.skipped },
      { passed: 3, failed: 2, errors: 0, skipped: 2 },
    );
    assert.equal(report.tests?.outcome, 'tests failed (exit 1)');
    assert.deepEqual(report.tests?.reports, ['reports/junit.xml']);
    assert.ok(report.tests?.sandbox.includes('user 1000:1000'));
    assert.ok(rules.some((r) => r.id === TEST_RULES.failed));

    // What the scanner asked the sandbox for: setup with network, tests without, the globs, the env, a tar of the head commit.
    const request = requests[0]!;
    assert.deepEqual(request.phases, [
      { name: 'setup', command: 'npm ci', network: 'default' },
      { name: 'test', command: 'npm test', network: 'none' },
    ]);
    assert.deepEqual(request.collect, ['reports/*.xml']);
    assert.deepEqual(request.env, { CI: 'true' });
    assert.equal(request.tree.kind, 'tar');
    assert.ok(request.logFile.startsWith(scratch));
  });

  test('a failed setup is one setup finding, told apart from failing tests; the tests are not blamed', async () => {
    const { backend } = replay({ phases: [exited('setup', 2), { name: 'test', exitCode: null, ended: 'not-run', durationMs: 0 }], logTail: 'npm ERR! 404 left-pad' });
    const { report } = await createTestsScanner(settings({ setupCommand: 'npm ci' })).run(ports({ status: 'ready', value: backend }));
    assert.deepEqual(report.findings.map((f) => f.ruleId), [TEST_RULES.setup]);
    assert.match(report.findings[0]!.message, /The test setup failed \(exit 2\): the tests did not run\./);
    assert.match(report.findings[0]!.output ?? '', /npm ERR! 404 left-pad/);
    assert.equal(report.findings[0]!.path, 'package.json', 'anchored at the manifest when the workflow file is unknown');
    assert.equal(report.tests?.outcome, 'setup failed (exit 2)');
  });

  test('a run killed at the deadline is said as timed out, with how long, even without a report', async () => {
    const { backend } = replay({ phases: [{ name: 'test', exitCode: null, ended: 'timed-out', durationMs: 600_000 }], logTail: 'still waiting…' });
    const { report } = await createTestsScanner(settings({ timeoutMs: 120_000 })).run(ports({ status: 'ready', value: backend }));
    assert.deepEqual(report.findings.map((f) => f.ruleId), [TEST_RULES.run]);
    assert.match(report.findings[0]!.message, /The test command timed out after 2 min .*killed at the deadline.*No test report was found/);
    assert.equal(report.tests?.outcome, 'tests timed out after 2 min (killed at the deadline)');
  });

  test('out of memory is said even when a report holds failures: they are not why the run stopped', async () => {
    const junit = await readFile(new URL('node-junit.xml', FIXTURES), 'utf8');
    const { backend } = replay({ phases: [{ name: 'test', exitCode: null, ended: 'out-of-memory', durationMs: 50 }], reports: { 'junit.xml': junit } });
    const { report } = await createTestsScanner(settings()).run(ports({ status: 'ready', value: backend }));
    assert.deepEqual(report.findings.map((f) => f.ruleId).sort(), [TEST_RULES.failed, TEST_RULES.failed, TEST_RULES.run]);
    assert.match(report.findings.find((f) => f.ruleId === TEST_RULES.run)!.message, /ran out of memory/);
  });

  test('a run-level finding is anchored at the workflow line that sets test-command, when the workflow is known', async () => {
    const { backend } = replay({ phases: [exited('test', 3)] });
    const workflowPath = 'package.json'; // any file of the tree stands for the workflow here
    const { report } = await createTestsScanner(settings({ workflowPath })).run(ports({ status: 'ready', value: backend }));
    assert.equal(report.findings[0]!.path, workflowPath);
    assert.match(report.findings[0]!.message, /The test command failed \(exit 3\)\. No test report was found \(looked for /);
  });

  test('without a sandbox nothing runs (never on the host): the asked-for tests did not run, so the scan failed (fail closed); without the head commit too', async () => {
    const noEngine = await createTestsScanner(settings()).run(ports({ status: 'skipped', reason: 'no container engine: ENOENT' }));
    assert.equal(noEngine.report.status, 'failed');
    assert.match(noEngine.report.reason ?? '', /the tests were not run \(never on the host\): no container engine: ENOENT/);
    const badRuntime = await createTestsScanner(settings()).run(ports({ status: 'failed', reason: 'runtime runsc is not available' }));
    assert.equal(badRuntime.report.status, 'failed');
    const { backend, requests } = replay({ phases: [exited('test', 0)] });
    const noClone = await createTestsScanner(settings()).run(ports({ status: 'ready', value: backend }, { status: 'skipped', reason: 'not a git clone' }));
    assert.equal(noClone.report.status, 'failed');
    assert.equal(requests.length, 0);
  });

  test('a passing run is clean, with its counts; the tar the sandbox gets holds the head commit', async () => {
    const tap = await readFile(new URL('node-subtests.tap', FIXTURES), 'utf8');
    const passingTap = tap.replace(/^(\s*)not ok/gm, '$1ok');
    const { backend, requests } = replay({ phases: [exited('test', 0)], reports: { 'out/node.tap': passingTap } });
    const { report } = await createTestsScanner(settings()).run(ports({ status: 'ready', value: backend }));
    assert.deepEqual(report.findings, []);
    assert.equal(report.tests?.outcome, 'tests passed (exit 0)');
    const tree = requests[0]!.tree;
    assert.equal(tree.kind, 'tar');
    const chunks: Buffer[] = [];
    for await (const chunk of (tree as { open(): NodeJS.ReadableStream }).open()) chunks.push(Buffer.from(chunk as Buffer));
    assert.ok(Buffer.concat(chunks).includes(Buffer.from('test/node/port.test.js')));
  });
});
