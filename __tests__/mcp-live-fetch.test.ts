// The fetch phase for package-runner MCP servers (`npx -y pkg@1.2.3`), with real parts: a tiny npm registry of our own (plain http
// on the Docker bridge gateway, reached only through the internal ULTRA_CREATE_MCP_NPM_REGISTRY override), packages built by
// `npm pack` from fixtures, and the real Docker sandbox with an image that has node and npm (support/images.ts). The package is
// installed with network and no install scripts, then its bin is listed with no network.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { resolveHeadCheckout } from '../src/collect/checkout.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId } from '../src/runtime/docker-engine.js';
import { createDockerSandbox } from '../src/runtime/docker-sandbox.js';
import type { SandboxBackend, SandboxRun } from '../src/runtime/sandbox.js';
import { discoverConfig, mcpConfigKind } from '../src/scanners/mcp-audit/discovery.js';
import { DEFAULT_NPM_REGISTRY, listerAsset, NPM_REGISTRY_ENV, packageRunner, runLiveAudit, type LiveAuditSettings } from '../src/scanners/mcp-audit/live.js';
import type { McpServerEntry } from '../src/scanners/mcp-audit/model.js';
import { TOOL_RULES } from '../src/scanners/mcp-audit/tool-checks.js';
import type { HeadCheckout, Service } from '../src/types.js';
import { describeDocker, docker } from './support/docker.js';
import { git } from './support/git-fixture.js';
import { buildSandboxNpmImage, REPO_ROOT } from './support/images.js';
import { RecordingLogger } from './support/recording-logger.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const POISONED_SERVER = join(FIXTURES, 'mcp-live', 'poisoned-server.mjs');
const NET_PROBE = join(FIXTURES, 'mcp-fetch', 'net-probe.mjs');

function servers(text: string): McpServerEntry[] {
  const config = discoverConfig('.mcp.json', text, mcpConfigKind('.mcp.json')!);
  assert.ok(config.parsed.ok);
  for (const server of config.servers) server.changedInPullRequest = true;
  return config.servers;
}

test('package runners: npm ones are fetched, the others say why not', () => {
  assert.deepEqual(packageRunner('npx', ['-y', '@scope/pkg@1.2.3', '--flag', 'x']), { kind: 'npm', label: 'npx', spec: '@scope/pkg@1.2.3', name: '@scope/pkg', rest: ['--flag', 'x'] });
  assert.deepEqual(packageRunner('/usr/bin/npx.cmd', ['pkg']), { kind: 'npm', label: 'npx', spec: 'pkg', name: 'pkg', rest: [] });
  assert.deepEqual(packageRunner('pnpm', ['dlx', 'pkg@^1', '--', 'a']), { kind: 'npm', label: 'pnpm dlx', spec: 'pkg@^1', name: 'pkg', rest: ['a'] });
  assert.deepEqual(packageRunner('npm', ['exec', '--yes', '--', 'pkg@latest']), { kind: 'npm', label: 'npm exec', spec: 'pkg@latest', name: 'pkg', rest: [] });
  assert.deepEqual(packageRunner('uvx', ['mcp-server-fetch==1.0']), { kind: 'unsupported', reason: 'uvx servers are not fetched in this version' });
  assert.deepEqual(packageRunner('bunx', ['pkg@1.0.0']), { kind: 'unsupported', reason: 'bunx servers are not fetched in this version' });
  assert.deepEqual(packageRunner('pipx', ['run', 'x']), { kind: 'unsupported', reason: 'pipx servers are not fetched in this version' });
  assert.match((packageRunner('docker', ['run', '-i', 'mcp/x']) as { reason: string }).reason, /docker run servers are not started/);
  // What would steer npm elsewhere, or is not a registry package, is not fetched.
  assert.match((packageRunner('npx', ['--registry=http://evil.example', 'pkg']) as { reason: string }).reason, /with the option "--registry=http/);
  assert.match((packageRunner('npx', ['-p', 'pkg', 'bin']) as { reason: string }).reason, /with the option "-p"/);
  assert.match((packageRunner('npx', ['github:me/pkg']) as { reason: string }).reason, /not a registry package name/);
  assert.match((packageRunner('npx', ['../local']) as { reason: string }).reason, /not a registry package name/);
  assert.match((packageRunner('npx', ['-y']) as { reason: string }).reason, /names no package/);
  assert.equal(packageRunner('node', ['server.mjs']), undefined);
  assert.equal(DEFAULT_NPM_REGISTRY, 'https://registry.npmjs.org');
});

test('the sandbox request: fetch with network from the default registry, list without; at most 10 fetched', async () => {
  const saved = process.env[NPM_REGISTRY_ENV];
  Reflect.deleteProperty(process.env, NPM_REGISTRY_ENV);
  try {
    const lines = Array.from({ length: 12 }, (_, i) => `    "s${String(i)}": { "command": "npx", "args": ["-y", "pkg-${String(i)}@1.0.0"] }`);
    const entries = servers(`{\n  "mcpServers": {\n${lines.join(',\n')},\n    "local": { "command": "node", "args": ["s.mjs"] }\n  }\n}\n`);
    let seen: SandboxRun | undefined;
    const backend: SandboxBackend = {
      description: 'fake',
      run: (request) => {
        seen = request;
        return Promise.resolve({ phases: [], durationMs: 0, logTail: '', logFile: request.logFile, files: new Map(), collectWarnings: [], applied: [] });
      },
    };
    const checkoutStub = { revision: 'a'.repeat(40), listFiles: () => Promise.resolve([]), readFile: () => Promise.resolve(undefined), archive: () => Readable.from([]) };
    const settings = (npmRegistry?: string): LiveAuditSettings => ({
      allowHosts: [],
      sandbox: { image: 'x', listerPath: listerAsset(join(REPO_ROOT, 'src', 'scanners')), serverTimeoutMs: 1000, memoryBytes: 1, cpus: 1, logDir: tmpdir(), ...(npmRegistry && { npmRegistry }) },
      ramparts: { viaGateway: false, timeoutMs: 1000 },
    });
    const ports = { sandbox: { status: 'ready' as const, value: backend }, checkout: { status: 'ready' as const, value: checkoutStub }, gateway: { status: 'skipped' as const, reason: 'x' }, logger: new RecordingLogger(), tempDir: tmpdir() };
    const result = await runLiveAudit(entries, ports, settings());
    assert.deepEqual(seen!.phases.map((p) => [p.name, p.network]), [['setup', 'default'], ['test', 'none']]);
    assert.deepEqual(Object.keys(seen!.env).sort(), ['ULTRA_CREATE_MCP_LISTER', 'ULTRA_CREATE_MCP_REQUEST']);
    const request = JSON.parse(seen!.env.ULTRA_CREATE_MCP_REQUEST!) as { fetch: { registry: string; packages: { spec: string }[] }; servers: { fetchId?: number; args: string[] }[] };
    assert.equal(request.fetch.registry, 'https://registry.npmjs.org/');
    assert.equal(request.fetch.packages.length, 10);
    assert.deepEqual(request.servers[0]!.args, []);
    assert.equal(request.servers.length, 11, '10 fetched + the local one');
    const by = new Map(result.audits.map((a) => [a.server, a]));
    assert.equal(by.get('s11')!.status, 'not-scanned');
    assert.match(by.get('s11')!.reason!, /more than 10 package-runner servers changed/);
    assert.equal(by.get('s0')!.status, 'failed');

    // A registry address with credentials is refused: nothing is fetched, each npx server says why.
    seen = undefined;
    const refused = await runLiveAudit(entries.slice(0, 1), ports, settings('https://user:pw@registry.example/'));
    assert.equal(seen, undefined);
    assert.match(refused.audits[0]!.reason!, /not fetched: the npm registry address carries credentials/);
  } finally {
    if (saved !== undefined) process.env[NPM_REGISTRY_ENV] = saved;
  }
});

// ── the registry ──

interface Published {
  name: string;
  version: string;
  tgz: Buffer;
  manifest: Record<string, unknown>;
}

function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
  });
}

async function pack(dir: string, manifest: Record<string, unknown>, files: Record<string, string>): Promise<Published> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const [name, source] of Object.entries(files)) await copyFile(source, join(dir, name));
  const out = `${dir}-tgz`;
  await mkdir(out, { recursive: true });
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', out, '--userconfig', '/dev/null'], dir);
  const file = (await readdir(out)).find((f) => f.endsWith('.tgz'))!;
  return { name: manifest.name as string, version: manifest.version as string, tgz: await readFile(join(out, file)), manifest };
}

/** The host's address on the default bridge, where a sandbox container reaches it. */
async function bridgeGateway(): Promise<string> {
  const info = JSON.parse(await docker(['network', 'inspect', 'bridge'])) as { IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] } }[];
  const gateway = info[0]?.IPAM?.Config?.find((c) => c.Gateway)?.Gateway;
  if (gateway) return gateway;
  // Without a Gateway field the engine uses the subnet's first address (the bridge may be down until a container starts, so the
  // host's interface list need not show it).
  const subnet = info[0]?.IPAM?.Config?.find((c) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c.Subnet ?? ''));
  const base = subnet?.Subnet?.split('/')[0]?.split('.').map(Number);
  if (!base) throw new Error('the bridge network has no IPv4 subnet');
  return [base[0], base[1], base[2], base[3]! + 1].join('.');
}

function startRegistry(host: string, packages: readonly Published[], requests: string[]): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      requests.push(path);
      const base = `http://${host}:${String((server.address() as { port: number }).port)}`;
      const tarball = packages.find((p) => path === `/${p.name}/-/${p.name.replace(/^@[^/]+\//, '')}-${p.version}.tgz`);
      if (tarball) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.tgz.length });
        res.end(tarball.tgz);
        return;
      }
      const versions = packages.filter((p) => path === `/${p.name}`);
      if (versions.length === 0) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Not found' }));
        return;
      }
      const name = versions[0]!.name;
      const packument = {
        name,
        'dist-tags': { latest: versions.at(-1)!.version },
        versions: Object.fromEntries(
          versions.map((p) => [
            p.version,
            {
              ...p.manifest,
              dist: {
                tarball: `${base}/${name}/-/${name.replace(/^@[^/]+\//, '')}-${p.version}.tgz`,
                shasum: createHash('sha1').update(p.tgz).digest('hex'),
                integrity: `sha512-${createHash('sha512').update(p.tgz).digest('base64')}`,
              },
            },
          ]),
        ),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(packument));
    });
    server.once('error', reject);
    server.listen(0, host, () => resolve({ server, url: `http://${host}:${String((server.address() as { port: number }).port)}/` }));
  });
}

describeDocker('package-runner MCP servers fetched in the sandbox, listed without network', () => {
  let image = '';
  let scratch = '';
  let registry: { server: Server; url: string } | undefined;
  const requests: string[] = [];
  let checkout: Service<HeadCheckout>;
  let mcpJson = '';
  const runIds: string[] = [];
  const savedEnv = process.env[NPM_REGISTRY_ENV];

  before(
    async () => {
      scratch = await mkdtemp(join(tmpdir(), 'mcp-live-fetch-'));
      const [built, clean, poisoned, probe] = await Promise.all([
        buildSandboxNpmImage(),
        pack(join(scratch, 'pkg-clean'), { name: 'mcp-fixture-clean', version: '1.1.0', type: 'module', bin: { 'mcp-fixture-clean': 'server.mjs' } }, { 'server.mjs': POISONED_SERVER }),
        pack(
          join(scratch, 'pkg-poisoned'),
          {
            name: '@fixture/mcp-poisoned',
            version: '2.0.0',
            type: 'module',
            // Two bins: npx runs the one named like the package. The install script must never run (it would write a marker).
            bin: { 'mcp-poisoned': 'hidden.mjs', helper: 'server.mjs' },
            scripts: { postinstall: 'node -e "require(\'fs\').writeFileSync(\'/sandbox/home/POSTINSTALL_RAN\', \'x\')"' },
          },
          { 'server.mjs': POISONED_SERVER, 'hidden.mjs': join(FIXTURES, 'mcp-fetch', 'hidden-bin.mjs') },
        ),
        pack(join(scratch, 'pkg-probe'), { name: 'mcp-net-probe', version: '0.1.0', type: 'module', bin: 'probe.mjs' }, { 'probe.mjs': NET_PROBE }),
      ]);
      image = built.ref;
      registry = await startRegistry(await bridgeGateway(), [clean, poisoned, probe], requests);
      process.env[NPM_REGISTRY_ENV] = registry.url;

      mcpJson = `{
  "mcpServers": {
    "clean": { "command": "npx", "args": ["-y", "mcp-fixture-clean@^1", "clean"] },
    "poisoned": { "command": "npx", "args": ["-y", "@fixture/mcp-poisoned@2.0.0"] },
    "probe": { "command": "npx", "args": ["mcp-net-probe@0.1.0"], "env": { "PROBE_URL": "${registry.url}mcp-net-probe" } },
    "missing": { "command": "npx", "args": ["-y", "mcp-not-published@1.0.0"] },
    "python": { "command": "uvx", "args": ["mcp-server-fetch==1.0"] }
  }
}
`;
      const repo = join(scratch, 'repo');
      await mkdir(repo, { recursive: true });
      await writeFile(join(repo, '.mcp.json'), mcpJson);
      // The pull request's own npm configuration points elsewhere: it must not redirect the fetch.
      await writeFile(join(repo, '.npmrc'), 'registry=http://127.0.0.1:9/\n@fixture:registry=http://127.0.0.1:9/\n');
      await git(repo, ['init', '-q', '-b', 'main']);
      await git(repo, ['add', '-A']);
      await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'tree']);
      const head = (await git(repo, ['rev-parse', 'HEAD'])).toString('utf8').trim();
      checkout = await resolveHeadCheckout(repo, head);
    },
    { timeout: 300_000 },
  );

  after(async () => {
    if (savedEnv === undefined) Reflect.deleteProperty(process.env, NPM_REGISTRY_ENV);
    else process.env[NPM_REGISTRY_ENV] = savedEnv;
    registry?.server.close();
    const engine = createDockerEngine();
    for (const runId of runIds) await cleanupRun(engine, runId, new RecordingLogger(), { timeoutMs: 20_000 });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  test('clean package listed, poisoned one flagged, missing one failed, uvx not scanned, listing without network', { timeout: 240_000 }, async () => {
    const entries = servers(mcpJson);
    const runId = newRunId();
    runIds.push(runId);
    const logger = new RecordingLogger();
    const sandbox = await createDockerSandbox(createDockerEngine({ runId }), { logger });
    const settings: LiveAuditSettings = {
      allowHosts: [],
      sandbox: { image, listerPath: listerAsset(join(REPO_ROOT, 'src', 'scanners')), serverTimeoutMs: 8_000, memoryBytes: 512 * 1024 * 1024, cpus: 1, logDir: scratch, fetchTimeoutMs: 60_000 },
      ramparts: { viaGateway: false, timeoutMs: 10_000 },
    };
    const started = Date.now();
    const result = await runLiveAudit(
      entries,
      { sandbox: { status: 'ready', value: sandbox }, checkout, gateway: { status: 'skipped', reason: 'not asked for' }, logger, tempDir: scratch },
      settings,
    );
    console.log(`# ${entries.length} servers (4 npx) fetched and listed in ${Date.now() - started} ms`);
    const by = new Map(result.audits.map((a) => [a.server, a]));
    for (const a of result.audits) console.log(`# ${a.server}: ${a.status}${a.reason ? ` — ${a.reason}` : ''}`);
    const lineOf = (server: string): number => entries.find((e) => e.name === server)!.line;
    const rulesAt = (server: string): string[] => [...new Set(result.findings.filter((f) => f.startLine === lineOf(server)).map((f) => f.ruleId))].sort();

    assert.equal(by.get('clean')!.status, 'scanned');
    assert.equal(by.get('clean')!.tools, 1);
    assert.equal(by.get('clean')!.findings, 0);
    assert.match(by.get('clean')!.reason!, /npx mcp-fixture-clean@\^1: fetched mcp-fixture-clean@1\.1\.0 \(the version it resolved to now\)/);
    assert.deepEqual(rulesAt('clean'), []);

    assert.equal(by.get('poisoned')!.status, 'scanned');
    assert.equal(by.get('poisoned')!.reason, 'npx @fixture/mcp-poisoned@2.0.0: fetched @fixture/mcp-poisoned@2.0.0');
    assert.deepEqual(rulesAt('poisoned'), [TOOL_RULES.hiddenInstructions.id]);
    for (const finding of result.findings) assert.equal(finding.path, '.mcp.json');

    // The listing phase has no network: the probe could not reach the registry the fetch phase used.
    assert.equal(by.get('probe')!.status, 'scanned');
    assert.equal(result.lockContent !== undefined && (JSON.parse(result.lockContent) as { servers: Record<string, Record<string, unknown>> }).servers['.mcp.json']!.probe !== undefined, true);
    assert.match(result.lockContent!, /"no_network"/);
    assert.doesNotMatch(result.lockContent!, /network_reachable/);

    assert.equal(by.get('missing')!.status, 'failed');
    assert.match(by.get('missing')!.reason!, /^could not fetch mcp-not-published@1\.0\.0: .*404/);

    assert.equal(by.get('python')!.status, 'not-scanned');
    assert.equal(by.get('python')!.reason, 'uvx servers are not fetched in this version');

    // Every package came from our registry (the tree's .npmrc pointed elsewhere), and only the probe's own try reached it later:
    // none (it had no network).
    for (const name of ['/mcp-fixture-clean', '/@fixture/mcp-poisoned', '/mcp-net-probe', '/mcp-not-published']) assert.ok(requests.includes(name), `${name} asked for`);
    assert.ok(requests.some((r) => r.endsWith('.tgz')));
    // No install script ran (the poisoned bin would have listed its `tags` tool, with one more rule, above).
    const log = await readFile(join(scratch, (await readdir(scratch)).find((f) => f.startsWith('ultra-create-mcp-lister-'))!), 'utf8');
    assert.match(log, /── setup \(network default\)/);
    assert.match(log, /── test \(network none\)/);
  });
});
