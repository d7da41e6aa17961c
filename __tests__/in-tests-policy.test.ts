/**
 * `metadata.in-tests` (report | downgrade | skip) and the one definition of test code it relies on: unit cases for the path
 * classification and the policy, then real ast-grep scans with the fixture pack and third-party rules given through the `rules`
 * input, in test and application files side by side.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyTestPolicy, runAstGrepScan, testCodeNotice } from '../src/scanners/ast-grep/scan.js';
import { isTestPath } from '../src/text/test-paths.js';
import type { Finding } from '../src/types.js';
import { RecordingLogger } from './support/recording-logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE_PACK = join(ROOT, '__tests__', 'fixtures', 'ast-grep', 'pack');
const AST_GREP = join(ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');

describe('isTestPath', () => {
  const tests = [
    'test/app.js',
    'tests/test_views.py',
    'src/__tests__/button.tsx',
    'src/__mocks__/fs.ts',
    'packages/core/spec/parser.js',
    'e2e/login.ts',
    'test/fixtures/config.py',
    'fixtures/users.js',
    'src/button.test.tsx',
    'src/button.spec.ts',
    'lib/parse.test.mjs',
    'app/login.e2e-spec.ts',
    'types/index.test-d.ts',
    'test.js',
    // jest's default testMatch takes a bare spec.ts / test.ts too
    'src/spec.ts',
    'pkg/test_models.py',
    'pkg/models_test.py',
    'app/tests.py',
    'conftest.py',
    './tests/x.py',
    // example code: examples, tutorial code, project skeletons, Storybook stories
    'examples/auth/index.js',
    'example/app.py',
    'packages/router/examples/basic.ts',
    'docs_src/security/tutorial004.py',
    'samples/server.mjs',
    'sample/settings.py',
    'wagtail/project_template/project_name/settings/dev.py',
    'client/src/tokens/colors.stories.tsx',
    'src/Button.stories.jsx',
    'src/Button.stories.mjs',
    'src/Button.stories.js',
    'src/Button.stories.ts',
  ];
  const notTests = [
    'src/contest.ts',
    'src/latest/index.js',
    'app/testimonials.py',
    'lib/attestation.js',
    'numpy/testing/utils.py',
    'src/testing.ts',
    'src/protest_test_helper.rb',
    'src/tester.py',
    'src/test-utils.js',
    'docs/tests.md',
    'app/mytest.py',
    'src/contest_test.go',
    'test',
    // a file named like an example is application code; only the folder makes example code, and only these folder names
    'src/examples.ts',
    'app/example.py',
    'src/sample.js',
    'lib/examples-loader.js',
    'docs/conf.py',
    'docs/src/app.js',
    'demo/server.js',
    'public/js/app.js',
    'src/my-examples/app.js',
    'src/project_templates/x.py',
    'src/stories.tsx',
    'src/Button.stories.css',
    'src/Button.story.tsx',
  ];
  for (const path of tests) test(`${path} is test code`, () => assert.equal(isTestPath(path), true));
  for (const path of notTests) test(`${path} is not test code`, () => assert.equal(isTestPath(path), false));
});

function finding(ruleId: string, path: string, severity: Finding['severity']): Finding {
  return { ruleId, source: 'ast-grep', severity, path, startLine: 1, endLine: 1, message: 'm', evidence: '', fingerprint: '' };
}

describe('applyTestPolicy', () => {
  test('report caps at medium, downgrade gives low, skip drops and counts; application code is untouched', () => {
    const policies: Record<string, 'report' | 'downgrade' | 'skip'> = { r: 'report', d: 'downgrade', s: 'skip' };
    const { kept, dropped } = applyTestPolicy(
      [
        finding('r', 'src/app.ts', 'critical'),
        finding('r', 'test/app.ts', 'critical'),
        finding('r', 'test/app.ts', 'low'),
        finding('d', 'src/app.ts', 'high'),
        finding('d', 'tests/test_x.py', 'high'),
        finding('d', 'tests/test_x.py', 'info'),
        finding('s', 'src/app.ts', 'high'),
        finding('s', 'a.test.js', 'high'),
        finding('s', 'conftest.py', 'high'),
        finding('other', 'x.spec.ts', 'high'),
      ],
      (id) => policies[id] ?? 'report',
    );
    assert.deepEqual(
      kept.map((f) => [f.ruleId, f.path, f.severity]),
      [
        ['r', 'src/app.ts', 'critical'],
        ['r', 'test/app.ts', 'medium'],
        ['r', 'test/app.ts', 'low'],
        ['d', 'src/app.ts', 'high'],
        ['d', 'tests/test_x.py', 'low'],
        ['d', 'tests/test_x.py', 'info'],
        ['s', 'src/app.ts', 'high'],
        ['other', 'x.spec.ts', 'medium'],
      ],
    );
    assert.deepEqual([...dropped], [['s', 2]]);
    assert.equal(testCodeNotice(new Map()), undefined);
    assert.equal(
      testCodeNotice(new Map([['py/x', 1], ['js/a', 2]])),
      'ast-grep: 3 finding(s) in test or example code were not reported (their rules say in-tests: skip): js/a 2, py/x 1.',
    );
  });
});

describe('in-tests through a real scan', () => {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'in-tests-policy-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function write(dir: string, files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  }

  test('built-in rules without the property are capped at medium in tests; rules-input rules skip or downgrade, and the skip is counted', async () => {
    const work = join(scratch, 'work');
    const rules = join(scratch, 'extra');
    await write(rules, {
      'skip.yml': [
        'id: extra/no-alert',
        'language: typescript',
        'severity: error',
        'message: alert() blocks the page.',
        'metadata: { severity: high, in-tests: skip }',
        'rule: { pattern: alert($X) }',
        '',
      ].join('\n'),
      'downgrade.yml': [
        'id: extra/no-confirm',
        'language: typescript',
        'severity: error',
        'message: confirm() blocks the page.',
        'metadata: { severity: critical, in-tests: downgrade }',
        'rule: { pattern: confirm($X) }',
        '',
      ].join('\n'),
      'absent.yml': ['id: extra/no-prompt', 'language: typescript', 'severity: error', 'message: prompt() blocks the page.', 'rule: { pattern: prompt($X) }', ''].join(
        '\n',
      ),
    });
    const code = 'eval(userInput);\nalert(1);\nconfirm(2);\nprompt(3);\n';
    const files = { 'src/app.ts': code, 'test/app.test.ts': code, 'src/__tests__/b.ts': code };
    await write(work, files);
    const logger = new RecordingLogger();
    const { report } = await runAstGrepScan({
      binary: AST_GREP,
      workDir: work,
      files: Object.keys(files),
      builtinRulesDir: FIXTURE_PACK,
      extraRuleSources: [rules],
      logger,
      tempDir: scratch,
    });
    assert.equal(report.status, 'ok', report.reason);
    const seen = report.findings.map((f) => `${f.path} ${f.ruleId} ${f.severity}`).sort();
    assert.deepEqual(seen, [
      'src/__tests__/b.ts extra/no-confirm low',
      'src/__tests__/b.ts extra/no-prompt medium',
      'src/__tests__/b.ts fx/eval medium',
      'src/app.ts extra/no-alert high',
      'src/app.ts extra/no-confirm critical',
      'src/app.ts extra/no-prompt high',
      'src/app.ts fx/eval critical',
      'test/app.test.ts extra/no-confirm low',
      'test/app.test.ts extra/no-prompt medium',
      'test/app.test.ts fx/eval medium',
    ]);
    assert.deepEqual(report.notices, ['ast-grep: 2 finding(s) in test or example code were not reported (their rules say in-tests: skip): extra/no-alert 2.']);
    assert.deepEqual(report.warnings, []);
    assert.match(logger.text(), /2 finding\(s\) in test or example code were not reported/);
  });
});
