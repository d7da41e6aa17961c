import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { copyFile, link, mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, resolve, sep } from 'node:path';
import { getErrorMessage } from '../errors.js';
import type { ChangedFile, HeadTree, SkippedFile } from '../types.js';
import { mapLimit } from '../util/concurrency.js';
import { looksBinary } from './file-filter.js';
import { gitBlobSha } from './git.js';

/**
 * The head tree, materialized once for every scanner and model stage. A file is used where it is in the checkout when the bytes there
 * are provably the head's: a regular file (opened without following a symlink, none of its folders a symlink), no larger than the
 * cap, whose git blob sha is the head's. When every reviewable file is in place nothing is copied and the tree's root is the checkout
 * itself; otherwise the tree is a folder of this run, holding in-place files as hard links (copies across file systems) and the rest
 * as read from git or the API.
 *
 * A pull request is hostile input: a symlink to `/dev/zero`, a FIFO or a 10 GB file in the checkout is never read (lstat and size
 * come first), and such a file is reviewed as what git stores for it.
 */

export interface HeadSource {
  /** Sizes of head blobs, where the source can tell them without reading the content (a missing path: unknown). */
  headBlobSizes?(files: readonly ChangedFile[]): Promise<Map<string, number>>;
  /** Head-side content, keyed by path; a file that cannot be read is absent. */
  readHeadFiles(files: readonly ChangedFile[]): Promise<Map<string, Buffer>>;
}

export interface HeadTreeResult {
  tree: HeadTree;
  reviewable: ChangedFile[];
  skipped: SkippedFile[];
  /** How many files were read in place (the rest came from git or the API). */
  inPlaceCount: number;
}


/** A repository-relative path from the change that cannot leave its root once joined. */
export function isSafeRelativePath(path: string): boolean {
  return (
    path !== '' &&
    !isAbsolute(path) &&
    !path.includes('\0') &&
    !path.includes('\\') &&
    !path.split('/').some((part) => part === '..' || part === '.' || part === '')
  );
}

/** `root/relative`, or undefined when `relative` could escape `root`. */
export function safeJoin(root: string, relative: string): string | undefined {
  if (!isSafeRelativePath(relative)) return undefined;
  const target = resolve(root, relative);
  return target.startsWith(resolve(root) + sep) ? target : undefined;
}

type InPlace =
  | { kind: 'in-place'; full: string; size: number; binary: boolean; skip?: SkippedFile }
  | { kind: 'absent' }
  | { kind: 'too-large'; size: number };

/** Why a file is not reviewed given its head content (vendored or minified by content), or undefined; reads a bounded prefix. */
export type ContentCheck = (path: string, content: Buffer) => SkippedFile | undefined;

/**
 * Reads one file of the checkout without following symlinks: its folders must resolve to themselves (no symlinked folder), the file
 * must be a regular file (checked on the open descriptor), at most `maxBytes`, with the head's blob sha.
 */
function checkInPlace(
  checkout: { root: string; realRoot: string; folders: Map<string, string | undefined> },
  file: ChangedFile,
  maxBytes: number,
  contentCheck: ContentCheck | undefined,
): InPlace {
  if (!file.blobSha) return { kind: 'absent' };
  const full = safeJoin(checkout.root, file.path);
  if (!full) return { kind: 'absent' };
  const folder = posix.dirname(file.path);
  if (!checkout.folders.has(folder)) checkout.folders.set(folder, realpathOrUndefined(dirname(full)));
  const expected = folder === '.' ? checkout.realRoot : join(checkout.realRoot, folder);
  if (checkout.folders.get(folder) !== expected) return { kind: 'absent' };
  const read = readRegularFile(full, maxBytes);
  if ('tooLarge' in read) return { kind: 'too-large', size: read.tooLarge };
  if (!('bytes' in read)) return { kind: 'absent' };
  const bytes = read.bytes;
  if (gitBlobSha(bytes) !== file.blobSha) return { kind: 'absent' };
  const binary = looksBinary(bytes);
  const skip = binary ? undefined : contentCheck?.(file.path, bytes);
  return skip ? { kind: 'in-place', full, size: bytes.length, binary, skip } : { kind: 'in-place', full, size: bytes.length, binary };
}

/**
 * A regular file's bytes, never through a symbolic link: lstat, then opened with O_NOFOLLOW and checked again on the descriptor (a
 * FIFO or a device is never read), its size known before anything is read (a file over `maxBytes` is never read whole). Every
 * reader of pull-request files on the runner goes through here.
 */
export type RegularFileRead =
  | { bytes: Buffer }
  | { tooLarge: number }
  /** Not read: absent, a symbolic link, or anything but a regular file (FIFO, device, folder). */
  | { not: 'missing' | 'symlink' | 'special' }
  | { error: string };

export function readRegularFile(full: string, maxBytes: number): RegularFileRead {
  const stat = lstatSync(full, { throwIfNoEntry: false });
  if (!stat) return { not: 'missing' };
  if (stat.isSymbolicLink()) return { not: 'symlink' };
  if (!stat.isFile()) return { not: 'special' };
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return { error: getErrorMessage(error) };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { not: 'special' };
    if (opened.size > maxBytes) return { tooLarge: opened.size };
    const content = Buffer.allocUnsafe(opened.size);
    let read = 0;
    while (read < content.length) {
      const n = readSync(fd, content, read, content.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: content.subarray(0, read) };
  } catch (error) {
    return { error: getErrorMessage(error) };
  } finally {
    closeSync(fd);
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

export async function materializeHeadTree(input: {
  candidates: readonly ChangedFile[];
  source: HeadSource;
  /** The checkout whose files may be used in place; undefined: none. */
  checkoutDir: string | undefined;
  /** A folder of this run: the tree goes to `<tempDir>/head` when it cannot be the checkout. */
  tempDir: string;
  maxFileBytes: number;
  /** Content-based skips (vendored, minified), applied to every text file read. */
  contentCheck?: ContentCheck;
  /** Skips that depend on the other files' outcome (a library's modules next to its vendored main file), applied once at the end. */
  siblingCheck?: (reviewable: readonly string[], skipped: readonly SkippedFile[]) => SkippedFile[];
}): Promise<HeadTreeResult> {
  const { candidates, maxFileBytes: maxBytes } = input;
  const skipped: SkippedFile[] = [];
  const tooLarge = (path: string, size: number): SkippedFile => ({ path, reason: 'too-large', detail: `${size} bytes (limit ${maxBytes})` });
  const safe: ChangedFile[] = [];
  for (const file of candidates) {
    if (isSafeRelativePath(file.path)) safe.push(file);
    else skipped.push({ path: file.path, reason: 'unreadable', detail: 'unsafe path' });
  }

  const inPlace = new Map<string, InPlace>();
  if (input.checkoutDir !== undefined) {
    const root = resolve(input.checkoutDir);
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot !== undefined) {
      const checkout = { root, realRoot, folders: new Map<string, string | undefined>() };
      // Synchronous on purpose: a few small system calls per file, thousands of files; through the thread pool and promises the
      // same work took ten times as long (nothing else runs while the change is collected).
      for (const file of safe) inPlace.set(file.path, checkInPlace(checkout, file, maxBytes, input.contentCheck));
    }
  }

  // What the checkout does not hold: sizes first where the source knows them, then the content of what fits.
  const elsewhere = safe.filter((file) => inPlace.get(file.path)?.kind !== 'in-place');
  const sizes = elsewhere.length > 0 && input.source.headBlobSizes ? await input.source.headBlobSizes(elsewhere) : new Map<string, number>();
  const toRead = elsewhere.filter((file) => (sizes.get(file.path) ?? 0) <= maxBytes);
  const contents = toRead.length > 0 ? await input.source.readHeadFiles(toRead) : new Map<string, Buffer>();

  const reviewable: ChangedFile[] = [];
  const linked: { path: string; from: string }[] = [];
  const written: { path: string; content: Buffer }[] = [];
  for (const file of safe) {
    const local = inPlace.get(file.path);
    if (local?.kind === 'in-place') {
      if (local.binary) skipped.push({ path: file.path, reason: 'binary', detail: 'binary content' });
      else if (local.skip) skipped.push(local.skip);
      else {
        reviewable.push(file);
        linked.push({ path: file.path, from: local.full });
      }
      continue;
    }
    const size = sizes.get(file.path);
    if (size !== undefined && size > maxBytes) {
      skipped.push(tooLarge(file.path, size));
      continue;
    }
    const content = contents.get(file.path);
    if (!content) {
      // The checkout's copy was too large, but it may not be the head's: only the head's own size counts.
      skipped.push({ path: file.path, reason: 'unreadable', detail: 'head content unavailable' });
    } else if (content.length > maxBytes) skipped.push(tooLarge(file.path, content.length));
    else if (looksBinary(content)) skipped.push({ path: file.path, reason: 'binary', detail: 'binary content' });
    else {
      const skip = input.contentCheck?.(file.path, content);
      if (skip) {
        skipped.push(skip);
        continue;
      }
      reviewable.push(file);
      written.push({ path: file.path, content });
    }
  }

  const late = input.siblingCheck?.(
    reviewable.map((file) => file.path),
    skipped,
  );
  if (late && late.length > 0) {
    const dropped = new Set(late.map((skip) => skip.path));
    skipped.push(...late);
    for (const list of [reviewable, linked, written] as { path: string }[][]) {
      for (let i = list.length - 1; i >= 0; i--) if (dropped.has(list[i]!.path)) list.splice(i, 1);
    }
  }

  const files = reviewable.map((file) => file.path);
  if (written.length === 0 && input.checkoutDir !== undefined) {
    return { tree: { root: resolve(input.checkoutDir), files, inPlace: true }, reviewable, skipped, inPlaceCount: linked.length };
  }
  const root = join(input.tempDir, 'head');
  await mkdir(root, { recursive: true });
  const folders = new Map<string, Promise<unknown>>();
  const folderOf = (path: string): Promise<unknown> => {
    const folder = dirname(path);
    let made = folders.get(folder);
    if (!made) {
      made = mkdir(folder, { recursive: true });
      folders.set(folder, made);
    }
    return made;
  };
  await mapLimit([...linked, ...written], 16, async (file) => {
    const target = join(root, file.path);
    await folderOf(target);
    if ('content' in file) return writeFile(target, file.content);
    // Same bytes without a copy where the file system allows it.
    await link(file.from, target).catch(() => copyFile(file.from, target));
  });
  return { tree: { root, files, inPlace: false }, reviewable, skipped, inPlaceCount: linked.length };
}

/**
 * A folder that holds exactly the tree's files (hard links, copies across file systems): what a container may mount when the tree is
 * the checkout, which also holds files that were not reviewed (too large, vendored, binary) and must not be scanned.
 */
export async function isolateHeadTree(tree: HeadTree, dir: string): Promise<HeadTree> {
  if (!tree.inPlace) return tree;
  await mkdir(dir, { recursive: true });
  await mapLimit(tree.files, 16, async (path) => {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    const from = join(tree.root, path);
    await link(from, target).catch(() => copyFile(from, target));
  });
  return { root: dir, files: tree.files, inPlace: false };
}
