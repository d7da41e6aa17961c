/**
 * The end-to-end run once more, with the MCP gateway on: the committed dist/ starts the gateway image through the real Docker
 * engine (the stand-in image built by the tests: only the image reference differs from production), runs the repository's
 * ast-grep.patterns through its ast-grep tool, publishes, and leaves no container, network or volume of its run behind. Then the
 * post step after a crash.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';
import { describeDocker, docker } from './support/docker.js';
import { buildStandInGatewayImage } from './support/images.js';
import { assertDistBuilt, checkoutWorkspace, DIST_POST, runDist } from './support/run-dist.js';

const OWNER = 'octo-org';
const REPO = 'gateway-shop';
const PULL = 9;
const TOKEN = 'ghs_gatewayE2eToken0123456789abcdef01';
const RUN_LABEL = 'dev.ultra-create.run';

const CONFIG = [
  'fail-on: none',
  'ast-grep:',
  '  patterns:',
  '    - id: no-console-error',
  '      pattern: console.error($$$ARGS)',
  '      language: typescript',
  '      message: console.error left in code; use the logger',
  '      severity: low',
  '',
].join('\n');

async function labelled(kind: 'ps' | 'network ls' | 'volume ls', runId: string): Promise<string[]> {
  const args = kind === 'ps' ? ['ps', '-aq'] : [...kind.split(' '), '-q'];
  const out = await docker([...args, '--filter', `label=${RUN_LABEL}=${runId}`]);
  return out.split('\n').filter(Boolean);
}

describeDocker('the action from dist/ with the MCP gateway on', () => {
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;
  let image: string;

  before(async () => {
    assertDistBuilt();
    image = (await buildStandInGatewayImage()).ref;
    fixture = await createPullRequestFixture(
      {
        base: { '.github/ultra-create.yml': CONFIG, 'src/app.ts': 'export const a = 1;\n' },
        head: {
          'src/app.ts': ['export const a = 1;', 'export function fail(e: Error) {', '  console.error("failed", e);', '}', ''].join('\n'),
        },
      },
      { owner: OWNER, repo: REPO },
    );
    sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN });
  });

  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  test('a pattern from the config file is found through the gateway, commented, and every container is removed', async () => {
    const workspace = await checkoutWorkspace(fixture);
    const run = await runDist({
      simUrl: sim.url,
      token: TOKEN,
      fixture,
      pullNumber: PULL,
      workspace,
      inputs: { 'mcp-gateway': 'on', 'mcp-gateway-image': image, 'mcp-servers': 'ast-grep' },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /MCP gateway/);
    const comments = sim.state.reviewComments;
    assert.equal(comments.length, 1, run.stdout);
    assert.equal(comments[0]!.path, 'src/app.ts');
    assert.equal(comments[0]!.line, 3);
    assert.match(comments[0]!.body, /pattern\/no-console-error/);
    assert.match(sim.state.checkRuns[0]!.output.summary ?? '', /mcp-pattern/);
    assert.deepEqual(sim.violations, []);

    const runId = run.state['run-id'];
    assert.ok(runId, 'the run id is saved for the post step');
    assert.equal(run.state['main-completed'], 'true');
    for (const kind of ['ps', 'network ls', 'volume ls'] as const) assert.deepEqual(await labelled(kind, runId), [], kind);
  });

  test('the post step removes what a crashed main step left behind', async () => {
    const runId = `crash${Date.now().toString(36)}`;
    // What a main step killed mid-scan leaves: a labelled container, network and volume (started from the same image).
    await docker(['network', 'create', '--label', `${RUN_LABEL}=${runId}`, `uc-crash-${runId}`]);
    await docker(['volume', 'create', '--label', `${RUN_LABEL}=${runId}`, `uc-crash-${runId}`]);
    await docker(['run', '-d', '--label', `${RUN_LABEL}=${runId}`, '--network', `uc-crash-${runId}`, '--entrypoint', '/bin/sleep', image, '300']);
    assert.equal((await labelled('ps', runId)).length, 1);

    const workspace = await checkoutWorkspace(fixture);
    // The runner hands the main step's saved state to the post step as STATE_<name> variables.
    const post = await runDist({
      simUrl: sim.url,
      token: TOKEN,
      fixture,
      pullNumber: PULL,
      workspace,
      script: DIST_POST,
      env: { 'STATE_run-id': runId, 'STATE_docker-host': 'unix:///var/run/docker.sock' },
    });
    assert.equal(post.exitCode, 0, post.stdout + post.stderr);
    for (const kind of ['ps', 'network ls', 'volume ls'] as const) assert.deepEqual(await labelled(kind, runId), [], kind);
  });
});
