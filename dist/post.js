import { g as getState, A as ActionsLogger, r as readRunnerEnvironment, c as createOctokit, a as createPullRequestApi } from './chunks/context.js';
import { rm } from 'node:fs/promises';
import { S as STATE } from './chunks/table.js';
import { r as readActionInputs } from './chunks/load.js';
import { g as getErrorMessage } from './chunks/errors.js';
import { T as TOOL } from './chunks/types.js';
import { cleanupRun } from './chunks/cleanup.js';
import { tryCreateDockerEngine } from './chunks/docker-engine.js';

/**
 * The `post:` step runs even when the main step failed or was cancelled: it completes the check run the main step created and
 * left in progress (a required check would otherwise wait forever; it concludes `failure`: the review did not run fully), and
 * removes what the main step could not clean up itself — the containers, networks and volumes labelled with the run id, and the
 * run's temporary folder. It never fails the job.
 */
async function runPost(getState$1 = getState, options = {}) {
    const logger = options.logger ?? new ActionsLogger();
    const env = options.env ?? process.env;
    const checkRunId = Number(getState$1(STATE.checkRunId));
    if (Number.isSafeInteger(checkRunId) && checkRunId > 0 && getState$1(STATE.checkRunCompleted) !== 'true') {
        await completeAbandonedCheckRun(checkRunId, env, logger);
    }
    const runId = getState$1(STATE.runId);
    if (runId) {
        // The engine the main step used, even if DOCKER_HOST changed since.
        const dockerHost = getState$1(STATE.dockerHost);
        const attempt = tryCreateDockerEngine({ env: dockerHost ? { ...env, DOCKER_HOST: dockerHost } : env });
        if (attempt.engine)
            await cleanupRun(attempt.engine, runId, logger, { timeoutMs: 30_000 });
        else
            logger.warning(`Cleanup could not reach the Docker engine: ${attempt.problem}`);
    }
    const tempDir = getState$1(STATE.tempDir);
    if (!tempDir)
        return;
    try {
        await rm(tempDir, { recursive: true, force: true });
        logger.info(`Removed ${tempDir}.`);
    }
    catch (error) {
        logger.warning(`Cleanup could not remove ${tempDir}: ${getErrorMessage(error)}`);
    }
}
/** The check run a cancelled or crashed main step left in progress, completed as `failure` with a summary that says why. */
async function completeAbandonedCheckRun(checkRunId, env, logger) {
    const token = readActionInputs(env)['github-token'] ?? '';
    if (!token) {
        logger.warning(`Check run ${checkRunId} is still in progress, and there is no github-token to complete it with.`);
        return;
    }
    logger.mask(token);
    try {
        const runner = readRunnerEnvironment(env);
        const octokit = createOctokit({ token, baseUrl: runner.apiUrl, logger, userAgent: `${TOOL.name}/${TOOL.version}`, rateLimitBudgetSeconds: 30 });
        const api = createPullRequestApi(octokit, { ...runner.repository, pullNumber: 0 });
        await api.updateCheckRun(checkRunId, {
            status: 'completed',
            conclusion: 'failure',
            output: {
                title: 'Not fully reviewed: the review did not finish',
                summary: 'The main step of ultra-create stopped before it completed this check run (the job was cancelled, timed out or crashed). ' +
                    'The pull request was not fully reviewed: see the workflow log, and re-run the job.',
            },
        });
        logger.info(`Check run ${checkRunId} completed as failure: the main step did not finish the review.`);
    }
    catch (error) {
        logger.warning(`Could not complete check run ${checkRunId} left in progress: ${getErrorMessage(error)}`);
    }
}

await runPost().finally(() => process.exit());
