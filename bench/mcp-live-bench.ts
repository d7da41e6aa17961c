/**
 * [12] The MCP audit's live checks (issue 13), `--only mcp-live`:
 * - the tool-description check in the sandbox: `runLiveAudit` over 1 and over 4 stdio fixture servers of a pull request tree, listed
 *   by our lister inside the Docker sandbox (one container for all), checked and compared with the lock file; time per server;
 * - a ramparts scan through the gateway: the stand-in gateway image (started through the action's own `startGateway`), its `scan`
 *   tool answering a recorded ramparts result, read and turned into findings; time per scan.
 * Medians of `runs`. Without a Docker engine the section is skipped with the reason. No target: figures are printed ("info").
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../__tests__/support/git-fixture.js';
import { buildSandboxImage, buildStandInGatewayImage, REPO_ROOT } from '../__tests__/support/images.js';
import { RecordingLogger } from '../__tests__/support/recording-logger.js';
import { getErrorMessage } from '../src/errors.js';
import { resolveHeadCheckout } from '../src/collect/checkout.js';
import { cleanupRun } from '../src/runtime/cleanup.js';
import { createDockerEngine, newRunId, tryCreateDockerEngine } from '../src/runtime/docker-engine.js';
import { createDockerSandbox } from '../src/runtime/docker-sandbox.js';
import { startGateway } from '../src/runtime/mcp-gateway.js';
import { discoverConfig, mcpConfigKind } from '../src/scanners/mcp-audit/discovery.js';
import { listerAsset, runLiveAudit } from '../src/scanners/mcp-audit/live.js';
import { gatewayRampartsRunner, parseRampartsOutput, rampartsFindings, readRampartsResult } from '../src/scanners/mcp-audit/ramparts.js';
import { median, ms, table } from './stats.js';

const say = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

export type McpLiveBenchResult =
  | { skipped: string }
  | { sandboxOne: number[]; sandboxFour: number[]; rampartsScan: number[]; failure?: string };

const mcpJson = (count: number): string =>
  `{\n  "mcpServers": {\n${Array.from({ length: count }, (_, i) => `    "s${i}": { "command": "node", "args": ["tools/server.mjs", "${i % 2 === 0 ? 'clean' : 'hidden'}"] }`).join(',\n')}\n  }\n}\n`;

export async function runMcpLiveBench(runs: number): Promise<McpLiveBenchResult> {
  const engine = tryCreateDockerEngine();
  if (engine.problem !== undefined) return { skipped: `no Docker engine: ${engine.problem}` };
  try {
    await engine.engine.ping();
  } catch (error) {
    return { skipped: `no Docker engine answers: ${getErrorMessage(error)}` };
  }
  const scratch = await mkdtemp(join(tmpdir(), 'uc-bench-mcp-live-'));
  const runIds: string[] = [];
  const result = { sandboxOne: [] as number[], sandboxFour: [] as number[], rampartsScan: [] as number[] };
  try {
    const image = (await buildSandboxImage()).ref;
    const repo = join(scratch, 'repo');
    await mkdir(join(repo, 'tools'), { recursive: true });
    await copyFile(join(REPO_ROOT, '__tests__', 'fixtures', 'mcp-live', 'poisoned-server.mjs'), join(repo, 'tools', 'server.mjs'));
    await writeFile(join(repo, '.mcp.json'), mcpJson(4));
    await git(repo, ['init', '-q', '-b', 'main']);
    await git(repo, ['add', '-A']);
    await git(repo, ['-c', 'user.name=b', '-c', 'user.email=b@e', 'commit', '-q', '-m', 'tree']);
    const checkout = await resolveHeadCheckout(repo, (await git(repo, ['rev-parse', 'HEAD'])).toString('utf8').trim());
    const servers = (count: number) => {
      const config = discoverConfig('.mcp.json', mcpJson(count), mcpConfigKind('.mcp.json')!);
      for (const s of config.servers) s.changedInPullRequest = true;
      return config.servers;
    };
    const once = async (count: number): Promise<number> => {
      const runId = newRunId();
      runIds.push(runId);
      const logger = new RecordingLogger();
      const sandbox = await createDockerSandbox(createDockerEngine({ runId }), { logger });
      const started = performance.now();
      const audit = await runLiveAudit(
        servers(count),
        { sandbox: { status: 'ready', value: sandbox }, checkout, gateway: { status: 'skipped', reason: 'bench' }, logger, tempDir: scratch },
        {
          allowHosts: [],
          sandbox: { image, listerPath: listerAsset(join(REPO_ROOT, 'src', 'scanners')), serverTimeoutMs: 20_000, memoryBytes: 512 * 1024 * 1024, cpus: 1, logDir: scratch },
          ramparts: { viaGateway: false, timeoutMs: 10_000 },
        },
      );
      const elapsed = performance.now() - started;
      const bad = audit.audits.filter((a) => a.status !== 'scanned');
      if (bad.length > 0) throw new Error(`a server was not scanned: ${bad.map((a) => `${a.server} ${a.status}: ${a.reason ?? ''}`).join('; ')}`);
      return elapsed;
    };
    await once(1); // warm-up: image layers, page cache
    for (let i = 0; i < runs; i++) result.sandboxOne.push(await once(1));
    for (let i = 0; i < runs; i++) result.sandboxFour.push(await once(4));

    const gatewayImage = await buildStandInGatewayImage();
    const runId = newRunId();
    runIds.push(runId);
    const gateway = await startGateway(createDockerEngine({ runId }), {
      image: gatewayImage.ref,
      servers: ['ramparts'],
      runId,
      workDir: repo,
      logger: new RecordingLogger(),
      tempDir: scratch,
    });
    try {
      const runner = gatewayRampartsRunner(gateway);
      for (let i = 0; i < runs * 4 + 1; i++) {
        const started = performance.now();
        const [scan] = parseRampartsOutput((await runner.scan('https://poisoned.ramparts.test/mcp', { timeoutMs: 30_000 })).output).map(readRampartsResult);
        const { findings } = rampartsFindings({ name: 'p', configPath: '.mcp.json', line: 2 }, scan!);
        if (findings.length === 0) throw new Error('the recorded poisoned result gave no finding');
        if (i > 0) result.rampartsScan.push(performance.now() - started);
      }
    } finally {
      await gateway.close();
    }
    return result;
  } catch (error) {
    return { ...result, failure: getErrorMessage(error) };
  } finally {
    for (const runId of runIds) await cleanupRun(createDockerEngine(), runId, new RecordingLogger(), { timeoutMs: 20_000 }).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
}

export function printMcpLive(result: McpLiveBenchResult): void {
  say('[12] MCP audit live checks: stdio servers listed in the Docker sandbox; ramparts scans through the stand-in gateway');
  if ('skipped' in result) {
    say(`  skipped: ${result.skipped}`);
    return;
  }
  if (result.failure) say(`  FAILED: ${result.failure}`);
  const row = (label: string, values: number[], per: number): string[] =>
    values.length === 0 ? [label, 'not measured', '', ''] : [label, ms(median(values)), ms(median(values) / per), String(values.length)];
  say(
    table([
      ['what', 'median', 'per server / scan', 'runs'],
      row('1 stdio server, sandbox (container + lister + checks)', result.sandboxOne, 1),
      row('4 stdio servers, one sandbox run', result.sandboxFour, 4),
      row('ramparts scan via gateway (call + parse + findings)', result.rampartsScan, 1),
    ]).replace(/^/gm, '  '),
  );
}

export function mcpLiveSummaryRows(result: McpLiveBenchResult): string[][] {
  if ('skipped' in result) return [['MCP live checks', '-', `not measured (${result.skipped})`, 'info']];
  if (result.failure) return [['MCP live checks', '-', `FAILED: ${result.failure}`, 'info']];
  const per = (values: number[], n: number): string => (values.length === 0 ? 'not measured' : ms(median(values) / n));
  return [
    ['tool-description check per stdio server in the sandbox (4 in one run)', '-', per(result.sandboxFour, 4), 'info'],
    ['ramparts scan through the stand-in gateway', '-', per(result.rampartsScan, 1), 'info'],
  ];
}
