// The live MCP checks on stdio servers a pull request adds: started only inside the real Docker sandbox (image built with
// `docker import`: node + busybox, see support/images.ts), listed by our lister, checked, and compared with the lock file.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveHeadCheckout } from '../src/collect/checkout.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId } from '../src/runtime/docker-engine.js';
import { createDockerSandbox } from '../src/runtime/docker-sandbox.js';
import { discoverConfig, mcpConfigKind } from '../src/scanners/mcp-audit/discovery.js';
import { listerAsset, runLiveAudit, type LiveAuditSettings } from '../src/scanners/mcp-audit/live.js';
import type { McpServerEntry } from '../src/scanners/mcp-audit/model.js';
import { TOOL_RULES } from '../src/scanners/mcp-audit/tool-checks.js';
import type { HeadCheckout, Service } from '../src/types.js';
import { describeDocker } from './support/docker.js';
import { git } from './support/git-fixture.js';
import { buildSandboxImage, REPO_ROOT } from './support/images.js';
import { RecordingLogger } from './support/recording-logger.js';

const FIXTURE_SERVER = join(import.meta.dirname, 'fixtures', 'mcp-live', 'poisoned-server.mjs');

const MCP_JSON = `{
  "mcpServers": {
    "clean": { "command": "node", "args": ["tools/server.mjs", "clean"] },
    "hidden": { "command": "node", "args": ["\${workspaceFolder}/tools/server.mjs", "hidden"] },
    "tags": { "command": "node", "args": ["tools/server.mjs", "tags"] },
    "crash": { "command": "node", "args": ["tools/server.mjs", "crash"] },
    "hang": { "command": "node", "args": ["tools/server.mjs", "hang"] },
    "rug": { "command": "node", "args": ["tools/server.mjs", "rug"], "env": { "RUG_PULL": "0", "API_TOKEN": "\${env:API_TOKEN}" } },
    "npx-memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory@2026.8.31"] }
  }
}
`;

function servers(text: string): McpServerEntry[] {
  const config = discoverConfig('.mcp.json', text, mcpConfigKind('.mcp.json')!);
  assert.ok(config.parsed.ok);
  for (const server of config.servers) server.changedInPullRequest = true;
  return config.servers;
}

/** Tests without an engine: no sandbox means not scanned, with the reason, and nothing is started on the host. */
test('without a sandbox every stdio server is not scanned, with the reason', async () => {
  const result = await runLiveAudit(
    servers(MCP_JSON),
    {
      sandbox: { status: 'skipped', reason: 'no Docker engine answers' },
      checkout: { status: 'skipped', reason: 'not asked for' },
      gateway: { status: 'skipped', reason: 'not asked for' },
      logger: new RecordingLogger(),
      tempDir: tmpdir(),
    },
    settingsFor('unused', tmpdir()),
  );
  assert.equal(result.audits.length, 7);
  for (const audit of result.audits) {
    assert.equal(audit.status, 'not-scanned');
    assert.match(audit.reason!, /only in the sandbox, which is not available: no Docker engine answers/);
  }
  assert.deepEqual(result.findings, []);
});

function settingsFor(image: string, temp: string, baseLockText?: string): LiveAuditSettings {
  return {
    allowHosts: [],
    ...(baseLockText !== undefined && { baseLockText }),
    lockOutFile: join(temp, 'out', 'ultra-create-mcp.lock.json'),
    sandbox: { image, listerPath: listerAsset(join(REPO_ROOT, 'src', 'scanners')), serverTimeoutMs: 6_000, memoryBytes: 512 * 1024 * 1024, cpus: 1, logDir: temp },
    ramparts: { viaGateway: false, timeoutMs: 10_000 },
  };
}

describeDocker('stdio MCP servers listed inside the Docker sandbox', () => {
  let image = '';
  let scratch = '';
  let repo = '';
  let checkout: Service<HeadCheckout>;
  const runIds: string[] = [];

  before(
    async () => {
      image = (await buildSandboxImage()).ref;
      scratch = await mkdtemp(join(tmpdir(), 'mcp-live-sandbox-'));
      repo = join(scratch, 'repo');
      await mkdir(join(repo, 'tools'), { recursive: true });
      await copyFile(FIXTURE_SERVER, join(repo, 'tools', 'server.mjs'));
      await writeFile(join(repo, '.mcp.json'), MCP_JSON);
      await git(repo, ['init', '-q', '-b', 'main']);
      await git(repo, ['add', '-A']);
      await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'tree']);
      const head = (await git(repo, ['rev-parse', 'HEAD'])).toString('utf8').trim();
      checkout = await resolveHeadCheckout(repo, head);
    },
    { timeout: 300_000 },
  );

  after(async () => {
    const engine = createDockerEngine();
    for (const runId of runIds) await cleanupRun(engine, runId, new RecordingLogger(), { timeoutMs: 20_000 });
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function audit(entries: McpServerEntry[], baseLockText?: string) {
    const runId = newRunId();
    runIds.push(runId);
    const logger = new RecordingLogger();
    const sandbox = await createDockerSandbox(createDockerEngine({ runId }), { logger });
    const started = Date.now();
    const result = await runLiveAudit(
      entries,
      { sandbox: { status: 'ready', value: sandbox }, checkout, gateway: { status: 'skipped', reason: 'not asked for' }, logger, tempDir: scratch },
      settingsFor(image, scratch, baseLockText),
    );
    return { result, ms: Date.now() - started };
  }

  test('each server is listed in the sandbox: clean ones scanned, poisoned ones flagged, broken ones failed with the reason', { timeout: 180_000 }, async () => {
    const entries = servers(MCP_JSON);
    const { result, ms } = await audit(entries);
    console.log(`# ${entries.length} stdio servers listed in the sandbox in ${ms} ms`);
    const by = new Map(result.audits.map((a) => [a.server, a]));
    assert.equal(by.get('clean')!.status, 'scanned');
    assert.equal(by.get('clean')!.tools, 1);
    assert.equal(by.get('clean')!.findings, 0);
    assert.equal(by.get('hidden')!.status, 'scanned', '${workspaceFolder} became the repository inside the sandbox');
    assert.equal(by.get('crash')!.status, 'failed');
    assert.match(by.get('crash')!.reason!, /exited \(code 3\) before it listed its tools.*crashing on purpose/);
    assert.equal(by.get('hang')!.status, 'failed');
    assert.match(by.get('hang')!.reason!, /did not answer within 6 s/);
    assert.equal(by.get('npx-memory')!.status, 'failed', 'this image has no npm: the fetch phase cannot fetch the package');
    assert.match(by.get('npx-memory')!.reason!, /^could not fetch @modelcontextprotocol\/server-memory@2026\.8\.31: npm could not start/);
    console.log(`# npx-memory: ${by.get('npx-memory')!.reason!}`);
    const rulesAt = (server: string): string[] => {
      const line = entries.find((e) => e.name === server)!.line;
      return [...new Set(result.findings.filter((f) => f.startLine === line).map((f) => f.ruleId))].sort();
    };
    assert.deepEqual(rulesAt('hidden'), [TOOL_RULES.hiddenInstructions.id]);
    assert.deepEqual(rulesAt('tags'), [TOOL_RULES.hiddenInstructions.id, TOOL_RULES.hiddenUnicode.id]);
    assert.deepEqual(rulesAt('clean'), []);
    for (const finding of result.findings) assert.equal(finding.path, '.mcp.json');
    // The updated lock content is offered: every listed server's tools pinned.
    const lock = JSON.parse(await readFile(join(scratch, 'out', 'ultra-create-mcp.lock.json'), 'utf8')) as { servers: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(lock.servers['.mcp.json']!).sort(), ['clean', 'hidden', 'rug', 'tags']);
    assert.equal(result.lockContent, await readFile(join(scratch, 'out', 'ultra-create-mcp.lock.json'), 'utf8'));
    assert.ok(result.warnings.some((w) => w.includes('commit it as .github/ultra-create-mcp.lock.json')));

    // A later pull request changes the rug server's environment, and its description changes: a possible rug pull.
    const later = servers(MCP_JSON.replace('"RUG_PULL": "0"', '"RUG_PULL": "1"')).filter((e) => e.name === 'rug' || e.name === 'clean');
    const second = await audit(later, result.lockContent);
    assert.deepEqual(second.result.findings.map((f) => [f.ruleId, f.startLine]), [[TOOL_RULES.descriptionChanged.id, later.find((e) => e.name === 'rug')!.line]]);
    assert.deepEqual(second.result.audits.map((a) => a.status), ['scanned', 'scanned']);
  });
});
