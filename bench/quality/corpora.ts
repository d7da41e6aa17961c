/**
 * The benchmark's corpora: `corpora.json` read and checked, and each corpus made into a whole-app change (an empty base commit and
 * a head commit with every file of the app) in a cache folder outside the repository, reused while its source does not change.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { countLines } from './labels.js';

export interface Corpus {
  name: string;
  from: 'github' | 'node_modules';
  /** `owner/name` on GitHub, or `npm:<package>`. */
  repo: string;
  /** A commit sha (github), or `npm@<version>` (node_modules). */
  commit: string;
  /** node_modules only: the package's folders that are taken (`src/`). */
  include?: string[];
  language: string;
  kind: 'vulnerable' | 'clean';
  labelsSource: string;
}

export function parseCorpora(text: string, fileName: string): Corpus[] {
  const data = JSON.parse(text) as { corpora?: unknown };
  if (!Array.isArray(data.corpora)) throw new Error(`${fileName}: no "corpora" list`);
  return data.corpora.map((raw: unknown, index) => {
    const entry = raw as Partial<Corpus>;
    const where = `${fileName}: corpora[${index}]`;
    for (const key of ['name', 'repo', 'commit', 'language', 'labelsSource'] as const) {
      if (typeof entry[key] !== 'string' || entry[key] === '') throw new Error(`${where}: "${key}" must be a non-empty string`);
    }
    if (entry.from !== 'github' && entry.from !== 'node_modules') throw new Error(`${where}: "from" must be github or node_modules`);
    if (entry.kind !== 'vulnerable' && entry.kind !== 'clean') throw new Error(`${where}: "kind" must be vulnerable or clean`);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(entry.name ?? '')) throw new Error(`${where}: name must be lower-case letters, digits, . _ -`);
    if (entry.from === 'github' && !/^[\w.-]+\/[\w.-]+$/.test(entry.repo ?? '')) throw new Error(`${where}: repo must be owner/name`);
    if (entry.from === 'github' && !/^[0-9a-f]{40}$/.test(entry.commit ?? '')) throw new Error(`${where}: commit must be a full 40-character sha`);
    if (entry.from === 'node_modules' && !/^npm:(@[\w.-]+\/)?[\w.-]+$/.test(entry.repo ?? '')) throw new Error(`${where}: repo must be npm:<package>`);
    return entry as Corpus;
  });
}

/** Folders searched for a snapshot of `owner/name`: `<mirror>/<owner>+<name>/repo` (what the tool library's fetch writes) or a bare clone `<mirror>/<owner>+<name>.git`. */
export function mirrorRoots(env: NodeJS.ProcessEnv): string[] {
  return [env.ULTRA_CREATE_QUALITY_MIRROR, '/work/.mirror'].filter((dir): dir is string => dir !== undefined && dir !== '');
}

export function cacheRoot(env: NodeJS.ProcessEnv): string {
  if (env.ULTRA_CREATE_QUALITY_CACHE) return env.ULTRA_CREATE_QUALITY_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ultra-create-quality');
}

const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  LC_ALL: 'C',
};

/** Runs a command; resolves stdout, rejects with stderr on a non-zero exit. */
function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
  });
}

const git = (cwd: string, ...args: string[]): Promise<string> =>
  run('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.autocrlf=false', ...args], cwd);

export class MissingCorpusError extends Error {}

/** The git directory holding the corpus's commit, or a MissingCorpusError that says how to get it. */
async function findSnapshot(corpus: Corpus, env: NodeJS.ProcessEnv): Promise<string> {
  const key = corpus.repo.replace('/', '+');
  const roots = mirrorRoots(env);
  for (const root of roots) {
    for (const dir of [join(root, key, 'repo'), join(root, `${key}.git`)]) {
      if (!existsSync(dir)) continue;
      try {
        await git(dir, '--git-dir', dir, 'cat-file', '-e', `${corpus.commit}^{commit}`);
        return dir;
      } catch {
        // this snapshot lacks the commit: try the next one
      }
    }
  }
  throw new MissingCorpusError(
    `corpus ${corpus.name} is missing: no snapshot of ${corpus.repo} with commit ${corpus.commit} under ${roots.join(' or ')}. ` +
      `Get it with the tool library's fetch (github:${corpus.repo}), or: git clone --bare https://github.com/${corpus.repo} ` +
      `"${join(roots[0] ?? '/work/.mirror', `${key}.git`)}" (set ULTRA_CREATE_QUALITY_MIRROR to choose the folder).`,
  );
}

function copyPackage(corpus: Corpus, repoRoot: string, target: string): void {
  const pkg = corpus.repo.replace(/^npm:/, '');
  const dir = join(repoRoot, 'node_modules', pkg);
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) {
    throw new MissingCorpusError(`corpus ${corpus.name} is missing: ${dir} does not exist. Run npm ci in the repository first.`);
  }
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
  if (`npm@${version ?? '?'}` !== corpus.commit) {
    throw new MissingCorpusError(
      `corpus ${corpus.name}: node_modules has ${pkg} ${version ?? '?'}, corpora.json records ${corpus.commit}: update corpora.json (and RESULTS.md) or run npm ci.`,
    );
  }
  const walk = (from: string): void => {
    for (const name of readdirSync(from).sort()) {
      const path = join(from, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && !/\.d\.[cm]?ts$|\.map$/.test(name)) {
        const to = join(target, relative(dir, path));
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(path, to);
      }
    }
  };
  for (const folder of corpus.include ?? ['']) walk(join(dir, folder));
}

export interface PreparedCorpus {
  /** The git working tree (checked out at head). */
  dir: string;
  base: string;
  head: string;
  files: number;
}

/** Builds (or reuses) the corpus's whole-app change in the cache: base = an empty commit, head = every file of the app. */
export async function prepareCorpus(corpus: Corpus, repoRoot: string, env: NodeJS.ProcessEnv): Promise<PreparedCorpus> {
  const id = corpus.from === 'github' ? corpus.commit.slice(0, 12) : corpus.commit.replace(/[^a-z0-9.]/gi, '-');
  const dir = join(cacheRoot(env), `${corpus.name}-${id}`);
  const ready = join(dirname(dir), `${corpus.name}-${id}.ready.json`);
  if (existsSync(ready) && existsSync(join(dir, '.git'))) {
    return { dir, ...(JSON.parse(readFileSync(ready, 'utf8')) as Omit<PreparedCorpus, 'dir'>) };
  }
  const snapshot = corpus.from === 'github' ? await findSnapshot(corpus, env) : undefined;
  // Built beside the final folder and renamed into place at the end: two runs at once (two engineers) never see a half-built tree.
  const final = dir;
  const building = `${final}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  try {
    const info = await buildChange(corpus, snapshot, repoRoot, building);
    rmSync(final, { recursive: true, force: true });
    renameSync(building, final);
    writeFileSync(ready, `${JSON.stringify(info)}\n`);
    return { dir: final, ...info };
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

async function buildChange(corpus: Corpus, snapshot: string | undefined, repoRoot: string, dir: string): Promise<Omit<PreparedCorpus, 'dir'>> {
  if (snapshot) {
    // git archive writes the commit's files (no .git, no symlink is followed: tar recreates links as links).
    await run('sh', ['-c', 'git --git-dir "$1" archive --format=tar "$2" | tar -x -C "$3"', 'sh', snapshot, corpus.commit, dir], dir);
  } else {
    copyPackage(corpus, repoRoot, dir);
  }
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'commit', '-q', '--allow-empty', '-m', 'empty base');
  const base = (await git(dir, 'rev-parse', 'HEAD')).trim();
  // -f: a corpus's own .gitignore must not hide its committed files (dvws-node's .env).
  await git(dir, 'add', '-A', '-f', '.');
  await git(dir, 'commit', '-q', '-m', `${corpus.name}: the whole app`);
  const head = (await git(dir, 'rev-parse', 'HEAD')).trim();
  const files = (await git(dir, 'ls-files', '-z')).split('\0').filter((p) => p !== '').length;
  return { base, head, files };
}

/** Lines of the JavaScript, TypeScript and Python files of the head, except those the review skipped: the clean-code denominator. */
export function sourceLines(dir: string, skipped: ReadonlySet<string>): number {
  let lines = 0;
  const walk = (from: string): void => {
    for (const name of readdirSync(from)) {
      if (name === '.git') continue;
      const path = join(from, name);
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && /\.([cm]?[jt]sx?|py)$/.test(name) && !skipped.has(relative(dir, path))) {
        lines += countLines(readFileSync(path, 'utf8'));
      }
    }
  };
  walk(dir);
  return lines;
}
