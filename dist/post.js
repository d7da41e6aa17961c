import { g as getState, A as ActionsLogger } from './chunks/logger.js';
import { rm } from 'node:fs/promises';
import { S as STATE } from './chunks/inputs.js';
import { g as getErrorMessage } from './chunks/errors.js';
import { cleanupRun } from './chunks/cleanup.js';
import { tryCreateDockerEngine } from './chunks/docker-engine.js';

/**
 * The `post:` step runs even when the main step failed or was cancelled: it removes what the main step created and could not clean
 * up itself — the containers, networks and volumes labelled with the run id, and the run's temporary folder. It never fails the job.
 */
async function runPost(getState$1 = getState, options = {}) {
    const logger = options.logger ?? new ActionsLogger();
    const env = options.env ?? process.env;
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

await runPost().finally(() => process.exit());
