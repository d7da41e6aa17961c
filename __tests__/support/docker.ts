/**
 * Docker-backed tests: is there an engine, skip or fail when there is none, run labelled containers, remove what we started.
 *
 * - Without an engine (a contributor's laptop) Docker-backed tests SKIP and say why. With `ULTRA_CREATE_REQUIRE_DOCKER=1` (set by
 *   `.ci/run` after `.ci/docker-setup.sh`) they FAIL with the same reason instead: CI must never pass by skipping them.
 * - Everything a test creates carries `dev.ultra-create.test=1` plus a label of its own test process
 *   (`dev.ultra-create.test.session=<id>`), so a test file removes only what it started, never another file's containers.
 *
 * Talks to the engine through the `docker` CLI (present wherever an engine is: Debian's docker.io, Docker Desktop).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, test, type TestContext } from 'node:test';

/** On every image, container, network and volume the tests create. Containers also inherit it from our images. */
export const TEST_LABEL = 'dev.ultra-create.test';
/** Per test process: what `removeSessionResources` removes. */
export const SESSION_LABEL = 'dev.ultra-create.test.session';
/** This process's session id (random: two test files on one engine never share it). */
export const TEST_SESSION = `s${process.pid}-${randomBytes(4).toString('hex')}`;
/** The labels to put on whatever a test starts. */
export const TEST_LABELS: Readonly<Record<string, string>> = { [TEST_LABEL]: '1', [SESSION_LABEL]: TEST_SESSION };

export const REQUIRE_DOCKER_ENV = 'ULTRA_CREATE_REQUIRE_DOCKER';

export type DockerStatus = { ok: true } | { ok: false; reason: string };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Bytes for the process's standard input. */
  input?: string | Buffer;
  /** Kills the CLI (not the container: name it and remove it yourself) after this long; default 60 s. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs `docker ARGS`; never throws for a non-zero exit (see `code`), throws only when the CLI cannot run or times out. */
export function dockerCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'docker',
      args,
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 60_000, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          const why = error.killed ? `timed out after ${options.timeoutMs ?? 60_000} ms` : error.message;
          reject(new Error(`docker ${args.slice(0, 3).join(' ')}…: ${why}${stderr ? `\n${stderr.trim()}` : ''}`, { cause: error }));
          return;
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like `dockerCli`, but a non-zero exit throws with the CLI's own message. */
export async function docker(args: readonly string[], options: CliOptions = {}): Promise<string> {
  const result = await dockerCli(args, options);
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} exited ${result.code}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

let availability: Promise<DockerStatus> | undefined;

/** Whether a Docker engine answers `docker info` (asked once per process, within 15 s). */
export function dockerAvailable(): Promise<DockerStatus> {
  availability ??= (async (): Promise<DockerStatus> => {
    try {
      const result = await dockerCli(['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
      const version = result.stdout.trim();
      if (result.code === 0 && version && !version.includes('<no value>')) return { ok: true };
      const message = (result.stderr || result.stdout).trim().split('\n').filter(Boolean).pop() ?? `exit code ${result.code}`;
      return { ok: false, reason: `no Docker engine answers \`docker info\`: ${message}` };
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (code === 'ENOENT') return { ok: false, reason: 'the docker CLI is not installed (no `docker` on PATH)' };
      return { ok: false, reason: `no Docker engine answers \`docker info\`: ${(error as Error).message}` };
    }
  })();
  return availability;
}

export function dockerRequired(): boolean {
  return process.env[REQUIRE_DOCKER_ENV] === '1';
}

function unavailableMessage(reason: string): string {
  return `${REQUIRE_DOCKER_ENV}=1 but ${reason} (.ci/docker-setup.sh installs and starts an engine)`;
}

/**
 * At the top of a Docker-backed test: `if (!(await requireDocker(t))) return;`. Without an engine the test is skipped with the
 * reason (printed by the reporter), or fails with it when `ULTRA_CREATE_REQUIRE_DOCKER=1`.
 */
export async function requireDocker(t: TestContext): Promise<boolean> {
  const status = await dockerAvailable();
  if (status.ok) return true;
  if (dockerRequired()) assert.fail(unavailableMessage(status.reason));
  t.skip(`skipped: ${status.reason}`);
  return false;
}

/**
 * A suite whose tests need an engine. Without one, the suite holds a single test named after the problem, skipped with the reason
 * (or failing with it under `ULTRA_CREATE_REQUIRE_DOCKER=1`), and `fn` is not run at all — so its `before` hooks never touch Docker.
 */
export function describeDocker(name: string, fn: () => void | Promise<void>): void {
  describe(name, async () => {
    const status = await dockerAvailable();
    if (status.ok) {
      await fn();
      return;
    }
    if (dockerRequired()) {
      test('a Docker engine answers', () => assert.fail(unavailableMessage(status.reason)));
    } else {
      console.log(`# ${name}: skipped: ${status.reason}`);
      test('a Docker engine answers', { skip: status.reason }, () => undefined);
    }
  });
}

export interface RemovedResources {
  containers: string[];
  networks: string[];
  volumes: string[];
}

function assertOurLabel(label: string): void {
  const key = label.split('=')[0] ?? '';
  if (key !== TEST_LABEL && !key.startsWith(`${TEST_LABEL}.`)) {
    throw new Error(`removeByLabel removes only the tests' own objects (labels ${TEST_LABEL}[.*]); refusing '${label}'.`);
  }
}

const lines = (text: string): string[] => text.split('\n').map((line) => line.trim()).filter(Boolean);

/**
 * Removes the containers (forcibly, with their anonymous volumes), then networks, then volumes that carry `label` (`key` or
 * `key=value`). Only the tests' own labels are accepted. Never throws for an object that vanished meanwhile.
 *
 * Mind that containers inherit the labels of their image: `dev.ultra-create.test=1` matches every container started from a test
 * image, another test file's too — pass `${SESSION_LABEL}=${TEST_SESSION}` (or use `removeSessionResources`) in a test.
 */
export async function removeByLabel(label: string): Promise<RemovedResources> {
  assertOurLabel(label);
  const filter = `label=${label}`;
  const removed: RemovedResources = { containers: [], networks: [], volumes: [] };
  const containers = lines(await docker(['ps', '-aq', '--no-trunc', '--filter', filter]));
  if (containers.length) {
    await dockerCli(['rm', '-f', '-v', ...containers], { timeoutMs: 60_000 });
    removed.containers = containers;
  }
  const networks = lines(await docker(['network', 'ls', '-q', '--no-trunc', '--filter', filter]));
  for (const network of networks) {
    if ((await dockerCli(['network', 'rm', network])).code === 0) removed.networks.push(network);
  }
  const volumes = lines(await docker(['volume', 'ls', '-q', '--filter', filter]));
  for (const volume of volumes) {
    if ((await dockerCli(['volume', 'rm', '-f', volume])).code === 0) removed.volumes.push(volume);
  }
  return removed;
}

/** Removes what this test process started (its session label). */
export function removeSessionResources(): Promise<RemovedResources> {
  return removeByLabel(`${SESSION_LABEL}=${TEST_SESSION}`);
}

let exitCleanupRegistered = false;

/**
 * Safety net for a test process that ends without its `after` hooks (an assertion in a hook, a drained event loop): on exit, the
 * containers of this session are removed synchronously. Registered by the first container a test starts.
 */
function registerExitCleanup(): void {
  if (exitCleanupRegistered) return;
  exitCleanupRegistered = true;
  process.once('exit', () => {
    try {
      const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${TEST_SESSION}`], { encoding: 'utf8', timeout: 10_000 })
        .split('\n')
        .filter(Boolean);
      if (ids.length) execFileSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore', timeout: 20_000 });
    } catch {
      // best effort: the engine may be gone
    }
  });
}

// ── containers ───────────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface ContainerOptions {
  image: string;
  /** Arguments after the image (the entrypoint's arguments). */
  args?: readonly string[];
  env?: Record<string, string>;
  /** `host:container[:ro]` pairs; read-only unless `readOnly: false`. */
  binds?: readonly { hostPath: string; containerPath: string; readOnly?: boolean }[];
  /** Container ports (tcp) to publish on 127.0.0.1 only, each on an ephemeral host port. */
  publish?: readonly number[];
  /** Extra labels (the test labels are always added). */
  labels?: Record<string, string>;
  entrypoint?: string;
  name?: string;
  /** Further `docker run` options, e.g. `['--network', 'none']`. */
  runOptions?: readonly string[];
}

export interface TestContainer {
  id: string;
  name: string;
  /** Container port → `http://127.0.0.1:<hostPort>`. */
  urls: Record<number, string>;
  logs(): Promise<string>;
  /** Exit code once the container stopped (waits for it). */
  wait(timeoutMs?: number): Promise<number>;
  running(): Promise<boolean>;
  remove(): Promise<void>;
}

function runArgs(options: ContainerOptions, name: string): string[] {
  const args = ['--name', name];
  for (const [key, value] of Object.entries({ ...options.labels, ...TEST_LABELS })) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
  for (const bind of options.binds ?? []) args.push('--volume', `${bind.hostPath}:${bind.containerPath}${bind.readOnly === false ? '' : ':ro'}`);
  for (const port of options.publish ?? []) args.push('--publish', `127.0.0.1::${port}`);
  if (options.entrypoint) args.push('--entrypoint', options.entrypoint);
  args.push(...(options.runOptions ?? []), options.image, ...(options.args ?? []));
  return args;
}

function containerName(options: ContainerOptions): string {
  return options.name ?? `uc-test-${TEST_SESSION}-${randomBytes(3).toString('hex')}`;
}

/** `docker run -d`: a labelled container, its ports published on 127.0.0.1 only. */
export async function startContainer(options: ContainerOptions): Promise<TestContainer> {
  const name = containerName(options);
  registerExitCleanup();
  const id = (await docker(['run', '-d', ...runArgs(options, name)], { timeoutMs: 60_000 })).trim();
  const urls: Record<number, string> = {};
  for (const port of options.publish ?? []) {
    const mapping = lines(await docker(['port', id, `${port}/tcp`])).find((line) => line.startsWith('127.0.0.1:'));
    if (!mapping) throw new Error(`container ${name} publishes no 127.0.0.1 port for ${port}/tcp`);
    urls[port] = `http://${mapping}`;
  }
  return {
    id,
    name,
    urls,
    async logs() {
      const result = await dockerCli(['logs', id]);
      return result.stdout + result.stderr;
    },
    async wait(timeoutMs = 30_000) {
      const result = await dockerCli(['wait', id], { timeoutMs });
      if (result.code !== 0) throw new Error(`docker wait ${name}: ${result.stderr.trim()}`);
      return Number(result.stdout.trim());
    },
    async running() {
      const result = await dockerCli(['inspect', '--format', '{{.State.Running}}', id]);
      return result.code === 0 && result.stdout.trim() === 'true';
    },
    async remove() {
      await dockerCli(['rm', '-f', '-v', id]);
    },
  };
}

/** `docker run` in the foreground until the container exits (removed afterwards): its exit code and output. */
export async function runToExit(options: ContainerOptions & { timeoutMs?: number }): Promise<CliResult> {
  const name = containerName(options);
  registerExitCleanup();
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn('docker', ['run', '--rm', ...runArgs(options, name)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      void dockerCli(['rm', '-f', name]).finally(() => reject(new Error(`container ${name} still ran after ${timeoutMs} ms:\n${stdout}${stderr}`)));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
