import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { ConfigurationError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ChangedFile, HeadTree, SkippedFile } from '../types.js';
import { contentSkipReasonOf, libraryModuleSkips, parseLinguistAttributes, skipReasonOf } from './file-filter.js';
import { materializeHeadTree, safeJoin } from './head-tree.js';
import type { TreeEntry } from '../github/api.js';
import type { ChangeSource } from './source.js';
import { MCP_LOCK_PATH } from '../scanners/mcp-audit/lockfile.js';

export interface CollectedChange {
  baseSha: string;
  headSha: string;
  /** Every file of the change, as listed. */
  files: ChangedFile[];
  /** Files whose head content is in `tree` and will be scanned. */
  reviewable: ChangedFile[];
  skipped: SkippedFile[];
  /** GitHub lists at most 3000 files: the rest of a larger PR was not seen. */
  truncated: boolean;
  /** Head-side content of the reviewable files, at their repository paths. */
  tree: HeadTree;
  /** The base branch's `sgconfig.yml` and its rule folders, copied here; absent when the repository has none. */
  repoAstGrepConfigDir?: string;
  /** Extra rule sources (the `rules` input), resolved to paths on disk. */
  extraRuleSources: string[];
  /** The MCP lock file's text at the base commit (the pull request's copy is never used for the comparison); absent when none. */
  mcpLockText?: string;
  notices: string[];
}

export interface CollectOptions {
  /** A fresh folder for this run; collect writes `head/` (when the checkout cannot serve) and `repo-rules/` below it. */
  tempDir: string;
  logger: Logger;
  /** The `rules` input: repository-relative paths are read from the base side, absolute ones from disk. */
  extraRules: readonly string[];
  /**
   * The checkout: head files whose bytes there are provably the head's are used in place. `rules` paths inside it are read from the
   * base commit, never from it.
   */
  checkoutDir: string;
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function collectChange(source: ChangeSource, options: CollectOptions): Promise<CollectedChange> {
  const { logger } = options;
  const notices: string[] = [];
  const { files, truncated } = await source.listChangedFiles();
  if (truncated) {
    notices.push(`GitHub lists at most 3000 files of a pull request: files beyond the first ${files.length} were not reviewed.`);
  }

  const linguist = parseLinguistAttributes((await source.readBaseFile('.gitattributes')) ?? '');
  const skipped: SkippedFile[] = [];
  const candidates: ChangedFile[] = [];
  for (const file of files) {
    const reason = skipReasonOf(file, linguist);
    if (reason) skipped.push(reason);
    else candidates.push(file);
  }

  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const head = await materializeHeadTree({
    candidates,
    source,
    checkoutDir: options.checkoutDir,
    tempDir: options.tempDir,
    maxFileBytes: maxBytes,
    contentCheck: (path, content) => contentSkipReasonOf(path, content, linguist),
    siblingCheck: (reviewable, skipped) => libraryModuleSkips(reviewable, skipped, linguist),
  });
  skipped.push(...head.skipped);
  const { reviewable, tree } = head;
  logger.info(
    `${files.length} changed file(s): ${reviewable.length} to review, ${skipped.length} not reviewed; ` +
      (tree.inPlace ? 'the checkout holds the head bytes of every file reviewed (nothing copied).' : `head tree in ${tree.root} (${head.inPlaceCount} file(s) linked from the checkout).`),
  );

  const repoAstGrepConfigDir = await copyRepoAstGrepConfig(source, join(options.tempDir, 'repo-rules'), logger, notices);
  const extraRuleSources = await resolveExtraRules(source, options, notices);
  const mcpLockText = await source.readBaseFile(MCP_LOCK_PATH);

  return {
    baseSha: source.baseSha,
    headSha: source.headSha,
    files,
    reviewable,
    skipped,
    truncated,
    tree,
    repoAstGrepConfigDir,
    extraRuleSources,
    ...(mcpLockText !== undefined && { mcpLockText }),
    notices,
  };
}

const RULE_FILE = /\.ya?ml$/;

/** Copies the base side's `sgconfig.yml` and the rule and util folders it names. */
async function copyRepoAstGrepConfig(
  source: ChangeSource,
  targetDir: string,
  logger: Logger,
  notices: string[],
): Promise<string | undefined> {
  const configText = await source.readBaseFile('sgconfig.yml');
  if (configText === undefined) return undefined;
  let config: { ruleDirs?: unknown; utilDirs?: unknown };
  const { parse: parseYaml } = await import('yaml');
  try {
    config = (parseYaml(configText) ?? {}) as typeof config;
  } catch (error) {
    notices.push(`The repository's sgconfig.yml is not valid YAML and was ignored: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const folders = [...asStringList(config.ruleDirs), ...asStringList(config.utilDirs)]
    .map((dir) => posix.normalize(dir).replace(/^\.\/?/, '').replace(/\/$/, ''))
    .filter((dir) => !dir.startsWith('..'));
  const tree = folders.length > 0 ? await source.listBaseTree() : [];
  const ruleFiles = tree.filter(
    (entry) =>
      entry.type === 'blob' && RULE_FILE.test(entry.path) && folders.some((dir) => dir === '' || entry.path.startsWith(`${dir}/`)),
  );
  await mkdir(targetDir, { recursive: true });
  await writeFile(join(targetDir, 'sgconfig.yml'), configText);
  await copyBaseFiles(source, ruleFiles, targetDir);
  for (const dir of folders) await mkdir(join(targetDir, dir), { recursive: true });
  logger.info(`Repository ast-grep config: sgconfig.yml with ${ruleFiles.length} rule file(s), read from the base commit.`);
  return targetDir;
}

/**
 * `rules` input entries. A repository-relative path (or an absolute one inside the checkout) is read from the base commit only, like
 * the configuration file: a pull request must not be able to add or edit the rules that review it. When the base commit lacks it,
 * its rules are not run and a notice says so. Other absolute paths (rules a workflow step put outside the checkout) are read from disk.
 */
async function resolveExtraRules(source: ChangeSource, options: CollectOptions, notices: string[]): Promise<string[]> {
  if (options.extraRules.length === 0) return [];
  const resolved: string[] = [];
  const checkout = resolve(options.checkoutDir);
  let tree: TreeEntry[] | undefined;
  for (const [index, entry] of options.extraRules.entries()) {
    const inCheckout = isAbsolute(entry) ? relative(checkout, resolve(entry)) : entry;
    if (isAbsolute(entry) && (inCheckout.startsWith('..') || isAbsolute(inCheckout))) {
      if (!existsSync(entry)) throw new ConfigurationError(`Invalid input 'rules': ${entry} does not exist.`);
      resolved.push(entry);
      continue;
    }
    const normalized = posix.normalize(inCheckout.split(sep).join('/')).replace(/^\.\/?/, '').replace(/\/$/, '');
    tree ??= await source.listBaseTree();
    const inBase = tree.filter(
      (e) => e.type === 'blob' && (e.path === normalized || (e.path.startsWith(`${normalized}/`) && RULE_FILE.test(e.path))),
    );
    if (inBase.length > 0) {
      const targetDir = join(options.tempDir, `extra-rules-${index}`);
      await copyBaseFiles(source, inBase, targetDir);
      resolved.push(join(targetDir, normalized));
      continue;
    }
    notices.push(
      `rules: ${entry} is not in the base commit, so its rules were not run (rules are read from the base commit only, never from the pull request).`,
    );
  }
  return resolved;
}

/** Writes base-commit files below `targetDir` at their repository paths. */
async function copyBaseFiles(source: ChangeSource, entries: readonly TreeEntry[], targetDir: string): Promise<void> {
  const blobs = await source.readBaseBlobs(entries.map((entry) => entry.sha));
  for (const entry of entries) {
    const target = safeJoin(targetDir, entry.path);
    const blob = blobs.get(entry.sha);
    if (!target || !blob) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, blob);
  }
}

function asStringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
