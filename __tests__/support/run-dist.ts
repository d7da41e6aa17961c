/**
 * Runs the committed bundle (`dist/index.js`, `dist/post.js`) exactly as the Actions runner does: a fresh node process with the
 * runner's environment variables, an event payload file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files and INPUT_* vars
 * for every input of action.yml (with its default, as the runner passes them).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { PullRequestFixture } from './git-fixture.js';
import { git } from './git-fixture.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_INDEX = join(REPO_ROOT, 'dist', 'index.js');
export const DIST_POST = join(REPO_ROOT, 'dist', 'post.js');

export function assertDistBuilt(): void {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} is missing: run \`npm run build\` first.`);
}

export interface DistRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  runnerTemp: string;
  /** Peak resident memory of the step's process, in KiB (sampled from /proc every 20 ms; 0 where there is no /proc). */
  peakRssKb: number;
}

/** Defaults exactly as GitHub would expand them from action.yml. */
function actionDefaults(token: string, runnerTemp: string): Record<string, string> {
  const action = parseYaml(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    defaults[name] = (spec.default ?? '').replace('${{ github.token }}', token).replace('${{ runner.temp }}', runnerTemp);
  }
  return defaults;
}

/** Reads the `name<<DELIMITER … DELIMITER` blocks that @actions/core writes to GITHUB_OUTPUT and GITHUB_STATE. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
    values[name!] = body.join('\n');
  }
  return values;
}

export interface RunOptions {
  simUrl: string;
  token: string;
  fixture: PullRequestFixture;
  pullNumber: number;
  /** The runner's checkout; defaults to a clone checked out at the PR head. */
  workspace: string;
  inputs?: Record<string, string>;
  eventName?: string;
  fork?: boolean;
  runId?: string;
  script?: string;
  /** Extra environment (e.g. GITHUB_STATE of an earlier main step for the post step). */
  env?: Record<string, string>;
  runnerTemp?: string;
}

export async function runDist(options: RunOptions): Promise<DistRun> {
  const runnerTemp = options.runnerTemp ?? (await mkdtemp(join(tmpdir(), 'uc-runner-')));
  const files = join(runnerTemp, '_runner_files');
  await mkdir(files, { recursive: true });
  const eventPath = join(files, 'event.json');
  const outputPath = join(files, 'output.txt');
  const summaryPath = join(files, 'summary.md');
  const statePath = options.env?.GITHUB_STATE ?? join(files, 'state.txt');
  const { fixture } = options;
  const headOwner = options.fork ? 'fork-contributor' : fixture.owner;
  await writeFile(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: options.pullNumber,
      pull_request: {
        number: options.pullNumber,
        title: 'Add features',
        draft: false,
        head: { sha: fixture.headSha, ref: fixture.headRef, repo: { full_name: `${headOwner}/${fixture.repo}` } },
        base: { sha: fixture.baseSha, ref: fixture.baseRef, repo: { full_name: `${fixture.owner}/${fixture.repo}` } },
      },
      repository: { full_name: `${fixture.owner}/${fixture.repo}` },
    }),
  );
  for (const path of [outputPath, summaryPath]) await writeFile(path, '');
  if (!existsSync(statePath)) await writeFile(statePath, '');

  const inputs = { ...actionDefaults(options.token, runnerTemp), ...(options.inputs ?? {}) };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: options.simUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: `${fixture.owner}/${fixture.repo}`,
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    // On pull_request events GITHUB_SHA is the test merge commit, not the head.
    GITHUB_SHA: 'f'.repeat(40),
    GITHUB_REF: `refs/pull/${options.pullNumber}/merge`,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_STATE: statePath,
    GITHUB_RUN_ID: options.runId ?? String(Math.floor(Math.random() * 1e9)),
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(tmpdir(), 'uc-tool-cache'),
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  let peakRssKb = 0;
  const { exitCode, stdout, stderr } = await new Promise<{ exitCode: number; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, [options.script ?? DIST_INDEX], { cwd: options.workspace, env });
    // The process's high-water mark of resident memory, read from /proc while it runs (Linux; 0 elsewhere).
    const sampler = setInterval(() => {
      try {
        const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        if (kb > peakRssKb) peakRssKb = kb;
      } catch {
        // exited between two samples
      }
    }, 20);
    child.on('close', () => clearInterval(sampler));
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('close', (code) => done({ exitCode: code ?? -1, stdout: out, stderr: err }));
  });
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseCommandFile(await readFile(outputPath, 'utf8')),
    state: parseCommandFile(await readFile(statePath, 'utf8').catch(() => '')),
    summary: await readFile(summaryPath, 'utf8'),
    runnerTemp,
    peakRssKb,
  };
}

/** A checkout of the fixture like actions/checkout leaves it: a working tree at `ref` (the head by default). */
export async function checkoutWorkspace(fixture: PullRequestFixture, ref = fixture.headSha): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'uc-workspace-'));
  await git(workspace, ['clone', '--quiet', '--no-checkout', fixture.dir, '.']);
  await git(workspace, ['checkout', '--quiet', '--detach', ref]);
  return workspace;
}
