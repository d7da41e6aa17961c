// Real MCP servers over stdio, started on the host through the project's MCP client (@modelcontextprotocol/sdk): the reference
// servers from npm as known-clean fixtures, and poisoned servers written for these tests. They are trusted test fixtures, not pull
// request code (which is only ever started inside the sandbox: see mcp-live-sandbox.test.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { changedTools, emptyLock, lockFinding, parseLock, serializeLock, updateLock } from '../src/scanners/mcp-audit/lockfile.js';
import { checkListing, TOOL_RULES, type McpListing } from '../src/scanners/mcp-audit/tool-checks.js';

const require = createRequire(import.meta.url);
const FIXTURE_SERVER = join(import.meta.dirname, 'fixtures', 'mcp-live', 'poisoned-server.mjs');

function binOf(pkg: string): string {
  const manifest = require(`${pkg}/package.json`) as { bin: Record<string, string> };
  return join(dirname(require.resolve(`${pkg}/package.json`)), Object.values(manifest.bin)[0]!);
}

/** Lists tools, prompts and resources (every page) of a stdio server, then closes it. */
async function list(args: string[], env: Record<string, string> = {}): Promise<McpListing> {
  const transport = new StdioClientTransport({ command: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'ignore' });
  const client = new Client({ name: 'ultra-create-tests', version: '0' });
  await client.connect(transport, { timeout: 20_000 });
  try {
    const capabilities = client.getServerCapabilities() ?? {};
    const tools = [];
    for (let cursor: string | undefined, page = 0; page < 20; page++) {
      const answer = await client.listTools(cursor ? { cursor } : {});
      tools.push(...answer.tools);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    const prompts = capabilities.prompts ? (await client.listPrompts()).prompts : [];
    const resources = capabilities.resources ? (await client.listResources()).resources : [];
    return {
      tools: tools.map((t) => ({ name: t.name, ...(t.description !== undefined && { description: t.description }), inputSchema: t.inputSchema })),
      prompts: prompts.map((p) => ({ name: p.name, ...(p.description !== undefined && { description: p.description }), arguments: p.arguments ?? [] })),
      resources: resources.map((r) => ({ name: r.name, uri: r.uri, ...(r.description !== undefined && { description: r.description }) })),
    };
  } finally {
    await client.close();
  }
}

describe('reference servers from npm: no false alarm', () => {
  let scratch: string;
  const listings = new Map<string, McpListing>();
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mcp-live-ref-'));
    listings.set('everything', await list([binOf('@modelcontextprotocol/server-everything'), 'stdio']));
    listings.set('filesystem', await list([binOf('@modelcontextprotocol/server-filesystem'), scratch]));
    listings.set('memory', await list([binOf('@modelcontextprotocol/server-memory')], { MEMORY_FILE_PATH: join(scratch, 'memory.jsonl') }));
    listings.set('sequential-thinking', await list([binOf('@modelcontextprotocol/server-sequential-thinking')]));
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  for (const name of ['everything', 'filesystem', 'memory', 'sequential-thinking']) {
    test(name, () => {
      const listing = listings.get(name)!;
      assert.ok(listing.tools.length > 0, 'it listed tools');
      const others = [...listings].filter(([n]) => n !== name).flatMap(([, l]) => l.tools.map((t) => t.name));
      const issues = checkListing(listing, others).map((i) => `${i.rule.id} @ ${i.where}: ${i.evidence}`);
      assert.deepEqual(issues, [], `${name} listed ${listing.tools.length} tools, ${listing.prompts.length} prompts, ${listing.resources.length} resources`);
    });
  }
});

describe('poisoned fixture servers: each flagged by the right rule', () => {
  const cases: [string, string[]][] = [
    ['clean', []],
    ['hidden', [TOOL_RULES.hiddenInstructions.id]],
    ['tags', [TOOL_RULES.hiddenInstructions.id, TOOL_RULES.hiddenUnicode.id]],
    ['shadow', [TOOL_RULES.shadowing.id]],
    ['exfil', [TOOL_RULES.exfiltrationParameter.id]],
  ];
  for (const [mode, expected] of cases) {
    test(mode, async () => {
      const listing = await list([FIXTURE_SERVER, mode]);
      const issues = checkListing(listing, ['send_email']);
      assert.deepEqual([...new Set(issues.map((i) => i.rule.id))].sort(), expected);
      if (mode === 'exfil') assert.equal(issues[0]!.severity, 'high', 'the parameter asks for the conversation and keys');
    });
  }

  test('rug pull: a description that changes between two runs is reported against the lock file', async () => {
    const entry = { name: 'calc', configPath: '.mcp.json', line: 3 };
    const first = await list([FIXTURE_SERVER, 'rug']);
    assert.deepEqual(checkListing(first), []);
    const lockText = serializeLock(updateLock(emptyLock(), [{ entry, tools: first.tools }]));
    const lock = parseLock(lockText);
    assert.ok(typeof lock !== 'string');
    assert.deepEqual(changedTools(lock, entry, (await list([FIXTURE_SERVER, 'rug'])).tools), [], 'same description: no change');
    const second = await list([FIXTURE_SERVER, 'rug'], { RUG_PULL: '1' });
    assert.deepEqual(checkListing(second), [], 'the new description alone raises nothing: only the lock file sees the change');
    const changes = changedTools(lock, entry, second.tools);
    assert.deepEqual(changes.map((c) => c.tool), ['add']);
    const finding = lockFinding(entry, changes[0]!);
    assert.equal(finding.ruleId, TOOL_RULES.descriptionChanged.id);
    assert.equal(finding.startLine, 3);
    assert.deepEqual(changedTools(lock, { ...entry, name: 'other' }, second.tools), [], 'a server that is not pinned has no change');
  });
});

describe('lock file', () => {
  test('stable text, sorted keys; schema key order does not change the hash; invalid files are refused with the reason', () => {
    const entry = { name: 'b', configPath: '.mcp.json' };
    const tools = [{ name: 'x', description: 'X.\r\n', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }];
    const reordered = [{ name: 'x', description: ' X.', inputSchema: { properties: { q: { type: 'string' } }, type: 'object' } }];
    const a = serializeLock(updateLock(emptyLock(), [{ entry, tools }, { entry: { name: 'a', configPath: '.mcp.json' }, tools }]));
    const lock = parseLock(a);
    assert.ok(typeof lock !== 'string');
    assert.deepEqual(Object.keys(lock.servers['.mcp.json']!), ['a', 'b']);
    assert.deepEqual(changedTools(lock, entry, reordered), []);
    assert.match(parseLock('{') as string, /not valid JSON/);
    assert.match(parseLock('{"version": 2, "servers": {}}') as string, /not a version 1 lock file/);
  });
});
