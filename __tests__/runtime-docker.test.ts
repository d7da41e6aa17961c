// The MCP gateway runtime against a REAL Docker engine, with the stand-in gateway image (__tests__/fixtures/stand-in-gateway)
// started through the production code path: only the image reference differs. Fault variants of the stand-in are the same image
// with one ENV line added (`docker commit --change`), so the code under test still passes nothing but an image reference.
// Without an engine the suite is skipped with the reason; with ULTRA_CREATE_REQUIRE_DOCKER=1 it fails instead.
// Everything a test creates carries its own run label (and the images the test labels); only that is removed.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '../src/config/schema.js';
import { DEFAULTS } from '../src/config/load.js';
import { RecordingLogger } from './support/recording-logger.js';
import { runAstGrepPatterns } from '../src/scanners/mcp-patterns/scanner.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId, RUN_LABEL, type CreatedResource } from '../src/runtime/docker-engine.js';
import {
  connectGatewayClient,
  GatewayStartError,
  GatewayTransportError,
  startGateway,
  type GatewayHandle,
} from '../src/runtime/mcp-gateway.js';
import { describeDocker, docker, dockerCli, SESSION_LABEL, TEST_SESSION } from './support/docker.js';
import { buildStandInGatewayImage, REPO_ROOT } from './support/images.js';

const VARIANT_REPOSITORY = 'ultra-create-test/runtime-gateway-variant';
const HEAD_FILES: Record<string, string> = {
  'src/app.ts': "import { run } from './run';\n\nexport function handle(input: string) {\n  return eval(input);\n}\n",
  'src/clean.ts': 'export const answer = 42;\n',
};
const PATTERNS: Config['astGrepPatterns'] = [
  { id: 'no-eval', pattern: 'eval($X)', language: 'typescript', message: 'Do not eval input.', severity: 'high' },
];

describeDocker('MCP gateway on a real Docker engine (stand-in image)', () => {
  let image = '';
  const variants = new Map<string, string>();
  let workDir = '';
  let scratch = '';
  const runIds: string[] = [];

  /** The stand-in with `env` baked in: a new image reference, nothing else. */
  async function variant(name: string, env: Record<string, string>): Promise<string> {
    const ref = `${VARIANT_REPOSITORY}:${name}-${TEST_SESSION}`;
    const container = (await docker(['create', '--label', `${SESSION_LABEL}=${TEST_SESSION}`, image])).trim();
    try {
      const changes = Object.entries(env).flatMap(([key, value]) => ['--change', `ENV ${key}=${value}`]);
      await docker(['commit', ...changes, '--change', `LABEL ${SESSION_LABEL}=${TEST_SESSION}`, container, ref]);
    } finally {
      await dockerCli(['rm', '-f', container]);
    }
    variants.set(name, ref);
    return ref;
  }

  before(
    async () => {
      image = (await buildStandInGatewayImage()).ref;
      await variant('never-ready', { STAND_IN_NEVER_READY: '1' });
      await variant('slow-tools', { STAND_IN_TOOL_DELAY_MS: '20000' });
      await variant('exits', { STAND_IN_EXIT_AFTER_MS: '1', STAND_IN_EXIT_CODE: '3' });
      scratch = await mkdtemp(join(tmpdir(), 'runtime-docker-'));
      workDir = join(scratch, 'head');
      for (const [path, content] of Object.entries(HEAD_FILES)) {
        await mkdir(dirname(join(workDir, path)), { recursive: true });
        await writeFile(join(workDir, path), content);
      }
    },
    { timeout: 180_000 },
  );

  after(async () => {
    const engine = createDockerEngine();
    for (const runId of runIds) await cleanupRun(engine, runId, new RecordingLogger(), { timeoutMs: 20_000 });
    if (variants.size) await dockerCli(['rmi', '-f', ...variants.values()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  function newRun(onCreated?: (resource: CreatedResource) => void) {
    const runId = newRunId();
    runIds.push(runId);
    return { runId, engine: createDockerEngine({ runId, onCreated }), logger: new RecordingLogger() };
  }

  /** What still carries the run label, as the docker CLI sees it (not through the code under test). */
  async function labelled(runId: string): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
    const filter = `label=${RUN_LABEL}=${runId}`;
    const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
    return {
      containers: lines(await docker(['ps', '-aq', '--filter', filter])),
      networks: lines(await docker(['network', 'ls', '-q', '--filter', filter])),
      volumes: lines(await docker(['volume', 'ls', '-q', '--filter', filter])),
    };
  }

  const nothingLeft = { containers: [], networks: [], volumes: [] };

  const patternSettings = { patterns: PATTERNS, mcpServers: ['ast-grep', 'ramparts'] };
  function scanPorts(gateway: GatewayHandle) {
    return {
      tree: { root: workDir, files: Object.keys(HEAD_FILES), inPlace: false },
      logger: new RecordingLogger(),
      gateway: { status: 'ready' as const, value: gateway },
    };
  }

  async function start(t: TestContext, ref: string, runId: string, engine: ReturnType<typeof createDockerEngine>, logger: RecordingLogger, extra: { healthTimeoutMs?: number } = {}) {
    const started = performance.now();
    const gateway = await startGateway(engine, {
      image: ref,
      servers: ['ast-grep', 'ramparts'],
      runId,
      workDir,
      logger,
      tempDir: scratch,
      healthTimeoutMs: extra.healthTimeoutMs ?? 30_000,
    });
    t.diagnostic(`gateway started in ${Math.round(performance.now() - started)} ms (healthy after ${gateway.timings.healthyMs} ms)`);
    return { gateway, started };
  }

  test('starts through the production path, lists the tools, calls ast-grep; the pattern scan maps the match; close removes all', { timeout: 60_000 }, async (t) => {
    const created: CreatedResource[] = [];
    const { runId, engine, logger } = newRun((r) => created.push(r));
    const { gateway, started } = await start(t, image, runId, engine, logger);
    let closed = false;
    try {
      assert.match(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(gateway.transport, 'streamable-http');
      assert.deepEqual(gateway.tools.map((tool) => tool.name).sort(), ['ast-grep', 'scan', 'scan-config']);

      const first = await gateway.callTool('ast-grep', { pattern: 'eval($X)', lang: 'typescript', dir: '/src' }, { timeoutMs: 20_000 });
      t.diagnostic(`cold start to first successful tool call: ${Math.round(performance.now() - started)} ms`);
      assert.match(first.text, /"file":"\/src\/src\/app\.ts"/);

      // What the engine was asked for, read back with the CLI: loopback-only port, labels, flags, token in env only.
      const [inspected] = JSON.parse(await docker(['inspect', gateway.containerId])) as {
        Args: string[];
        Config: { Labels: Record<string, string>; Env: string[] };
        HostConfig: { PortBindings: Record<string, { HostIp: string }[]>; Binds: string[] };
      }[];
      assert.ok(inspected);
      assert.deepEqual(inspected.HostConfig.PortBindings['8811/tcp']?.map((b) => b.HostIp), ['127.0.0.1']);
      assert.equal(inspected.Config.Labels[RUN_LABEL], runId);
      assert.equal(inspected.Config.Labels['dev.ultra-create.managed'], 'true');
      assert.ok(inspected.Args.includes('--transport=streaming') && inspected.Args.includes('--port=8811'));
      assert.ok(inspected.Args.includes('--servers=ast-grep,ramparts'));
      assert.ok(!inspected.Args.some((arg) => arg.includes('verify-signatures')));
      assert.ok(inspected.HostConfig.Binds.some((bind) => bind.startsWith('/var/run/docker.sock:/var/run/docker.sock')));
      assert.ok(inspected.HostConfig.Binds.includes(`${workDir}:${workDir}:ro`));
      const token = inspected.Config.Env.find((e) => e.startsWith('MCP_GATEWAY_AUTH_TOKEN='))?.slice('MCP_GATEWAY_AUTH_TOKEN='.length) ?? '';
      assert.ok(token.length >= 40);
      assert.deepEqual(created.map((r) => r.kind).sort(), ['container', 'network'], 'each object reported as soon as it exists');

      // Per-call overhead through the gateway, for the record (the ramparts stand-in answers from memory).
      const calls = 20;
      const loop = performance.now();
      for (let i = 0; i < calls; i++) await gateway.callTool('scan', { url: 'http://127.0.0.1:1/mcp' });
      t.diagnostic(`per call through the gateway (in-memory tool): ${((performance.now() - loop) / calls).toFixed(2)} ms`);

      const result = await runAstGrepPatterns(patternSettings, scanPorts(gateway));
      assert.equal(result.report.status, 'ok', result.report.reason);
      assert.deepEqual(
        result.report.findings.map((f) => [f.ruleId, f.source, f.severity, f.path, f.startLine, f.endLine, f.evidence]),
        [['pattern/no-eval', 'mcp-pattern', 'high', 'src/app.ts', 4, 4, '  return eval(input);']],
      );

      const closing = performance.now();
      await gateway.close();
      closed = true;
      t.diagnostic(`close (client, container, network): ${Math.round(performance.now() - closing)} ms`);
      assert.deepEqual(await labelled(runId), nothingLeft);
      assert.match(logger.text(), /group: MCP gateway log/);
      assert.match(logger.text(), /Stand-in for docker\/mcp-gateway/);
      assert.ok(!logger.text().includes(token), 'the token never reaches the log');
    } finally {
      if (!closed) await gateway.close();
    }
  });

  test('health never ready: a clear error within the bound, with the log tail; nothing left', { timeout: 60_000 }, async () => {
    const { runId, engine, logger } = newRun();
    const started = performance.now();
    await assert.rejects(
      startGateway(engine, { image: variants.get('never-ready') ?? '', servers: ['ast-grep'], runId, workDir, logger, tempDir: scratch, healthTimeoutMs: 2_000 }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayStartError, String(error));
        assert.match(error.message, /not healthy within 2000 ms \(\d+ probe\(s\) of \/health; last answer: HTTP 503\)/);
        assert.match(error.message, /tools never finish loading/);
        return true;
      },
    );
    assert.ok(performance.now() - started < 15_000);
    assert.deepEqual(await labelled(runId), nothingLeft);
  });

  test('the gateway exits during start-up: fails at once with the exit code and its log; nothing left', { timeout: 60_000 }, async () => {
    const { runId, engine, logger } = newRun();
    const started = performance.now();
    await assert.rejects(
      startGateway(engine, { image: variants.get('exits') ?? '', servers: ['ast-grep'], runId, workDir, logger, tempDir: scratch, healthTimeoutMs: 30_000 }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayStartError, String(error));
        assert.match(error.message, /container stopped before it was healthy \(exited, exit code 3\)/);
        assert.match(error.message, /Exiting after 1 ms/);
        return true;
      },
    );
    assert.ok(performance.now() - started < 10_000, 'not the 30 s health bound');
    assert.deepEqual(await labelled(runId), nothingLeft);
  });

  test('a wrong token is refused with 401 and said so', { timeout: 60_000 }, async (t) => {
    const { runId, engine, logger } = newRun();
    const { gateway } = await start(t, image, runId, engine, logger);
    try {
      const anonymous = await fetch(`${gateway.url}/mcp`, { method: 'POST', body: '{}' });
      assert.equal(anonymous.status, 401);
      await assert.rejects(connectGatewayClient(gateway.url, 'not-the-token-of-this-run', 10_000, logger), (error: unknown) => {
        assert.ok(error instanceof GatewayTransportError);
        assert.match(error.message, /^The gateway refused the token \(HTTP 401\)/);
        return true;
      });
    } finally {
      await gateway.close();
    }
    assert.deepEqual(await labelled(runId), nothingLeft);
  });

  test('the container dies mid-run: the call in flight and later calls fail fast; the pattern scan is failed', { timeout: 60_000 }, async (t) => {
    const { runId, engine, logger } = newRun();
    const { gateway } = await start(t, variants.get('slow-tools') ?? '', runId, engine, logger);
    try {
      let failedAt = 0;
      const inFlight = gateway.callTool('scan', { url: 'http://127.0.0.1:1/mcp' }, { timeoutMs: 60_000 }).then(
        () => assert.fail('the call in flight succeeded'),
        (error: unknown) => {
          failedAt = performance.now();
          return error;
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const killed = performance.now();
      await docker(['kill', gateway.containerId]);
      const error = await inFlight;
      assert.ok(error instanceof GatewayTransportError, String(error));
      assert.match(error.message, /MCP gateway container stopped \(exited, exit code 137\)/);
      const failedAfter = failedAt - killed;
      t.diagnostic(`in-flight call failed ${Math.round(failedAfter)} ms after the kill`);
      assert.ok(failedAfter < 5_000, `failed after ${failedAfter} ms`);

      const next = performance.now();
      await assert.rejects(gateway.callTool('ast-grep', { pattern: 'x', lang: 'ts', dir: '/src' }), GatewayTransportError);
      assert.ok(performance.now() - next < 100, 'a later call fails at once');

      const scan = await runAstGrepPatterns(patternSettings, scanPorts(gateway));
      assert.equal(scan.report.status, 'failed');
      assert.match(scan.report.reason ?? '', /container stopped/);
    } finally {
      await gateway.close();
    }
    assert.deepEqual(await labelled(runId), nothingLeft);
  });

  test('image missing: a clear error naming the image and the pull failure; nothing created', { timeout: 60_000 }, async () => {
    const { runId, engine, logger } = newRun();
    // A registry on a loopback port where nothing listens: the engine's pull fails at once, and stays on this machine.
    const missing = '127.0.0.1:9/ultra-create-test/no-such-gateway:missing';
    await assert.rejects(
      startGateway(engine, { image: missing, servers: ['ast-grep'], runId, workDir, logger, tempDir: scratch }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayStartError);
        assert.match(error.message, /^The MCP gateway image 127\.0\.0\.1:9\/ultra-create-test\/no-such-gateway:missing is missing and could not be pulled: Docker could not pull/);
        return true;
      },
    );
    assert.match(logger.text(), /Pulling 127\.0\.0\.1:9\/ultra-create-test\/no-such-gateway:missing/);
    assert.deepEqual(await labelled(runId), nothingLeft);
  });

  test('post-step cleanup after a crash: the main process is SIGKILLed, cleanupRun by run id leaves zero labelled objects', { timeout: 60_000 }, async (t) => {
    const runId = newRunId();
    runIds.push(runId);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
        import { createDockerEngine } from ${JSON.stringify(join(REPO_ROOT, 'src/runtime/docker-engine.ts'))};
        import { startGateway } from ${JSON.stringify(join(REPO_ROOT, 'src/runtime/mcp-gateway.ts'))};
        import { RecordingLogger } from ${JSON.stringify(join(REPO_ROOT, '__tests__/support/recording-logger.ts'))};
        const { RUN_ID, IMAGE, WORK_DIR, TEMP_DIR } = process.env;
        const engine = createDockerEngine({ runId: RUN_ID });
        await engine.createVolume(RUN_ID + '-scratch');
        const gateway = await startGateway(engine, { image: IMAGE, servers: ['ast-grep'], runId: RUN_ID, workDir: WORK_DIR, tempDir: TEMP_DIR, logger: new RecordingLogger() });
        process.stdout.write('READY ' + gateway.containerId + '\\n');
        setInterval(() => undefined, 1000);
        `,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, RUN_ID: runId, IMAGE: image, WORK_DIR: workDir, TEMP_DIR: scratch }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child did not start the gateway within 30 s:\n${output}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('READY ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the child exited (${code}) before the gateway was ready:\n${output}`));
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const before = await labelled(runId);
    assert.equal(before.containers.length, 1, 'the crash left the gateway running');
    assert.equal(before.networks.length, 1);
    assert.equal(before.volumes.length, 1);

    // The post step: a fresh engine client, no memory of the main step but the run id.
    const logger = new RecordingLogger();
    const report = await cleanupRun(createDockerEngine(), runId, logger);
    t.diagnostic(`cleanup after the crash: ${report.durationMs} ms (${report.containers.length} container(s), ${report.networks.length} network(s), ${report.volumes.length} volume(s))`);
    assert.deepEqual(report.failures, []);
    assert.equal(report.timedOut, false);
    assert.deepEqual(report.volumes, [`${runId}-scratch`]);
    assert.deepEqual(report.networks, [`ultra-create-${runId}-mcp`]);
    assert.ok(report.containers.includes(`ultra-create-${runId}-mcp-gateway`));
    assert.ok(report.durationMs < 5_000, `cleanup took ${report.durationMs} ms`);
    assert.deepEqual(await labelled(runId), nothingLeft);

    const again = await cleanupRun(createDockerEngine(), runId, new RecordingLogger());
    assert.deepEqual([again.containers, again.networks, again.volumes, again.failures], [[], [], [], []], 'a second cleanup finds nothing');
  });

  test('live: the real docker/mcp-gateway image (opt-in)', { timeout: 180_000 }, async (t) => {
    if (process.env.ULTRA_CREATE_LIVE_GATEWAY !== '1') {
      t.skip('opt-in: set ULTRA_CREATE_LIVE_GATEWAY=1 where docker/mcp-gateway and mcp/ast-grep can be pulled (no container registry is reachable here)');
      return;
    }
    const { runId, engine, logger } = newRun();
    const liveImage = process.env.ULTRA_CREATE_LIVE_GATEWAY_IMAGE || DEFAULTS['mcp-gateway-image'];
    const gateway: GatewayHandle = await startGateway(engine, { image: liveImage, servers: ['ast-grep'], runId, workDir, logger, tempDir: scratch, healthTimeoutMs: 120_000 });
    try {
      const result = await runAstGrepPatterns(patternSettings, scanPorts(gateway));
      assert.equal(result.report.status, 'ok', result.report.reason);
      assert.equal(result.report.findings.length, 1);
    } finally {
      await gateway.close();
    }
  });
});
