/**
 * The pipeline (src/main.ts `runReview`) with the CLI's kind of ports on a real git repository and the real ast-grep: the stages in
 * order, one log group each and none nested, only what the enabled scanners need is started (the Docker factory and the model
 * clients are partial stubs that throw when touched), every warning logged once, what a failing stage leaves to `abandon`, and the
 * run's temporary folder removed either way. The scanner table gives each scanner its own slice, never a token.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLocalGitChangeSource, resolveLocalRevisions } from '../src/collect/source.js';
import { parseConfigFile } from '../src/config/file.js';
import { resolveConfig } from '../src/config/load.js';
import { STATE } from '../src/config/inputs.js';
import type { Config } from '../src/config/schema.js';
import type { Effects } from '../src/effects.js';
import { runReview, type Publisher, type ReviewPorts } from '../src/main.js';
import { combinedNeeds, planScan, SCANNERS } from '../src/scanners/registry.js';
import type { EarlierReviews, ReviewReport } from '../src/types.js';
import { git } from './support/git-fixture.js';
import { RecordingLogger } from './support/recording-logger.js';
import { stub } from './support/stub.js';

const STAGES = ['Configuration', 'Collect', 'Start', 'Scan', 'Triage', 'Verify (Claude)', 'Draft (local model)', 'Publish', 'Cleanup'];

let scratch = '';
let repo = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uc-pipeline-'));
  repo = join(scratch, 'repo');
  await mkdir(join(repo, 'src'), { recursive: true });
  const run = (...args: string[]) => git(repo, args);
  await run('init', '-q', '-b', 'main');
  await writeFile(join(repo, 'src/app.js'), 'export const a = 1;\n');
  await run('add', '-A');
  await run('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
  await writeFile(join(repo, 'src/app.js'), 'export const a = 1;\nexport function run(req) {\n  return eval(req.body.code);\n}\n');
  await run('add', '-A');
  await run('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'head');
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface Recorder {
  calls: string[];
  abandoned?: ReviewReport;
  published?: ReviewReport;
}

function recordingPublisher(recorder: Recorder, options: { failPublish?: boolean } = {}): Publisher {
  return {
    async open(provisional) {
      recorder.calls.push(`open(${provisional.findings.length})`);
      const earlier: EarlierReviews = { commented: new Map(), listed: new Set() };
      return earlier;
    },
    async publish(report) {
      recorder.calls.push('publish');
      if (options.failPublish) throw new Error('GitHub went away');
      recorder.published = report;
      return report;
    },
    async abandon(known) {
      recorder.calls.push('abandon');
      recorder.abandoned = known;
    },
  };
}

async function ports(config: Config, recorder: Recorder, tempRoot: string, options: { failPublish?: boolean } = {}) {
  const logger = new RecordingLogger();
  const revisions = await resolveLocalRevisions(repo, undefined, 'HEAD');
  // Nothing in these runs may start a container or a model client: the stubs throw when touched.
  const effects = stub<Effects>('Effects', { env: { PATH: process.env.PATH, HOME: process.env.HOME }, clock: { now: () => Date.now() } });
  const state = new Map<string, string>();
  const value: ReviewPorts = {
    logger,
    effects,
    configure: async () => config,
    source: createLocalGitChangeSource(repo, revisions),
    publisher: () => recordingPublisher(recorder, options),
    checkoutDir: repo,
    tempRoot,
    saveState: (name, v) => state.set(name, v),
    modelFallbackLevel: 'info',
    links: {},
  };
  return { ports: value, logger, state };
}

describe('runReview', () => {
  test('the stages run in order, one group each and none nested; nothing is started that no scanner asked for', async () => {
    const config = resolveConfig({ inputs: { 'local-model': 'off', 'fail-on': 'critical' } });
    const recorder: Recorder = { calls: [] };
    const tempRoot = await mkdtemp(join(scratch, 'tmp-'));
    const { ports: p, logger, state } = await ports(config, recorder, tempRoot);

    const report = await runReview(p);

    const groups = logger.lines.filter((l) => l.level === 'group').map((l) => l.message);
    assert.deepEqual(groups, STAGES, logger.text());
    assert.deepEqual(
      logger.lines.filter((l) => l.level === 'info' && /^[A-Z][\w ()]+: \d/.test(l.message)).map((l) => l.message.split(':')[0]),
      STAGES,
      'each stage logs its duration once',
    );
    assert.deepEqual(recorder.calls, ['open(1)', 'publish']);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0]!.finding.ruleId, 'js/code-injection-eval');
    assert.equal(report.conclusion, 'failure');
    // The head tree was the checkout itself: the run's folder held nothing and is gone.
    assert.deepEqual(await readdir(tempRoot), []);
    assert.ok(state.get(STATE.tempDir)?.startsWith(tempRoot));
    // Every scanner report once, with its outcome; the ones not available say so.
    const outcomes = logger.lines.filter((l) => /^(ast-grep|ramparts|tests): (ok|skipped|failed|degraded)/.test(l.message));
    assert.deepEqual(
      outcomes.map((l) => /^[^:]+: [a-z]+/.exec(l.message)?.[0]),
      ['ast-grep: ok', 'ramparts: ok', 'tests: skipped'],
    );
    assert.match(logger.text(), /MCP gateway skipped: no enabled scanner needs it/);
  });

  test('a stage that fails after the scan: the publisher gets what is known, the error propagates, the temporary folder goes', async () => {
    const config = resolveConfig({ inputs: { 'local-model': 'off' } });
    const recorder: Recorder = { calls: [] };
    const tempRoot = await mkdtemp(join(scratch, 'tmp-'));
    const { ports: p, logger } = await ports(config, recorder, tempRoot, { failPublish: true });

    await assert.rejects(runReview(p), /GitHub went away/);

    assert.deepEqual(recorder.calls, ['open(1)', 'publish', 'abandon']);
    assert.equal(recorder.abandoned?.findings.length, 1, 'the finding reaches abandon');
    assert.equal(recorder.abandoned?.models?.drafts.mode, 'off', 'with what the model stages said');
    assert.ok(logger.lines.some((l) => l.level === 'group' && l.message === 'Cleanup'));
    assert.deepEqual(await readdir(tempRoot), []);
  });

  test('mcp-gateway: on asks the Docker factory (a stub here) even without a scanner that needs it', async () => {
    const config = resolveConfig({ inputs: { 'local-model': 'off', 'mcp-gateway': 'on' } });
    const recorder: Recorder = { calls: [] };
    const tempRoot = await mkdtemp(join(scratch, 'tmp-'));
    const { ports: p } = await ports(config, recorder, tempRoot);
    await assert.rejects(runReview(p), /Effects\.docker is not defined in this test/);
    assert.equal(existsSync(join(tempRoot, 'x')), false);
    assert.deepEqual(await readdir(tempRoot), [], 'cleaned up after the failed start');
  });
});

describe('the scanner table', () => {
  const secrets = { 'github-token': 'ghs_' + 'T0k3nN0tT0L3ak0000000000000000000000', 'anthropic-api-key': 'sk-ant-api03-' + 'S3cr3tN0tT0L3ak' };
  const change = { repoAstGrepConfigDir: undefined, extraRuleSources: [] };
  const env = { PATH: '/usr/bin', HOME: '/home/u', GITHUB_TOKEN: 'ghs_envtoken0000', ANTHROPIC_API_KEY: 'sk-ant-env', RUNNER_TOOL_CACHE: '/opt/hostedtoolcache' };

  test('every scanner has one row; the enabled rows follow the scanners input', () => {
    assert.deepEqual(SCANNERS.map((row) => row.name), ['ast-grep', 'templates', 'mcp-pattern', 'ramparts', 'tests']);
    const onlyAstGrep = planScan({ config: resolveConfig({ inputs: { scanners: 'ast-grep' } }), change, env });
    assert.deepEqual(onlyAstGrep.scanners.map((s) => s.name), ['ast-grep', 'templates']);
    assert.deepEqual(combinedNeeds(onlyAstGrep), { gateway: [], sandbox: false, checkout: false });
  });

  test('ast-grep.patterns in the configuration add the gateway row, which declares the ast-grep server', () => {
    const config = resolveConfig({
      inputs: {},
      configFile: parseConfigFile({ path: '.github/ultra-create.yml', text: 'ast-grep:\n  patterns:\n    - id: p\n      pattern: eval($X)\n      language: typescript\n      message: m\n      severity: high\n' }),
    });
    const plan = planScan({ config, change, env });
    assert.deepEqual(plan.scanners.map((s) => s.name), ['ast-grep', 'templates', 'mcp-pattern', 'ramparts', 'tests']);
    assert.deepEqual(combinedNeeds(plan), { gateway: ['ast-grep'], sandbox: false, checkout: false });
  });

  test('the tests row asks for the sandbox and the head commit only when test-command is set; the sandbox gets an allowlisted environment', () => {
    const without = planScan({ config: resolveConfig({ inputs: {} }), change, env });
    assert.deepEqual(combinedNeeds(without), { gateway: [], sandbox: false, checkout: false });
    const config = resolveConfig({ inputs: { 'test-command': 'npm test', 'test-env': 'NODE_OPTIONS, NOT_SET_HERE' } });
    const plan = planScan({ config, change, env: { ...env, NODE_OPTIONS: '--max-old-space-size=512', LANG: 'C.UTF-8', NPM_TOKEN: 'npm_x' } });
    assert.deepEqual(combinedNeeds(plan), { gateway: [], sandbox: true, checkout: true });
    const row = SCANNERS.find((r) => r.name === 'tests')!;
    const settings = row.settings({ config, change, env: { ...env, NODE_OPTIONS: '--max-old-space-size=512', LANG: 'C.UTF-8', NPM_TOKEN: 'npm_x' }, assetsFrom: process.cwd() }) as {
      env: Record<string, string>;
      missingEnv: string[];
      setupNetwork: boolean;
      timeoutMs: number;
    };
    assert.deepEqual(settings.env, { CI: 'true', LANG: 'C.UTF-8', NODE_OPTIONS: '--max-old-space-size=512' });
    assert.deepEqual(settings.missingEnv, ['NOT_SET_HERE']);
    assert.equal(settings.setupNetwork, true);
    assert.equal(settings.timeoutMs, 10 * 60_000);
  });

  test('no row is given a token: the settings of every row hold neither the inputs\' secrets nor the environment\'s', () => {
    const config = resolveConfig({ inputs: { ...secrets, 'test-command': 'npm test' } });
    for (const row of SCANNERS) {
      const settings = JSON.stringify(row.settings({ config, change, env, assetsFrom: process.cwd() }) ?? null);
      for (const secret of [...Object.values(secrets), env.GITHUB_TOKEN, env.ANTHROPIC_API_KEY]) {
        assert.ok(!settings.includes(secret), `${row.name} would see ${secret.slice(0, 8)}…`);
      }
    }
    const astGrep = SCANNERS.find((row) => row.name === 'ast-grep')!.settings({ config, change, env, assetsFrom: process.cwd() }) as { env: Record<string, string> };
    assert.deepEqual(Object.keys(astGrep.env).sort(), ['HOME', 'PATH', 'RUNNER_TOOL_CACHE']);
  });

  test("ast-grep's memory limit comes from ULTRA_CREATE_AST_GREP_MEMORY_MB (MiB), and a value that is not a positive integer leaves the default", () => {
    const config = resolveConfig({ inputs: {} });
    const astGrep = SCANNERS.find((row) => row.name === 'ast-grep')!;
    const limit = (value: string | undefined) =>
      (astGrep.settings({ config, change, env: { ...env, ULTRA_CREATE_AST_GREP_MEMORY_MB: value }, assetsFrom: process.cwd() }) as { memoryLimitBytes?: number }).memoryLimitBytes;
    assert.equal(limit('8192'), 8 * 1024 ** 3);
    assert.equal(limit(undefined), undefined);
    assert.equal(limit('0'), undefined);
    assert.equal(limit('lots'), undefined);
  });
});
