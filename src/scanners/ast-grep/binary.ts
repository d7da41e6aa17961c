import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ConfigurationError, getErrorMessage } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { VENDORED_BIN_DIR, VENDORED_MANIFEST, type VendoredManifest } from './assets.js';
import { defaultCacheRoot, identityOf, openCacheDir, readStamp, sameIdentity, writeStamp, type FileIdentity } from './binary-cache.js';
import { readAstGrepVersion } from './process.js';

/** An explicit ast-grep binary; wins over everything else. */
export const AST_GREP_ENV_VAR = 'ULTRA_CREATE_AST_GREP';

export type AstGrepOrigin = 'env' | 'vendored' | 'node_modules';

export interface ResolvedAstGrep {
  path: string;
  version: string;
  origin: AstGrepOrigin;
}

export interface ResolveAstGrepOptions {
  env?: NodeJS.ProcessEnv;
  /** The folder of the bundled action (`dist/`), where `bin/ast-grep.json` and the gzipped binaries are. */
  distDir?: string;
  /**
   * Where the vendored binary is unpacked; default `<RUNNER_TOOL_CACHE | $XDG_CACHE_HOME | ~/.cache>/ultra-create/ast-grep/<version>`.
   * A folder that others can write is not used (a fresh private temp folder is).
   */
  cacheDir?: string;
  logger: Logger;
  /** The sha256 of a file (undefined when it cannot be read); tests count the calls. Default: read and hash the whole file. */
  hashFile?: (path: string) => Promise<string | undefined>;
  /** `ast-grep --version`; tests count the calls. */
  readVersion?: (binary: string) => Promise<string>;
}

const EXE = process.platform === 'win32' ? '.exe' : '';

/**
 * Finds an ast-grep binary that runs, in this order: `ULTRA_CREATE_AST_GREP`; the binary vendored in `dist/bin` for this platform
 * (unpacked once into a cache folder only the current user can write, sha256-checked against the manifest, and stamped: later
 * runs hash it again only when its size, mtime, ctime or inode changed); `@ast-grep/cli` from node_modules. The version is read
 * from the binary itself (for the vendored one: when it was verified, then from the stamp).
 */
export async function resolveAstGrepBinary(options: ResolveAstGrepOptions): Promise<ResolvedAstGrep> {
  const { logger } = options;
  const env = options.env ?? process.env;
  const readVersion = options.readVersion ?? readAstGrepVersion;
  const explicit = env[AST_GREP_ENV_VAR]?.trim();
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new ConfigurationError(`${AST_GREP_ENV_VAR} is set to ${explicit}, which does not exist.`);
    let version: string;
    try {
      version = await readVersion(path);
    } catch (error) {
      throw new ConfigurationError(`${AST_GREP_ENV_VAR}=${explicit} is not a working ast-grep binary: ${getErrorMessage(error)}`);
    }
    logger.info(`ast-grep ${version} from ${AST_GREP_ENV_VAR} (${path}).`);
    return { path, version, origin: 'env' };
  }

  const notes: string[] = [];
  let vendoredPlatforms: string[] = [];
  if (options.distDir) {
    const manifestPath = join(options.distDir, VENDORED_BIN_DIR, VENDORED_MANIFEST);
    const manifest = await readManifest(manifestPath);
    if (manifest) {
      vendoredPlatforms = Object.keys(manifest.binaries).sort();
      const vendored = await unpackVendored(manifest, manifestPath, { ...options, env }, notes);
      if (vendored) return vendored;
    } else {
      notes.push(`no vendored binaries (${manifestPath} is absent)`);
    }
  }

  const installed = await resolveFromNodeModules(notes, readVersion);
  if (installed) {
    logger.info(`ast-grep ${installed.version} from node_modules (${installed.path}).`);
    return installed;
  }

  const platform = `${process.platform}-${process.arch}`;
  throw new ConfigurationError(
    [
      `ast-grep was not found for ${platform}.`,
      vendoredPlatforms.length > 0
        ? `The action ships ast-grep for ${vendoredPlatforms.join(', ')} only.`
        : 'This copy of the action ships no ast-grep binary.',
      `Install it (npm install @ast-grep/cli, or download a release from https://github.com/ast-grep/ast-grep/releases) and set the environment variable ${AST_GREP_ENV_VAR} to the path of the ast-grep binary, or remove ast-grep from the \`scanners\` input.`,
      notes.length > 0 ? `(Tried: ${notes.join('; ')}.)` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}

async function readManifest(path: string): Promise<VendoredManifest | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  // Read as untrusted JSON: each field is checked before the manifest is used.
  const parsed = JSON.parse(text) as { version?: unknown; binaries?: unknown };
  if (typeof parsed.version !== 'string' || typeof parsed.binaries !== 'object' || parsed.binaries === null) {
    throw new Error(`${path} is not a valid ast-grep manifest (expected {version, binaries}).`);
  }
  return parsed as VendoredManifest;
}

/** The vendored binaries are glibc builds: on a musl system (Alpine) they cannot start. */
function isMuslLinux(): boolean {
  if (process.platform !== 'linux') return false;
  // ldd names its C library (a few kilobytes to read); node's diagnostic report also knows, but takes 15 ms to build.
  let ldd = '';
  try {
    ldd = readFileSync('/usr/bin/ldd', 'latin1');
  } catch {
    // no ldd: ask the report
  }
  if (ldd.includes('musl')) return true;
  if (/GNU C Library|GLIBC|glibc/.test(ldd)) return false;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header !== undefined && !report.header.glibcVersionRuntime;
}

async function unpackVendored(
  manifest: VendoredManifest,
  manifestPath: string,
  options: ResolveAstGrepOptions & { env: NodeJS.ProcessEnv },
  notes: string[],
): Promise<ResolvedAstGrep | undefined> {
  const { logger, env } = options;
  const key = `${process.platform}-${process.arch}`;
  const entry = manifest.binaries[key];
  if (!entry) {
    notes.push(`no vendored binary for ${key}`);
    return undefined;
  }
  if (isMuslLinux()) {
    notes.push('the vendored linux binary needs glibc and this system uses musl');
    return undefined;
  }
  if (!/^[0-9a-f]{64}$/.test(entry.sha256)) throw new Error(`${manifestPath}: binaries.${key}.sha256 is not a sha256 digest.`);
  const gzPath = join(dirname(manifestPath), entry.gz);
  if (!existsSync(gzPath)) throw new Error(`${manifestPath} lists ${entry.gz}, which is missing: the action is packaged incorrectly.`);

  const located = await openCacheDir(options.cacheDir ?? join(defaultCacheRoot(env), 'ast-grep', manifest.version));
  if (located.refused) {
    logger.warning(`ast-grep: not using the cache folder: ${located.refused}. Unpacking into the private temporary folder ${located.dir} instead (again on every run).`);
  }
  const target = join(located.dir, `ast-grep${EXE}`);
  const uid = process.getuid?.();
  const hashFile = options.hashFile ?? sha256OfFile;
  const readVersion = options.readVersion ?? readAstGrepVersion;

  // Verified before, and not touched since: no 55 MB to hash, no process to start.
  if (located.trusted && uid !== undefined) {
    const [stamp, now] = await Promise.all([readStamp(target, uid), identityOf(target, uid)]);
    if (stamp && now && stamp.sha256 === entry.sha256 && sameIdentity(stamp, now)) {
      logger.debug(`ast-grep: reusing ${target} (sha256 verified) — unchanged since its stamp of ${stamp.verifiedAt} (size, mtime, ctime, inode), not hashed again.`);
      logger.info(`ast-grep ${stamp.version} (vendored, ${target}).`);
      return { path: target, version: stamp.version, origin: 'vendored' };
    }
  }

  let verified: FileIdentity | undefined;
  const before = await identityOf(target, uid);
  if (before && (await hashFile(target)) === entry.sha256) {
    await ensureExecutable(target);
    const after = await identityOf(target, uid);
    // Only what was hashed gets a stamp: a file replaced meanwhile is checked again next time.
    if (after?.ino === before.ino && after.size === before.size && after.mtimeNs === before.mtimeNs) verified = after;
    logger.debug(`ast-grep: reusing ${target} (sha256 verified).`);
  } else {
    verified = await extractVerified(gzPath, target, entry.sha256, manifestPath);
    logger.debug(`ast-grep: unpacked ${gzPath} to ${target}.`);
  }

  let version: string;
  try {
    version = await readVersion(target);
  } catch (error) {
    // e.g. a temp dir mounted noexec: node_modules may still have one.
    logger.warning(`The vendored ast-grep binary does not run on this machine: ${getErrorMessage(error)}`);
    notes.push(`the vendored binary ${target} did not run`);
    return undefined;
  }
  if (version !== manifest.version) {
    logger.warning(`The vendored ast-grep reports version ${version}, the manifest says ${manifest.version}.`);
  }
  if (located.trusted && verified) {
    await writeStamp(target, { sha256: entry.sha256, version, ...verified, verifiedAt: new Date().toISOString() });
  }
  logger.info(`ast-grep ${version} (vendored, ${target}).`);
  return { path: target, version, origin: 'vendored' };
}

async function sha256OfFile(path: string): Promise<string | undefined> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

async function ensureExecutable(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(path);
  if ((mode & 0o111) !== 0o111) await chmod(path, 0o755);
}

/**
 * Gunzips to a temporary name in the target folder, checks the digest, then renames: a concurrent run either sees no file, or a
 * complete, verified one (rename is atomic within a file system), never a half-written binary. Returns what the unpacked file looks
 * like, for its stamp.
 */
async function extractVerified(gzPath: string, target: string, expected: string, manifestPath: string): Promise<FileIdentity | undefined> {
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(gzPath), createGunzip(), tee, createWriteStream(temp, { mode: 0o755 }));
    const actual = hash.digest('hex');
    if (actual !== expected) {
      throw new Error(
        `The vendored ast-grep binary ${gzPath} does not match the sha256 recorded in ${manifestPath} (expected ${expected}, got ${actual}): dist/ is corrupt or was modified. Rebuild it with npm run build, or set ${AST_GREP_ENV_VAR} to a trusted ast-grep binary.`,
      );
    }
    if (process.platform !== 'win32') await chmod(temp, 0o755);
    const uid = process.getuid?.();
    const written = await identityOf(temp, uid);
    await rename(temp, target);
    // What the stamp describes: this very file (a concurrent run may already have renamed its own copy over it).
    const now = await identityOf(target, uid);
    return written && now?.ino === written.ino && now.dev === written.dev ? now : undefined;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Package names as @ast-grep/cli's own postinstall picks them. */
function platformPackages(): string[] {
  const { platform, arch } = process;
  if (platform === 'linux') return [`@ast-grep/cli-linux-${arch}-gnu`];
  if (platform === 'darwin') return [`@ast-grep/cli-darwin-${arch}`];
  if (platform === 'win32') return [`@ast-grep/cli-win32-${arch}-msvc`];
  return [];
}

async function resolveFromNodeModules(notes: string[], readVersion: (binary: string) => Promise<string>): Promise<ResolvedAstGrep | undefined> {
  const requireFrom = createRequire(import.meta.url);
  let cliDir: string | undefined;
  try {
    cliDir = dirname(requireFrom.resolve('@ast-grep/cli/package.json'));
  } catch {
    notes.push('@ast-grep/cli is not installed');
  }
  // The platform package holds the real binary; @ast-grep/cli has a copy only when its postinstall ran.
  const candidates: string[] = [];
  for (const name of platformPackages()) {
    try {
      const paths = cliDir ? [cliDir] : undefined;
      candidates.push(join(dirname(requireFrom.resolve(`${name}/package.json`, { paths })), `ast-grep${EXE}`));
    } catch {
      // not installed for this platform
    }
  }
  if (cliDir) candidates.push(join(cliDir, `ast-grep${EXE}`));
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      return { path, version: await readVersion(path), origin: 'node_modules' };
    } catch (error) {
      notes.push(`${path} did not run (${getErrorMessage(error)})`);
    }
  }
  if (cliDir && candidates.length > 0 && notes.length === 0) notes.push('@ast-grep/cli has no binary for this platform');
  return undefined;
}
