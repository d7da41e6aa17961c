import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigurationError } from '../src/errors.js';
import { INPUT_NAMES, OUTPUT_NAMES, inputEnvName } from '../src/config/inputs.js';
import {
  DEFAULTS,
  LATER_CAPABILITY_INPUTS,
  closestKey,
  configFileLocation,
  readActionInputs,
  resolveConfig,
  type ConfigSources,
} from '../src/config/load.js';
import { isImageReference } from '../src/config/schema.js';
import { INPUT_SPECS, OUTPUT_SPECS } from '../src/config/table.js';
import { renderInputsTable } from '../src/config/docs.js';
import { parseConfigFile } from '../src/config/file.js';

const ROOT = new URL('../', import.meta.url);
const TOKEN = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
const API_KEY = 'sk-ant-api03-secretvalue-0123456789';

/** The inputs as GitHub passes them when the workflow sets nothing but the token: every default, expressions expanded. */
function githubInputs(overrides: Record<string, string> = {}): Record<string, string> {
  const inputs: Record<string, string> = { ...DEFAULTS };
  inputs['github-token'] = TOKEN;
  inputs['sarif-file'] = '/home/runner/work/_temp/ultra-create.sarif';
  return { ...inputs, ...overrides };
}

function resolve(overrides: Record<string, string> = {}, file?: string, path = '.github/ultra-create.yml') {
  const sources: ConfigSources = {
    inputs: githubInputs(overrides),
    runnerTemp: '/home/runner/work/_temp',
    ...(file === undefined ? {} : { configFile: parseConfigFile({ path, text: file }) }),
  };
  return resolveConfig(sources);
}

/** The ConfigurationError message of a resolution that must fail. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a ConfigurationError');
}

describe('defaults', () => {
  test('produce a valid Config', () => {
    const config = resolve();
    assert.equal(config.githubToken, TOKEN);
    assert.equal(config.configFile, '.github/ultra-create.yml');
    assert.deepEqual(config.scanners, ['ast-grep', 'ramparts', 'tests']);
    assert.deepEqual(config.rules, []);
    assert.equal(config.filterMode, 'added');
    assert.equal(config.failOn, 'critical');
    assert.equal(config.maxComments, 30);
    assert.equal(config.reviewEvent, 'comment');
    assert.equal(config.mcpGateway, 'auto');
    assert.match(config.mcpGatewayImage, /^docker\/mcp-gateway@sha256:[a-f0-9]{64}$/);
    assert.deepEqual(config.mcpServers, ['ast-grep', 'ramparts']);
    assert.equal(config.testCommand, undefined);
    assert.equal(config.testSetupCommand, undefined);
    assert.match(config.testImage, /^node:22-bookworm-slim@sha256:[a-f0-9]{64}$/);
    assert.equal(config.testTimeoutMinutes, 10);
    assert.equal(config.localModel, 'ai/llama3.2:1B-Q8_0');
    assert.equal(config.modelEndpoint, 'http://localhost:12434/engines/v1');
    assert.equal(config.anthropicApiKey, undefined);
    assert.equal(config.anthropicBaseUrl, undefined);
    assert.equal(config.claudeModel, 'claude-opus-4-5');
    assert.equal(config.escalateOn, 'critical');
    assert.equal(config.claudeMaxCalls, 10);
    assert.equal(config.claudeMaxUsd, 0.5);
    assert.equal(config.sarifFile, '/home/runner/work/_temp/ultra-create.sarif');
    assert.deepEqual(config.astGrepPatterns, []);
    assert.ok(Object.values(config.origins).every((origin) => origin === 'default' || origin === 'input'));
    assert.equal(config.origins['github-token'], 'input');
    assert.equal(config.origins['sarif-file'], 'default');
  });

  test('unexpanded expressions (the CLI, no inputs at all) give no token and a SARIF file in runner.temp', () => {
    const fromLiterals = resolveConfig({ inputs: { ...DEFAULTS }, runnerTemp: '/tmp/rt' });
    assert.equal(fromLiterals.githubToken, '');
    assert.equal(fromLiterals.sarifFile, '/tmp/rt/ultra-create.sarif');
    const fromNothing = resolveConfig({ inputs: {}, runnerTemp: '/tmp/rt' });
    assert.deepEqual({ ...fromNothing, origins: {} }, { ...fromLiterals, origins: {} });
  });

  test('every input has an effect now (the test inputs since the sandbox): none is marked for a later capability', () => {
    assert.deepEqual(LATER_CAPABILITY_INPUTS, []);
    assert.ok(!renderInputsTable().includes('no effect yet'));
  });

  test('the sandbox inputs: defaults, booleans, credential names refused by name, report globs', () => {
    const config = resolve();
    assert.equal(config.testSetupNetwork, true);
    assert.deepEqual(config.testEnv, []);
    assert.deepEqual(config.testReport, []);
    assert.equal(config.testMemoryMb, 4096);
    assert.equal(config.sandboxRuntime, undefined);
    const set = resolve({ 'test-setup-network': 'false', 'test-env': 'NODE_OPTIONS\nJAVA_HOME, NODE_OPTIONS', 'test-report': 'reports/*.xml, **/*.tap', 'sandbox-runtime': 'runsc' });
    assert.equal(set.testSetupNetwork, false);
    assert.deepEqual(set.testEnv, ['NODE_OPTIONS', 'JAVA_HOME']);
    assert.deepEqual(set.testReport, ['reports/*.xml', '**/*.tap']);
    assert.equal(set.sandboxRuntime, 'runsc');
    assert.match(errorOf(() => resolve({ 'test-setup-network': 'yes' })), /'test-setup-network': "yes" is not true or false\./);
    for (const secret of ['GITHUB_TOKEN', 'ANTHROPIC_API_KEY', 'FOO_KEY', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'npmAuthToken', 'MY_SECRET']) {
      assert.match(errorOf(() => resolve({ 'test-env': `NODE_OPTIONS,${secret}` })), new RegExp(`'test-env': "${secret}" names a credential`), secret);
    }
    assert.match(errorOf(() => resolve({ 'test-env': 'PATH' })), /"PATH" is set by the sandbox itself/);
    assert.match(errorOf(() => resolve({ 'test-env': 'A-B' })), /"A-B" is not an environment variable name/);
    assert.match(errorOf(() => resolve({ 'test-report': '../outside/*.xml' })), /is not a glob relative to the repository/);
    assert.match(errorOf(() => resolve({ 'test-report': '/abs/*.xml' })), /is not a glob relative to the repository/);
    assert.match(errorOf(() => resolve({ 'sandbox-runtime': 'run sc' })), /"run sc" is not empty or a runtime name/);
    assert.match(errorOf(() => resolve({ 'test-memory-mb': '100' })), /100 is not an integer from 256 to 65536/);
  });
});

describe('enum inputs', () => {
  const cases: [string, string, string][] = [
    ['fail-on', 'severe', 'none, info, low, medium, high, critical'],
    ['filter-mode', 'diff-context', 'added, diff_context, file, nofilter'],
    ['review-event', 'approve', 'comment, request-changes'],
    ['mcp-gateway', 'yes', 'auto, on, off'],
    ['escalate-on', 'medium', 'critical, high'],
    ['scanners', 'ast-grep,semgrep', 'ast-grep, ramparts, tests'],
  ];
  for (const [name, bad, allowed] of cases) {
    test(`${name} rejects ${JSON.stringify(bad)} naming the input and the allowed values`, () => {
      const message = errorOf(() => resolve({ [name]: bad }));
      const shown = name === 'scanners' ? 'semgrep' : bad;
      assert.equal(message, `Invalid input '${name}': "${shown}" is not one of ${allowed}.`);
    });
  }

  test('the brief example reads exactly', () => {
    assert.equal(
      errorOf(() => resolve({ 'fail-on': 'severe' })),
      `Invalid input 'fail-on': "severe" is not one of none, info, low, medium, high, critical.`,
    );
  });

  test('values are trimmed; lists split on commas and newlines and are deduplicated', () => {
    const config = resolve({ 'fail-on': ' high ', scanners: 'tests,\n ast-grep , tests\n', rules: 'a/rules\nb/sgconfig.yml,a/rules' });
    assert.equal(config.failOn, 'high');
    assert.deepEqual(config.scanners, ['tests', 'ast-grep']);
    assert.deepEqual(config.rules, ['a/rules', 'b/sgconfig.yml']);
  });

  test('a scanners list with no names is an error', () => {
    assert.match(errorOf(() => resolve({ scanners: ' , ,\n' })), /^Invalid input 'scanners': the list is empty; give at least one of ast-grep, ramparts, tests\.$/);
  });
});

describe('numbers and formats', () => {
  test('max-comments out of range names the range and the rate limit', () => {
    const message = errorOf(() => resolve({ 'max-comments': '150' }));
    assert.match(message, /^Invalid input 'max-comments': 150 is not an integer from 0 to 100\./);
    assert.match(message, /secondary rate limits/);
    assert.match(errorOf(() => resolve({ 'max-comments': '2.5' })), /2\.5 is not an integer from 0 to 100/);
    assert.match(errorOf(() => resolve({ 'max-comments': 'lots' })), /"lots" is not an integer from 0 to 100/);
  });

  test('ranges of the other numbers', () => {
    assert.match(errorOf(() => resolve({ 'test-timeout-minutes': '0' })), /'test-timeout-minutes': 0 is not a number from 1 to 360/);
    assert.match(errorOf(() => resolve({ 'test-timeout-minutes': '361' })), /361 is not a number from 1 to 360/);
    assert.match(errorOf(() => resolve({ 'claude-max-calls': '1001' })), /'claude-max-calls': 1001 is not an integer from 0 to 1000/);
    assert.match(errorOf(() => resolve({ 'claude-max-usd': '-1' })), /'claude-max-usd': -1 is not a number from 0 to 1000/);
    const config = resolve({ 'max-comments': '0', 'test-timeout-minutes': '2.5', 'claude-max-usd': '1.25', 'claude-max-calls': '0' });
    assert.equal(config.maxComments, 0);
    assert.equal(config.testTimeoutMinutes, 2.5);
    assert.equal(config.claudeMaxUsd, 1.25);
    assert.equal(config.claudeMaxCalls, 0);
  });

  test('image references', () => {
    const digest = 'a'.repeat(64);
    for (const good of ['node:22', 'node', `node@sha256:${digest}`, `ghcr.io/o/r:v1.2@sha256:${digest}`, 'localhost:5000/x/y:tag', 'docker/mcp-gateway:v2']) {
      assert.ok(isImageReference(good), good);
    }
    for (const bad of ['Node:22', 'node:', `node@sha256:${'a'.repeat(63)}`, 'node@sha512:abc', '-node', 'node::1', 'a b', '']) {
      assert.ok(!isImageReference(bad), bad);
    }
    assert.match(errorOf(() => resolve({ 'test-image': 'Node:22' })), /^Invalid input 'test-image': "Node:22" is not an image reference name\[:tag\]\[@sha256:<64 hex>\]\.$/);
    assert.equal(resolve({ 'mcp-gateway-image': 'docker/mcp-gateway:v2' }).mcpGatewayImage, 'docker/mcp-gateway:v2');
  });

  test('URLs, models, servers, paths', () => {
    assert.match(errorOf(() => resolve({ 'model-endpoint': 'ftp://host/v1' })), /'model-endpoint': "ftp:\/\/host\/v1" is not an http\(s\) URL\./);
    assert.match(errorOf(() => resolve({ 'anthropic-base-url': 'gateway' })), /'anthropic-base-url': "gateway" is not empty or an http\(s\) URL\./);
    assert.match(errorOf(() => resolve({ 'mcp-servers': 'ast-grep,Bad Name' })), /'mcp-servers': "Bad Name" is not a catalog server name/);
    assert.match(errorOf(() => resolve({ 'local-model': 'no spaces please' })), /'local-model': "no spaces please" is not off or a model reference/);
    assert.match(errorOf(() => resolve({ 'config-file': '../outside.yml' })), /'config-file': "\.\.\/outside\.yml" is not a path relative to the repository root/);
    assert.match(errorOf(() => resolve({ 'claude-model': 'opus 4' })), /'claude-model': "opus 4" is not a model id/);

    const config = resolve({
      'model-endpoint': 'http://localhost:11434/v1/',
      'anthropic-base-url': 'https://llm-gateway.example.com/anthropic',
      'local-model': 'off',
      'mcp-servers': 'ast-grep, node-code-sandbox,ast-grep',
      'test-command': 'npm test',
    });
    assert.equal(config.modelEndpoint, 'http://localhost:11434/v1');
    assert.equal(config.anthropicBaseUrl, 'https://llm-gateway.example.com/anthropic');
    assert.equal(config.localModel, undefined);
    assert.deepEqual(config.mcpServers, ['ast-grep', 'node-code-sandbox']);
    assert.equal(config.testCommand, 'npm test');
  });
});

describe('all problems at once', () => {
  test('every invalid input and file value is reported, one per line', () => {
    const message = errorOf(() =>
      resolve({ 'fail-on': 'severe', 'max-comments': '500', 'filter-mode': 'all' }, 'review-event: approve\nfailOn: high\n'),
    );
    const lines = message.split('\n');
    assert.equal(lines.length, 5, message);
    assert.ok(lines.some((line) => line.startsWith(`Invalid input 'fail-on':`)));
    assert.ok(lines.some((line) => line.startsWith(`Invalid input 'max-comments':`)));
    assert.ok(lines.some((line) => line.startsWith(`Invalid input 'filter-mode':`)));
    assert.ok(lines.some((line) => line.startsWith(`Invalid value for 'review-event' in config file .github/ultra-create.yml: "approve" is not one of comment, request-changes.`)));
    assert.ok(lines.some((line) => line.startsWith(`Unknown key 'failOn'`)));
  });
});

describe('config file', () => {
  const file = [
    'scanners: [ast-grep, ramparts]',
    'fail-on: high',
    'max-comments: 12',
    'claude-max-usd: 1.5',
    'rules:',
    '  - rules/security',
    '  - vendor/essentials/sgconfig.yml',
    'mcp-gateway: off',
    'test-command: npm test',
    'ast-grep:',
    '  patterns:',
    '    - id: no-eval',
    '      pattern: eval($CODE)',
    '      language: typescript',
    '      message: eval runs arbitrary code',
    '      severity: high',
  ].join('\n');

  test('applies when the inputs are at their defaults', () => {
    const config = resolve({}, file);
    assert.deepEqual(config.scanners, ['ast-grep', 'ramparts']);
    assert.equal(config.failOn, 'high');
    assert.equal(config.maxComments, 12);
    assert.equal(config.claudeMaxUsd, 1.5);
    assert.deepEqual(config.rules, ['rules/security', 'vendor/essentials/sgconfig.yml']);
    assert.equal(config.mcpGateway, 'off');
    assert.equal(config.testCommand, 'npm test');
    assert.deepEqual(config.astGrepPatterns, [
      { id: 'no-eval', pattern: 'eval($CODE)', language: 'typescript', message: 'eval runs arbitrary code', severity: 'high' },
    ]);
    assert.equal(config.origins['fail-on'], 'config-file');
    assert.equal(config.origins['filter-mode'], 'default');
  });

  test('inputs set in the workflow override it', () => {
    const config = resolve({ 'fail-on': 'medium', scanners: 'tests', 'max-comments': '5' }, file);
    assert.equal(config.failOn, 'medium');
    assert.deepEqual(config.scanners, ['tests']);
    assert.equal(config.maxComments, 5);
    assert.equal(config.claudeMaxUsd, 1.5);
    assert.equal(config.origins['fail-on'], 'input');
  });

  test('an input at its default (even spelled by the workflow) leaves the file value; an empty input counts as unset', () => {
    assert.equal(resolve({ 'fail-on': 'critical' }, 'fail-on: low').failOn, 'low');
    assert.equal(resolve({ 'fail-on': '' }, 'fail-on: low').failOn, 'low');
    assert.equal(resolve({ 'sarif-file': '${{ runner.temp }}/ultra-create.sarif' }, 'sarif-file: out/x.sarif').sarifFile, 'out/x.sarif');
    assert.equal(resolve({ 'sarif-file': 'mine.sarif' }, 'sarif-file: out/x.sarif').sarifFile, 'mine.sarif');
  });

  test('comma strings and number strings are accepted too; empty values fall back to the default', () => {
    const config = resolve({}, "scanners: 'tests, ast-grep'\nmax-comments: '7'\ntest-command:\nfail-on: ''\n");
    assert.deepEqual(config.scanners, ['tests', 'ast-grep']);
    assert.equal(config.maxComments, 7);
    assert.equal(config.testCommand, undefined);
    assert.equal(config.failOn, 'critical');
  });

  test('an empty file or one with only comments is no configuration', () => {
    assert.equal(resolve({}, '').failOn, 'critical');
    assert.equal(resolve({}, '# nothing yet\n').failOn, 'critical');
  });

  test('values of the wrong kind name the file and the key', () => {
    const message = errorOf(() => resolve({}, 'fail-on: [high]\nmax-comments: true\nscanners: {a: 1}\n', 'ci/review.yml'));
    assert.match(message, /Invalid value for 'fail-on' in config file ci\/review\.yml: a list is not one of none/);
    assert.match(message, /Invalid value for 'max-comments' in config file ci\/review\.yml: true is not an integer from 0 to 100/);
    assert.match(message, /Invalid value for 'scanners' in config file ci\/review\.yml: expected a list, got a mapping\./);
  });

  test('unknown keys are errors listing the known keys, with a suggestion', () => {
    const message = errorOf(() => resolve({}, 'fail_on: high\nmaxComments: 3\nfrobnicate: 1\n'));
    const lines = message.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /^Unknown key 'fail_on' in config file \.github\/ultra-create\.yml\. Did you mean 'fail-on'\? Known keys: scanners, rules, filter-mode, fail-on, /);
    assert.match(lines[1] ?? '', /Did you mean 'max-comments'\?/);
    assert.doesNotMatch(lines[2] ?? '', /Did you mean/);
    assert.match(lines[2] ?? '', /Known keys: .*ast-grep\.$/);
    assert.doesNotMatch(lines[2] ?? '', /github-token|anthropic-api-key|config-file/);
    assert.equal(closestKey('filtermode', ['filter-mode', 'fail-on']), 'filter-mode');
    assert.equal(closestKey('scaners', ['scanners']), 'scanners');
    assert.equal(closestKey('zzz', ['scanners']), undefined);
  });

  test('invalid YAML names the file and the position', () => {
    const message = errorOf(() => resolve({}, 'fail-on: [high\nscanners: tests\n', 'ci/review.yml'));
    assert.match(message, /^Invalid YAML in config file ci\/review\.yml \(line \d+, column \d+\): /);
    assert.match(errorOf(() => resolve({}, 'a: 1\na: 2\n')), /Invalid YAML in config file \.github\/ultra-create\.yml .*unique/);
    assert.match(errorOf(() => resolve({}, '- fail-on\n- high\n')), /Invalid config file \.github\/ultra-create\.yml: expected a mapping of input names to values, got a list\./);
  });

  test('secrets, config-file and expressions cannot be set in the file', () => {
    const message = errorOf(() =>
      resolve({}, `github-token: ${TOKEN}\nanthropic-api-key: ${API_KEY}\nconfig-file: other.yml\nsarif-file: \${{ runner.temp }}/x.sarif\n`),
    );
    assert.match(message, /'github-token' cannot be set in config file \.github\/ultra-create\.yml: a secret does not belong/);
    assert.match(message, /'anthropic-api-key' cannot be set in config file/);
    assert.match(message, /'config-file' cannot be set in config file/);
    assert.match(message, /'sarif-file' in config file .*expressions .* are expanded only in workflow inputs/);
    assert.ok(!message.includes(TOKEN) && !message.includes(API_KEY));
  });

  test('the ast-grep section is validated', () => {
    const message = errorOf(() =>
      resolve(
        {},
        [
          'ast-grep:',
          '  patterns:',
          '    - id: a',
          '      pattern: eval($X)',
          '      language: typescript',
          '      message: m',
          '      severity: severe',
          '    - id: a',
          '      pattern: ""',
          '      language: typescript',
          '      message: m',
          '      severity: low',
          '      fix: x',
          '  rules: []',
        ].join('\n'),
      ),
    );
    assert.match(message, /'ast-grep\.patterns\[0\]\.severity' in config file .*: "severe" is not one of critical, high, medium, low, info\./);
    assert.match(message, /'ast-grep\.patterns\[1\]' .*unknown key 'fix'/);
    assert.match(message, /'ast-grep\.patterns\[1\]\.pattern' .*an ast-grep pattern is empty/);
    assert.match(message, /'ast-grep' .*unknown key 'rules'; the section has only 'patterns'/);
    assert.match(
      errorOf(() =>
        resolve({}, 'ast-grep:\n  patterns:\n    - {id: a, pattern: x, language: go, message: m, severity: low}\n    - {id: a, pattern: y, language: go, message: m, severity: low}\n'),
      ),
      /'ast-grep\.patterns\[1\]\.id' .*duplicate id "a"/,
    );
  });
});

describe('secrets', () => {
  test('never appear in a message, whatever goes wrong', () => {
    const message = errorOf(() =>
      resolve({ 'anthropic-api-key': API_KEY, 'fail-on': TOKEN, 'claude-model': `x ${API_KEY}`, 'test-image': API_KEY }, `fail-on: ${TOKEN}\n`),
    );
    assert.ok(!message.includes(TOKEN), message);
    assert.ok(!message.includes(API_KEY), message);
    assert.match(message, /Invalid input 'fail-on': "\*\*\*" is not one of/);
  });

  test('an unknown input is an error, with a suggestion', () => {
    assert.match(
      errorOf(() => resolveConfig({ inputs: { 'fail-on': 'high', 'fail_on': 'high' } })),
      /^Unknown input 'fail_on'\. Did you mean 'fail-on'\?/,
    );
  });

  test('secrets are accepted as given', () => {
    const config = resolve({ 'anthropic-api-key': API_KEY });
    assert.equal(config.anthropicApiKey, API_KEY);
    assert.equal(config.origins['anthropic-api-key'], 'input');
  });
});

describe('reading INPUT_ variables', () => {
  test('names keep their dashes, spaces become underscores, values are trimmed', () => {
    assert.equal(inputEnvName('fail-on'), 'INPUT_FAIL-ON');
    assert.equal(inputEnvName('my input'), 'INPUT_MY_INPUT');
    const inputs = readActionInputs({ 'INPUT_FAIL-ON': '  high \n', 'INPUT_GITHUB-TOKEN': TOKEN, INPUT_FAIL_ON: 'low', INPUT_SCANNERS: '' });
    assert.equal(inputs['fail-on'], 'high');
    assert.equal(inputs['github-token'], TOKEN);
    assert.equal(inputs.scanners, '');
    assert.equal(inputs['max-comments'], undefined);
    assert.deepEqual(Object.keys(inputs), [...INPUT_NAMES]);
  });

  test('the whole path: a GitHub environment to a Config', () => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(githubInputs({ 'fail-on': 'high' }))) env[inputEnvName(name)] = value;
    const config = resolveConfig({ inputs: readActionInputs(env), runnerTemp: '/home/runner/work/_temp' });
    assert.equal(config.failOn, 'high');
    assert.equal(config.sarifFile, '/home/runner/work/_temp/ultra-create.sarif');
  });

  test('configFileLocation tells the default from a chosen file', () => {
    assert.deepEqual(configFileLocation(githubInputs()), { path: '.github/ultra-create.yml', userSet: false });
    assert.deepEqual(configFileLocation({}), { path: '.github/ultra-create.yml', userSet: false });
    assert.deepEqual(configFileLocation({ 'config-file': 'ci/review.yml' }), { path: 'ci/review.yml', userSet: true });
    assert.throws(() => configFileLocation({ 'config-file': '/etc/passwd' }), ConfigurationError);
  });
});

describe('action.yml and docs agree with the table', () => {
  const action = parse(readFileSync(new URL('action.yml', ROOT), 'utf8')) as {
    name: string;
    description: string;
    branding: { icon: string; color: string };
    inputs: Record<string, { description: string; required?: boolean; default?: unknown }>;
    outputs: Record<string, { description: string }>;
    runs: Record<string, string>;
  };

  test('lists exactly the inputs of the table, in order, with their defaults and descriptions', () => {
    assert.deepEqual(Object.keys(action.inputs), [...INPUT_NAMES]);
    for (const name of INPUT_NAMES) {
      const input = action.inputs[name];
      assert.ok(input, name);
      assert.equal(input.default, INPUT_SPECS[name].default, `default of ${name} (a string in action.yml, as GitHub passes it)`);
      assert.equal(input.description, INPUT_SPECS[name].description, `description of ${name}`);
      assert.notEqual(input.required, true, `${name} is optional`);
    }
    assert.equal(action.inputs['github-token']?.default, '${{ github.token }}');
    assert.equal(action.inputs['sarif-file']?.default, '${{ runner.temp }}/ultra-create.sarif');
    assert.equal(action.inputs['claude-model']?.default, 'claude-opus-4-5');
  });

  test('has every output, and the main and post steps', () => {
    assert.deepEqual(Object.keys(action.outputs), [...OUTPUT_NAMES]);
    for (const name of OUTPUT_NAMES) assert.equal(action.outputs[name]?.description, OUTPUT_SPECS[name].description);
    assert.equal(action.name, 'ultra-create');
    assert.ok(action.description.length > 0 && action.branding.icon && action.branding.color);
    assert.deepEqual(action.runs, { using: 'node24', main: 'dist/index.js', post: 'dist/post.js', 'post-if': 'always()' });
  });

  test('pins both images by digest', () => {
    assert.match(DEFAULTS['mcp-gateway-image'], /^docker\/mcp-gateway@sha256:[a-f0-9]{64}$/);
    assert.match(DEFAULTS['test-image'], /^node:22-bookworm-slim@sha256:[a-f0-9]{64}$/);
  });

  test('the README embeds the same inputs and outputs tables', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const section = /<!-- inputs:start -->\n([\s\S]*?)\n<!-- inputs:end -->/.exec(readme)?.[1];
    assert.ok(section, 'README.md has an inputs:start/inputs:end section');
    assert.equal(section, renderInputsTable().split('\n').slice(2).join('\n').trim());
  });

  test('docs/inputs.md is up to date (regenerate with the command in src/config/docs.ts)', () => {
    assert.equal(readFileSync(new URL('docs/inputs.md', ROOT), 'utf8'), renderInputsTable());
  });

  test('the docs name every input with its status', () => {
    const docs = renderInputsTable();
    for (const name of INPUT_NAMES) assert.ok(docs.includes(`| \`${name}\` |`), name);
    assert.match(docs, /\| `test-command` .*\| active \|/);
    assert.match(docs, /\| `mcp-gateway` .*\| active \|/);
    assert.match(docs, /\| `claude-max-usd` .*\| active \|/);
    assert.match(docs, /\| `fail-on` .*\| active \|/);
  });
});
