/**
 * The test-report layer of the sandboxed-tests scanner: real reports of real runners (fixtures/test-reports/README.md says how each
 * was made) read into cases with the counts the fixture project really has, failing tests located at the file and line of the
 * project's own source, and hostile reports turned into a `problem` without a throw.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { declarationLine, locateTestCase, toRepositoryPath, type LocateContext } from '../src/scanners/tests/locate.js';
import {
  DEFAULT_TEST_REPORT_GLOBS,
  MAX_TEST_REPORT_BYTES,
  matchesReportGlob,
  parseTestReport,
  type ParsedReport,
  type TestCaseResult,
} from '../src/scanners/tests/reports.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'test-reports');
const PROJECT = join(FIXTURES, 'project');

/** The fixture project's files, as the head tree would list them; the reports were written with it at /sandbox/repo. */
function projectSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else sources.set(relative(PROJECT, path), readFileSync(path, 'utf8'));
    }
  };
  walk(PROJECT);
  return sources;
}

const SOURCES = projectSources();
const CTX: LocateContext = { workdir: '/sandbox/repo', files: new Set(SOURCES.keys()), read: (path) => SOURCES.get(path) };

function load(name: string): ParsedReport {
  return parseTestReport(`reports/${name}`, readFileSync(join(FIXTURES, name)));
}

function counts(report: ParsedReport): { passed: number; failed: number; error: number; skipped: number } {
  const result = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const tc of report.cases) result[tc.status]++;
  return result;
}

function caseNamed(report: ParsedReport, name: string): TestCaseResult {
  const found = report.cases.find((tc) => tc.name === name);
  assert.ok(found, `no case named ${JSON.stringify(name)} in ${report.cases.map((tc) => tc.name).join(', ')}`);
  return found;
}

/** The fixture project's source line (1-based). */
function sourceLine(path: string, line: number): string {
  const text = SOURCES.get(path);
  assert.ok(text !== undefined, `${path} is not in the fixture project`);
  return text.split('\n')[line - 1] ?? '';
}

interface Expected {
  name: string;
  status: TestCaseResult['status'];
  path: string;
  how: 'report' | 'stack' | 'declaration';
  /** What the project's source has on the line the case must locate at (the line number is looked up, not written down). */
  lineHas: string;
  message?: RegExp;
}

/**
 * Per report: counts as the fixture project has them (3 passing, 2 failing, 1 skipped, 1 todo in each JavaScript runner; pytest: 1
 * passing, 2 failing, 1 skipped, 1 erroring in setup; Go: 2 passing, 2 failing, 1 skipped) and where each failing test is.
 */
const FIXTURE_EXPECTATIONS: Record<string, { format: 'junit' | 'tap'; counts: ReturnType<typeof counts>; failing: Expected[] }> = {
  // No file attribute: the location is only in the stack; a todo is written as <skipped type="todo">.
  'node-junit.xml': {
    format: 'junit',
    counts: { passed: 3, failed: 2, error: 0, skipped: 2 },
    failing: [
      { name: 'adds two and two', status: 'failed', path: 'test/node/port.test.js', how: 'stack', lineHas: 'assert.strictEqual(add(2, 2), 5', message: /two and two make five/ },
      // The helper threw (src/port.js is the first frame); the frame in the test names the test's line.
      { name: 'parsePort > with bad input > accepts 99999', status: 'failed', path: 'test/node/port.test.js', how: 'stack', lineHas: "parsePort('99999')", message: /^port out of range: 99999$/ },
    ],
  },
  'node.tap': {
    format: 'tap',
    counts: { passed: 3, failed: 2, error: 0, skipped: 2 },
    failing: [
      { name: 'adds two and two', status: 'failed', path: 'test/node/port.test.js', how: 'report', lineHas: "test('adds two and two'", message: /^two and two make five 4 !== 5$/ },
      { name: 'parsePort > with bad input > accepts 99999', status: 'failed', path: 'test/node/port.test.js', how: 'report', lineHas: "it('accepts 99999'", message: /^port out of range: 99999$/ },
    ],
  },
  // A test() whose subtest failed: Node's own count says "fail 2" (the parent too), the failure is one.
  'node-subtests.tap': {
    format: 'tap',
    counts: { passed: 1, failed: 1, error: 0, skipped: 0 },
    failing: [
      { name: 'parses ports > the highest', status: 'failed', path: 'test/node/subtests.test.js', how: 'report', lineHas: "await t.test('the highest'", message: /^port out of range: 65536$/ },
    ],
  },
  'vitest-junit.xml': {
    format: 'junit',
    counts: { passed: 3, failed: 2, error: 0, skipped: 2 },
    failing: [
      { name: 'adds two and two', status: 'failed', path: 'test/vitest/port.test.mjs', how: 'stack', lineHas: "expect(add(2, 2), 'two and two make five')", message: /two and two make five: expected 4 to be 5/ },
      { name: 'parsePort > with bad input > accepts 99999', status: 'failed', path: 'test/vitest/port.test.mjs', how: 'stack', lineHas: "parsePort('99999')", message: /^port out of range: 99999$/ },
    ],
  },
  'vitest-junit-file.xml': {
    format: 'junit',
    counts: { passed: 3, failed: 2, error: 0, skipped: 2 },
    failing: [
      { name: 'adds two and two', status: 'failed', path: 'test/vitest/port.test.mjs', how: 'stack', lineHas: "expect(add(2, 2), 'two and two make five')" },
      { name: 'parsePort > with bad input > accepts 99999', status: 'failed', path: 'test/vitest/port.test.mjs', how: 'stack', lineHas: "parsePort('99999')" },
    ],
  },
  // jest-junit 17 writes a todo as an empty <testcase>: it reads as passed (4), as the report says.
  'jest-junit.xml': {
    format: 'junit',
    counts: { passed: 4, failed: 2, error: 0, skipped: 1 },
    failing: [
      { name: 'adds two and two', status: 'failed', path: 'test/jest/port.test.js', how: 'stack', lineHas: 'expect(add(2, 2)).toBe(5)', message: /^Error: expect\(received\)\.toBe\(expected\)/ },
      { name: 'parsePort with bad input accepts 99999', status: 'failed', path: 'test/jest/port.test.js', how: 'stack', lineHas: "parsePort('99999')", message: /^RangeError: port out of range: 99999$/ },
    ],
  },
  'jest-junit-file.xml': {
    format: 'junit',
    counts: { passed: 4, failed: 2, error: 0, skipped: 1 },
    failing: [
      { name: 'adds two and two', status: 'failed', path: 'test/jest/port.test.js', how: 'stack', lineHas: 'expect(add(2, 2)).toBe(5)' },
      { name: 'parsePort with bad input accepts 99999', status: 'failed', path: 'test/jest/port.test.js', how: 'stack', lineHas: "parsePort('99999')" },
    ],
  },
  // file/line attributes, the line 0-based: the report's 9 is the `def` on line 10.
  'pytest-xunit1.xml': {
    format: 'junit',
    counts: { passed: 1, failed: 2, error: 1, skipped: 1 },
    failing: [
      { name: 'test_accepts_99999', status: 'failed', path: 'tests/test_port.py', how: 'report', lineHas: 'def test_accepts_99999(self):', message: /^ValueError: port out of range: 99999$/ },
      { name: 'test_adds_two_and_two', status: 'failed', path: 'tests/test_port.py', how: 'report', lineHas: 'def test_adds_two_and_two():', message: /^AssertionError: two and two make five assert \(2 \+ 2\) == 5$/ },
      { name: 'test_reads_config', status: 'error', path: 'tests/test_port.py', how: 'report', lineHas: 'def test_reads_config(broken_config):', message: /failed on setup with "OSError: config.toml not found"/ },
    ],
  },
  // No file/line: the relative frames of pytest's traceback, the test file's first.
  'pytest-xunit2.xml': {
    format: 'junit',
    counts: { passed: 1, failed: 2, error: 1, skipped: 1 },
    failing: [
      { name: 'test_accepts_99999', status: 'failed', path: 'tests/test_port.py', how: 'stack', lineHas: 'assert parse_port("99999") == 99999' },
      { name: 'test_adds_two_and_two', status: 'failed', path: 'tests/test_port.py', how: 'stack', lineHas: 'assert 2 + 2 == 5' },
      { name: 'test_reads_config', status: 'error', path: 'tests/test_port.py', how: 'stack', lineHas: 'raise OSError("config.toml not found")' },
    ],
  },
  // Neither file nor line; `port_test.go:19:` relative to the package. The parent TestParsePort is not a failure of its own.
  'gotestsum-junit.xml': {
    format: 'junit',
    counts: { passed: 2, failed: 2, error: 0, skipped: 1 },
    failing: [
      { name: 'TestParsePort/accepts_99999', status: 'failed', path: 'goport/port_test.go', how: 'stack', lineHas: 't.Errorf("ParsePort(%q): %v", "99999", err)', message: /^port_test\.go:19: ParsePort\("99999"\): port out of range: 99999$/ },
      { name: 'TestAddTwoAndTwo', status: 'failed', path: 'goport/port_test.go', how: 'stack', lineHas: 't.Errorf("Add(2, 2) = %d, want 5", got)', message: /^port_test\.go:26: Add\(2, 2\) = 4, want 5$/ },
    ],
  },
};

describe('real reports of real runners', () => {
  test('every fixture report is covered here', () => {
    const reports = readdirSync(FIXTURES).filter((name) => /\.(xml|tap)$/.test(name)).sort();
    assert.deepEqual(reports, Object.keys(FIXTURE_EXPECTATIONS).sort());
  });

  for (const [name, expected] of Object.entries(FIXTURE_EXPECTATIONS)) {
    describe(name, () => {
      const report = load(name);

      test('reads without a problem, with the counts the project has', () => {
        assert.equal(report.problem, undefined);
        assert.equal(report.format, expected.format);
        assert.deepEqual(counts(report), expected.counts);
        for (const tc of report.cases) assert.equal(tc.report, `reports/${name}`);
      });

      for (const failing of expected.failing) {
        test(`${failing.name}: ${failing.status}, at ${failing.path} (${failing.how})`, () => {
          const tc = caseNamed(report, failing.name);
          assert.equal(tc.status, failing.status);
          if (failing.message) assert.match(tc.message ?? '', failing.message);
          assert.ok(tc.details, 'a failing case keeps its body');
          const location = locateTestCase(tc, CTX);
          assert.ok(location, 'located');
          assert.equal(location.path, failing.path);
          assert.equal(location.how, failing.how);
          assert.ok(
            sourceLine(location.path, location.line).includes(failing.lineHas),
            `line ${location.line} of ${location.path} is ${JSON.stringify(sourceLine(location.path, location.line))}`,
          );
        });
      }
    });
  }

  test('nested suites and subtests join their names; durations are in milliseconds', () => {
    const junit = load('node-junit.xml');
    const tap = load('node.tap');
    for (const report of [junit, tap]) {
      assert.ok(report.cases.some((tc) => tc.name === 'parsePort > reads 8080' && tc.status === 'passed'));
      assert.ok(report.cases.every((tc) => !/^(parsePort|with bad input)$/.test(tc.name)), 'a suite is not a case');
    }
    // `time="0.011756"` seconds; `duration_ms: 12.117999`.
    assert.equal(caseNamed(junit, 'adds two and two').durationMs, 11.756);
    assert.equal(caseNamed(tap, 'adds two and two').durationMs, 12.117999);
  });

  test('skip reasons are kept, a todo is skipped', () => {
    const tap = load('node.tap');
    assert.equal(caseNamed(tap, 'runs on windows only').message, 'not on this platform');
    assert.equal(caseNamed(tap, 'handles IPv6 later').status, 'skipped');
    assert.equal(caseNamed(load('node-junit.xml'), 'handles IPv6 later').status, 'skipped');
  });

  test('file attributes as the runners write them', () => {
    assert.equal(caseNamed(load('vitest-junit.xml'), 'adds two and two').file, undefined);
    assert.equal(caseNamed(load('vitest-junit-file.xml'), 'adds two and two').file, 'test/vitest/port.test.mjs');
    assert.equal(caseNamed(load('jest-junit.xml'), 'adds two and two').file, undefined);
    assert.equal(caseNamed(load('jest-junit-file.xml'), 'adds two and two').file, 'test/jest/port.test.js');
    assert.equal(caseNamed(load('pytest-xunit2.xml'), 'test_accepts_99999').file, undefined);
    assert.equal(caseNamed(load('node.tap'), 'adds two and two').file, '/sandbox/repo/test/node/port.test.js');
  });

  test("pytest's 0-based line is shifted to the def's 1-based line", () => {
    const xml = readFileSync(join(FIXTURES, 'pytest-xunit1.xml'), 'utf8');
    assert.match(xml, /name="test_accepts_99999" file="tests\/test_port.py" line="9"/);
    const tc = caseNamed(load('pytest-xunit1.xml'), 'test_accepts_99999');
    assert.equal(tc.line, 10);
    assert.equal(sourceLine('tests/test_port.py', 10).trim(), 'def test_accepts_99999(self):');
    // A line attribute on a file that is not Python is taken as it is.
    const other = parseTestReport('r.xml', '<testsuite><testcase name="t" file="a.js" line="9"><failure/></testcase></testsuite>');
    assert.equal(other.cases[0]!.line, 9);
  });
});

describe('locating without the report or the stack', () => {
  const withoutTrace = (tc: TestCaseResult): TestCaseResult => ({ ...tc, message: undefined, details: undefined });

  test('the declaration in the file the report names (jest-junit with addFileAttribute)', () => {
    const tc = withoutTrace(caseNamed(load('jest-junit-file.xml'), 'parsePort with bad input accepts 99999'));
    const location = locateTestCase(tc, CTX);
    assert.equal(location?.how, 'declaration');
    assert.equal(location.path, 'test/jest/port.test.js');
    assert.match(sourceLine(location.path, location.line), /it\('accepts 99999'/);
  });

  test("the declaration in the module a pytest classname names", () => {
    const tc = withoutTrace(caseNamed(load('pytest-xunit2.xml'), 'test_adds_two_and_two'));
    assert.equal(tc.suite, 'tests.test_port');
    const location = locateTestCase(tc, CTX);
    assert.deepEqual(location, { path: 'tests/test_port.py', line: 18, how: 'declaration' });
  });

  test("a Go subtest's declaration is its function, in the package its classname names", () => {
    const tc = withoutTrace(caseNamed(load('gotestsum-junit.xml'), 'TestParsePort/accepts_99999'));
    const location = locateTestCase(tc, CTX);
    assert.equal(location?.path, 'goport/port_test.go');
    assert.equal(sourceLine(location.path, location.line), 'func TestParsePort(t *testing.T) {');
  });

  test('nothing to go by: undefined, not a guess', () => {
    const tc = withoutTrace(caseNamed(load('jest-junit.xml'), 'adds two and two'));
    assert.equal(locateTestCase(tc, CTX), undefined);
  });

  test('a report line past the end of the file is not believed', () => {
    const tc: TestCaseResult = { name: 'adds two and two', status: 'failed', file: 'test/node/port.test.js', line: 9999, report: 'r.xml' };
    assert.deepEqual(locateTestCase(tc, CTX), { path: 'test/node/port.test.js', line: 10, how: 'declaration' });
  });

  test('declaration forms', () => {
    assert.equal(declarationLine('x\n  it("does it", () => {})\n', 'suite > does it'), 2);
    assert.equal(declarationLine('\ntest.only(`back ticks`, fn)\n', 'back ticks'), 2);
    assert.equal(declarationLine('a\nb\n    async def test_x(client):\n', 'test_x[param-1]'), 3);
    assert.equal(declarationLine('func TestY(t *testing.T) {}\n', 'TestY/sub_case'), 1);
    assert.equal(declarationLine('class A {\n  @Test\n  public void shouldWork() {\n', 'shouldWork'), 3);
    assert.equal(declarationLine('test("other", fn)\n', 'missing'), undefined);
  });
});

describe('paths from reports and stacks map back into the repository', () => {
  const ctx = { workdir: '/sandbox/repo/', files: new Set(['src/a.js', 'pkg/x/a_test.go', 'pkg/y/a_test.go', 'lib/b_test.go']) };

  test('absolute container paths and file:// URLs under the work directory', () => {
    assert.equal(toRepositoryPath('/sandbox/repo/src/a.js', ctx), 'src/a.js');
    assert.equal(toRepositoryPath('file:///sandbox/repo/src/a.js', ctx), 'src/a.js');
    assert.equal(toRepositoryPath('file:///sandbox/repo/src/%61.js', ctx), 'src/a.js');
    assert.equal(toRepositoryPath('./src/a.js', ctx), 'src/a.js');
  });

  test('outside the repository, escaping it, node internals, node_modules, or not in the tree: nothing', () => {
    for (const raw of [
      '/etc/passwd',
      '/sandbox/repo/../repo2/src/a.js',
      '/sandbox/repository/src/a.js',
      '../src/a.js',
      'node:internal/test_runner/test',
      '/sandbox/repo/node_modules/x/index.js',
      '/sandbox/repo/src/missing.js',
      'file://%zz',
    ]) {
      assert.equal(toRepositoryPath(raw, ctx), undefined, raw);
    }
  });

  test("a path relative to a package: the one file it can be, or the package's", () => {
    assert.equal(toRepositoryPath('b_test.go', ctx), 'lib/b_test.go');
    assert.equal(toRepositoryPath('a_test.go', ctx), undefined, 'two packages have one');
    assert.equal(toRepositoryPath('a_test.go', ctx, 'example.com/m/pkg/y'), 'pkg/y/a_test.go');
  });

  test('frames under node_modules and outside the repository are skipped for the first one inside', () => {
    const files = new Set(['src/a.js']);
    const tc: TestCaseResult = {
      name: 't',
      status: 'failed',
      report: 'r.xml',
      details: [
        'Error: boom',
        '    at f (node:internal/process/task_queues:95:5)',
        '    at g (/sandbox/repo/node_modules/lib/index.js:3:3)',
        '    at h (/home/runner/work/secret.js:1:1)',
        '    at i (file:///sandbox/repo/src/a.js:2:7)',
      ].join('\n'),
    };
    assert.deepEqual(locateTestCase(tc, { workdir: '/sandbox/repo', files, read: () => 'one\ntwo\nthree\n' }), { path: 'src/a.js', line: 2, how: 'stack' });
  });
});

describe('hostile and broken reports give a problem, never a throw', () => {
  const problemOf = (content: string | Buffer, path = 'reports/junit.xml'): string => {
    const report = parseTestReport(path, content);
    assert.equal(report.cases.length, 0);
    assert.ok(report.problem, 'a problem');
    assert.ok(report.problem.startsWith(`${path}: `), `names the file: ${report.problem}`);
    return report.problem;
  };

  test('entity expansion (billion laughs)', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const xml = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY l0 "lol">${levels}]><testsuite><testcase name="&l9;"/></testsuite>`;
    const started = Date.now();
    assert.match(problemOf(xml), /DOCTYPE/);
    assert.ok(Date.now() - started < 1000);
  });

  test('external entities', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>';
    assert.match(problemOf(xml), /DOCTYPE/);
  });

  test('a report over the size bound, as a Buffer and as a string', () => {
    const huge = Buffer.alloc(MAX_TEST_REPORT_BYTES + 1, 'a');
    assert.match(problemOf(huge), /over the 20 MB/);
    assert.match(problemOf(`<testsuite>${' '.repeat(MAX_TEST_REPORT_BYTES)}</testsuite>`), /over the 20 MB/);
  });

  test('malformed XML', () => {
    assert.match(problemOf('<testsuites><testcase name="x"></testsuites>'), /malformed XML/);
    assert.match(problemOf('<testsuite><testcase name="x></testsuite>'), /malformed XML/);
    assert.match(problemOf('<testsuite>'), /malformed XML/);
  });

  test('binary junk', () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    assert.match(problemOf(junk), /binary/);
    assert.match(problemOf(Buffer.concat([Buffer.from('<testsuite>'), junk])), /binary/);
  });

  test('deep nesting', () => {
    for (const depth of [150, 100_000]) {
      const xml = `<testsuites>${'<testsuite name="s">'.repeat(depth)}${'</testsuite>'.repeat(depth)}</testsuites>`;
      assert.ok(problemOf(xml).length > 0);
    }
  });

  test('XML that is not a JUnit report, text that is neither format, an empty file', () => {
    assert.match(problemOf('<project><modelVersion>4.0.0</modelVersion></project>', 'pom.xml'), /not a JUnit report/);
    assert.match(problemOf('hello world\n', 'out.tap'), /neither JUnit XML nor TAP/);
    assert.match(problemOf('', 'out.tap'), /neither JUnit XML nor TAP/);
  });

  test('a YAML alias bomb in a TAP diagnostic block: the point is still read', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)];
    const tap = ['TAP version 13', 'not ok 1 - boom', '  ---', ...bomb.map((line) => `  ${line}`), '  ...', '1..1', ''].join('\n');
    const report = parseTestReport('out.tap', tap);
    assert.equal(report.format, 'tap');
    assert.equal(report.cases.length, 1);
    assert.equal(report.cases[0]!.status, 'failed');
  });

  test('a UTF-16 report with a byte-order mark is read', () => {
    const xml = '<testsuite><testcase name="été"><failure message="non"/></testcase></testsuite>';
    const report = parseTestReport('r.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    assert.equal(report.problem, undefined);
    assert.deepEqual(report.cases.map((tc) => [tc.name, tc.status, tc.message]), [['été', 'failed', 'non']]);
  });
});

describe('JUnit shapes beyond the fixtures', () => {
  test('a bare <testsuite> root, error and skipped elements, system-out in the details, a failure attribute alone', () => {
    const xml = `<?xml version="1.0"?>
<testsuite name="root" file="spec/a_spec.rb">
  <testcase name="ok" classname="A" time="1.5"/>
  <testcase name="crashes" classname="A"><error message="boom" type="RuntimeError">trace</error><system-out>printed</system-out></testcase>
  <testcase name="skipped" classname="A"><skipped/></testcase>
  <testcase name="attr" classname="A" failure="only an attribute"/>
  <testsuite name="inner"><testcase name="deep" classname="A"><failure>first line
second line</failure></testcase></testsuite>
</testsuite>`;
    const report = parseTestReport('r.xml', xml);
    assert.equal(report.problem, undefined);
    assert.deepEqual(
      report.cases.map((tc) => [tc.name, tc.status, tc.message]),
      [
        ['ok', 'passed', undefined],
        ['crashes', 'error', 'boom'],
        ['skipped', 'skipped', undefined],
        ['attr', 'failed', 'only an attribute'],
        ['inner > deep', 'failed', 'first line'],
      ],
    );
    assert.equal(report.cases[0]!.durationMs, 1500);
    assert.equal(report.cases[1]!.details, 'trace\n\nprinted');
    assert.equal(report.cases[4]!.file, 'spec/a_spec.rb', 'a suite file is inherited');
  });

  test('a TAP parent that failed for its own reason counts; one that failed only for its subtests does not', () => {
    const tap = [
      'TAP version 13',
      '    not ok 1 - child',
      '      ---',
      "      error: 'child broke'",
      '      ...',
      '    1..1',
      'not ok 1 - parent with its own failure',
      '  ---',
      "  error: 'after hook broke'",
      '  ...',
      '    not ok 1 - other child',
      'not ok 2 - plain TAP parent',
      '1..2',
    ].join('\n');
    const report = parseTestReport('out.tap', tap);
    assert.deepEqual(
      report.cases.map((tc) => [tc.name, tc.status]),
      [
        ['parent with its own failure > child', 'failed'],
        ['parent with its own failure', 'failed'],
        ['plain TAP parent > other child', 'failed'],
      ],
    );
  });

  test('an escaped # belongs to the name; a bail out is a problem', () => {
    const report = parseTestReport('out.tap', 'ok 1 - issue \\#12 # SKIP later\nBail out! database down\n');
    assert.deepEqual(report.cases.map((tc) => [tc.name, tc.status, tc.message]), [['issue #12', 'skipped', 'later']]);
    assert.match(report.problem ?? '', /^out\.tap: the run bailed out: database down$/);
  });
});

describe('report globs', () => {
  test('the defaults find the common outputs and nothing else', () => {
    for (const path of [
      'junit.xml',
      'reports/node-junit.xml',
      'reports/jest-junit.xml',
      'test-results/vitest.xml',
      'build/test-results/test/TEST-com.example.FooTest.xml',
      'target/surefire-reports/TEST-FooTest.xml',
      'out/results.junit.xml',
      'node.tap',
      'reports/node.tap',
    ]) {
      assert.ok(matchesReportGlob(path, DEFAULT_TEST_REPORT_GLOBS), path);
    }
    for (const path of ['pom.xml', 'src/junit.ts', 'package.json', 'node_modules/x/junit.xml', 'a/node_modules/test-results/r.xml', '.git/junit.xml', 'docs/tap.md']) {
      assert.ok(!matchesReportGlob(path, DEFAULT_TEST_REPORT_GLOBS), path);
    }
  });

  test("the user's globs, with exclusions", () => {
    const globs = ['reports/*.xml', '!reports/coverage.xml', './out/**/*.tap'];
    assert.ok(matchesReportGlob('reports/a.xml', globs));
    assert.ok(!matchesReportGlob('reports/coverage.xml', globs));
    assert.ok(!matchesReportGlob('sub/reports/a.xml', globs), 'a glob with a slash is anchored at the root');
    assert.ok(matchesReportGlob('out/x/y.tap', globs));
    assert.ok(!matchesReportGlob('a.xml', []));
  });
});
