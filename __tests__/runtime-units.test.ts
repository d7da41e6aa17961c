// The Docker runtime without Docker: partial stubs of DockerEngine (a method a test does not give throws), a fake clock, a fake
// engine on a unix socket for the HTTP client.
import { unusedPort } from './support/ports.js';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../src/config/schema.js';
import { ConfigurationError, ExternalServiceError } from '../src/errors.js';
import { RecordingLogger } from './support/recording-logger.js';
import type { Service } from '../src/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { parseMatches, runAstGrepPatterns, type PatternSettings } from '../src/scanners/mcp-patterns/scanner.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { RunLog } from '../src/runtime/docker-sandbox.js';
import {
  createDockerEngine,
  DockerUnavailableError,
  LogDemuxer,
  MANAGED_LABEL,
  resolveDockerEndpoint,
  RUN_LABEL,
  splitImageReference,
  tryCreateDockerEngine,
  type DockerEngine,
} from '../src/runtime/docker-engine.js';
import {
  connectGatewayClient,
  gatewayCommand,
  gatewayConfigYaml,
  GatewayStartError,
  GatewayTransportError,
  HealthTimeoutError,
  startGateway,
  startGatewayForConfig,
  ToolCallError,
  waitForHealth,
  type GatewayHandle,
  type ToolResult,
} from '../src/runtime/mcp-gateway.js';
import { stub } from './support/stub.js';

/** A DockerEngine with only the given methods; any other throws, naming itself. */
function stubEngine(methods: Partial<DockerEngine>): DockerEngine {
  return stub<DockerEngine>('DockerEngine', { host: 'unix:///stub.sock', socketPath: '/stub.sock', ...methods });
}

/** A clock that moves only when the code sleeps (or a probe takes time). */
function fakeClock() {
  let time = 0;
  const sleeps: number[] = [];
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
    sleeps,
  };
}

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runtime-units-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('waitForHealth', () => {
  test('backs off exponentially until /health answers 200', async () => {
    const clock = fakeClock();
    const answers: (number | Error)[] = [Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 503, 503, 503, 200];
    const result = await waitForHealth(
      {
        probe: async () => {
          const next = answers.shift();
          if (next instanceof Error) throw next;
          return next ?? 200;
        },
        now: clock.now,
        sleep: clock.sleep,
      },
      { timeoutMs: 10_000, initialDelayMs: 100, maxDelayMs: 2_000 },
    );
    assert.equal(result.attempts, 5);
    assert.deepEqual(result.delays, [100, 200, 400, 800]);
  });

  test('caps the delay and never sleeps past the deadline; the timeout names the last answer', async () => {
    const clock = fakeClock();
    let probes = 0;
    await assert.rejects(
      waitForHealth(
        {
          probe: async () => {
            probes++;
            return 503;
          },
          now: clock.now,
          sleep: clock.sleep,
        },
        { timeoutMs: 5_000, initialDelayMs: 100, maxDelayMs: 1_000 },
      ),
      (error: unknown) => {
        assert.ok(error instanceof HealthTimeoutError);
        assert.ok(error instanceof GatewayStartError);
        assert.equal(error.lastAnswer, 'HTTP 503');
        assert.match(error.message, /not healthy within 5000 ms .*last answer: HTTP 503/);
        return true;
      },
    );
    assert.deepEqual(clock.sleeps, [100, 200, 400, 800, 1000, 1000, 1000, 500]);
    assert.equal(clock.now(), 5_000);
    assert.equal(probes, clock.sleeps.length + 1, 'one last probe at the deadline');
  });

  test('a probe never waits longer than the time left (but gets a short minimum at the deadline)', async () => {
    const clock = fakeClock();
    const timeouts: number[] = [];
    await assert.rejects(
      waitForHealth(
        {
          probe: async (timeoutMs) => {
            timeouts.push(timeoutMs);
            clock.advance(timeoutMs);
            throw Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' });
          },
          now: clock.now,
          sleep: clock.sleep,
        },
        { timeoutMs: 3_000, initialDelayMs: 100, probeTimeoutMs: 2_000 },
      ),
      /last answer: no answer in time/,
    );
    assert.equal(timeouts[0], 2_000);
    assert.ok(timeouts.every((t) => t <= 2_000 && t >= 500));
    assert.ok(clock.now() <= 3_000 + 500);
  });

  test('a container that stopped fails the wait at once, not at the timeout', async () => {
    const clock = fakeClock();
    await assert.rejects(
      waitForHealth(
        {
          probe: async () => {
            throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
          },
          containerState: async () => ({ running: false, detail: 'exited, exit code 1' }),
          now: clock.now,
          sleep: clock.sleep,
        },
        { timeoutMs: 60_000 },
      ),
      /container stopped before it was healthy \(exited, exit code 1\); last answer of \/health: connection refused/,
    );
    assert.deepEqual(clock.sleeps, []);
  });
});

describe('gateway command line and config', () => {
  test('streaming transport on 8811, the servers, the config file, server limits; signature verification untouched', () => {
    const cmd = gatewayCommand({ servers: ['ast-grep', 'ramparts'], configPath: '/tmp/x/gateway-config.yaml', serverLimits: { cpus: 1, memory: '1Gb' } });
    assert.deepEqual(cmd, [
      '--transport=streaming',
      '--port=8811',
      '--servers=ast-grep,ramparts',
      '--config=/tmp/x/gateway-config.yaml',
      '--cpus=1',
      '--memory=1Gb',
    ]);
    assert.ok(!cmd.some((flag) => flag.includes('verify-signatures')));
  });

  test('the config gives the ast-grep server the head folder', () => {
    assert.equal(gatewayConfigYaml('/home/runner/work/_temp/uc/head'), 'ast-grep:\n  path: /home/runner/work/_temp/uc/head\n');
  });
});

/** An engine stub for a gateway that starts but whose /health never says 200; records what is removed. */
function startingEngine(calls: string[]): DockerEngine {
  let logsEnd: (() => void) | undefined;
  return stubEngine({
    imageExists: async () => true,
    createNetwork: async (name) => {
      calls.push(`createNetwork ${name}`);
      return 'net1';
    },
    createContainer: async (spec) => {
      calls.push(`createContainer ${spec.image}`);
      assert.deepEqual(spec.publishPorts, [8811]);
      assert.ok(spec.env?.MCP_GATEWAY_AUTH_TOKEN && spec.env.MCP_GATEWAY_AUTH_TOKEN.length >= 40);
      assert.ok(spec.binds?.some((b) => b.containerPath === '/var/run/docker.sock'));
      assert.ok(spec.binds?.some((b) => b.containerPath.endsWith('gateway-config.yaml') && b.readOnly));
      return 'c1';
    },
    startContainer: async () => {
      calls.push('startContainer');
    },
    containerLogs: async (_id, options) => {
      options.onLine('stderr', '- Reading configuration...');
      options.onLine('stderr', '- Listing MCP tools... stuck');
      // A followed log ends when the container goes.
      await new Promise<void>((resolve) => (logsEnd = resolve));
    },
    inspectContainer: async () => ({
      id: 'c1',
      name: 'ultra-create-uc-1-mcp-gateway',
      status: 'running',
      running: true,
      exitCode: 0,
      oomKilled: false,
      error: '',
      labels: {},
      ports: { '8811/tcp': { hostIp: '127.0.0.1', hostPort: 49153 } },
    }),
    removeContainer: async (id) => {
      calls.push(`removeContainer ${id}`);
      logsEnd?.();
      return true;
    },
    removeNetwork: async (id) => {
      calls.push(`removeNetwork ${id}`);
      return true;
    },
  });
}

describe('startGateway (stub engine)', () => {
  test('health never ready: a clear error with the last answer and the log tail; container, network and config removed', async () => {
    const calls: string[] = [];
    const clock = fakeClock();
    const logger = new RecordingLogger();
    const masked: string[] = [];
    const tempDir = await mkdtemp(join(scratch, 'gw-'));
    await assert.rejects(
      startGateway(startingEngine(calls), {
        image: 'example/gateway:1',
        servers: ['ast-grep'],
        runId: 'uc-1',
        workDir: scratch,
        logger,
        tempDir,
        healthTimeoutMs: 2_000,
        onMask: (secret) => masked.push(secret),
        probeHealth: async () => 503,
        now: clock.now,
        sleep: clock.sleep,
      }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayStartError);
        assert.match(error.message, /not healthy within 2000 ms/);
        assert.match(error.message, /last answer: HTTP 503/);
        assert.match(error.message, /Listing MCP tools\.\.\. stuck/);
        return true;
      },
    );
    assert.deepEqual(calls, ['createNetwork ultra-create-uc-1-mcp', 'createContainer example/gateway:1', 'startContainer', 'removeContainer c1', 'removeNetwork net1']);
    assert.equal(masked.length, 1);
    assert.deepEqual(await readdir(tempDir), [], 'the config folder is removed');
    assert.doesNotMatch(logger.text(), new RegExp(masked[0] ?? 'none'));
  });

  test('image missing: the pull fails with the engine message; nothing is created', async () => {
    const progress: string[] = [];
    const engine = stubEngine({
      imageExists: async () => false,
      pullImage: async (image, onProgress) => {
        onProgress?.({ status: 'Pulling from example/gateway' });
        progress.push(image);
        throw new ExternalServiceError(`Docker could not pull ${image}: pull access denied for example/gateway, repository does not exist`, 'docker', 404);
      },
    });
    const logger = new RecordingLogger();
    await assert.rejects(
      startGateway(engine, { image: 'example/gateway:1', servers: ['ast-grep'], runId: 'uc-1', workDir: scratch, logger }),
      (error: unknown) => {
        assert.ok(error instanceof GatewayStartError);
        assert.match(error.message, /image example\/gateway:1 is missing and could not be pulled: .*pull access denied/);
        return true;
      },
    );
    assert.match(logger.text(), /Pulling example\/gateway:1/);
    assert.match(logger.text(), /Pulling from example\/gateway/);
  });

  test('an engine without a unix socket is refused before anything is created', async () => {
    const engine = stubEngine({ socketPath: undefined, host: 'tcp://10.0.0.1:2375' });
    await assert.rejects(
      startGateway(engine, { image: 'g', servers: ['ast-grep'], runId: 'uc-1', workDir: scratch, logger: new RecordingLogger() }),
      /needs the Docker engine's unix socket/,
    );
  });
});

describe('startGatewayForConfig: mcp-gateway modes', () => {
  const config = (mcpGateway: Config['mcpGateway'], mcpServers = ['ast-grep']) => ({ mcpGateway, mcpGatewayImage: 'example/gateway:1', mcpServers });
  const noEngine = () =>
    stubEngine({
      ping: async () => {
        throw new DockerUnavailableError('No Docker engine answers at unix:///var/run/docker.sock: ENOENT (connect ENOENT /var/run/docker.sock).', 'docker');
      },
    });
  const aliveEngine = () => stubEngine({ ping: async () => ({ version: '28.0', apiVersion: '1.50', os: 'linux', arch: 'amd64' }) });
  const deps = (engine: DockerEngine | undefined, start?: () => Promise<GatewayHandle>) => ({
    engine,
    runId: 'uc-1',
    workDir: scratch,
    logger: new RecordingLogger(),
    ...(start ? { startGateway: start } : {}),
  });
  const fakeGateway = { url: 'http://127.0.0.1:1', tools: [] } as unknown as GatewayHandle;

  test('off: skipped, the engine is not even asked', async () => {
    const outcome = await startGatewayForConfig(config('off'), deps(stubEngine({})));
    assert.deepEqual(outcome, { status: 'skipped', reason: "mcp-gateway is 'off'" });
  });

  test('auto without an engine: skipped with the reason', async () => {
    const outcome = await startGatewayForConfig(config('auto'), deps(noEngine()));
    assert.equal(outcome.status, 'skipped');
    assert.match(outcome.reason ?? '', /no Docker engine: No Docker engine answers at unix:\/\/\/var\/run\/docker\.sock/);
  });

  test('auto without an engine client at all (bad DOCKER_HOST): skipped with that reason', async () => {
    const outcome = await startGatewayForConfig(config('auto'), { ...deps(undefined), engineProblem: 'DOCKER_HOST=ssh://x: only unix:// and tcp://' });
    assert.equal(outcome.status, 'skipped');
    assert.match(outcome.reason ?? '', /ssh:\/\/x/);
  });

  test('on without an engine: throws with the reason', async () => {
    await assert.rejects(startGatewayForConfig(config('on'), deps(noEngine())), (error: unknown) => {
      assert.ok(error instanceof GatewayStartError);
      assert.match(error.message, /'mcp-gateway' is 'on' but the gateway cannot start: No Docker engine answers/);
      return true;
    });
  });

  test('auto with an engine whose gateway fails: failed with the reason, no throw', async () => {
    const outcome = await startGatewayForConfig(
      config('auto'),
      deps(aliveEngine(), async () => {
        throw new GatewayStartError('The MCP gateway was not healthy within 60000 ms');
      }),
    );
    assert.deepEqual(outcome, { status: 'failed', reason: 'The MCP gateway was not healthy within 60000 ms' });
  });

  test('on with an engine whose gateway fails: throws', async () => {
    await assert.rejects(
      startGatewayForConfig(
        config('on'),
        deps(aliveEngine(), async () => {
          throw new GatewayStartError('The MCP gateway image x is missing and could not be pulled: no such host');
        }),
      ),
      /missing and could not be pulled/,
    );
  });

  test('auto and on with an engine: started', async () => {
    for (const mode of ['auto', 'on'] as const) {
      const outcome = await startGatewayForConfig(config(mode), deps(aliveEngine(), async () => fakeGateway));
      assert.equal(outcome.status, 'started');
      assert.equal(outcome.gateway, fakeGateway);
    }
  });

  test('no servers: skipped under auto, a configuration error under on', async () => {
    const outcome = await startGatewayForConfig(config('auto', []), deps(stubEngine({})));
    assert.equal(outcome.status, 'skipped');
    await assert.rejects(startGatewayForConfig(config('on', []), deps(stubEngine({}))), ConfigurationError);
  });
});

describe('cleanupRun', () => {
  const summary = (id: string, names: string[] = [id]) => ({ id, names, state: 'running', labels: {} });

  test('containers, then what is attached to the run networks, then networks, then volumes; reports what it removed', async () => {
    const calls: string[] = [];
    let networkTries = 0;
    const engine = stubEngine({
      listContainers: async (filter) => {
        calls.push(`list containers ${JSON.stringify(filter)}`);
        return filter.network ? [summary('s1', ['gateway-started-server'])] : [summary('c1', ['gw']), summary('c2', ['sandbox'])];
      },
      removeContainer: async (id) => {
        calls.push(`remove container ${id}`);
        return true;
      },
      listNetworks: async () => [{ id: 'n1', name: 'ultra-create-uc-1-mcp', labels: {} }],
      removeNetwork: async (id) => {
        calls.push(`remove network ${id}`);
        if (++networkTries === 1) throw new ExternalServiceError('error while removing network: network has active endpoints', 'docker', 403);
        return true;
      },
      listVolumes: async () => [{ name: 'v1', labels: {} }],
      removeVolume: async (name) => {
        calls.push(`remove volume ${name}`);
        return true;
      },
    });
    const logger = new RecordingLogger();
    const report = await cleanupRun(engine, 'uc-1', logger, { sleep: async () => undefined });
    assert.deepEqual(report.containers.sort(), ['gateway-started-server', 'gw', 'sandbox']);
    assert.deepEqual(report.networks, ['ultra-create-uc-1-mcp']);
    assert.deepEqual(report.volumes, ['v1']);
    assert.deepEqual(report.failures, []);
    assert.equal(calls[0], `list containers {"labels":["${RUN_LABEL}=uc-1"]}`);
    const index = (call: string) => calls.indexOf(call);
    assert.ok(index('remove container c1') < index('remove network n1'));
    assert.ok(index('remove container c2') < index('remove network n1'));
    assert.ok(index('remove container s1') < index('remove network n1'));
    assert.ok(calls.lastIndexOf('remove network n1') < index('remove volume v1'));
    assert.equal(networkTries, 2, 'retried once while the endpoints were released');
    assert.match(logger.text(), /removed 3 container\(s\), 1 network\(s\), 1 volume\(s\)/);
  });

  test('never throws: an engine that does not answer is reported', async () => {
    const engine = stubEngine({
      listContainers: async () => {
        throw new DockerUnavailableError('No Docker engine answers at unix:///var/run/docker.sock: ENOENT', 'docker');
      },
    });
    const logger = new RecordingLogger();
    const report = await cleanupRun(engine, 'uc-1', logger);
    assert.deepEqual(report.failures, ['No Docker engine answers at unix:///var/run/docker.sock: ENOENT']);
    assert.match(logger.text(), /warning: Docker cleanup: No Docker engine answers/);
  });

  test('a removal that fails is reported and the rest goes on', async () => {
    const engine = stubEngine({
      listContainers: async () => [summary('c1', ['stuck']), summary('c2', ['fine'])],
      removeContainer: async (id) => {
        if (id === 'c1') throw new ExternalServiceError('Docker could not remove container c1: device or resource busy', 'docker', 500);
        return true;
      },
      listNetworks: async () => [],
      listVolumes: async () => [],
    });
    const report = await cleanupRun(engine, 'uc-1', new RecordingLogger());
    assert.deepEqual(report.containers, ['fine']);
    assert.deepEqual(report.failures, ['container stuck: Docker could not remove container c1: device or resource busy']);
  });

  test('bounded in time: a hanging engine ends the cleanup at the deadline', async () => {
    const engine = stubEngine({
      listContainers: async () => [summary('c1')],
      removeContainer: () => new Promise<boolean>(() => undefined),
    });
    const started = Date.now();
    const report = await cleanupRun(engine, 'uc-1', new RecordingLogger(), { timeoutMs: 100 });
    assert.equal(report.timedOut, true);
    assert.ok(Date.now() - started < 2_000);
  });
});

describe('Docker engine client details', () => {
  test('image references split into fromImage and a tag that is never empty', () => {
    assert.deepEqual(splitImageReference('docker/mcp-gateway'), { fromImage: 'docker/mcp-gateway', tag: 'latest' });
    assert.deepEqual(splitImageReference('localhost:5000/gw:v2'), { fromImage: 'localhost:5000/gw', tag: 'v2' });
    assert.deepEqual(splitImageReference('localhost:5000/gw'), { fromImage: 'localhost:5000/gw', tag: 'latest' });
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(splitImageReference(`docker/mcp-gateway:v2@${digest}`), { fromImage: 'docker/mcp-gateway:v2', tag: digest });
  });

  test('DOCKER_HOST: default socket, unix://, tcp://; others refused with the reason', () => {
    assert.deepEqual(resolveDockerEndpoint({}), { host: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' });
    assert.deepEqual(resolveDockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }), {
      host: 'unix:///run/user/1000/docker.sock',
      socketPath: '/run/user/1000/docker.sock',
    });
    assert.deepEqual(resolveDockerEndpoint({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }), { host: 'tcp://127.0.0.1:2375', hostname: '127.0.0.1', port: 2375 });
    assert.throws(() => resolveDockerEndpoint({ DOCKER_HOST: 'ssh://me@host' }), DockerUnavailableError);
    assert.deepEqual(tryCreateDockerEngine({ env: { DOCKER_HOST: 'ssh://me@host' } }), {
      problem: 'DOCKER_HOST=ssh://me@host: only unix:// and tcp:// engines are supported.',
    });
    assert.equal(tryCreateDockerEngine({ env: {} }).engine?.host, 'unix:///var/run/docker.sock');
  });

  test('log frames are demultiplexed across chunk boundaries', () => {
    const frame = (type: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = type;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const lines: string[] = [];
    const demux = new LogDemuxer((stream, line) => lines.push(`${stream}:${line}`));
    const all = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err line\n'), frame(1, 'o\r\nthree'), frame(2, 'tail')]);
    for (let i = 0; i < all.length; i += 5) demux.push(all.subarray(i, i + 5));
    demux.end();
    assert.deepEqual(lines, ['stdout:one', 'stderr:err line', 'stdout:two', 'stdout:three', 'stderr:tail']);
  });

  test('output without a line break (cat /dev/zero) is delivered in bounded pieces, never held whole', () => {
    const lines: string[] = [];
    const demux = new LogDemuxer((_stream, line) => lines.push(line));
    const chunk = Buffer.alloc(100_000, 0x61);
    const header = Buffer.alloc(8);
    header[0] = 1;
    header.writeUInt32BE(chunk.length, 4);
    for (let i = 0; i < 5; i++) demux.push(Buffer.concat([header, chunk]));
    // 500,000 characters: seven full pieces of 65,536 delivered as they came, the rest when the stream ends.
    assert.deepEqual(lines.map((l) => l.length), [65_536, 65_536, 65_536, 65_536, 65_536, 65_536, 65_536]);
    demux.end();
    assert.equal(lines.reduce((sum, l) => sum + l.length, 0), 500_000);
  });
});

describe('the sandbox log', () => {
  test('is written whole up to its bound, then cut with a note; the last lines are kept and redacted when read', async () => {
    const path = join(scratch, 'run.log');
    const log = new RunLog(path, (text) => text.replace(/secret-\d+/g, '«redacted»'), 200);
    for (let i = 0; i < 1000; i++) log.line(`line ${i} secret-${i}`);
    assert.equal(await log.close(), undefined);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.length < 400, `${text.length} bytes written`);
    assert.match(text, /^line 0 «redacted»\n/);
    assert.match(text, /… \[log cut at 200 bytes/);
    assert.match(log.tailText(), /line 999 «redacted»$/);
    assert.doesNotMatch(log.tailText(), /secret-/);
  });
});

describe('Docker engine client over a unix socket (fake engine)', () => {
  let server: http.Server;
  let socketPath = '';
  const requests: { method: string; url: string; body: string }[] = [];
  before(async () => {
    socketPath = join(scratch, 'engine.sock');
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        const json = (status: number, value: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.url?.startsWith('/images/missing/thing:1/json')) return json(404, { message: 'No such image: missing/thing:1' });
        if (req.url?.startsWith('/images/create')) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write(`${JSON.stringify({ status: 'Pulling from missing/thing', id: '1' })}\n`);
          return res.end(`${JSON.stringify({ errorDetail: { message: 'manifest unknown' }, error: 'manifest for missing/thing:1 not found: manifest unknown' })}\n`);
        }
        if (req.url === '/containers/create?name=x') return json(201, { Id: 'abc123', Warnings: [] });
        if (req.url?.startsWith('/containers/gone/start')) return json(404, { message: 'No such container: gone' });
        if (req.url?.startsWith('/containers/gone?')) return json(404, { message: 'No such container: gone' });
        return json(500, { message: `unexpected ${req.method} ${req.url}` });
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("errors carry the engine's message", async () => {
    const engine = createDockerEngine({ env: { DOCKER_HOST: `unix://${socketPath}` } });
    assert.equal(await engine.imageExists('missing/thing:1'), false);
    await assert.rejects(engine.startContainer('gone'), (error: unknown) => {
      assert.ok(error instanceof ExternalServiceError);
      assert.equal(error.message, 'Docker could not start container gone: No such container: gone');
      assert.equal(error.status, 404);
      return true;
    });
    assert.equal(await engine.removeContainer('gone'), false, 'removing what is gone is not an error');
  });

  test('a pull that fails inside the stream fails with its message; progress is reported', async () => {
    const engine = createDockerEngine({ env: { DOCKER_HOST: `unix://${socketPath}` } });
    const progress: string[] = [];
    await assert.rejects(engine.pullImage('missing/thing:1', (p) => progress.push(p.status)), /could not pull missing\/thing:1: manifest for missing\/thing:1 not found/);
    assert.deepEqual(progress, ['Pulling from missing/thing']);
    const pull = requests.find((r) => r.url.startsWith('/images/create'));
    assert.equal(pull?.url, '/images/create?fromImage=missing%2Fthing&tag=1');
  });

  test('created objects carry the run labels, publish on 127.0.0.1 only, and are reported as created', async () => {
    const created: string[] = [];
    const engine = createDockerEngine({ env: { DOCKER_HOST: `unix://${socketPath}` }, runId: 'uc-test', onCreated: (r) => created.push(`${r.kind}:${r.id}`) });
    const id = await engine.createContainer({ name: 'x', image: 'img', publishPorts: [8811], labels: { extra: '1' }, limits: { cpus: 0.5, memoryBytes: 1024 } });
    assert.equal(id, 'abc123');
    assert.deepEqual(created, ['container:abc123']);
    const body = JSON.parse(requests.find((r) => r.url === '/containers/create?name=x')?.body ?? '{}') as {
      Labels: Record<string, string>;
      HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[]>; NanoCpus: number; Memory: number };
    };
    assert.deepEqual(body.Labels, { extra: '1', [RUN_LABEL]: 'uc-test', [MANAGED_LABEL]: 'true' });
    assert.deepEqual(body.HostConfig.PortBindings, { '8811/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] });
    assert.equal(body.HostConfig.NanoCpus, 500_000_000);
  });

  test('an engine not bound to a run refuses to create', async () => {
    const engine = createDockerEngine({ env: { DOCKER_HOST: `unix://${socketPath}` } });
    await assert.rejects(engine.createNetwork('n'), /not bound to a run/);
  });

  test('no engine at the socket: DockerUnavailableError', async () => {
    const engine = createDockerEngine({ env: { DOCKER_HOST: `unix://${join(scratch, 'nothing.sock')}` } });
    await assert.rejects(engine.ping(), (error: unknown) => error instanceof DockerUnavailableError && /No Docker engine answers at unix:\/\/.*ENOENT/.test(error.message));
  });
});

describe('ast-grep patterns through the gateway (fake gateway)', () => {
  const head = () => join(scratch, 'head');
  const patterns: Config['astGrepPatterns'] = [
    { id: 'no-eval', pattern: 'eval($X)', language: 'typescript', message: 'Do not eval.', severity: 'high' },
    { id: 'no-debugger', pattern: 'debugger', language: 'typescript', message: 'Remove debugger.', severity: 'low' },
  ];
  const context = (astGrepPatterns = patterns): PatternSettings => ({ patterns: astGrepPatterns, mcpServers: ['ast-grep'] });
  const portsWith = (gateway: Service<GatewayHandle>, paths = ['src/a.ts', 'src/b.ts']) => ({
    tree: { root: head(), files: paths, inPlace: false },
    logger: new RecordingLogger(),
    gateway,
  });
  const match = (file: string, line: number, text: string, lines: string) => ({
    text,
    range: { byteOffset: { start: 0, end: 1 }, start: { line, column: lines.indexOf(text) }, end: { line, column: lines.indexOf(text) + text.length } },
    file,
    lines,
    charCount: { leading: lines.indexOf(text), trailing: lines.length - lines.indexOf(text) - text.length },
    language: 'TypeScript',
  });
  const gatewayWith = (answer: (args: Record<string, unknown>) => Promise<ToolResult>, calls: Record<string, unknown>[] = []): Service<GatewayHandle> => ({
    status: 'ready',
    value: {
      url: 'http://127.0.0.1:1',
      containerId: 'c1',
      transport: 'streamable-http',
      tools: [{ name: 'ast-grep', inputSchema: { type: 'object' } }],
      timings: { pullMs: 0, healthyMs: 0, connectMs: 0, totalMs: 0 },
      failure: undefined,
      callTool: async (_name, args) => {
        calls.push(args);
        return answer(args);
      },
      close: async () => undefined,
    },
  });
  const text = (value: unknown): ToolResult => ({ content: [{ type: 'text', text: JSON.stringify(value) }], text: JSON.stringify(value) });

  test('matches become findings: pattern/<id>, 1-based lines, evidence from lines, mcp-pattern source; other files ignored', async () => {
    const calls: Record<string, unknown>[] = [];
    const result = await runAstGrepPatterns(
      context(),
      portsWith(gatewayWith(async (args) =>
        args.pattern === 'eval($X)'
          ? text([match('/src/src/a.ts', 4, 'eval(input)', '  return eval(input);'), match('/src/vendor/x.ts', 0, 'eval(y)', 'eval(y)')])
          : text([match('src/b.ts', 0, 'debugger', 'debugger;')]),
      calls)),
    );
    assert.equal(result.report.status, 'ok');
    assert.equal(result.report.scanner, 'mcp-pattern');
    assert.deepEqual(calls, [
      { pattern: 'eval($X)', lang: 'typescript', dir: '/src' },
      { pattern: 'debugger', lang: 'typescript', dir: '/src' },
    ]);
    assert.deepEqual(
      result.report.findings.map((f) => ({ ruleId: f.ruleId, source: f.source, severity: f.severity, path: f.path, startLine: f.startLine, endLine: f.endLine, startColumn: f.startColumn, message: f.message, evidence: f.evidence })),
      [
        { ruleId: 'pattern/no-eval', source: 'mcp-pattern', severity: 'high', path: 'src/a.ts', startLine: 5, endLine: 5, startColumn: 10, message: 'Do not eval.', evidence: '  return eval(input);' },
        { ruleId: 'pattern/no-debugger', source: 'mcp-pattern', severity: 'low', path: 'src/b.ts', startLine: 1, endLine: 1, startColumn: 1, message: 'Remove debugger.', evidence: 'debugger;' },
      ],
    );
    assert.deepEqual(result.rules.map((r) => r.id), ['pattern/no-eval', 'pattern/no-debugger']);
  });

  test('skipped without patterns or without a gateway, with the reason', async () => {
    const none = await runAstGrepPatterns(context([]), portsWith(gatewayWith(async () => text([]))));
    assert.equal(none.report.status, 'skipped');
    assert.match(none.report.reason ?? '', /no ast-grep\.patterns/);
    const off = await runAstGrepPatterns(context(), portsWith({ status: 'skipped', reason: "mcp-gateway is 'off'" }));
    assert.equal(off.report.status, 'skipped');
    assert.equal(off.report.reason, "the MCP gateway is not running: mcp-gateway is 'off'");
    const failed = await runAstGrepPatterns(context(), portsWith({ status: 'failed', reason: 'not healthy within 60000 ms' }));
    assert.equal(failed.report.status, 'failed');
  });

  test('a tool error fails the scan with the reason; a dead gateway stops the remaining calls', async () => {
    const toolError = await runAstGrepPatterns(
      context(),
      portsWith(gatewayWith(async (args) => {
        if (args.pattern === 'debugger') throw new ToolCallError('ast-grep', 'Pattern contains an ERROR node');
        return text([]);
      })),
    );
    assert.equal(toolError.report.status, 'failed');
    assert.equal(toolError.report.reason, "pattern no-debugger: The MCP tool 'ast-grep' failed: Pattern contains an ERROR node");

    const calls: Record<string, unknown>[] = [];
    const dead = await runAstGrepPatterns(
      context(),
      portsWith(gatewayWith(async () => {
        throw new GatewayTransportError('The MCP gateway container stopped (exited, exit code 137).');
      }, calls)),
      { concurrency: 1 },
    );
    assert.equal(dead.report.status, 'failed');
    assert.match(dead.report.reason ?? '', /container stopped \(exited, exit code 137\)/);
    assert.equal(calls.length, 1);
  });

  test('tool output: an array, JSON lines, an object with matches, "no matches"; anything else is an error', () => {
    const one = match('a.ts', 0, 'x', 'x');
    assert.equal(parseMatches(JSON.stringify([one])).length, 1);
    assert.equal(parseMatches(`${JSON.stringify(one)}\n${JSON.stringify(one)}\n`).length, 2);
    assert.equal(parseMatches('', { matches: [one] }).length, 1);
    assert.deepEqual(parseMatches('No matches found'), []);
    assert.deepEqual(parseMatches('[]'), []);
    assert.throws(() => parseMatches('Error: something odd'), /not ast-grep JSON/);
  });
});

describe('connectGatewayClient: SSE fallback (in-process MCP server on 127.0.0.1)', () => {
  const token = 'sse-test-token-0123456789';
  let server: http.Server;
  let url = '';
  const seen: string[] = [];
  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- an SSE-only server is what the fallback under test is for
    const streams = new Map<string, SSEServerTransport>();
    server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      seen.push(`${req.method} ${path}`);
      // An older gateway: no streamable HTTP endpoint at all.
      if (path === '/mcp') return void res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('Unauthorized');
      if (path === '/sse' && req.method === 'GET') {
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above: the older gateway this test stands for
        const transport = new SSEServerTransport('/messages', res);
        streams.set(transport.sessionId, transport);
        const mcp = new McpServer({ name: 'sse-only', version: '0' });
        mcp.registerTool('echo', { description: 'echo' }, async () => ({ content: [{ type: 'text', text: 'pong' }] }));
        void mcp.connect(transport);
        return;
      }
      const stream = streams.get(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('sessionId') ?? '');
      if (path === '/messages' && stream) return void stream.handlePostMessage(req, res);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('falls back to /sse when /mcp is not there, with the Bearer token', async () => {
    const logger = new RecordingLogger();
    const { client, transport } = await connectGatewayClient(url, token, 5_000, logger);
    try {
      assert.equal(transport, 'sse');
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['echo']);
      assert.match(logger.text(), /streamable HTTP at \/mcp failed .*trying SSE at \/sse/);
      assert.ok(seen.includes('POST /mcp') && seen.includes('GET /sse'));
    } finally {
      await client.close();
    }
  });

  test('a token refused on the SSE endpoint is said so', async () => {
    await assert.rejects(connectGatewayClient(url, 'wrong-token-0123456789', 5_000, new RecordingLogger()), (error: unknown) => {
      assert.ok(error instanceof GatewayTransportError);
      assert.match(error.message, /^The gateway refused the token \(HTTP 401\)/);
      return true;
    });
  });

  test('nothing listening: a transport error naming both attempts', async () => {
    const deadUrl = `http://127.0.0.1:${await unusedPort()}`;
    await assert.rejects(connectGatewayClient(deadUrl, token, 5_000, new RecordingLogger()), (error: unknown) => {
      assert.ok(error instanceof GatewayTransportError);
      assert.match(error.message, /Could not connect to the MCP gateway at http:\/\/127\.0\.0\.1:\d+: streamable HTTP \(\/mcp\): .*; SSE \(\/sse\): /);
      return true;
    });
  });
});
