import * as core from '@actions/core';
import { rm } from 'node:fs/promises';
import { STATE } from './config/inputs.js';
import { getErrorMessage } from './errors.js';

/**
 * The `post:` step runs even when the main step failed or was cancelled: it removes what the main step created and could not clean
 * up itself. It never fails the job.
 */
export async function runPost(getState: (name: string) => string = core.getState): Promise<void> {
  const tempDir = getState(STATE.tempDir);
  if (!tempDir) return;
  try {
    await rm(tempDir, { recursive: true, force: true });
    core.info(`Removed ${tempDir}.`);
  } catch (error) {
    core.warning(`Cleanup could not remove ${tempDir}: ${getErrorMessage(error)}`);
  }
}
