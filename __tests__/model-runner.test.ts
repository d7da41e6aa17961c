// The local model's runtime (src/runtime/model-runner.ts): endpoint eligibility and pull progress (pure), the decisions that need no
// engine (loopback servers stand in for an endpoint that answers or a runner that misbehaves), and the Model Runner started on a
// REAL Docker engine from the stand-in image (__tests__/fixtures/stand-in-model-runner) through the production code path — only
// the image reference differs. Without an engine that suite is skipped with the reason; with ULTRA_CREATE_REQUIRE_DOCKER=1 it fails.
// "Configured" endpoints always use a random free port, never a real 12434. Only containers with this file's run labels are removed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingLogger } from './support/recording-logger.js';
import { draftsJsonSchema } from '../src/models/local-drafts.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { COMPONENT_LABEL, createDockerEngine, newRunId, RUN_LABEL, type ContainerSpec, type DockerEngine } from '../src/runtime/docker-engine.js';
import {
  defaultModelCacheDir,
  ensureLocalModel,
  formatBytes,
  modelRunnerTarget,
  parsePullLine,
  PullProgressTracker,
  type LocalModelOptions,
} from '../src/runtime/model-runner.js';
import { unusedPort } from './support/ports.js';
import { describeDocker, docker, dockerCli, SESSION_LABEL, TEST_SESSION } from './support/docker.js';
import { buildStandInModelRunnerImage } from './support/images.js';
import { startOpenAICompatibleServer, type OpenAICompatibleServer } from './support/openai-compatible-server.js';
import { createOpenAIDraftClient } from '../src/models/openai-client.js';
import { stub } from './support/stub.js';

const MODEL = 'ai/llama3.2:1B-Q8_0';

/** An engine stub that records every member asked for and throws "not defined in this test" for methods not given. */
function recordingEngine(used: string[], methods: Partial<DockerEngine> = {}): DockerEngine {
  return stub<DockerEngine>('DockerEngine', { host: 'unix:///stub.sock', socketPath: '/stub.sock', ...methods }, (member) => {
    if (member !== 'host' && member !== 'socketPath') used.push(member);
  });
}

function options(overrides: Partial<LocalModelOptions> & Pick<LocalModelOptions, 'endpoint' | 'logger'>): LocalModelOptions {
  return {
    model: MODEL,
    engine: undefined,
    runId: 'uc-unit',
    image: 'ultra-create-test/unused:never',
    cacheDir: join(tmpdir(), 'ultra-create-unused-model-cache'),
    ...overrides,
  };
}

// ── pure parts ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

describe('which endpoints may get a Model Runner', () => {
  test('http on a loopback host with a path under /engines: the origin on 127.0.0.1, the path kept', () => {
    assert.deepEqual(modelRunnerTarget('http://localhost:12434/engines/v1'), { ok: true, origin: 'http://127.0.0.1:12434', apiPath: '/engines/v1', port: 12434 });
    assert.deepEqual(modelRunnerTarget('http://127.0.0.1:5555/engines/llama.cpp/v1/'), {
      ok: true,
      origin: 'http://127.0.0.1:5555',
      apiPath: '/engines/llama.cpp/v1',
      port: 5555,
    });
    assert.deepEqual(modelRunnerTarget('http://[::1]:12434/engines/v1'), { ok: true, origin: 'http://127.0.0.1:12434', apiPath: '/engines/v1', port: 12434 });
    assert.deepEqual(modelRunnerTarget('http://localhost/engines/v1'), { ok: true, origin: 'http://127.0.0.1:80', apiPath: '/engines/v1', port: 80 });
  });

  test('Ollama and llama-server paths, other hosts, https and non-URLs are never started', () => {
    const cases: [string, RegExp][] = [
      ['http://localhost:11434/v1', /\/v1 is not a Docker Model Runner path/],
      ['http://127.0.0.1:8080/v1', /\/v1 is not a Docker Model Runner path/],
      ['http://localhost:12434/enginesx/v1', /not a Docker Model Runner path/],
      ['http://localhost:12434', /\/ is not a Docker Model Runner path/],
      ['http://model-runner.docker.internal:12434/engines/v1', /is not this machine/],
      ['http://172.17.0.1:12434/engines/v1', /is not this machine/],
      ['https://localhost:12434/engines/v1', /https:\/\/ endpoints are never started/],
      ['not a url', /is not a URL/],
    ];
    for (const [endpoint, reason] of cases) {
      const target = modelRunnerTarget(endpoint);
      assert.equal(target.ok, false, endpoint);
      if (!target.ok) assert.match(target.reason, reason, endpoint);
    }
  });

  test('the default cache folder: the runner tool cache, else the user cache, always …/ultra-create/models', () => {
    assert.equal(defaultModelCacheDir({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', HOME: '/home/runner' }), '/opt/hostedtoolcache/ultra-create/models');
    assert.equal(defaultModelCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/me' }), '/x/cache/ultra-create/models');
    assert.equal(defaultModelCacheDir({ HOME: '/home/me' }), '/home/me/.cache/ultra-create/models');
  });
});

describe('pull progress', () => {
  const progress = (id: string, current: number, size: number) =>
    JSON.stringify({ type: 'progress', message: `Downloaded: ${(current / 1024 / 1024).toFixed(2)} MB`, total: 1_000_000_000, layer: { id, size, current }, mode: 'pull' });

  test('lines are read raw (Accept: application/json) and HTML-escaped (older runners); other text is not a message', () => {
    const raw = progress('sha256:a', 5, 10);
    assert.deepEqual(parsePullLine(raw), {
      type: 'progress',
      message: 'Downloaded: 0.00 MB',
      total: 1_000_000_000,
      layer: { id: 'sha256:a', size: 10, current: 5 },
    });
    const escaped = raw.replace(/"/g, '&#34;');
    assert.deepEqual(parsePullLine(escaped), parsePullLine(raw));
    assert.deepEqual(parsePullLine('{&#34;type&#34;:&#34;error&#34;,&#34;message&#34;:&#34;Error: it&#39;s &lt;broken&gt; &amp; gone&#34;}'), {
      type: 'error',
      message: "Error: it's <broken> & gone",
      total: undefined,
      layer: undefined,
    });
    assert.equal(parsePullLine('error while pulling model: writing image to store: boom'), undefined);
    assert.equal(parsePullLine('{"no":"type"}'), undefined);
    assert.equal(parsePullLine('{broken'), undefined);
  });

  test('a percentage over all layers, the first line at once, then at most one per interval', () => {
    let now = 0;
    const tracker = new PullProgressTracker(MODEL, 5_000, () => now);
    const lines: string[] = [];
    const feed = (id: string, current: number, size: number) => {
      const line = tracker.update(parsePullLine(progress(id, current, size))!);
      if (line) lines.push(line);
    };
    feed('license', 10_000, 10_000);
    for (let step = 1; step <= 100; step++) {
      now += 100; // the runner reports every 100 ms
      feed('gguf', step * 9_999_900, 999_990_000);
    }
    assert.deepEqual(lines, [`  ${MODEL}: 0% of 1.0 GB`, `  ${MODEL}: 50% of 1.0 GB`, `  ${MODEL}: 100% of 1.0 GB`]);
    assert.equal(tracker.current, 1_000_000_000);
    assert.equal(tracker.update({ type: 'success', message: 'Model pulled successfully' }), undefined);
  });

  test('byte sizes for the log', () => {
    assert.equal(formatBytes(1_313_251_456), '1.3 GB');
    assert.equal(formatBytes(512_000_000), '512 MB');
    assert.equal(formatBytes(12_345_678), '12.3 MB');
    assert.equal(formatBytes(11_286), '11 kB');
    assert.equal(formatBytes(12), '12 B');
  });
});

// ── decisions that need no engine ──────────────────────────────────────────────────────────────────────────────────────────────

describe('ensureLocalModel without starting anything', () => {
  let server: OpenAICompatibleServer | undefined;
  after(async () => server?.close());

  test('an endpoint that already answers with the model is used as it is: no engine call, no container', async () => {
    server = await startOpenAICompatibleServer({ models: [MODEL] });
    const used: string[] = [];
    const logger = new RecordingLogger();
    const outcome = await ensureLocalModel(options({ endpoint: `${server.endpoint()}/`, engine: recordingEngine(used), logger }));
    assert.deepEqual(outcome, { status: 'ready', endpoint: server.endpoint(), how: 'endpoint' });
    assert.deepEqual(used, []);
    assert.match(logger.text(), /answers at http:\/\/127\.0\.0\.1:\d+\/engines\/v1/);
  });

  test('an Ollama / llama-server URL that does not answer is unavailable with the probe\'s reason; nothing is started', async () => {
    const port = await unusedPort();
    const used: string[] = [];
    const outcome = await ensureLocalModel(options({ endpoint: `http://127.0.0.1:${port}/v1`, engine: recordingEngine(used), logger: new RecordingLogger() }));
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') {
      assert.match(outcome.reason, /no server at http:\/\/127\.0\.0\.1:\d+\/v1 \(connection refused\)/);
      assert.match(outcome.reason, /\/v1 is not a Docker Model Runner path/);
    }
    assert.deepEqual(used, []);
  });

  test('a Model Runner URL that does not answer, without an engine: unavailable, naming the engine problem', async () => {
    const port = await unusedPort();
    const outcome = await ensureLocalModel(
      options({
        endpoint: `http://localhost:${port}/engines/v1`,
        engine: undefined,
        engineProblem: 'DOCKER_HOST=ssh://build-host: only unix:// and tcp:// engines are supported.',
        logger: new RecordingLogger(),
      }),
    );
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') {
      assert.match(outcome.reason, /connection refused/);
      assert.match(outcome.reason, /no Docker engine to start the Model Runner \(DOCKER_HOST=ssh:\/\/build-host: only unix/);
    }
  });

  test('an engine on another machine is not used: its 127.0.0.1 is not ours', async () => {
    const port = await unusedPort();
    const used: string[] = [];
    const engine = recordingEngine(used, { host: 'tcp://10.0.0.5:2375', socketPath: undefined });
    const outcome = await ensureLocalModel(options({ endpoint: `http://127.0.0.1:${port}/engines/v1`, engine, logger: new RecordingLogger() }));
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') assert.match(outcome.reason, /the Docker engine at tcp:\/\/10\.0\.0\.5:2375 is not on this machine/);
    assert.deepEqual(used, []);
  });
});

/** A loopback "Model Runner" whose /models/create is scripted: for the failure paths of a pull into a runner that is there. */
async function fakeRunner(pull: (res: ServerResponse) => void | Promise<void>): Promise<OpenAICompatibleServer> {
  return startOpenAICompatibleServer({
    models: [],
    extraRoutes: async ({ url }, res) => {
      if (url.pathname === '/engines/status') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
        return true;
      }
      if (url.pathname === '/models/create') {
        await pull(res);
        return true;
      }
      return false;
    },
  });
}

describe('pulling into a Model Runner that is there (loopback fakes)', () => {
  const servers: OpenAICompatibleServer[] = [];
  after(async () => Promise.all(servers.map((s) => s.close())));
  const line = (message: Record<string, unknown>) => `${JSON.stringify({ ...message, mode: 'pull' })}\n`;

  test('the runner lacks the model: pulled there (progress in the log), then used; no engine needed', async () => {
    const server: OpenAICompatibleServer = await fakeRunner(async (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      for (let i = 1; i <= 4; i++) res.write(line({ type: 'progress', message: '', total: 4_000_000, layer: { id: 'l', size: 4_000_000, current: i * 1_000_000 } }));
      server.addModel(MODEL);
      res.end(line({ type: 'success', message: 'Model pulled successfully' }));
    });
    servers.push(server);
    const logger = new RecordingLogger();
    const outcome = await ensureLocalModel(options({ endpoint: server.endpoint(), engine: undefined, logger, progressIntervalMs: 0 }));
    assert.deepEqual(outcome, { status: 'ready', endpoint: server.endpoint(), how: 'pulled' });
    const create = server.requests.find((r) => r.path === '/models/create');
    assert.deepEqual(JSON.parse(create?.rawBody ?? '{}'), { from: MODEL });
    assert.equal(create?.headers.accept, 'application/json');
    assert.match(logger.text(), /group: Model Runner at http:\/\/127\.0\.0\.1:\d+: pull ai\/llama3\.2:1B-Q8_0/);
    assert.match(logger.text(), /ai\/llama3\.2:1B-Q8_0: 100% of 4\.0 MB/);
    assert.match(logger.text(), /Model ai\/llama3\.2:1B-Q8_0: Model pulled successfully \(\d+ ms, 4\.0 MB\)/);
  });

  test('an error line half-way (and the text the runner appends after it): unavailable with the runner\'s message', async () => {
    const server = await fakeRunner((res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write(line({ type: 'progress', message: '', total: 10, layer: { id: 'l', size: 10, current: 5 } }).replace(/"/g, '&#34;'));
      res.write(line({ type: 'error', message: 'Error: writing image to store: disk full' }).replace(/"/g, '&#34;'));
      res.end('error while pulling model: writing image to store: disk full\n');
    });
    servers.push(server);
    const outcome = await ensureLocalModel(options({ endpoint: server.endpoint(), logger: new RecordingLogger() }));
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') {
      assert.match(outcome.reason, /model ai\/llama3\.2:1B-Q8_0 is not available/);
      assert.match(outcome.reason, /the Model Runner could not pull ai\/llama3\.2:1B-Q8_0: Error: writing image to store: disk full/);
    }
  });

  test('a stream that ends without success, and an HTTP error before the stream, are failures too', async () => {
    const cut = await fakeRunner((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(line({ type: 'progress', message: '', total: 10, layer: { id: 'l', size: 10, current: 5 } }));
    });
    const refused = await fakeRunner((res) => {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('Unauthorized\n');
    });
    servers.push(cut, refused);
    const first = await ensureLocalModel(options({ endpoint: cut.endpoint(), logger: new RecordingLogger() }));
    assert.equal(first.status === 'unavailable' && first.reason.includes('the progress stream ended without success'), true, JSON.stringify(first));
    const second = await ensureLocalModel(options({ endpoint: refused.endpoint(), logger: new RecordingLogger() }));
    assert.equal(second.status === 'unavailable' && second.reason.includes('could not pull ai/llama3.2:1B-Q8_0: HTTP 401 (Unauthorized)'), true, JSON.stringify(second));
  });

  test('the time limit aborts a pull that takes too long, saying how far it got', async () => {
    let closed = false;
    const server = await fakeRunner(async (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.once('close', () => (closed = true));
      res.write(line({ type: 'progress', message: '', total: 2_000_000_000, layer: { id: 'l', size: 2_000_000_000, current: 500_000_000 } }));
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      res.end();
    });
    servers.push(server);
    const started = Date.now();
    const outcome = await ensureLocalModel(options({ endpoint: server.endpoint(), logger: new RecordingLogger(), pullTimeoutMs: 400 }));
    assert.ok(Date.now() - started < 3_000, 'bounded by the time limit');
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') assert.match(outcome.reason, /could not pull ai\/llama3\.2:1B-Q8_0: not done within 400 ms \(ai\/llama3\.2:1B-Q8_0: 25% of 2\.0 GB\)/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(closed, true, 'the request was aborted');
  });
});

describe('starting through the engine interface (stub engine, loopback runner)', () => {
  let runner: OpenAICompatibleServer | undefined;
  after(async () => runner?.close());

  test('the endpoint\'s port cannot be published after all: the container is replaced by one on an ephemeral port', async () => {
    runner = await fakeRunner((res) => {
      runner!.addModel(MODEL);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(`${JSON.stringify({ type: 'success', message: 'Model pulled successfully' })}\n`);
    });
    const runnerPort = Number(new URL(runner.origin).port);
    const configuredPort = await unusedPort();
    const calls: string[] = [];
    const specs: ContainerSpec[] = [];
    let starts = 0;
    const engine = recordingEngine([], {
      imageExists: async () => true,
      createContainer: async (spec) => {
        specs.push(spec);
        calls.push(`create ${JSON.stringify(spec.publishPorts)}`);
        return `c${specs.length}`;
      },
      startContainer: async (id) => {
        calls.push(`start ${id}`);
        if (++starts === 1) throw new Error(`Docker could not start container ${id}: Bind for 127.0.0.1:${configuredPort} failed: port is already allocated`);
      },
      removeContainer: async (id) => {
        calls.push(`remove ${id}`);
        return true;
      },
      inspectContainer: async (id) => ({
        id,
        name: 'ultra-create-uc-unit-model-runner',
        status: 'running',
        running: true,
        exitCode: 0,
        oomKilled: false,
        error: '',
        labels: {},
        ports: { '12434/tcp': { hostIp: '127.0.0.1', hostPort: runnerPort } },
      }),
    });
    const cacheDir = await mkdtemp(join(tmpdir(), 'model-runner-unit-'));
    const logger = new RecordingLogger();
    try {
      const outcome = await ensureLocalModel(
        options({ endpoint: `http://localhost:${configuredPort}/engines/v1`, engine, runId: 'uc-unit', cacheDir: join(cacheDir, 'models'), logger }),
      );
      assert.deepEqual(outcome, { status: 'ready', endpoint: `${runner.origin}/engines/v1`, how: 'started' }, logger.text());
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
    assert.deepEqual(calls, [
      `create [{"container":12434,"host":${configuredPort}}]`,
      'start c1',
      'remove c1',
      'create [{"container":12434}]',
      'start c2',
    ]);
    assert.equal(specs[1]?.name, 'ultra-create-uc-unit-model-runner');
    assert.deepEqual(specs[1]?.labels, { [COMPONENT_LABEL]: 'model-runner' });
    assert.deepEqual(specs[1]?.binds, [{ hostPath: join(cacheDir, 'models'), containerPath: '/models', readOnly: false }]);
    assert.equal(specs[1]?.env?.MODELS_PATH, '/models');
    assert.equal(specs[1]?.env?.MODEL_RUNNER_PORT, '12434');
    assert.match(logger.text(), /Port \d+ could not be published \(.*port is already allocated\); using an ephemeral port instead\./);
  });
});

// ── a real engine ──────────────────────────────────────────────────────────────────────────────────────────────────────────────

describeDocker('Model Runner on a real Docker engine (stand-in image)', () => {
  let image = '';
  let neverReady = '';
  let scratch = '';
  const runIds: string[] = [];
  const servers: Server[] = [];
  const engine = createDockerEngine();

  before(
    async () => {
      image = (await buildStandInModelRunnerImage()).ref;
      // The stand-in with STAND_IN_NEVER_READY=1 baked in: another image reference, nothing else.
      neverReady = `ultra-create-test/stand-in-model-runner-variant:never-ready-${TEST_SESSION}`;
      const container = (await docker(['create', '--label', `${SESSION_LABEL}=${TEST_SESSION}`, image])).trim();
      try {
        await docker(['commit', '--change', 'ENV STAND_IN_NEVER_READY=1', '--change', `LABEL ${SESSION_LABEL}=${TEST_SESSION}`, container, neverReady]);
      } finally {
        await dockerCli(['rm', '-f', container]);
      }
      scratch = await mkdtemp(join(tmpdir(), 'model-runner-test-'));
    },
    { timeout: 180_000 },
  );

  after(async () => {
    for (const runId of runIds) await cleanupRun(createDockerEngine(), runId, new RecordingLogger(), { timeoutMs: 20_000 });
    for (const server of servers) server.close();
    if (neverReady) await dockerCli(['rmi', '-f', neverReady]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** ensureLocalModel with an engine bound to a new run of this file (removed in `after`). */
  async function run(overrides: Partial<LocalModelOptions> & { endpoint: string; cacheDir: string }) {
    const runId = newRunId();
    runIds.push(runId);
    const logger = new RecordingLogger();
    const outcome = await ensureLocalModel({
      model: MODEL,
      engine: createDockerEngine({ runId }),
      runId,
      image,
      logger,
      healthTimeoutMs: 30_000,
      pullTimeoutMs: 60_000,
      progressIntervalMs: 300,
      ...overrides,
    });
    const containers = await engine.listContainers({ labels: [`${RUN_LABEL}=${runId}`] });
    return { outcome, logger, runId, containers };
  }

  test('endpoint down + engine: the runner starts on the endpoint\'s port, pulls with progress, and drafts answer', { timeout: 90_000 }, async () => {
    const port = await unusedPort();
    const endpoint = `http://127.0.0.1:${port}/engines/v1`;
    const cacheDir = join(scratch, 'cache-first', 'models');
    const { outcome, logger, runId, containers } = await run({ endpoint, cacheDir });
    assert.deepEqual(outcome, { status: 'ready', endpoint, how: 'started' }, logger.text());

    const log = logger.text();
    assert.match(log, /group: Model Runner: start ultra-create-test\/stand-in-model-runner:\w+ for ai\/llama3\.2:1B-Q8_0/);
    assert.match(log, /no server at http:\/\/127\.0\.0\.1:\d+\/engines\/v1 \(connection refused\): starting the Model Runner/);
    assert.match(log, /Model Runner ready after/);
    assert.ok((log.match(/ai\/llama3\.2:1B-Q8_0: \d+% of 1\.3 GB/g) ?? []).length >= 2, log);
    assert.match(log, /Model ai\/llama3\.2:1B-Q8_0: Model pulled successfully \([\d.]+ s, 1\.3 GB\)/);

    // One container, labelled for the run and as the model runner, published on 127.0.0.1 only, running as us, models in cacheDir.
    assert.equal(containers.length, 1);
    assert.equal(containers[0]?.labels[COMPONENT_LABEL], 'model-runner');
    const [inspected] = JSON.parse(await docker(['inspect', containers[0].id])) as {
      Config: { User: string; Env: string[] };
      HostConfig: { PortBindings: Record<string, { HostIp: string; HostPort: string }[]>; Binds: string[] };
    }[];
    assert.ok(inspected, 'docker inspect describes the container');
    assert.deepEqual(inspected.HostConfig.PortBindings['12434/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    assert.equal(inspected.Config.User, `${process.getuid?.()}:${process.getgid?.()}`);
    assert.ok(inspected.Config.Env.includes('MODELS_PATH=/models') && inspected.Config.Env.includes('MODEL_RUNNER_PORT=12434'));
    assert.deepEqual(inspected.HostConfig.Binds, [`${cacheDir}:/models:rw`]);
    assert.deepEqual(await readdir(join(cacheDir, 'stand-in-store')), [`${encodeURIComponent(MODEL)}.json`]);

    // A real chat completion through the draft client, on the endpoint the outcome names.
    const client = createOpenAIDraftClient({ endpoint: outcome.status === 'ready' ? outcome.endpoint : '' });
    const answer = await client.complete({
      model: MODEL,
      messages: [{ role: 'user', content: 'Write the drafts for the findings with index 1, 2.' }],
      schemaName: 'review_comment_drafts',
      schema: draftsJsonSchema([1, 2]),
      maxTokens: 300,
      timeoutMs: 10_000,
    });
    const drafts = (JSON.parse(answer.content) as { drafts: { index: number; title: string }[] }).drafts;
    assert.deepEqual(drafts.map((d) => d.index), [1, 2]);
    assert.equal(answer.finishReason, 'stop');

    // cleanupRun (the action's cleanup and post step) removes it; the models stay in the cache folder.
    const report = await cleanupRun(engine, runId, new RecordingLogger());
    assert.equal(report.containers.length, 1);
    assert.deepEqual(await engine.listContainers({ labels: [`${RUN_LABEL}=${runId}`] }), []);
    assert.deepEqual(await readdir(join(cacheDir, 'stand-in-store')), [`${encodeURIComponent(MODEL)}.json`]);
  });

  test('a second run with the same cache folder downloads nothing: the model is listed at once', { timeout: 90_000 }, async () => {
    const cacheDir = join(scratch, 'cache-reused');
    const first = await run({ endpoint: `http://127.0.0.1:${await unusedPort()}/engines/v1`, cacheDir });
    assert.equal(first.outcome.status, 'ready', first.logger.text());
    const stored = join(cacheDir, 'stand-in-store', `${encodeURIComponent(MODEL)}.json`);
    const before = (await stat(stored)).mtimeMs;
    await cleanupRun(engine, first.runId, new RecordingLogger());

    const endpoint = `http://127.0.0.1:${await unusedPort()}/engines/v1`;
    const second = await run({ endpoint, cacheDir });
    assert.deepEqual(second.outcome, { status: 'ready', endpoint, how: 'started' }, second.logger.text());
    const log = second.logger.text();
    assert.match(log, /Model ai\/llama3\.2:1B-Q8_0 is in the model cache \(.*cache-reused\): nothing to download\./);
    assert.doesNotMatch(log, /Pulling model|% of/);
    assert.equal((await stat(stored)).mtimeMs, before);
    const runnerLog = await dockerCli(['logs', second.containers[0]!.id]);
    assert.match(runnerLog.stderr, /\(1 stored: ai\/llama3\.2:1B-Q8_0\)/);
    assert.doesNotMatch(runnerLog.stderr, /pulling from remote/);
  });

  test('a Model Runner already at the endpoint without the model: the model is pulled there, no second container', { timeout: 90_000 }, async () => {
    const endpoint = `http://127.0.0.1:${await unusedPort()}/engines/v1`;
    const first = await run({ endpoint, cacheDir: join(scratch, 'cache-shared') });
    assert.equal(first.outcome.status, 'ready', first.logger.text());

    const other = 'ai/smollm2:135M-Q4_K_M';
    const second = await run({ endpoint, cacheDir: join(scratch, 'cache-unused'), model: other });
    assert.deepEqual(second.outcome, { status: 'ready', endpoint, how: 'pulled' }, second.logger.text());
    assert.deepEqual(second.containers, []);
    assert.match(second.logger.text(), /A Model Runner answers at http:\/\/127\.0\.0\.1:\d+ without the model/);
    assert.ok((await readdir(join(scratch, 'cache-shared', 'stand-in-store'))).includes(`${encodeURIComponent(other)}.json`));
  });

  test('the endpoint\'s port is taken by another server: the runner gets an ephemeral port, and that endpoint is returned', { timeout: 90_000 }, async () => {
    const squatter = createServer((_req, res) => res.writeHead(404).end('not here'));
    servers.push(squatter);
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as AddressInfo).port;
    const { outcome, logger } = await run({ endpoint: `http://localhost:${port}/engines/llama.cpp/v1`, cacheDir: join(scratch, 'cache-squatted') });
    assert.equal(outcome.status, 'ready', logger.text());
    if (outcome.status === 'ready') {
      assert.equal(outcome.how, 'started');
      const started = new URL(outcome.endpoint);
      assert.equal(started.hostname, '127.0.0.1');
      assert.notEqual(Number(started.port), port);
      assert.equal(started.pathname, '/engines/llama.cpp/v1');
    }
    assert.match(logger.text(), /GET http:\/\/localhost:\d+\/engines\/llama\.cpp\/v1\/models answered HTTP 404: starting the Model Runner/);
  });

  test('an unknown model: unavailable with the runner\'s 404; the container stays for cleanupRun, which removes it', { timeout: 90_000 }, async () => {
    const { outcome, runId, containers, logger } = await run({
      endpoint: `http://127.0.0.1:${await unusedPort()}/engines/v1`,
      cacheDir: join(scratch, 'cache-unknown'),
      model: 'ai/not-found-model:1B',
    });
    assert.equal(outcome.status, 'unavailable', logger.text());
    if (outcome.status === 'unavailable') {
      assert.match(outcome.reason, /connection refused/);
      assert.match(outcome.reason, /the Model Runner could not pull ai\/not-found-model:1B: HTTP 404 \(Model not found\)/);
    }
    assert.equal(containers.length, 1);
    const report = await cleanupRun(engine, runId, new RecordingLogger());
    assert.deepEqual(report.failures, []);
    assert.equal(report.containers.length, 1);
    assert.deepEqual(await engine.listContainers({ labels: [`${RUN_LABEL}=${runId}`] }), []);
  });

  test('the image is missing and cannot be pulled: unavailable naming the image, no container', { timeout: 60_000 }, async () => {
    const missing = '127.0.0.1:1/ultra-create-test/missing-model-runner:none';
    const { outcome, containers } = await run({ endpoint: `http://127.0.0.1:${await unusedPort()}/engines/v1`, cacheDir: join(scratch, 'cache-missing'), image: missing });
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') assert.match(outcome.reason, /the Model Runner image 127\.0\.0\.1:1\/ultra-create-test\/missing-model-runner:none is missing and could not be pulled: /);
    assert.deepEqual(containers, []);
  });

  test('a runner that never gets ready: unavailable after the health limit, with its log in the log', { timeout: 60_000 }, async () => {
    const started = Date.now();
    const { outcome, logger, containers } = await run({
      endpoint: `http://127.0.0.1:${await unusedPort()}/engines/v1`,
      cacheDir: join(scratch, 'cache-never-ready'),
      image: neverReady,
      healthTimeoutMs: 1_500,
    });
    assert.ok(Date.now() - started < 15_000);
    assert.equal(outcome.status, 'unavailable');
    if (outcome.status === 'unavailable') assert.match(outcome.reason, /the Model Runner was not ready within 1\.5 s \(\d+ probes of \/engines\/status; last answer: HTTP 503\)/);
    assert.match(logger.text(), /Last lines of the Model Runner's log:\n.*stand-in Docker Model Runner/);
    assert.equal(containers.length, 1);
  });
});
