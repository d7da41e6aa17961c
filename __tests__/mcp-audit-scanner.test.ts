/**
 * The MCP audit as a scanner: which files it reads (changed ones from the head tree; with `nofilter` every one of the head commit),
 * what it refuses to read (symlinks, files over the size limit, broken files: reported, never "no findings"), the seam for the live
 * checks, and an end-to-end CLI run on a real git repository whose pull request adds a `.mcp.json`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { EXIT, runCli } from '../src/cli/main.js';
import type { JsonReport } from '../src/report/text.js';
import { LIVE_CHECKS_UNAVAILABLE, runMcpAudit, type McpAuditSettings } from '../src/scanners/mcp-audit/scanner.js';
import type { ScanPorts } from '../src/scanners/scanner.js';
import type { HeadCheckout, Service } from '../src/types.js';
import { git } from './support/git-fixture.js';
import { RecordingLogger } from './support/recording-logger.js';
import { compileSarifSchema } from './support/sarif-schema.js';

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mcp-audit-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let count = 0;
async function treeOf(files: Record<string, string>): Promise<string> {
  const root = join(scratch, `tree-${++count}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

function portsFor(root: string, files: string[], checkout?: HeadCheckout): ScanPorts {
  const skipped = { status: 'skipped', reason: 'not in this test' } as const;
  const checkoutService: Service<HeadCheckout> = checkout ? { status: 'ready', value: checkout } : { status: 'skipped', reason: 'no checkout in this test' };
  return { tree: { root, files, inPlace: true }, logger: new RecordingLogger(), tempDir: scratch, gateway: skipped, sandbox: skipped, checkout: checkoutService };
}

/** A patch that adds every line of `text` (a new file). */
function addedPatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
}

const NPX_SERVER = '{\n  "mcpServers": {\n    "fs": { "command": "npx", "args": ["-y", "server-fs"] }\n  }\n}\n';

describe('the scanner', () => {
  test('changed config files are audited; servers the PR adds are listed as not scanned live (degraded, with the reason)', async () => {
    const root = await treeOf({ '.mcp.json': NPX_SERVER, 'src/app.js': 'x\n' });
    const settings: McpAuditSettings = { filterMode: 'added', changedFiles: [{ path: '.mcp.json', status: 'added', patch: addedPatch(NPX_SERVER) }] };
    const { report, rules } = await runMcpAudit(settings, portsFor(root, ['.mcp.json', 'src/app.js']));
    assert.equal(report.scanner, 'ramparts');
    assert.equal(report.filesScanned, 1);
    assert.equal(report.rulesRun, 1);
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`), ['.mcp.json:3 mcp/unpinned-package']);
    assert.equal(report.status, 'degraded');
    assert.match(report.reason ?? '', /1 MCP server the pull request adds or changes not fully checked \(fs in \.mcp\.json not-scanned: the live MCP checks are not available/);
    assert.deepEqual(report.mcpServers, [
      { server: 'fs', configPath: '.mcp.json', line: 3, check: 'tool-descriptions', status: 'not-scanned', reason: LIVE_CHECKS_UNAVAILABLE, findings: 0 },
    ]);
    assert.ok(rules.some((r) => r.id === 'mcp/unpinned-package' && r.tags?.[0] === 'OWASP MCP Top 10: Software Supply Chain Attacks & Dependency Tampering'));
  });

  test('an unchanged entry of a changed file is audited statically but not due for the live checks; no config at all is ok', async () => {
    const text = '{\n  "mcpServers": {\n    "old": { "command": "node", "args": ["a.js"] },\n    "new": { "command": "node", "args": ["b.js"] }\n  }\n}\n';
    const root = await treeOf({ '.cursor/mcp.json': text });
    const patch = '@@ -3,2 +3,3 @@\n     "old": { "command": "node", "args": ["a.js"] },\n+    "new": { "command": "node", "args": ["b.js"] }\n   }\n';
    const { report } = await runMcpAudit({ filterMode: 'added', changedFiles: [{ path: '.cursor/mcp.json', status: 'modified', patch }] }, portsFor(root, ['.cursor/mcp.json']));
    assert.deepEqual(report.mcpServers?.map((o) => o.server), ['new']);
    const none = await runMcpAudit({ filterMode: 'added', changedFiles: [] }, portsFor(await treeOf({ 'a.js': '1\n' }), ['a.js']));
    assert.equal(none.report.status, 'ok');
    assert.equal(none.report.filesScanned, 0);
    assert.equal(none.report.mcpServers, undefined);
  });

  test('the live checks seam gets the added servers; its outcomes and findings are the report', async () => {
    const root = await treeOf({ '.mcp.json': NPX_SERVER });
    let given: string[] = [];
    const settings: McpAuditSettings = {
      filterMode: 'added',
      changedFiles: [{ path: '.mcp.json', status: 'added', patch: addedPatch(NPX_SERVER) }],
      live: (servers) => {
        given = servers.map((s) => s.name);
        return Promise.resolve({
          audits: servers.map((s) => ({ server: s.name, configPath: s.configPath, line: s.line, check: 'tool-descriptions' as const, status: 'scanned' as const, tools: 3, findings: 0 })),
          findings: [],
          rules: [],
          warnings: ['one warning'],
        });
      },
    };
    const { report } = await runMcpAudit(settings, portsFor(root, ['.mcp.json']));
    assert.deepEqual(given, ['fs']);
    assert.equal(report.status, 'ok');
    assert.deepEqual(report.warnings, ['one warning']);
    assert.equal(report.mcpServers?.[0]?.status, 'scanned');
    const failing = await runMcpAudit({ ...settings, live: () => Promise.reject(new Error('sandbox gone')) }, portsFor(root, ['.mcp.json']));
    assert.equal(failing.report.mcpServers?.[0]?.status, 'failed');
    assert.match(failing.report.mcpServers?.[0]?.reason ?? '', /sandbox gone/);
    assert.equal(failing.report.status, 'degraded');
  });

  test('broken, oversized and symlinked config files of the PR are findings or files not scanned, never "no findings"', async () => {
    const root = await treeOf({ '.mcp.json': '{\n  "mcpServers": {\n    "a": {}\n    "b": {}\n  }\n}\n', '.cursor/mcp.json': `{"pad": "${'x'.repeat(2000)}"}` });
    await mkdir(join(root, '.vscode'), { recursive: true });
    await writeFile(join(scratch, 'outside.json'), '{"servers": {"x": {"command": "bash", "args": ["-c", "x"]}}}');
    await symlink(join(scratch, 'outside.json'), join(root, '.vscode', 'mcp.json'));
    const files = ['.mcp.json', '.cursor/mcp.json', '.vscode/mcp.json'];
    const { report } = await runMcpAudit({ filterMode: 'added', changedFiles: files.map((path) => ({ path, status: 'added' as const })), maxConfigBytes: 1000 }, portsFor(root, files));
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`).sort(), ['.cursor/mcp.json:1 mcp/config-too-large', '.mcp.json:4 mcp/config-unparseable']);
    assert.deepEqual(report.filesNotScanned?.map((f) => `${f.path}: ${f.reason}`).sort(), [
      '.cursor/mcp.json: over 1,000 bytes: not read',
      '.mcp.json: invalid JSON: comma expected',
      '.vscode/mcp.json: a symbolic link: not followed',
    ]);
  });

  test('nofilter: unchanged configuration files of the head commit are audited through the checkout; without it, degraded', async () => {
    const root = await treeOf({ 'a.js': '1\n' });
    const files: Record<string, string> = { '.codex/config.toml': '[mcp_servers.x]\ncommand = "uvx"\nargs = ["pkg"]\n', 'src/a.js': '1\n', 'big/.mcp.json': '{}' };
    const checkout: HeadCheckout = {
      revision: 'abc',
      listFiles: () => Promise.resolve(Object.keys(files)),
      readFile: (path, max = 1) => Promise.resolve(files[path] !== undefined && files[path].length <= max && path !== 'big/.mcp.json' ? Buffer.from(files[path]) : undefined),
      archive: () => {
        throw new Error('not in this test');
      },
    };
    const { report } = await runMcpAudit({ filterMode: 'nofilter', changedFiles: [] }, portsFor(root, ['a.js'], checkout));
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`).sort(), ['.codex/config.toml:3 mcp/unpinned-package', 'big/.mcp.json:1 mcp/config-too-large']);
    assert.equal(report.filesNotScanned, undefined, 'unchanged files are not the pull request input');
    assert.equal(report.mcpServers, undefined, 'no server is added by the pull request');
    assert.equal(report.status, 'ok');
    const without = await runMcpAudit({ filterMode: 'nofilter', changedFiles: [] }, portsFor(root, ['a.js']));
    assert.equal(without.report.status, 'degraded');
    assert.match(without.report.reason ?? '', /not audited \(filter-mode nofilter\): no checkout in this test/);
  });
});

// ── end to end ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────

class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(argv, { stdout, stderr, cwd: scratch, env: {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('end to end: the CLI on a pull request that adds a .mcp.json', () => {
  const TOKEN = `ghp_${'Zx8Qm2Lp9W'.repeat(4)}`;
  const MCP_JSON = [
    '{',
    '  "mcpServers": {',
    '    "github": {',
    '      "command": "npx",',
    '      "args": ["-y", "@modelcontextprotocol/server-github"],',
    `      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${TOKEN}" }`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  let dir = '';
  before(async () => {
    dir = join(scratch, 'repo');
    await mkdir(dir, { recursive: true });
    const run = (...args: string[]) => git(dir, args);
    await run('init', '-q', '-b', 'main');
    await run('config', 'user.name', 'Test Author');
    await run('config', 'user.email', 'test@example.com');
    await run('config', 'commit.gpgsign', 'false');
    await writeFile(join(dir, 'README.md'), '# repo\n');
    await run('add', '-A');
    await run('commit', '-q', '-m', 'base');
    await writeFile(join(dir, '.mcp.json'), MCP_JSON);
    await run('add', '-A');
    await run('commit', '-q', '-m', 'add an MCP server');
  });

  test('json: findings at the lines of the package and the token, the token redacted, the server listed as not scanned', async () => {
    const result = await cli(['review', '--repo', dir, '--format', 'json', '--scanners', 'ramparts', '--fail-on', 'high']);
    assert.equal(result.code, EXIT.findings, result.stderr);
    assert.ok(!result.stdout.includes(TOKEN.slice(4)), 'the token never reaches the output');
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId} ${f.severity}`), ['.mcp.json:6 mcp/literal-secret high', '.mcp.json:5 mcp/unpinned-package medium']);
    assert.match(report.findings[0]!.evidence, /"GITHUB_PERSONAL_ACCESS_TOKEN": "(ghp_)?«redacted»" }$/);
    assert.equal(report.findings[0]!.placement.kind, 'inline');
    const scan = report.scans.find((s) => s.scanner === 'ramparts')!;
    assert.equal(scan.status, 'degraded');
    assert.equal(scan.filesScanned, 1);
    // The live check of this npx server cannot succeed here: not scanned without a Docker engine, failed when the engine cannot
    // provide the sandbox image (no registry) — never scanned, always with the reason.
    const outcomes = scan.mcpServers?.map((o) => `${o.server} ${o.configPath}:${o.line} ${o.status}: ${o.reason}`) ?? [];
    assert.equal(outcomes.length, 1);
    assert.match(outcomes[0]!, /^github \.mcp\.json:3 (not-scanned|failed): \S/);
  });

  test('sarif: valid, results at the config lines, the OWASP category as a rule tag, the server not scanned as a notification', async () => {
    const result = await cli(['review', '--repo', dir, '--format', 'sarif', '--scanners', 'ramparts']);
    assert.ok(!result.stdout.includes(TOKEN.slice(4)));
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; properties: { tags: string[] } }[] } };
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
        invocations: { toolExecutionNotifications: { descriptor: { id: string }; message: { text: string } }[] }[];
        properties: { mcpServers?: { server: string; status: string }[] };
      }[];
    };
    const validate = compileSarifSchema();
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    const run = sarif.runs[0]!;
    assert.deepEqual(
      run.results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine} ${r.ruleId}`).sort(),
      ['.mcp.json:5 mcp/unpinned-package', '.mcp.json:6 mcp/literal-secret'],
    );
    const secretRule = run.tool.driver.rules.find((r) => r.id === 'mcp/literal-secret')!;
    assert.ok(secretRule.properties.tags.includes('OWASP MCP Top 10: Token Mismanagement & Secret Exposure'), secretRule.properties.tags.join());
    assert.ok(secretRule.properties.tags.includes('security'));
    const notification = run.invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor.id.startsWith('mcp-server-'));
    assert.match(notification?.message.text ?? '', /^MCP server github \(\.mcp\.json:3\) tool-descriptions: (not-scanned|failed): \S/);
    assert.match(run.properties.mcpServers?.map((o) => `${o.server} ${o.status}`).join() ?? '', /^github (not-scanned|failed)$/);
  });

  test('text and markdown name the server and why it was not scanned', async () => {
    const text = await cli(['review', '--repo', dir, '--format', 'text', '--scanners', 'ramparts']);
    assert.match(text.stdout, /^ {2}MCP server github \(\.mcp\.json:3\) tool-descriptions: (not-scanned|failed): \S/m);
    const markdown = await cli(['review', '--repo', dir, '--format', 'markdown', '--scanners', 'ramparts']);
    assert.match(markdown.stdout, /#### MCP servers \(live checks\)/);
    assert.match(markdown.stdout, /\| `github` \| `\.mcp\.json:3` \| tool-descriptions \| (⏭️ not-scanned|❌ failed) \| .+ \| 0 \|/);
  });
});

describe('end to end: filter-mode nofilter audits configuration files the pull request does not touch', () => {
  test('through the git checkout of the head commit; the default mode leaves them alone', async () => {
    const dir = join(scratch, 'repo-nofilter');
    await mkdir(join(dir, '.cursor'), { recursive: true });
    const run = (...args: string[]) => git(dir, args);
    await run('init', '-q', '-b', 'main');
    await run('config', 'user.name', 'Test Author');
    await run('config', 'user.email', 'test@example.com');
    await run('config', 'commit.gpgsign', 'false');
    await writeFile(join(dir, '.cursor', 'mcp.json'), '{\n  "mcpServers": {\n    "internal": { "url": "http://mcp.example.com/mcp" }\n  }\n}\n');
    await writeFile(join(dir, 'README.md'), '# repo\n');
    await run('add', '-A');
    await run('commit', '-q', '-m', 'base');
    await writeFile(join(dir, 'README.md'), '# repo\n\nMore.\n');
    await run('commit', '-q', '-am', 'docs');
    const places = (stdout: string): string[] => (JSON.parse(stdout) as JsonReport).findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}`);
    const all = await cli(['review', '--repo', dir, '--format', 'json', '--scanners', 'ramparts', '--filter-mode', 'nofilter']);
    assert.deepEqual(places(all.stdout), ['.cursor/mcp.json:3 mcp/insecure-http'], all.stderr);
    const scan = (JSON.parse(all.stdout) as JsonReport).scans.find((s) => s.scanner === 'ramparts')!;
    assert.equal(scan.status, 'ok');
    assert.equal(scan.mcpServers, undefined, 'an unchanged server is not due for the live checks');
    const added = await cli(['review', '--repo', dir, '--format', 'json', '--scanners', 'ramparts']);
    assert.deepEqual(places(added.stdout), []);
  });
});
