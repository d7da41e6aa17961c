import type { PullRequestApi, TreeEntry } from '../github/api.js';
import type { Logger } from '../logger.js';
import type { ChangedFile, FileStatus } from '../types.js';
import { mapLimit } from '../util/concurrency.js';
import { gitText, readObjects, readObjectSizes, runGit } from './git.js';
import { isSafeRelativePath } from './head-tree.js';

/**
 * Where a change comes from: a pull request through GitHub's API (the action) or two commits of a local repository (the CLI).
 * Configuration is always read from the base side, so a change cannot alter how it is reviewed.
 */
export interface ChangeSource {
  readonly baseSha: string;
  readonly headSha: string;
  listChangedFiles(): Promise<{ files: ChangedFile[]; truncated: boolean }>;
  readBaseFile(path: string): Promise<string | undefined>;
  listBaseTree(): Promise<TreeEntry[]>;
  readBaseBlobs(shas: readonly string[]): Promise<Map<string, Buffer>>;
  /** Head-side content of the files, keyed by path; a file that cannot be read is absent. */
  readHeadFiles(files: readonly ChangedFile[]): Promise<Map<string, Buffer>>;
  /** Sizes of head blobs, where the source can tell them without reading the content (a missing path: unknown). */
  headBlobSizes?(files: readonly ChangedFile[]): Promise<Map<string, number>>;
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const API_CONCURRENCY = 8;

export function createGitHubChangeSource(options: {
  api: PullRequestApi;
  baseSha: string;
  headSha: string;
  /** The runner's checkout: its git objects serve head blobs it has (a merge commit's checkout often has them all). */
  workspace: string;
  logger: Logger;
}): ChangeSource {
  const { api, baseSha, headSha, workspace, logger } = options;
  return {
    baseSha,
    headSha,
    listChangedFiles: () => api.listFiles(),
    readBaseFile: (path) => api.readFile(baseSha, path),
    listBaseTree: () => api.listTree(baseSha),
    // The checkout's git objects know the sizes of the head blobs they hold; the API's blob sizes are only known once read.
    headBlobSizes: (files) => blobSizesByPath(workspace, files).catch(() => new Map<string, number>()),
    async readBaseBlobs(shas) {
      return new Map(await mapLimit(shas, API_CONCURRENCY, async (sha) => [sha, await api.getBlob(sha)] as const));
    },
    async readHeadFiles(requested) {
      const result = new Map<string, Buffer>();
      // A path is data from the pull request: one that could leave the workspace is not fetched. (Files the checkout holds with the
      // head's bytes are used in place before this is asked: see head-tree.ts.)
      const missing = requested.filter((file) => isSafeRelativePath(file.path));
      const fromGit = await readObjects(
        workspace,
        missing.flatMap((f) => (f.blobSha ? [f.blobSha] : [])),
      ).catch(() => new Map<string, Buffer>());
      const viaApi: ChangedFile[] = [];
      for (const file of missing) {
        const blob = file.blobSha ? fromGit.get(file.blobSha) : undefined;
        if (blob) result.set(file.path, blob);
        else viaApi.push(file);
      }
      if (viaApi.length > 0) logger.info(`Reading ${viaApi.length} head file(s) through the API (not in the checkout).`);
      await mapLimit(viaApi, API_CONCURRENCY, async (file) => {
        try {
          if (file.blobSha) result.set(file.path, await api.getBlob(file.blobSha));
        } catch (error) {
          logger.warning(`Cannot read ${file.path} at the head commit: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
      return result;
    },
  };
}

/** Head blob sizes by path, from one `git cat-file --batch-check` (nothing is read). */
async function blobSizesByPath(repoDir: string, files: readonly ChangedFile[]): Promise<Map<string, number>> {
  const sizes = await readObjectSizes(repoDir, files.flatMap((f) => (f.blobSha ? [f.blobSha] : [])));
  const result = new Map<string, number>();
  for (const file of files) {
    const size = file.blobSha ? sizes.get(file.blobSha) : undefined;
    if (size !== undefined) result.set(file.path, size);
  }
  return result;
}

export interface LocalRevisions {
  baseSha: string;
  headSha: string;
  /** What was asked for, for messages. */
  baseLabel: string;
}

/** Resolves `--base`/`--head` like `git diff base...head`: the base is the merge base of the two. */
export async function resolveLocalRevisions(repoDir: string, base: string | undefined, head: string): Promise<LocalRevisions> {
  if (base === undefined) {
    // The head and its first parent in one git process, the upstream in another, at the same time (a start-up cost of every run).
    const [lineage, upstream] = await Promise.all([
      gitText(repoDir, ['rev-list', '--first-parent', '--max-count=2', '--end-of-options', `${head}^{commit}`]),
      gitText(repoDir, ['rev-parse', '--verify', '--quiet', '@{upstream}']).catch(() => ''),
    ]);
    const [headSha = '', parent = ''] = lineage.trim().split('\n');
    if (!/^[0-9a-f]{40,64}$/.test(headSha)) throw new Error(`${head} is not a commit`);
    const upstreamSha = upstream.trim();
    if (upstreamSha && upstreamSha !== headSha) {
      const mergeBase = (await gitText(repoDir, ['merge-base', upstreamSha, headSha]).catch(() => '')).trim();
      if (mergeBase && mergeBase !== headSha) return { baseSha: mergeBase, headSha, baseLabel: '@{upstream}' };
    }
    return { baseSha: parent || EMPTY_TREE, headSha, baseLabel: parent ? `${head}~1` : '(empty tree)' };
  }
  const headSha = (await gitText(repoDir, ['rev-parse', '--verify', '--end-of-options', `${head}^{commit}`])).trim();
  const baseSha = (await gitText(repoDir, ['rev-parse', '--verify', '--end-of-options', `${base}^{commit}`])).trim();
  const mergeBase = (await gitText(repoDir, ['merge-base', baseSha, headSha]).catch(() => '')).trim();
  return { baseSha: mergeBase || baseSha, headSha, baseLabel: base };
}

/** Base-side files every run asks for (configuration, attributes, the repository's ast-grep config). */
const BASE_FILES_READ_BY_EVERY_RUN = ['.github/ultra-create.yml', '.gitattributes', 'sgconfig.yml'];

export function createLocalGitChangeSource(
  repoDir: string,
  revisions: LocalRevisions,
  options: {
    /**
     * Start the listing and the base's configuration files at once, so that git works while the configuration is read (the CLI:
     * a start-up cost of every run). The first `listChangedFiles` takes the prefetched listing.
     */
    prefetch?: boolean;
  } = {},
): ChangeSource {
  const { baseSha, headSha } = revisions;
  const diffArgs = ['--no-color', '--no-ext-diff', '--no-textconv', '--find-renames', '--no-abbrev', baseSha, headSha];
  let baseFiles: Promise<Map<string, Buffer>> | undefined;
  const list = async (): Promise<{ files: ChangedFile[]; truncated: boolean }> => {
    // Two git processes, not three: the counts are those of the patches (what --numstat would print, without a second diff).
    const [raw, patches] = await Promise.all([
      runGit(repoDir, ['diff', '--raw', '-z', ...diffArgs]),
      runGit(repoDir, ['diff', '-U3', ...diffArgs]),
    ]);
    return { files: combineLocalDiff(raw.toString('utf8'), patches.toString('utf8')), truncated: false };
  };
  const readBaseFiles = (): Promise<Map<string, Buffer>> =>
    readObjects(repoDir, BASE_FILES_READ_BY_EVERY_RUN.map((p) => `${baseSha}:${p}`)).catch(() => new Map<string, Buffer>());
  let prefetched = options.prefetch ? list() : undefined;
  // A failure is reported by the call that takes the listing; the prefetch itself must not be an unhandled rejection.
  prefetched?.catch(() => undefined);
  if (options.prefetch && baseSha !== EMPTY_TREE) baseFiles = readBaseFiles();
  return {
    baseSha,
    headSha,
    listChangedFiles() {
      const listing = prefetched ?? list();
      prefetched = undefined;
      return listing;
    },
    async readBaseFile(path) {
      if (baseSha === EMPTY_TREE) return undefined;
      // The configuration files every run reads come in one git process, on the first ask (`cat-file --batch` names end at a
      // line break and its "missing" answer is split on spaces: other paths are read on their own).
      baseFiles ??= readBaseFiles();
      const known = (await baseFiles).get(`${baseSha}:${path}`);
      if (known || BASE_FILES_READ_BY_EVERY_RUN.includes(path)) return known?.toString('utf8');
      const blob = await runGit(repoDir, ['cat-file', 'blob', `${baseSha}:${path}`]).catch(() => undefined);
      return blob?.toString('utf8');
    },
    async listBaseTree() {
      if (baseSha === EMPTY_TREE) return [];
      const output = await gitText(repoDir, ['ls-tree', '-r', '-z', '--full-tree', baseSha]);
      return output
        .split('\0')
        .filter(Boolean)
        .flatMap((line) => {
          // "<mode> <type> <sha>\t<path>"; a line that does not fit is skipped, as in readObjectSizes
          const tab = line.indexOf('\t');
          const [, type, sha] = line.slice(0, tab).split(' ');
          return sha === undefined ? [] : [{ path: line.slice(tab + 1), sha, type: type as TreeEntry['type'] }];
        });
    },
    readBaseBlobs: (shas) => readObjects(repoDir, shas),
    headBlobSizes: (files) => blobSizesByPath(repoDir, files),
    async readHeadFiles(files) {
      const blobs = await readObjects(
        repoDir,
        files.flatMap((f) => (f.blobSha ? [f.blobSha] : [])),
      );
      const result = new Map<string, Buffer>();
      for (const file of files) {
        const blob = file.blobSha ? blobs.get(file.blobSha) : undefined;
        if (blob) result.set(file.path, blob);
      }
      return result;
    },
  };
}

const RAW_STATUS: Record<string, FileStatus> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/**
 * `git diff --raw -z` and the patch list the same files in the same order; they are zipped into the shape GitHub's
 * `pulls.listFiles` returns, so both sources feed the same pipeline.
 */
export function combineLocalDiff(raw: string, patchText: string): ChangedFile[] {
  const files: ChangedFile[] = [];
  const typeChanged = new Set<number>();
  const rawParts = raw.split('\0');
  for (let i = 0; i < rawParts.length; i++) {
    const header = rawParts[i];
    if (!header?.startsWith(':')) continue;
    const [, newMode, , newSha, statusField] = header.slice(1).split(' ');
    const code = statusField?.[0] ?? 'M';
    if (code === 'T') typeChanged.add(files.length);
    const renamed = code === 'R' || code === 'C';
    const firstPath = rawParts[++i] ?? '';
    const secondPath = renamed ? (rawParts[++i] ?? '') : undefined;
    const status = RAW_STATUS[code] ?? 'modified';
    files.push({
      path: secondPath ?? firstPath,
      previousPath: renamed ? firstPath : undefined,
      status,
      additions: 0,
      deletions: 0,
      blobSha: status === 'removed' || newMode === '160000' ? undefined : newSha,
    });
  }

  const sections = patchText.split(/^(?=diff --git )/m).filter((s) => s.startsWith('diff --git '));
  let next = 0;
  files.forEach((file, index) => {
    // git prints a type change (file, symlink, submodule) as a deletion followed by a creation: two sections for one raw entry.
    // The creation is the new file, which is what findings point at.
    if (typeChanged.has(index)) next++;
    const section = sections[next++];
    if (section === undefined) return;
    // A binary file's section says "Binary files … differ" and has no hunk: no patch, no counts (as GitHub lists it).
    const hunkStart = section.search(/^@@ /m);
    if (hunkStart === -1) return;
    file.patch = section.slice(hunkStart).replace(/\n$/, '');
    for (const line of file.patch.split('\n')) {
      if (line.startsWith('+')) file.additions++;
      else if (line.startsWith('-')) file.deletions++;
    }
  });
  return files;
}
