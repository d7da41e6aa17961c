/**
 * The MCP audit's ramparts path end to end from dist/: a pull request adds remote MCP servers to `.mcp.json`; the action starts the
 * gateway image (the stand-in built by the tests, whose `ramparts` server answers ramparts' JSON by host: a clean result, a poisoned
 * one, `Failed`, `Timeout`, and one without the rules summary), scans the servers `mcp-audit-allow-hosts` lets it contact, refuses
 * the others, and reports every server's status and the findings at the server entries' lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';
import { describeDocker } from './support/docker.js';
import { buildStandInGatewayImage } from './support/images.js';
import { assertDistBuilt, checkoutWorkspace, runDist } from './support/run-dist.js';

const OWNER = 'octo-org';
const REPO = 'mcp-shop';
const PULL = 13;
const TOKEN = 'ghs_mcpRampartsE2eToken0123456789abcdef';

const MCP_JSON = `{
  "mcpServers": {
    "clean": { "type": "http", "url": "https://clean.ramparts.test/mcp" },
    "poisoned": { "type": "http", "url": "https://poisoned.ramparts.test/mcp" },
    "failed": { "type": "http", "url": "https://failed.ramparts.test/mcp" },
    "timeout": { "type": "http", "url": "https://timeout.ramparts.test/mcp" },
    "no-rules": { "type": "http", "url": "https://no-rules.ramparts.test/mcp" },
    "metadata": { "type": "http", "url": "https://169.254.169.254/latest" },
    "plain-http": { "type": "http", "url": "http://clean.ramparts.test/mcp" }
  }
}
`;

describeDocker('the ramparts path from dist/ through the stand-in gateway', () => {
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;
  let image: string;

  before(async () => {
    assertDistBuilt();
    image = (await buildStandInGatewayImage()).ref;
    fixture = await createPullRequestFixture(
      { base: { '.github/ultra-create.yml': 'fail-on: none\n', 'README.md': 'shop\n' }, head: { '.mcp.json': MCP_JSON } },
      { owner: OWNER, repo: REPO },
    );
    sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN });
  });

  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  test('every remote server gets a status with its reason; the poisoned one gets findings at its entry line', { timeout: 300_000 }, async () => {
    const workspace = await checkoutWorkspace(fixture);
    const started = Date.now();
    const run = await runDist({
      simUrl: sim.url,
      token: TOKEN,
      fixture,
      pullNumber: PULL,
      workspace,
      inputs: {
        scanners: 'ramparts',
        'mcp-gateway': 'on',
        'mcp-gateway-image': image,
        'mcp-servers': 'ramparts',
        'mcp-audit-allow-hosts': '*.ramparts.test',
        'local-model': 'off',
      },
    });
    console.log(`# action run with 5 ramparts scans through the stand-in gateway: ${Date.now() - started} ms`);
    // A failed, timed-out or rule-less scan is never clean: with fail-on-scan-error (the default) the step fails and says why.
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /not fully reviewed \(fail-on-scan-error\): 3 MCP servers failed or degraded in ramparts \(failed, timeout, no-rules\)/);
    const summary = sim.state.checkRuns[0]!.output.summary ?? '';
    const row = (server: string): string => summary.split('\n').find((line) => line.startsWith(`| \`${server}\``)) ?? '';
    assert.match(row('clean'), /ramparts \| ✅ scanned/, summary);
    assert.match(row('poisoned'), /ramparts \| ✅ scanned/);
    assert.match(row('failed'), /❌ failed \| ramparts: the scan failed: MCP initialize returned HTTP 500/);
    assert.match(row('timeout'), /❌ failed \| ramparts: the scan timed out/);
    assert.match(row('no-rules'), /⚠️ degraded \| rules not loaded/);
    assert.match(row('metadata'), /not-scanned \| not contacted: 169\.254\.169\.254 is a link-local/);
    assert.match(row('plain-http'), /not-scanned \| not contacted: only `https:\/\/` servers are contacted \(this one is http\)/);

    const sarif = JSON.parse(readFileSync(run.outputs['sarif-file']!, 'utf8')) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    const poisonedLine = MCP_JSON.split('\n').findIndex((line) => line.includes('"poisoned"')) + 1;
    const live = sarif.runs[0]!.results.filter((r) => r.ruleId.startsWith('mcp/ramparts-') || r.ruleId.startsWith('mcp/tool-'));
    const ids = [...new Set(live.map((r) => r.ruleId))].sort();
    assert.deepEqual(ids, [
      'mcp/ramparts-llm-tool-poisoning',
      'mcp/ramparts-prompt-injection-signature',
      'mcp/ramparts-ssh-key-exposure',
      'mcp/tool-exfiltration-parameter',
      'mcp/tool-hidden-instructions',
      'mcp/tool-sensitive-path',
    ]);
    for (const result of live) {
      assert.equal(result.locations[0]!.physicalLocation.artifactLocation.uri, '.mcp.json');
      assert.equal(result.locations[0]!.physicalLocation.region.startLine, poisonedLine);
    }
    assert.deepEqual(sim.violations, []);
  });
});
