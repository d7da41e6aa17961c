/**
 * Hostile files in the runner's checkout, end to end from dist/ against the GitHub simulator: a file the pull request makes a
 * symlink to /dev/zero (what git checks out for a symlink entry), a FIFO an earlier step left where a reviewed file should be, and
 * files far over the size cap. The action must read none of them from disk (git's bytes or a skip instead), stay within a bounded
 * memory, finish, and say what it did not review instead of "No findings".
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPullRequestFixture, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';
import { assertDistBuilt, checkoutWorkspace, runDist } from './support/run-dist.js';

const OWNER = 'octo-org';
const REPO = 'hostile-files';
const PULL = 31;
const TOKEN = 'ghs_hostileFilesToken0123456789abcdef0';
const BIG_BYTES = 48 * 1024 * 1024;

/** A big file that differs from its base by one line in the middle. */
function big(seed: string, changed: boolean): Buffer {
  const line = Buffer.from(`const filler_${seed} = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';\n`);
  const count = Math.ceil(BIG_BYTES / line.length);
  const buffer = Buffer.alloc(count * line.length);
  for (let i = 0; i < count; i++) line.copy(buffer, i * line.length);
  if (changed) Buffer.from('eval(x)').copy(buffer, Math.floor(count / 2) * line.length);
  return buffer;
}

describe('hostile files in the checkout, from dist/', () => {
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;

  before(
    async () => {
      assertDistBuilt();
      fixture = await createPullRequestFixture(
        {
          base: { 'src/app.js': 'export const a = 1;\n', 'data.js': 'export const d = 1;\n', 'pipe.js': 'export const p = 1;\n', 'big-a.js': big('a', false), 'big-b.js': big('b', false) },
          head: {
            'src/app.js': 'export const a = 1;\nexport function run(code) {\n  return eval(code);\n}\n',
            'data.js': 'export const d = 2;\n',
            'pipe.js': 'export const p = 2;\n',
            'big-a.js': big('a', true),
            'big-b.js': big('b', true),
          },
        },
        { owner: OWNER, repo: REPO },
      );
      sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN });
    },
    { timeout: 300_000 },
  );

  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  test('a symlink to /dev/zero, a FIFO and two 48 MB files: nothing read from disk through them, memory bounded, the run ends and says what it skipped', { timeout: 180_000 }, async () => {
    const workspace = await checkoutWorkspace(fixture);
    // What git checks out for a symlink entry, and what an earlier step may leave: neither may be read by the action.
    await rm(join(workspace, 'data.js'));
    await symlink('/dev/zero', join(workspace, 'data.js'));
    await rm(join(workspace, 'pipe.js'));
    execFileSync('mkfifo', [join(workspace, 'pipe.js')]);

    const started = Date.now();
    const run = await runDist({ simUrl: sim.url, token: TOKEN, fixture, pullNumber: PULL, workspace, inputs: { 'local-model': 'off', 'fail-on': 'none' } });
    const elapsed = Date.now() - started;
    const output = run.stdout + run.stderr;
    assert.ok(elapsed < 120_000, `the run took ${elapsed} ms`);
    // Two files over the size cap were not reviewed: the review is not "success / No findings".
    assert.equal(run.exitCode, 1, output);
    assert.deepEqual(sim.violations, []);
    const checkRun = sim.state.checkRuns[0]!;
    assert.equal(checkRun.status, 'completed');
    assert.equal(checkRun.conclusion, 'failure');
    assert.match(checkRun.output.title ?? '', /not fully reviewed/);
    assert.match(checkRun.output.summary ?? '', /big-a\.js/);
    // The eval in a reviewable file is found; data.js and pipe.js were reviewed from git's bytes (their head content).
    assert.ok(checkRun.annotations.some((a) => a.path === 'src/app.js' && a.start_line === 3), JSON.stringify(checkRun.annotations));
    assert.ok(!/big-[ab]\.js/.test(checkRun.annotations.map((a) => a.path).join(' ')), 'the big files were not scanned');
    // Neither /dev/zero nor the 2 × 48 MB were read into memory (a whole read of the big files alone is 96 MB more).
    if (run.peakRssKb > 0) assert.ok(run.peakRssKb < 200 * 1024, `peak RSS ${Math.round(run.peakRssKb / 1024)} MB`);
  });
});
