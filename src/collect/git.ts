import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { ExternalServiceError } from '../errors.js';

/**
 * Thin wrappers over the git CLI. Git only ever reads here: no hooks, no filters, no pager, no external diff driver — the repository
 * may be a pull request's checkout, and its config must not run anything.
 */
const SAFE_GIT_ARGS = ['--no-pager', '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];
const SAFE_GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };

/** git with the safe arguments and environment above; for callers that stream its output (`git archive`). */
export function spawnGit(cwd: string, args: readonly string[]) {
  return spawn('git', [...SAFE_GIT_ARGS, ...args], { cwd, env: { ...process.env, ...SAFE_GIT_ENV }, stdio: ['pipe', 'pipe', 'pipe'] });
}

export async function runGit(cwd: string, args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new ExternalServiceError(`git could not start: ${error.message}`, 'git')));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else {
        const stderr = Buffer.concat(err).toString('utf8').trim();
        reject(new ExternalServiceError(`git ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${stderr}`, 'git', code ?? undefined));
      }
    });
    // git may exit before reading its input (not a repository, bad arguments): the exit code reports that; an EPIPE on stdin
    // must not become an uncaught exception.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export async function gitText(cwd: string, args: string[], input?: Buffer): Promise<string> {
  return (await runGit(cwd, args, input)).toString('utf8');
}

/** Reads many objects with one `git cat-file --batch`; missing objects are absent from the map. */
export async function readObjects(cwd: string, shas: readonly string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  if (shas.length === 0) return result;
  const unique = [...new Set(shas)];
  const output = await runGit(cwd, ['cat-file', '--batch'], Buffer.from(unique.join('\n') + '\n'));
  let offset = 0;
  for (const sha of unique) {
    const newline = output.indexOf(0x0a, offset);
    if (newline === -1) break;
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    // "<sha> <type> <size>" or "<name> missing"
    const parts = header.split(' ');
    if (parts[1] === 'missing' || parts.length < 3) continue;
    const size = Number(parts[2]);
    result.set(sha, output.subarray(offset, offset + size));
    offset += size + 1;
  }
  return result;
}

/** Sizes of many objects with one `git cat-file --batch-check`, without reading them; missing objects are absent. */
export async function readObjectSizes(cwd: string, shas: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (shas.length === 0) return result;
  const unique = [...new Set(shas)];
  const output = await gitText(cwd, ['cat-file', '--batch-check'], Buffer.from(unique.join('\n') + '\n'));
  for (const line of output.split('\n')) {
    // "<sha> <type> <size>" or "<name> missing"
    const [sha, type, size] = line.split(' ');
    if (sha && type && type !== 'missing' && size !== undefined) result.set(sha, Number(size));
  }
  return result;
}

/** The sha git gives a blob with this content; compares a checked-out file with the head commit without git. */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
