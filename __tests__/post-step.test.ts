/**
 * The `post:` step: it removes the run's temp folder that the main step recorded in the action state, also when the main step
 * crashed before its own cleanup, and it never fails the job.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runAction, type ActionDeps } from '../src/action/main-step.js';
import { STATE } from '../src/config/inputs.js';
import type { PullRequestApi } from '../src/github/api.js';
import { RecordingLogger } from './support/recording-logger.js';
import { runPost } from '../src/action/post-step.js';
import { stub } from './support/stub.js';

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'uc-post-step-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/**
 * What @actions/core prints (text lines on stdout) while `fn` runs. The test runner reports through stdout too, in binary chunks:
 * those pass through.
 */
async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const original = process.stdout.write.bind(process.stdout);
  let captured = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (typeof chunk !== 'string') return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    captured += chunk;
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  });
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return captured;
}

function stateOf(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? '';
}

/** A run folder as the main step leaves it: nested files, a read-only file, a dangling symlink. */
async function runFolder(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'head', 'src', 'deep'), { recursive: true });
  await writeFile(join(dir, 'head', 'src', 'deep', 'a.ts'), 'export {};\n');
  await writeFile(join(dir, 'readonly.txt'), 'x', { mode: 0o444 });
  return dir;
}

describe('runPost', () => {
  test('removes the temp folder recorded in the state, whatever it holds', async () => {
    const dir = await runFolder('recorded');
    const printed = await captureStdout(() => runPost(stateOf({ [STATE.tempDir]: dir })));
    assert.equal(existsSync(dir), false);
    assert.match(printed, /Removed .*recorded/);
  });

  test('after a main step that crashed past recording its folder: the post step removes what the main step left', async () => {
    const runnerTemp = await mkdtemp(join(root, 'runner-'));
    const eventPath = join(runnerTemp, 'event.json');
    await writeFile(
      eventPath,
      JSON.stringify({
        pull_request: { number: 3, head: { sha: 'b'.repeat(40), repo: { full_name: 'o/r' } }, base: { sha: 'a'.repeat(40), repo: { full_name: 'o/r' } } },
      }),
    );
    const state = new Map<string, string>();
    const failures: string[] = [];
    const api: Partial<PullRequestApi> = {
      readFile: async () => undefined,
      listFiles: async () => {
        throw new Error('boom: the main step dies here');
      },
    };
    const deps: ActionDeps = {
      env: {
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_WORKSPACE: runnerTemp,
        RUNNER_TEMP: runnerTemp,
        'INPUT_GITHUB-TOKEN': 'ghs_postStepToken',
        INPUT_SCANNERS: 'ast-grep',
      },
      logger: new RecordingLogger(),
      createApi: () => stub<PullRequestApi>('PullRequestApi', api),
      setOutput: () => undefined,
      writeSummary: async () => undefined,
      saveState: (name, value) => state.set(name, value),
      writeCommand: () => undefined,
      setFailed: (message) => failures.push(message),
    };
    await runAction(deps);
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /boom/);

    // The folder the main step recorded, under RUNNER_TEMP; recreate it as a main step killed before its `finally` leaves it.
    const recorded = state.get(STATE.tempDir);
    assert.ok(recorded, 'the main step recorded its temp folder for the post step');
    assert.equal(dirname(recorded), runnerTemp);
    await mkdir(join(recorded, 'head'), { recursive: true });
    await writeFile(join(recorded, 'head', 'left-over.ts'), 'x');

    await captureStdout(() => runPost((name) => state.get(name) ?? ''));
    assert.equal(existsSync(recorded), false);
    assert.equal(existsSync(runnerTemp), true, 'only the run’s own folder is removed');
  });

  test('does nothing when the main step recorded no folder', async () => {
    const printed = await captureStdout(() => runPost(stateOf({})));
    assert.equal(printed, '');
  });

  test('never throws when the folder is already gone', async () => {
    const dir = join(root, 'already-gone');
    const printed = await captureStdout(() => runPost(stateOf({ [STATE.tempDir]: dir })));
    assert.doesNotMatch(printed, /::error::/);
  });

  for (const [name, path] of [
    ['a path under a file (ENOTDIR)', () => join(root, 'plain-file', 'sub')],
    ['a path Node refuses (NUL byte)', () => join(root, 'bad\0name')],
  ] as const) {
    test(`never throws when the folder cannot be removed: ${name}; it warns instead`, async () => {
      await writeFile(join(root, 'plain-file'), 'x');
      const printed = await captureStdout(() => runPost(stateOf({ [STATE.tempDir]: path() })));
      assert.match(printed, /::warning::Cleanup could not remove/);
      assert.doesNotMatch(printed, /::error::/);
      assert.equal(process.exitCode ?? 0, 0, 'the job is not failed');
    });
  }
});
