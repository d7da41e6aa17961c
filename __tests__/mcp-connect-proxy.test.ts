/**
 * The address-checking CONNECT proxy a ramparts binary scans through (the DNS-rebinding gap): a real proxy on 127.0.0.1 and a real
 * TLS-less echo target on 127.0.0.1. Loopback targets are refused, a host listed in mcp-audit-allow-hosts passes through, and a
 * resolver that answers a public address at the check and 127.0.0.1 at the connection is refused at the connection — end to end
 * through runLiveAudit with a fake `ramparts` that connects the way reqwest does (CONNECT through HTTPS_PROXY).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllowHosts, type HostResolver } from '../src/scanners/mcp-audit/addresses.js';
import { startConnectProxy } from '../src/scanners/mcp-audit/connect-proxy.js';
import { runLiveAudit, type LiveAuditSettings } from '../src/scanners/mcp-audit/live.js';
import type { McpServerEntry } from '../src/scanners/mcp-audit/model.js';
import { RecordingLogger } from './support/recording-logger.js';

let echo: Server;
let echoPort = 0;
let echoConnections = 0;
let scratch = '';

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'connect-proxy-'));
  echo = createServer((socket) => {
    echoConnections++;
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as { port: number }).port;
});
after(async () => {
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  await rm(scratch, { recursive: true, force: true });
});

const fixed = (answers: Record<string, string[]>): HostResolver => ({
  lookup: (host) => (answers[host] ? Promise.resolve(answers[host]) : Promise.reject(new Error('ENOTFOUND'))),
});

/** Sends a CONNECT through the proxy; answers the status line and, when tunnelled, what the target echoed of `ping`. */
function connectThrough(proxyUrl: string, target: string): Promise<{ status: string; echoed?: string }> {
  const { port } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let buffer = '';
    let status: string | undefined;
    socket.on('connect', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (status === undefined) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        status = buffer.split('\r\n')[0]!;
        buffer = buffer.slice(end + 4);
        if (status.includes(' 200 ')) socket.write('ping');
        else return;
      }
      if (buffer.includes('ping')) {
        socket.destroy();
        resolve({ status, echoed: 'ping' });
      }
    });
    socket.on('close', () => resolve({ status: status ?? 'closed' }));
    socket.on('error', reject);
  });
}

describe('the CONNECT proxy', () => {
  test('a loopback target is refused (by literal, by name, by localhost) and never reached; plain http proxying is refused', async () => {
    const proxy = await startConnectProxy({ allow: [], resolver: fixed({ 'evil.test': ['127.0.0.1'] }) });
    try {
      const before = echoConnections;
      for (const target of [`127.0.0.1:${echoPort}`, `evil.test:${echoPort}`, `localhost:${echoPort}`, `[::1]:${echoPort}`, `2130706433:${echoPort}`]) {
        const answer = await connectThrough(proxy.url, target);
        assert.match(answer.status, /^HTTP\/1\.1 403 /, target);
      }
      assert.equal(echoConnections, before, 'the target saw no connection');
      assert.deepEqual(proxy.refusals.map((r) => r.target), [`127.0.0.1:${echoPort}`, `evil.test:${echoPort}`, `localhost:${echoPort}`, `[::1]:${echoPort}`, `2130706433:${echoPort}`]);
      assert.match(proxy.refusals[1]!.reason, /evil\.test resolves to 127\.0\.0\.1, a loopback address/);
      const plain = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: Number(new URL(proxy.url).port) }, () => socket.write(`GET http://127.0.0.1:${echoPort}/ HTTP/1.1\r\nHost: x\r\n\r\n`));
        let text = '';
        socket.on('data', (c) => (text += c.toString()));
        socket.on('close', () => resolve(text));
      });
      assert.match(plain, /^HTTP\/1\.1 405 /);
      assert.equal(proxy.requests, 6);
    } finally {
      await proxy.close();
    }
  });

  test('a host listed in mcp-audit-allow-hosts (by name or by CIDR) is tunnelled to the address the proxy resolved', async () => {
    const { patterns } = parseAllowHosts(['mcp.internal.test', '127.0.0.1/32']);
    const proxy = await startConnectProxy({ allow: patterns, resolver: fixed({ 'mcp.internal.test': ['127.0.0.1'] }) });
    try {
      assert.deepEqual(await connectThrough(proxy.url, `mcp.internal.test:${echoPort}`), { status: 'HTTP/1.1 200 Connection Established', echoed: 'ping' });
      assert.deepEqual(await connectThrough(proxy.url, `127.0.0.1:${echoPort}`), { status: 'HTTP/1.1 200 Connection Established', echoed: 'ping' });
      assert.deepEqual(proxy.tunnels, [`mcp.internal.test:${echoPort} -> 127.0.0.1`, `127.0.0.1:${echoPort} -> 127.0.0.1`]);
      assert.deepEqual(proxy.refusals, []);
    } finally {
      await proxy.close();
    }
  });
});

// ── end to end: runLiveAudit with a ramparts binary on the PATH ─────────────────────────────────────────────────────────────

/**
 * A stand-in for ramparts: like reqwest, it sends `CONNECT host:port` to `HTTPS_PROXY` and answers ramparts' JSON (a scan result
 * with the YARA summary entry) — `Success` when the tunnel opened, `{"ConnectionError": …}` when the proxy refused. With
 * `ignoreProxy` it answers Success without using the proxy (a build that ignores HTTPS_PROXY).
 */
async function fakeRamparts(dir: string, ignoreProxy = false): Promise<string> {
  const script = `#!/usr/bin/env node
const net = require('node:net');
const url = new URL(process.argv[3]);
const summary = { target_type: 'summary', target_name: 'all', rule_name: 'YARA_PRE_SCAN_SUMMARY', rules_executed: ['prompt_injection'] };
const answer = (status, tools) => { process.stdout.write(JSON.stringify({ url: url.href, status, tools, prompts: [], resources: [], security_issues: null, yara_results: [summary], errors: [] })); process.exit(0); };
if (${ignoreProxy}) answer('Success', [{ name: 'echo', description: 'Echoes.' }]);
const proxy = new URL(process.env.HTTPS_PROXY);
const target = url.hostname + ':' + (url.port || '443');
const socket = net.connect({ host: proxy.hostname, port: Number(proxy.port) }, () => socket.write('CONNECT ' + target + ' HTTP/1.1\\r\\nHost: ' + target + '\\r\\n\\r\\n'));
let head = '';
socket.on('data', (chunk) => {
  head += chunk.toString('latin1');
  if (!head.includes('\\r\\n\\r\\n')) return;
  const status = head.split('\\r\\n')[0];
  socket.destroy();
  if (status.includes(' 200 ')) answer('Success', [{ name: 'echo', description: 'Echoes.' }]);
  else answer({ ConnectionError: 'proxy answered ' + status }, []);
});
socket.on('error', (e) => answer({ ConnectionError: e.message }, []));
`;
  const path = join(dir, 'ramparts');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}

function remote(name: string, url: string): McpServerEntry {
  return { name, configPath: '.mcp.json', client: 'claude-code', line: 3, endLine: 3, transport: 'remote', args: [], env: {}, headers: {}, extra: {}, url: { value: url, line: 3 }, changedInPullRequest: true };
}

const ports = {
  sandbox: { status: 'skipped' as const, reason: 'not needed' },
  checkout: { status: 'skipped' as const, reason: 'not needed' },
  gateway: { status: 'skipped' as const, reason: "mcp-gateway is 'off'" },
  logger: new RecordingLogger(),
  tempDir: tmpdir(),
};

function settingsFor(binary: string, resolver: HostResolver, allowHosts: string[] = []): LiveAuditSettings {
  return {
    allowHosts,
    sandbox: { image: 'x', listerPath: '/nonexistent', serverTimeoutMs: 1000, memoryBytes: 1, cpus: 1, logDir: scratch },
    ramparts: { viaGateway: false, binary, env: { PATH: process.env.PATH }, timeoutMs: 20_000 },
    resolver,
  };
}

describe('runLiveAudit through the proxy', () => {
  test('DNS rebinding: public at the check, 127.0.0.1 at the connection: refused at the connection, not scanned, with the reason', async () => {
    const binary = await fakeRamparts(await mkdtemp(join(scratch, 'bin-')));
    let lookups = 0;
    const rebinding: HostResolver = { lookup: () => Promise.resolve(lookups++ === 0 ? ['93.184.215.14'] : ['127.0.0.1']) };
    const before = echoConnections;
    const result = await runLiveAudit([remote('rebind', `https://rebind.test:${echoPort}/mcp`)], ports, settingsFor(binary, rebinding));
    assert.equal(lookups, 2, 'checked once by the address rule, resolved once more by the proxy (ramparts never resolves it)');
    assert.equal(echoConnections, before, 'nothing reached 127.0.0.1');
    assert.deepEqual(result.audits.map((a) => [a.server, a.check, a.status]), [['rebind', 'ramparts', 'not-scanned']]);
    assert.match(result.audits[0]!.reason!, new RegExp(`not contacted: the address-checking proxy refused rebind\\.test:${echoPort} when ramparts connected: rebind\\.test resolves to 127\\.0\\.0\\.1, a loopback address`));
  });

  test('an allowed internal host is scanned through the proxy; a ramparts that bypasses the proxy is degraded, never clean', async () => {
    const dir = await mkdtemp(join(scratch, 'bin-'));
    const binary = await fakeRamparts(dir);
    const resolver = fixed({ 'mcp.internal.test': ['127.0.0.1'] });
    const allowed = await runLiveAudit([remote('internal', `https://mcp.internal.test:${echoPort}/mcp`)], ports, settingsFor(binary, resolver, ['mcp.internal.test']));
    assert.deepEqual(allowed.audits.map((a) => [a.status, a.tools]), [['scanned', 1]]);

    const bypassing = await fakeRamparts(await mkdtemp(join(scratch, 'bin-')), true);
    const bypassed = await runLiveAudit([remote('internal', `https://mcp.internal.test:${echoPort}/mcp`)], ports, settingsFor(bypassing, resolver, ['mcp.internal.test']));
    assert.deepEqual(bypassed.audits.map((a) => a.status), ['degraded']);
    assert.match(bypassed.audits[0]!.reason!, /connected without the address-checking proxy \(it ignored HTTPS_PROXY\)/);
  });
});

describe('the gateway path (ramparts in the gateway container resolves the host itself)', () => {
  test('a DNS answer that turns private during the scan is detected afterwards: degraded, never clean', async () => {
    let lookups = 0;
    const rebinding: HostResolver = { lookup: () => Promise.resolve(lookups++ === 0 ? ['93.184.215.14'] : ['10.0.0.8']) };
    const answer = JSON.stringify({
      url: 'https://rebind.test/mcp', status: 'Success', tools: [{ name: 'echo', description: 'Echoes.' }], prompts: [], resources: [], security_issues: null,
      yara_results: [{ target_type: 'summary', target_name: 'all', rule_name: 'YARA_PRE_SCAN_SUMMARY', rules_executed: ['prompt_injection'] }], errors: [],
    });
    const gateway = {
      url: 'http://127.0.0.1:1', containerId: 'x', transport: 'streamable-http' as const, timings: { pullMs: 0, healthyMs: 0, connectMs: 0, totalMs: 0 }, failure: undefined,
      tools: [{ name: 'scan', inputSchema: { type: 'object' as const } }],
      callTool: () => Promise.resolve({ content: [], text: answer }),
      close: () => Promise.resolve(),
    };
    const settings: LiveAuditSettings = { ...settingsFor('', rebinding), ramparts: { viaGateway: true, timeoutMs: 20_000 } };
    const result = await runLiveAudit([remote('rebind', 'https://rebind.test/mcp')], { ...ports, gateway: { status: 'ready', value: gateway } }, settings);
    assert.equal(lookups, 2);
    assert.deepEqual(result.audits.map((a) => a.status), ['degraded']);
    assert.match(result.audits[0]!.reason!, /the host's DNS answer changed during the scan \(rebind\.test resolves to 10\.0\.0\.8, a private address/);
  });
});

describe('the CONNECT proxy, failures that are not the address rule', () => {
  test('an allowed target that refuses the connection answers 502 and is not recorded as a refusal of the rule', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const proxy = await startConnectProxy({ allow: parseAllowHosts(['127.0.0.1/32']).patterns, resolver: fixed({}) });
    try {
      const answer = await connectThrough(proxy.url, `127.0.0.1:${port}`);
      assert.match(answer.status, /^HTTP\/1\.1 502 /);
      assert.deepEqual(proxy.refusals, []);
    } finally {
      await proxy.close();
    }
  });
});
