/**
 * Real git repositories for pull request tests: a base commit and a head commit built with the git CLI, and the `pulls/files` list
 * GitHub would return for them, computed from git's own diff.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FileContent = string | Buffer;

export interface PullRequestFixtureSpec {
  /** Files of the base commit. */
  base: Record<string, FileContent>;
  /** Changes of the head commit: new content, or null to delete the file. Paths not listed keep their base content. */
  head: Record<string, FileContent | null>;
  /** Files moved in the head commit (old path → new path); `head[newPath]` may also give the moved file new content. */
  renames?: Record<string, string>;
}

export interface FixtureOptions {
  owner?: string;
  repo?: string;
  baseRef?: string;
  headRef?: string;
  /** GitHub omits `patch` for very large diffs: a file's patch longer than this (bytes) is left out. Default 1 MB. */
  maxPatchBytes?: number;
  /** Same, in lines. Default 20,000. */
  maxPatchLines?: number;
}

export type PullFileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';

/** One entry of `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`. */
export interface PullFile {
  sha: string | null;
  filename: string;
  status: PullFileStatus;
  additions: number;
  deletions: number;
  changes: number;
  blob_url: string;
  raw_url: string;
  contents_url: string;
  patch?: string;
  previous_filename?: string;
}

export interface GitTreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  /** Blobs only. */
  size?: number;
}

/** Read access to the fixture's git objects, for the contents / blobs / trees endpoints. Results are cached (objects never change). */
export interface GitRepoReader {
  /** The commit sha a ref (sha, branch, tag) names, or undefined. */
  resolveCommit(ref: string): Promise<string | undefined>;
  /** The type of an object given by full sha, or undefined when there is none. */
  objectType(sha: string): Promise<'blob' | 'tree' | 'commit' | 'tag' | undefined>;
  /** A blob's bytes by sha, or undefined when the sha is not a blob. */
  readBlob(sha: string): Promise<Buffer | undefined>;
  /** The entry at `path` in a commit (file, directory or submodule), or undefined. */
  entryAt(commit: string, path: string): Promise<GitTreeEntry | undefined>;
  /** The direct children of a directory in a commit (`''` is the root), with full paths, or undefined when it is no directory. */
  listDirectory(commit: string, path: string): Promise<GitTreeEntry[] | undefined>;
  /** A tree given by tree sha, commit sha or ref: its sha and entries (all of them with `recursive`, subtrees included). */
  listTree(treeish: string, recursive: boolean): Promise<{ sha: string; entries: GitTreeEntry[] } | undefined>;
  /** A file's content at a ref, or undefined when it does not exist there. */
  readFileAt(ref: string, path: string): Promise<Buffer | undefined>;
}

export interface PullRequestFixture {
  dir: string;
  owner: string;
  repo: string;
  baseRef: string;
  headRef: string;
  baseSha: string;
  headSha: string;
  /** What `pulls/files` returns, in git's order. */
  files: PullFile[];
  /** The whole unified diff base...head (what the `application/vnd.github.diff` media type returns). */
  diff: string;
  git: GitRepoReader;
  /** A new commit on the head branch (same repository); the returned fixture compares it with the same base. */
  push(changes: Record<string, FileContent | null>, renames?: Record<string, string>): Promise<PullRequestFixture>;
  /** Removes the repository (shared by every fixture pushed from it). */
  cleanup(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// git

const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  LC_ALL: 'C',
};
const GIT_ARGS = ['--no-pager', '-c', 'core.hooksPath=/dev/null', '-c', 'core.autocrlf=false', '-c', 'core.quotePath=false'];

/** Runs git in `dir` with no global or system configuration; resolves stdout, rejects with stderr on a non-zero exit. */
export function git(dir: string, args: readonly string[], options: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GIT_ARGS, ...args], {
      cwd: dir,
      env: { ...process.env, ...GIT_ENV, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.end(options.input);
  });
}

async function gitText(dir: string, args: readonly string[]): Promise<string> {
  return (await git(dir, args)).toString('utf8');
}

/** Refs and paths come from HTTP requests: never let one pass for an option. */
function safeRef(ref: string): boolean {
  return ref !== '' && !ref.startsWith('-') && !/[\0\n\r\s]/.test(ref) && !ref.includes('..');
}

function safePath(path: string): boolean {
  return !path.startsWith('/') && !path.includes('\0') && !path.split('/').some((part) => part === '..');
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Reader

function parseLsTree(output: Buffer): GitTreeEntry[] {
  const entries: GitTreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    if (record === '') continue;
    // "<mode> SP <type> SP <sha> SP+ <size> TAB <path>"
    const tab = record.indexOf('\t');
    const [mode = '', type = '', sha = '', size = '-'] = record.slice(0, tab).split(/ +/);
    const entry: GitTreeEntry = { path: record.slice(tab + 1), mode, type: type as GitTreeEntry['type'], sha };
    if (type === 'blob' && size !== '-') entry.size = Number(size);
    entries.push(entry);
  }
  return entries;
}

export function createGitReader(dir: string): GitRepoReader {
  const memo = new Map<string, Promise<unknown>>();
  const cached = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let promise = memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = compute();
      memo.set(key, promise);
    }
    return promise;
  };
  const isSha = (text: string): boolean => /^[0-9a-f]{40}$/.test(text);

  const reader: GitRepoReader = {
    async resolveCommit(ref) {
      if (!safeRef(ref)) return undefined;
      // Branch names can change (push): only full shas are cached.
      const compute = async (): Promise<string | undefined> => {
        try {
          return (await gitText(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || undefined;
        } catch {
          return undefined;
        }
      };
      return isSha(ref) ? cached(`commit ${ref}`, compute) : compute();
    },
    async objectType(sha) {
      if (!isSha(sha)) return undefined;
      return cached(`type ${sha}`, async () => {
        try {
          return (await gitText(dir, ['cat-file', '-t', sha])).trim() as 'blob' | 'tree' | 'commit' | 'tag';
        } catch {
          return undefined;
        }
      });
    },
    async readBlob(sha) {
      if ((await reader.objectType(sha)) !== 'blob') return undefined;
      return cached(`blob ${sha}`, () => git(dir, ['cat-file', 'blob', sha]));
    },
    async entryAt(commit, path) {
      if (!isSha(commit) || !safePath(path) || path === '') return undefined;
      const clean = path.replace(/\/+$/, '');
      return cached(`entry ${commit} ${clean}`, async () => {
        const entries = parseLsTree(await git(dir, ['ls-tree', '-z', '-l', '--full-tree', commit, '--', clean]));
        return entries.find((e) => e.path === clean);
      });
    },
    async listDirectory(commit, path) {
      if (!isSha(commit) || !safePath(path)) return undefined;
      const clean = path.replace(/\/+$/, '');
      if (clean !== '') {
        const entry = await reader.entryAt(commit, clean);
        if (entry?.type !== 'tree') return undefined;
      }
      return cached(`dir ${commit} ${clean}`, async () =>
        parseLsTree(await git(dir, ['ls-tree', '-z', '-l', '--full-tree', commit, ...(clean === '' ? [] : ['--', `${clean}/`])])),
      );
    },
    async listTree(treeish, recursive) {
      if (!safeRef(treeish)) return undefined;
      let treeSha: string;
      try {
        treeSha = (await gitText(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${treeish}^{tree}`])).trim();
      } catch {
        return undefined;
      }
      if (!isSha(treeSha)) return undefined;
      const entries = await cached(`tree ${treeSha} ${recursive}`, async () =>
        parseLsTree(await git(dir, ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), treeSha])),
      );
      return { sha: treeSha, entries };
    },
    async readFileAt(ref, path) {
      const commit = await reader.resolveCommit(ref);
      if (!commit) return undefined;
      const entry = await reader.entryAt(commit, path);
      if (entry?.type !== 'blob') return undefined;
      return reader.readBlob(entry.sha);
    },
  };
  return reader;
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Fixture

const DEFAULT_MAX_PATCH_BYTES = 1_000_000;
const DEFAULT_MAX_PATCH_LINES = 20_000;

interface Context {
  dir: string;
  owner: string;
  repo: string;
  baseRef: string;
  headRef: string;
  maxPatchBytes: number;
  maxPatchLines: number;
  git: GitRepoReader;
  commits: number;
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function quotePath(path: string): Buffer {
  if (!safePath(path) || path === '' || path === '.git' || path.startsWith('.git/') || path.endsWith('/')) {
    throw new Error(`invalid fixture path ${JSON.stringify(path)}`);
  }
  const out: number[] = [0x22];
  for (const byte of Buffer.from(path, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out.push(0x5c, byte);
    else if (byte === 0x0a) out.push(0x5c, 0x6e);
    else if (byte < 0x20 || byte === 0x7f) out.push(...Buffer.from(`\\${byte.toString(8).padStart(3, '0')}`));
    else out.push(byte);
  }
  out.push(0x22);
  return Buffer.from(out);
}

/**
 * Writes one commit on `branch` with `git fast-import` (one packfile: much faster than a working tree and `git add` for thousands of
 * files) and returns its sha. Renames apply first, then the file changes (null deletes).
 */
async function commitWithFastImport(
  ctx: Context,
  branch: string,
  parent: string | undefined,
  files: Record<string, FileContent | null>,
  renames: Record<string, string>,
  message: string,
): Promise<string> {
  // Fixed dates: the same spec gives the same shas.
  const seconds = Date.UTC(2024, 0, 1) / 1000 + ctx.commits * 3600;
  ctx.commits++;
  const chunks: Buffer[] = [
    Buffer.from(`commit refs/heads/${branch}\n`),
    Buffer.from(`author Fixture Author <fixture@example.com> ${seconds} +0000\n`),
    Buffer.from(`committer Fixture Author <fixture@example.com> ${seconds} +0000\n`),
    Buffer.from(`data ${Buffer.byteLength(message)}\n${message}\n`),
  ];
  if (parent) chunks.push(Buffer.from(`from ${parent}\n`));
  for (const [from, to] of Object.entries(renames)) {
    chunks.push(Buffer.from('R '), quotePath(from), Buffer.from(' '), quotePath(to), Buffer.from('\n'));
  }
  for (const [path, content] of Object.entries(files)) {
    if (content === null) {
      chunks.push(Buffer.from('D '), quotePath(path), Buffer.from('\n'));
      continue;
    }
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    chunks.push(Buffer.from('M 100644 inline '), quotePath(path), Buffer.from(`\ndata ${data.length}\n`), data, Buffer.from('\n'));
  }
  chunks.push(Buffer.from('done\n'));
  await git(ctx.dir, ['fast-import', '--quiet', '--done'], { input: Buffer.concat(chunks) });
  return (await gitText(ctx.dir, ['rev-parse', '--verify', `refs/heads/${branch}^{commit}`])).trim();
}

/** Splits NUL-separated `git diff -z` output into fields. */
function zFields(output: Buffer): string[] {
  const fields = output.toString('utf8').split('\0');
  if (fields[fields.length - 1] === '') fields.pop();
  return fields;
}

interface RawEntry {
  status: string;
  oldSha: string;
  newSha: string;
  oldMode: string;
  newMode: string;
  path: string;
  previousPath?: string;
}

function parseRaw(output: Buffer): RawEntry[] {
  const fields = zFields(output);
  const entries: RawEntry[] = [];
  for (let i = 0; i < fields.length; ) {
    const meta = fields[i++] ?? '';
    // ":<old mode> <new mode> <old sha> <new sha> <status>"
    const [oldMode = '', newMode = '', oldSha = '', newSha = '', status = ''] = meta.replace(/^:/, '').split(' ');
    if (status.startsWith('R') || status.startsWith('C')) {
      const previousPath = fields[i++] ?? '';
      const path = fields[i++] ?? '';
      entries.push({ status, oldSha, newSha, oldMode, newMode, path, previousPath });
    } else {
      entries.push({ status, oldSha, newSha, oldMode, newMode, path: fields[i++] ?? '' });
    }
  }
  return entries;
}

function parseNumstat(output: Buffer): { additions: number; deletions: number; binary: boolean }[] {
  const fields = zFields(output);
  const entries: { additions: number; deletions: number; binary: boolean }[] = [];
  for (let i = 0; i < fields.length; ) {
    const record = fields[i++] ?? '';
    const [added = '0', deleted = '0', path = ''] = record.split('\t');
    // Renames: "added TAB deleted TAB" then NUL old NUL new.
    if (path === '') i += 2;
    const binary = added === '-' && deleted === '-';
    entries.push({ additions: binary ? 0 : Number(added), deletions: binary ? 0 : Number(deleted), binary });
  }
  return entries;
}

/** Splits a whole diff into per-file chunks (same order as the raw / numstat outputs). */
function splitDiff(diff: string): string[] {
  const chunks: string[] = [];
  let current: string[] | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      if (current) chunks.push(current.join('\n'));
      current = [line];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) chunks.push(current.join('\n'));
  return chunks;
}

/** The part of a file's diff GitHub calls `patch`: from the first hunk header on, without the trailing newline. */
function patchOf(chunk: string): string | undefined {
  const lines = chunk.split('\n');
  const start = lines.findIndex((line) => line.startsWith('@@ '));
  if (start === -1) return undefined;
  const body = lines.slice(start);
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  return body.join('\n');
}

const STATUS: Record<string, PullFileStatus> = { A: 'added', D: 'removed', M: 'modified', R: 'renamed', C: 'copied', T: 'changed' };

async function computeFiles(ctx: Context, baseSha: string, headSha: string): Promise<{ files: PullFile[]; diff: string }> {
  const diffArgs = ['diff', '--find-renames', '--no-color', '--no-ext-diff', '--no-textconv', baseSha, headSha];
  const [raw, numstat, diff] = await Promise.all([
    git(ctx.dir, [...diffArgs, '--raw', '-z', '--no-abbrev']),
    git(ctx.dir, [...diffArgs, '--numstat', '-z']),
    gitText(ctx.dir, diffArgs),
  ]);
  const entries = parseRaw(raw);
  const stats = parseNumstat(numstat);
  const chunks = splitDiff(diff);
  if (stats.length !== entries.length || chunks.length !== entries.length) {
    throw new Error(`git diff outputs disagree: ${entries.length} raw, ${stats.length} numstat, ${chunks.length} patches`);
  }
  const files = entries.map((entry, i): PullFile => {
    const stat = stats[i] ?? { additions: 0, deletions: 0, binary: false };
    const status = STATUS[entry.status[0] ?? 'M'] ?? 'modified';
    const removed = status === 'removed';
    const commit = removed ? baseSha : headSha;
    const file: PullFile = {
      sha: removed ? entry.oldSha : entry.newSha,
      filename: entry.path,
      status,
      additions: stat.additions,
      deletions: stat.deletions,
      changes: stat.additions + stat.deletions,
      blob_url: `https://github.com/${ctx.owner}/${ctx.repo}/blob/${commit}/${encodePath(entry.path)}`,
      raw_url: `https://github.com/${ctx.owner}/${ctx.repo}/raw/${commit}/${encodePath(entry.path)}`,
      contents_url: `https://api.github.com/repos/${ctx.owner}/${ctx.repo}/contents/${encodePath(entry.path)}?ref=${commit}`,
    };
    const patch = stat.binary ? undefined : patchOf(chunks[i] ?? '');
    if (patch !== undefined && Buffer.byteLength(patch) <= ctx.maxPatchBytes && patch.split('\n').length <= ctx.maxPatchLines) {
      file.patch = patch;
    }
    if (entry.previousPath !== undefined && status === 'renamed') file.previous_filename = entry.previousPath;
    return file;
  });
  return { files, diff };
}

async function makeFixture(ctx: Context, baseSha: string, headSha: string, cleanup: () => Promise<void>): Promise<PullRequestFixture> {
  const { files, diff } = await computeFiles(ctx, baseSha, headSha);
  const fixture: PullRequestFixture = {
    dir: ctx.dir,
    owner: ctx.owner,
    repo: ctx.repo,
    baseRef: ctx.baseRef,
    headRef: ctx.headRef,
    baseSha,
    headSha,
    files,
    diff,
    git: ctx.git,
    async push(changes, renames = {}) {
      const current = (await gitText(ctx.dir, ['rev-parse', '--verify', `refs/heads/${ctx.headRef}`])).trim();
      if (current !== headSha) throw new Error('push() must be called on the latest fixture of this repository');
      const newHead = await commitWithFastImport(ctx, ctx.headRef, headSha, changes, renames, 'push');
      return makeFixture(ctx, baseSha, newHead, cleanup);
    },
    cleanup,
  };
  return fixture;
}

/**
 * Builds a real git repository with a base commit (branch `baseRef`, default `main`) and a head commit (branch `headRef`, default
 * `feature`, child of the base), and the `pulls/files` entries GitHub would list for the pull request. The repository has no working
 * tree checkout: commits are written with `git fast-import`; everything else reads git objects.
 */
export async function createPullRequestFixture(spec: PullRequestFixtureSpec, options: FixtureOptions = {}): Promise<PullRequestFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'gh-sim-fixture-'));
  const ctx: Context = {
    dir,
    owner: options.owner ?? 'octo-org',
    repo: options.repo ?? 'octo-repo',
    baseRef: options.baseRef ?? 'main',
    headRef: options.headRef ?? 'feature',
    maxPatchBytes: options.maxPatchBytes ?? DEFAULT_MAX_PATCH_BYTES,
    maxPatchLines: options.maxPatchLines ?? DEFAULT_MAX_PATCH_LINES,
    git: createGitReader(dir),
    commits: 0,
  };
  let removed = false;
  const cleanup = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await git(dir, ['init', '-q', '-b', ctx.baseRef]);
    // Local identity only: nothing is read from or written to the global configuration.
    await git(dir, ['config', 'user.name', 'Fixture Author']);
    await git(dir, ['config', 'user.email', 'fixture@example.com']);
    await git(dir, ['config', 'commit.gpgsign', 'false']);
    const baseSha = await commitWithFastImport(ctx, ctx.baseRef, undefined, spec.base, {}, 'base');
    const headSha = await commitWithFastImport(ctx, ctx.headRef, baseSha, spec.head, spec.renames ?? {}, 'head');
    return await makeFixture(ctx, baseSha, headSha, cleanup);
  } catch (error) {
    await cleanup();
    throw error;
  }
}
