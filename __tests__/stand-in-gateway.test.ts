/**
 * The stand-in for `docker/mcp-gateway`, proven from the outside: its image is built here (no registry), run as a real container
 * with its port published on 127.0.0.1 only, and spoken to with the official MCP SDK client — exactly as the action talks to the
 * real gateway. If these pass, the action's runtime tests that start the stand-in test the real contract (DESIGN §5).
 *
 * Docker-backed: skipped with the reason when no engine answers, failed under ULTRA_CREATE_REQUIRE_DOCKER=1 (CI).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { dockerCli, describeDocker, removeSessionResources, runToExit, startContainer, TEST_LABEL, type TestContainer } from './support/docker.js';
import { buildNodeImage, buildStandInGatewayImage, GATEWAY_CATALOG_DIR, REPO_ROOT, type BuiltImage } from './support/images.js';

const PORT = 8811;
const TOKEN = randomBytes(24).toString('base64url');

const APP_TS = ['export function render(name: string) {', '  console.log("render", name);', '  return name;', '}', '', 'console.log(render("x"));', ''].join('\n');

/** A catalog of our own, mounted under /root/.docker/mcp/catalogs/ as users of the real gateway do. */
const TEST_CATALOG = `registry:
  alpha:
    type: server
    image: example/alpha:1
    tools:
      - name: lookup
        description: Looks things up
        arguments:
          - name: query
            type: string
            desc: what to look up
  beta:
    type: server
    image: example/beta:1
    tools:
      - name: lookup
  prefixed:
    type: server
    image: example/beta:1
    prefix: p2
    tools:
      - name: lookup
  unpinned:
    type: server
    image: mcp/unpinned:latest
    tools:
      - name: anything
`;

interface Probe {
  atMs: number;
  status: number | string;
}

/**
 * One probe of /health. The timeout is a plain (ref'ed) timer on purpose: before the container listens, Docker's port proxy holds
 * the connection open, and node 20's fetch then keeps nothing alive in the event loop — with `AbortSignal.timeout` (unref'ed) alone
 * the process would drain its loop and end mid-probe.
 */
async function probeHealth(url: string): Promise<number | string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('no answer within 250 ms')), 250);
  try {
    const response = await fetch(`${url}/health`, { signal: controller.signal });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name) || 'error';
  } finally {
    clearTimeout(timer);
  }
}

/** Polls /health every 25 ms until it answers 200 or `timeoutMs` passes; every answer is kept. */
async function pollHealth(url: string, timeoutMs: number, startedAt = Date.now()): Promise<Probe[]> {
  const probes: Probe[] = [];
  while (Date.now() - startedAt < timeoutMs) {
    const status = await probeHealth(url);
    probes.push({ atMs: Date.now() - startedAt, status });
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  return probes;
}

async function connect(url: string, token: string, kind: 'streamable' | 'sse' = 'streamable'): Promise<Client> {
  const client = new Client({ name: 'stand-in-test', version: '0.0.0' }, { capabilities: {} });
  const requestInit = { headers: { Authorization: `Bearer ${token}` } };
  const transport =
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the stand-in's SSE transport is under test, as the action's fallback uses it
    kind === 'sse' ? new SSEClientTransport(new URL('/sse', url), { requestInit }) : new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit });
  await client.connect(transport, { timeout: 10_000 });
  return client;
}

function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
}

const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

/**
 * A writable folder that is neither under a temp folder (which the gateway allows) nor under a path it blocks outright (root's home,
 * /etc, /run, /dev): the repository's git-ignored tmp/ usually; a checkout that itself lives under /tmp needs another place.
 */
async function folderOutsideTempRoots(): Promise<string> {
  const allowedOrBlocked = ['/tmp', '/private/tmp', '/var/tmp', tmpdir(), '/root', '/etc', '/run', '/var/run', '/dev'];
  const inside = (path: string): boolean => allowedOrBlocked.some((root) => path === root || path.startsWith(`${root}/`));
  for (const candidate of [join(REPO_ROOT, 'tmp'), join(homedir(), '.cache', 'ultra-create-tests'), '/var/lib/ultra-create-tests']) {
    if (inside(candidate)) continue;
    try {
      await mkdir(candidate, { recursive: true });
      return candidate;
    } catch {
      // not writable here: the next one
    }
  }
  throw new Error('no writable folder outside the temp folders for the bind-mount test');
}

describeDocker('stand-in MCP gateway (a real container, the official MCP SDK client)', () => {
  let image: BuiltImage;
  let work: string;
  let configPath: string;
  let catalogPath: string;
  let gateway: TestContainer;
  let gatewayStartedAt = 0;
  const clients: Client[] = [];
  const timings: Record<string, number> = {};

  const gatewayArgs = () => ['--transport=streaming', `--port=${PORT}`, '--servers=ast-grep,ramparts', `--config=${configPath}`, '--cpus=1', '--memory=1Gb'];
  const catalogBind = () => ({ hostPath: catalogPath, containerPath: `${GATEWAY_CATALOG_DIR}/test-catalog.yaml` });

  before(async () => {
    const built = Date.now();
    image = await buildStandInGatewayImage();
    timings.imageMs = Date.now() - built;
    console.log(`# stand-in image ${image.ref}: ${image.reused ? 'reused' : `built (${(image.contentBytes / 1e6).toFixed(0)} MB)`} in ${timings.imageMs} ms`);

    // Outside the temp folders on purpose, like RUNNER_TEMP on a GitHub runner: the gateway mounts such a folder into servers only
    // when MCP_GATEWAY_DOCKER_BIND_ALLOWED_PATHS allows it.
    work = await mkdtemp(join(await folderOutsideTempRoots(), 'uc-stand-in-'));
    await mkdir(join(work, 'src', 'nested'), { recursive: true });
    await writeFile(join(work, 'src', 'app.ts'), APP_TS);
    await writeFile(join(work, 'src', 'nested', 'util.ts'), 'export const twice = (n: number) => { console.log(n); return n * 2; };\n');
    configPath = join(work, 'gateway-config.yaml');
    await writeFile(configPath, `ast-grep:\n  path: ${work}/src\n`);
    catalogPath = join(await mkdtemp(join(tmpdir(), 'uc-stand-in-catalog-')), 'test-catalog.yaml');
    await writeFile(catalogPath, TEST_CATALOG);

    gatewayStartedAt = Date.now();
    gateway = await startContainer({
      image: image.ref,
      args: gatewayArgs(),
      env: { MCP_GATEWAY_AUTH_TOKEN: TOKEN, MCP_GATEWAY_DOCKER_BIND_ALLOWED_PATHS: work, STAND_IN_HEALTH_DELAY_MS: '1000' },
      binds: [
        { hostPath: work, containerPath: work },
        { hostPath: configPath, containerPath: configPath },
      ],
      publish: [PORT],
    });
    timings.dockerRunMs = Date.now() - gatewayStartedAt;
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    const removed = await removeSessionResources();
    // Nothing of ours may remain; other test files' containers are not ours to judge.
    for (const id of removed.containers) assert.notEqual((await dockerCli(['inspect', id])).code, 0, `container ${id} still exists`);
    if (work) await rm(work, { recursive: true, force: true });
    if (catalogPath) await rm(join(catalogPath, '..'), { recursive: true, force: true });
    console.log(`# timings (ms): ${JSON.stringify(timings)}`);
  });

  test('the port is published on 127.0.0.1 only, and /health answers 503 until the tools are loaded, then 200 (no auth)', async () => {
    assert.match(gateway.urls[PORT]!, /^http:\/\/127\.0\.0\.1:\d+$/);
    const bindings = (await dockerCli(['inspect', '--format', '{{json .HostConfig.PortBindings}}', gateway.id])).stdout;
    assert.deepEqual(JSON.parse(bindings), { [`${PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] });

    const probes = await pollHealth(gateway.urls[PORT]!, 15_000, gatewayStartedAt);
    timings.firstProbeMs = probes[0]!.atMs;
    const answers = probes.filter((p) => typeof p.status === 'number');
    assert.equal(answers.at(-1)?.status, 200, `never healthy: ${JSON.stringify(probes.slice(-5))}\n${await gateway.logs()}`);
    assert.equal(answers[0]?.status, 503, `the first answer should be 503 while loading: ${JSON.stringify(answers.slice(0, 3))}`);
    assert.ok(answers.filter((p) => p.status === 503).length >= 2);
    timings.firstAnswerMs = answers[0].atMs;
    timings.healthyMs = answers.at(-1)!.atMs;
    assert.ok(timings.healthyMs >= 1_000, 'healthy before STAND_IN_HEALTH_DELAY_MS passed');
  });

  test('/mcp answers 401 without a token and with a wrong one (the SDK client sees the 401)', async () => {
    const url = gateway.urls[PORT]!;
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    const none = await fetch(`${url}/mcp`, { method: 'POST', headers, body: initializeBody });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="MCP Gateway"');
    const wrong = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${TOKEN}x` }, body: initializeBody });
    assert.equal(wrong.status, 401);
    const basic = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...headers, Authorization: `Basic ${TOKEN}` }, body: initializeBody });
    assert.equal(basic.status, 401);

    await assert.rejects(connect(url, 'not-the-token'), (error: unknown) => {
      assert.equal((error as { code?: number }).code, 401, String(error));
      return true;
    });
  });

  test('tools/list over streamable HTTP with the Bearer token: the catalog servers\' tools, names unchanged', async () => {
    const client = await connect(gateway.urls[PORT]!, TOKEN);
    clients.push(client);
    assert.equal(client.getServerVersion()?.name, 'Docker AI MCP Gateway');
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['ast-grep', 'scan', 'scan-config']);
    const astGrep = tools.find((t) => t.name === 'ast-grep')!;
    assert.deepEqual(Object.keys(astGrep.inputSchema.properties ?? {}).sort(), ['dir', 'lang', 'pattern']);
    assert.deepEqual([...(astGrep.inputSchema.required ?? [])].sort(), ['dir', 'lang', 'pattern']);
    const scan = tools.find((t) => t.name === 'scan')!;
    assert.ok(scan.inputSchema.properties && 'url' in scan.inputSchema.properties);
  });

  test('ast-grep runs the real ast-grep over the mounted folder and returns its JSON lines', async () => {
    const client = await connect(gateway.urls[PORT]!, TOKEN);
    clients.push(client);
    const started = Date.now();
    const result = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'console.log($$$ARGS)', lang: 'ts', dir: `${work}/src` } })) as CallToolResult;
    timings.astGrepCallMs = Date.now() - started;
    assert.notEqual(result.isError, true, textOf(result));
    const matches = textOf(result)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { file: string; text: string; range: { start: { line: number } } });
    const found = matches.map((m) => `${m.file.slice(work.length)}:${m.range.start.line}:${m.text}`).sort();
    assert.deepEqual(found, ['/src/app.ts:1:console.log("render", name)', '/src/app.ts:5:console.log(render("x"))', '/src/nested/util.ts:0:console.log(n)']);

    // A narrower dir, relative to the configured path, and the same folder under the server's mount target (/src).
    const nested = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'console.log($A)', lang: 'ts', dir: 'nested' } })) as CallToolResult;
    assert.deepEqual(textOf(nested).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { file: string }).file), [`${work}/src/nested/util.ts`]);
    const viaTarget = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'console.log($A)', lang: 'ts', dir: '/src/nested' } })) as CallToolResult;
    assert.deepEqual(textOf(viaTarget).split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { file: string }).file), ['/src/nested/util.ts']);

    const none = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'eval($X)', lang: 'ts', dir: `${work}/src` } })) as CallToolResult;
    assert.notEqual(none.isError, true);
    assert.equal(textOf(none).trim(), '');
  });

  test('ast-grep refuses folders outside the configured path and reports its own errors as tool errors', async () => {
    const client = await connect(gateway.urls[PORT]!, TOKEN);
    clients.push(client);
    for (const dir of [work, `${work}/src/..`, '/etc', '/gateway.mjs']) {
      const result = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'x', lang: 'ts', dir } })) as CallToolResult;
      assert.equal(result.isError, true, `${dir}: ${textOf(result)}`);
    }
    const badLang = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'x', lang: 'cobol', dir: `${work}/src` } })) as CallToolResult;
    assert.equal(badLang.isError, true);
    assert.match(textOf(badLang), /cobol/);
    const missingArgument = (await client.callTool({ name: 'ast-grep', arguments: { pattern: 'x' } })) as CallToolResult;
    assert.equal(missingArgument.isError, true);
  });

  test('ramparts: scan and scan-config answer with ramparts-shaped JSON', async () => {
    const client = await connect(gateway.urls[PORT]!, TOKEN);
    clients.push(client);
    const config = (await client.callTool({ name: 'scan-config', arguments: {} })) as CallToolResult;
    assert.deepEqual(JSON.parse(textOf(config)), { scan_type: 'multi_server', total_servers: 0, results: [] });
    const scan = (await client.callTool({ name: 'scan', arguments: { url: 'http://127.0.0.1:1/mcp', detailed: true } })) as CallToolResult;
    const parsed = JSON.parse(textOf(scan)) as Record<string, unknown>;
    assert.equal(parsed.url, 'http://127.0.0.1:1/mcp');
    assert.equal(parsed.status, 'Success');
    assert.deepEqual(parsed.yara_results, []);
  });

  test('a non-localhost Origin is refused with 403; localhost origins and other paths behave like the gateway', async () => {
    const url = gateway.urls[PORT]!;
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Authorization: `Bearer ${TOKEN}` };
    const evil = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...headers, Origin: 'https://evil.example' }, body: initializeBody });
    assert.equal(evil.status, 403);
    assert.match(await evil.text(), /Origin, if set, must be localhost/);
    const rebinding = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...headers, Origin: 'http://127.0.0.1.nip.io:8811' }, body: initializeBody });
    assert.equal(rebinding.status, 403);
    const local = await fetch(`${url}/mcp`, { method: 'POST', headers: { ...headers, Origin: 'http://localhost:3000' }, body: initializeBody });
    assert.equal(local.status, 200);
    await local.body?.cancel();
    // Streaming mode serves /mcp only: anything else redirects there (after auth), /sse included.
    const sse = await fetch(`${url}/sse`, { headers: { Authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
    assert.equal(sse.status, 307);
    assert.equal(sse.headers.get('location'), '/mcp');
    assert.equal((await fetch(`${url}/sse`, { redirect: 'manual' })).status, 401);
  });

  test('the log: one line per server start, the tool list, each call; the token itself is never printed', async () => {
    const logs = await gateway.logs();
    assert.match(logs, /Running mcp\/ast-grep@sha256:[0-9a-f]{64} with \[run .*-v \S+\/src:\/src:ro/);
    assert.match(logs, /Running mcp\/ramparts@sha256:/);
    assert.match(logs, /> 3 tools listed: ast-grep, scan, scan-config/);
    assert.match(logs, /Calling tool ast-grep with arguments: \{"pattern":"console\.log\(\$\$\$ARGS\)"/);
    assert.match(logs, /> Start streaming server on port 8811/);
    assert.match(logs, /Use Bearer token from MCP_GATEWAY_AUTH_TOKEN environment variable/);
    assert.ok(!logs.includes(TOKEN), 'the token leaked into the log');
  });

  test('SSE transport (--transport=sse): a generated token is logged, the SDK SSE client lists and calls tools', async () => {
    const started = Date.now();
    const sse = await startContainer({ image: image.ref, args: ['--transport=sse', '--servers=ramparts'], publish: [PORT] });
    const probes = await pollHealth(sse.urls[PORT]!, 10_000, started);
    assert.equal(probes.at(-1)?.status, 200, await sse.logs());
    timings.sseHealthyMs = probes.at(-1)!.atMs;
    const token = /Authorization: Bearer ([a-z0-9]{50})\b/.exec(await sse.logs())?.[1];
    assert.ok(token, `no generated token in the log:\n${await sse.logs()}`);
    const client = await connect(sse.urls[PORT]!, token, 'sse');
    clients.push(client);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['scan', 'scan-config']);
    const result = (await client.callTool({ name: 'scan-config', arguments: {} })) as CallToolResult;
    assert.equal((JSON.parse(textOf(result)) as { scan_type: string }).scan_type, 'multi_server');
    await assert.rejects(connect(sse.urls[PORT]!, 'wrong', 'sse'));
    const redirect = await fetch(`${sse.urls[PORT]}/mcp`, { headers: { Authorization: `Bearer ${token}` }, redirect: 'manual' });
    assert.equal(redirect.status, 307);
    assert.equal(redirect.headers.get('location'), '/sse');
  });

  test('start-up failures: unknown flag exits 2; a tool-name clash, an unpinned mcp/* image, a bad transport exit 1 with the reason', async () => {
    const cases = await Promise.all([
      runToExit({ image: image.ref, args: ['--transport=streaming', '--no-such-flag'] }),
      runToExit({ image: image.ref, args: ['--transport=streaming', '--port'] }),
      runToExit({ image: image.ref, args: ['--transport=streaming', '--catalog=test-catalog.yaml', '--servers=alpha,beta'], binds: [catalogBind()] }),
      runToExit({ image: image.ref, args: ['--transport=streaming', '--catalog=test-catalog.yaml', '--servers=unpinned'], binds: [catalogBind()] }),
      runToExit({ image: image.ref, args: ['--transport=streaming', '--catalog=test-catalog.yaml', '--servers=unpinned', '--verify-signatures=false', '--dry-run'], binds: [catalogBind()] }),
      runToExit({ image: image.ref, args: ['--transport=carrier-pigeon'] }),
      runToExit({ image: image.ref, args: ['--transport=streaming', '--catalog=/root/.docker/mcp/catalogs/missing.yaml'] }),
    ]);
    const [unknown, noValue, clash, unpinned, unverified, transport, missingCatalog] = cases;
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /unknown flag: --no-such-flag/);
    assert.equal(noValue.code, 2, noValue.stderr);
    assert.match(noValue.stderr, /flag needs an argument: --port/);
    assert.equal(clash.code, 1, clash.stderr);
    assert.match(clash.stderr, /tool name collision: server "alpha" and server "beta" both expose tool name "lookup"/);
    assert.equal(unpinned.code, 1, unpinned.stderr);
    assert.match(unpinned.stderr, /mcp\/unpinned:latest: image must be pinned by digest/);
    assert.equal(unverified.code, 0, unverified.stderr);
    assert.match(unverified.stderr, /> 1 tools listed: anything/);
    assert.equal(transport.code, 1);
    assert.match(transport.stderr, /unknown transport "carrier-pigeon"/);
    assert.equal(missingCatalog.code, 1);
    assert.match(missingCatalog.stderr, /missing\.yaml: no such file or directory/);
  });

  test('host folders: mounted into the ast-grep server only from /tmp or MCP_GATEWAY_DOCKER_BIND_ALLOWED_PATHS, never from /root', async () => {
    const base = { image: image.ref, binds: [{ hostPath: work, containerPath: work }, { hostPath: configPath, containerPath: configPath }] };
    const args = ['--transport=streaming', '--servers=ast-grep', `--config=${configPath}`, '--dry-run'];
    const [notAllowed, allowed] = await Promise.all([
      runToExit({ ...base, args }),
      runToExit({ ...base, args, env: { MCP_GATEWAY_DOCKER_BIND_ALLOWED_PATHS: `/elsewhere:${work}` } }),
    ]);
    assert.equal(notAllowed.code, 0);
    assert.match(notAllowed.stderr, /Can't start ast-grep: unsafe docker volume .* is outside allowed roots/);
    assert.match(notAllowed.stderr, /> 0 tools listed/);
    assert.match(allowed.stderr, /> 1 tools listed: ast-grep/);
  });

  test('a per-server catalog prefix gives prefix__tool; other catalog servers answer with an echo', async () => {
    const prefixed = await startContainer({
      image: image.ref,
      args: ['--transport=streaming', '--catalog=test-catalog.yaml', '--servers=alpha,prefixed'],
      env: { MCP_GATEWAY_AUTH_TOKEN: TOKEN, STAND_IN_HEALTH_DELAY_MS: '0' },
      binds: [catalogBind()],
      publish: [PORT],
    });
    assert.equal((await pollHealth(prefixed.urls[PORT]!, 10_000)).at(-1)?.status, 200, await prefixed.logs());
    const client = await connect(prefixed.urls[PORT]!, TOKEN);
    clients.push(client);
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), ['lookup', 'p2__lookup']);
    const result = (await client.callTool({ name: 'p2__lookup', arguments: {} })) as CallToolResult;
    assert.deepEqual(JSON.parse(textOf(result)), { server: 'prefixed', tool: 'lookup', arguments: {} });
  });

  test('fault knobs: STAND_IN_TOOL_DELAY_MS slows calls, STAND_IN_EXIT_AFTER_MS kills the gateway mid-run', async () => {
    const faulty = await startContainer({
      image: image.ref,
      args: ['--transport=streaming', '--servers=ramparts'],
      env: { MCP_GATEWAY_AUTH_TOKEN: TOKEN, STAND_IN_TOOL_DELAY_MS: '400', STAND_IN_EXIT_AFTER_MS: '2500', STAND_IN_HEALTH_DELAY_MS: '0' },
      publish: [PORT],
    });
    assert.equal((await pollHealth(faulty.urls[PORT]!, 10_000)).at(-1)?.status, 200, await faulty.logs());
    const client = await connect(faulty.urls[PORT]!, TOKEN);
    clients.push(client);
    const started = Date.now();
    await client.callTool({ name: 'scan-config', arguments: {} });
    assert.ok(Date.now() - started >= 400, `the call took ${Date.now() - started} ms`);
    assert.equal(await faulty.wait(10_000), 1);
    assert.match(await faulty.logs(), /Exiting after 2500 ms \(STAND_IN_EXIT_AFTER_MS\)/);
    await assert.rejects(client.callTool({ name: 'scan-config', arguments: {} }, undefined, { timeout: 5_000 }));
  });

  test('STAND_IN_NEVER_READY keeps /health at 503; SIGTERM (docker stop) ends the gateway at once with 0', async () => {
    const stuck = await startContainer({ image: image.ref, args: ['--transport=streaming'], env: { STAND_IN_NEVER_READY: '1' }, publish: [PORT] });
    const probes = await pollHealth(stuck.urls[PORT]!, 1_500);
    assert.ok(probes.some((p) => p.status === 503));
    assert.ok(probes.every((p) => p.status !== 200));
    assert.ok(await stuck.running());
    const stopping = Date.now();
    assert.equal((await dockerCli(['stop', '-t', '10', stuck.id])).code, 0);
    timings.stopMs = Date.now() - stopping;
    assert.ok(timings.stopMs < 5_000, `docker stop took ${timings.stopMs} ms: SIGTERM not handled`);
    assert.equal(await stuck.wait(), 0);
  });

  test('test images: node, busybox applets, /tmp, the node user (uid 1000); an unchanged image is reused, not rebuilt', async () => {
    const shell = await runToExit({
      image: image.ref,
      entrypoint: '/bin/sh',
      args: ['-c', 'grep "^node:" /etc/passwd; ls -ld /tmp; node -e "console.log(process.version)"; ast-grep --version; wget --help >/dev/null 2>&1; echo wget=$?'],
      runOptions: ['--user', '1000:1000', '--network', 'none'],
    });
    assert.equal(shell.code, 0, shell.stderr);
    assert.match(shell.stdout, /^node:x:1000:1000:/m);
    assert.match(shell.stdout, /^drwxrwxrwt/m);
    assert.match(shell.stdout, new RegExp(`^${process.version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(shell.stdout, /^ast-grep \d+\.\d+\.\d+$/m);
    assert.match(shell.stdout, /^wget=[01]$/m);

    const again = Date.now();
    const rebuilt = await buildStandInGatewayImage();
    timings.reuseMs = Date.now() - again;
    assert.equal(rebuilt.ref, image.ref);
    assert.equal(rebuilt.reused, true);
    const labels = JSON.parse((await dockerCli(['image', 'inspect', '--format', '{{json .Config.Labels}}', image.ref])).stdout) as Record<string, string>;
    assert.equal(labels[TEST_LABEL], '1');

    // A plain node image with an extra file: same machinery, its own content-addressed tag.
    const plain = await buildNodeImage('ultra-create-test/node-extra', [{ path: '/srv/hello.mjs', content: 'console.log("hello from " + process.version)\n' }], {
      changes: ['ENTRYPOINT ["/usr/local/bin/node", "/srv/hello.mjs"]'],
    });
    const hello = await runToExit({ image: plain.ref, runOptions: ['--network', 'none'] });
    assert.equal(hello.stdout.trim(), `hello from ${process.version}`);
    timings.plainImageMs = plain.durationMs;
  });
});
