import { k as getState, i as info, w as warning } from './chunks/core.js';
import { rm } from 'node:fs/promises';
import { S as STATE, g as getErrorMessage } from './chunks/inputs.js';
import 'os';
import 'crypto';
import 'fs';
import 'path';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'child_process';
import 'timers';

/**
 * The `post:` step runs even when the main step failed or was cancelled: it removes what the main step created and could not clean
 * up itself. It never fails the job.
 */
async function runPost(getState$1 = getState) {
    const tempDir = getState$1(STATE.tempDir);
    if (!tempDir)
        return;
    try {
        await rm(tempDir, { recursive: true, force: true });
        info(`Removed ${tempDir}.`);
    }
    catch (error) {
        warning(`Cleanup could not remove ${tempDir}: ${getErrorMessage(error)}`);
    }
}

await runPost().finally(() => process.exit());
