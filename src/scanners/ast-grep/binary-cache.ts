import { rmSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * Where the vendored ast-grep binary is unpacked, and the stamp that lets a later run skip hashing its 55 MB.
 *
 * The stamp says "this file had the manifest's sha256 when we checked it, and looked like this then" (size, mtime, ctime, inode).
 * It is worth something only when nobody else can have written the binary or the stamp since, so both live in a folder that only
 * the current user can write, reached through folders that nobody else can rename: a stamp is read only from such a folder, and
 * only when the current user wrote it. Where that cannot be checked (Windows: no uid) the binary is hashed on every run.
 */

/** `<RUNNER_TOOL_CACHE>/ultra-create` on a runner, else `$XDG_CACHE_HOME/ultra-create`, else `~/.cache/ultra-create`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv): string {
  if (env.RUNNER_TOOL_CACHE) return join(env.RUNNER_TOOL_CACHE, 'ultra-create');
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'ultra-create');
  return join(env.HOME || homedir(), '.cache', 'ultra-create');
}

export interface CacheDir {
  /** The folder to unpack into (a real path: no symbolic link on the way). */
  dir: string;
  /** Whether a stamp in it may be believed: a folder only we can write, on a system where that can be checked. */
  trusted: boolean;
  /** Why the requested folder was not used (then `dir` is a fresh private temp folder, removed when the process exits). */
  refused?: string;
}

const currentUid = (): number | undefined => (process.platform === 'win32' ? undefined : process.getuid?.());

/**
 * Creates `requested` (mode 0700 for every folder it creates) and checks that only the current user can write it: owned by the
 * user, not group or world writable, and every folder above it owned by the user or root and not writable by others (unless sticky,
 * as /tmp is: then others cannot rename our folder away). When that does not hold, a fresh private temp folder is used instead.
 */
export async function openCacheDir(requested: string, uid = currentUid()): Promise<CacheDir> {
  try {
    await mkdir(requested, { recursive: true, mode: 0o700 });
  } catch (error) {
    return privateTempDir(`${requested} cannot be created (${(error as Error).message})`);
  }
  if (uid === undefined) return { dir: requested, trusted: false };
  const real = await realpath(requested);
  const problem = await checkPrivateDir(real, uid);
  if (problem) return privateTempDir(problem);
  return { dir: real, trusted: true };
}

/** Why `dir` (a real path) is not a folder only `uid` can write, or undefined when it is. */
export async function checkPrivateDir(dir: string, uid: number): Promise<string | undefined> {
  const own = await lstat(dir);
  if (!own.isDirectory()) return `${dir} is not a directory`;
  if (own.uid !== uid) return `${dir} is owned by uid ${own.uid}, not by the current user (uid ${uid})`;
  if ((own.mode & 0o022) !== 0) return `${dir} is writable by its group or by others (mode ${modeOf(own.mode)})`;
  for (let parent = dirname(dir), child = dir; parent !== child; child = parent, parent = dirname(parent)) {
    const st = await lstat(parent);
    if (st.uid !== uid && st.uid !== 0) return `${parent}, a folder above ${dir}, is owned by uid ${st.uid} (neither the current user nor root)`;
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) {
      return `${parent}, a folder above ${dir}, is writable by its group or by others without the sticky bit (mode ${modeOf(st.mode)})`;
    }
  }
  return undefined;
}

const modeOf = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/** Temp folders made for a refused cache folder: each holds a 55 MB binary, so they go when the process does. */
const temporaryDirs = new Set<string>();
let cleanupRegistered = false;

async function privateTempDir(refused: string): Promise<CacheDir> {
  const dir = await mkdtemp(join(tmpdir(), 'ultra-create-ast-grep-'));
  temporaryDirs.add(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.once('exit', () => {
      for (const d of temporaryDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  return { dir, trusted: false, refused };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// The stamp

/** What the binary looked like when its sha256 was checked. Numbers as decimal strings: nanoseconds do not fit a double. */
export interface BinaryStamp {
  sha256: string;
  /** What `ast-grep --version` printed then. */
  version: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
  verifiedAt: string;
}

export type FileIdentity = Pick<BinaryStamp, 'size' | 'mtimeNs' | 'ctimeNs' | 'ino' | 'dev'>;

export const STAMP_SUFFIX = '.stamp.json';

/**
 * Size, mtime, ctime (which no one can set back), inode and device of a regular file owned by `uid` that only its owner can write;
 * undefined otherwise (missing, a symbolic link, someone else's).
 */
export async function identityOf(path: string, uid: number | undefined): Promise<FileIdentity | undefined> {
  let st;
  try {
    st = await lstat(path, { bigint: true });
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  if (uid !== undefined && (Number(st.uid) !== uid || (st.mode & 0o022n) !== 0n)) return undefined;
  return { size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), dev: String(st.dev) };
}

export const sameIdentity = (a: FileIdentity, b: FileIdentity): boolean =>
  a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev;

/** The stamp beside `binary`, when it is a file the current user wrote and only they can write; else undefined. */
export async function readStamp(binary: string, uid: number): Promise<BinaryStamp | undefined> {
  const path = `${binary}${STAMP_SUFFIX}`;
  if (!(await identityOf(path, uid))) return undefined;
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<BinaryStamp>;
    const fields = ['sha256', 'version', 'size', 'mtimeNs', 'ctimeNs', 'ino', 'dev'] as const;
    return fields.every((f) => typeof parsed[f] === 'string') ? (parsed as BinaryStamp) : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed: a concurrent run reads the old stamp or the new one, never half of one. */
export async function writeStamp(binary: string, stamp: BinaryStamp): Promise<void> {
  const path = `${binary}${STAMP_SUFFIX}`;
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(stamp, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, path);
  } catch {
    // Without a stamp the next run hashes again: slower, never wrong.
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
