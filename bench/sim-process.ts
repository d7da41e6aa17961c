/**
 * Child process of the bench: builds the synthetic pull request as a real git repository and serves it with the GitHub simulator
 * (rate limits off), then answers the bench's questions about what the action sent. Started with `fork` (IPC channel).
 */
import { createPullRequestFixture } from '../__tests__/support/git-fixture.js';
import { startGitHubSimulator } from '../__tests__/support/github-simulator.js';
import { OWNER, PULL_NUMBER, REPO, TOKEN, type FromSimulator, type RequestSummary, type ToSimulator } from './sim-protocol.js';
import { planSyntheticPr } from './synthetic-pr.js';

function send(message: FromSimulator): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const seed = Number(process.argv[2] ?? '20240101');
  let started = performance.now();
  const plan = planSyntheticPr({ seed });
  const planMs = performance.now() - started;

  started = performance.now();
  const fixture = await createPullRequestFixture(plan.spec, { owner: OWNER, repo: REPO });
  const fixtureMs = performance.now() - started;

  started = performance.now();
  const sim = await startGitHubSimulator({
    owner: OWNER,
    repo: REPO,
    pullNumber: PULL_NUMBER,
    fixture,
    token: TOKEN,
    // Off for the bench: a 3,000-file PR makes ~40 requests, far below both limits, but retries after a limit would distort times.
    primaryRateLimit: false,
    secondaryRateLimit: false,
    validateResponses: false,
  });
  // One request first: the simulator compiles GitHub's schemas lazily, and that is no part of the action's Configuration stage.
  await fetch(`${sim.url}/repos/${OWNER}/${REPO}/pulls/${PULL_NUMBER}/files?per_page=1`, { headers: { authorization: `token ${TOKEN}` } });
  sim.requests.length = 0;
  const simulatorMs = performance.now() - started;

  const shutdown = (): void => {
    void sim
      .close()
      .then(() => fixture.cleanup())
      .finally(() => process.exit(0));
  };
  // The bench crashed or was interrupted: do not leave a server and a repository behind.
  process.on('disconnect', shutdown);
  process.on('message', (raw: unknown) => {
    const message = raw as ToSimulator;
    if (message.type === 'state') {
      const requests: RequestSummary[] = sim.requests.map((r) => {
        const body = (r.body ?? {}) as { output?: { annotations?: unknown[] }; comments?: unknown[] };
        const summary: RequestSummary = { method: r.method, route: r.template ?? r.path, status: r.status };
        if (r.detail && r.status >= 400) summary.detail = r.detail;
        if (r.operationId === 'checks/create' || r.operationId === 'checks/update') summary.annotations = body.output?.annotations?.length ?? 0;
        if (r.operationId === 'pulls/create-review') summary.comments = body.comments?.length ?? 0;
        return summary;
      });
      send({
        type: 'state',
        requests,
        violations: sim.violations.map((v) => ({ kind: v.kind, method: v.method, path: v.path, messages: v.messages })),
        reviews: sim.state.reviews.map((r) => ({
          id: r.id,
          state: r.state,
          comments: sim.state.reviewComments.filter((c) => c.reviewId === r.id).length,
        })),
        checkRuns: sim.state.checkRuns.map((c) => ({
          id: c.id,
          status: c.status,
          conclusion: c.conclusion,
          annotations: c.annotations.length,
          batches: c.annotationBatches,
        })),
      });
    } else {
      // 'close', the other kind of message the bench sends
      shutdown();
    }
  });

  send({
    type: 'ready',
    url: sim.url,
    fixture: {
      dir: fixture.dir,
      owner: fixture.owner,
      repo: fixture.repo,
      baseRef: fixture.baseRef,
      headRef: fixture.headRef,
      baseSha: fixture.baseSha,
      headSha: fixture.headSha,
    },
    files: fixture.files,
    counts: plan.counts,
    triggersInAddedCode: plan.triggersInAddedCode,
    triggersInUnchangedCode: plan.triggersInUnchangedCode,
    timings: { planMs, fixtureMs, simulatorMs },
  });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
