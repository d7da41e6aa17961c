import * as core from '@actions/core';
import { rm } from 'node:fs/promises';
import { ActionsLogger } from './logger.js';
import { STATE } from '../config/inputs.js';
import { getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { cleanupRun } from '../runtime/cleanup.js';
import { tryCreateDockerEngine } from '../runtime/docker-engine.js';

/**
 * The `post:` step runs even when the main step failed or was cancelled: it removes what the main step created and could not clean
 * up itself — the containers, networks and volumes labelled with the run id, and the run's temporary folder. It never fails the job.
 */
export async function runPost(
  getState: (name: string) => string = core.getState,
  options: { logger?: Logger; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  const logger = options.logger ?? new ActionsLogger();
  const env = options.env ?? process.env;
  const runId = getState(STATE.runId);
  if (runId) {
    // The engine the main step used, even if DOCKER_HOST changed since.
    const dockerHost = getState(STATE.dockerHost);
    const attempt = tryCreateDockerEngine({ env: dockerHost ? { ...env, DOCKER_HOST: dockerHost } : env });
    if (attempt.engine) await cleanupRun(attempt.engine, runId, logger, { timeoutMs: 30_000 });
    else logger.warning(`Cleanup could not reach the Docker engine: ${attempt.problem}`);
  }
  const tempDir = getState(STATE.tempDir);
  if (!tempDir) return;
  try {
    await rm(tempDir, { recursive: true, force: true });
    logger.info(`Removed ${tempDir}.`);
  } catch (error) {
    logger.warning(`Cleanup could not remove ${tempDir}: ${getErrorMessage(error)}`);
  }
}
