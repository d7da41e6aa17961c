import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, chmod, chown, mkdir, mkdtemp, open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RecordingLogger } from './support/recording-logger.js';
import { resolveAstGrepBinary, type ResolveAstGrepOptions } from '../src/scanners/ast-grep/binary.js';
import { checkPrivateDir, defaultCacheRoot, STAMP_SUFFIX } from '../src/scanners/ast-grep/binary-cache.js';
import { readAstGrepVersion } from '../src/scanners/ast-grep/process.js';
import { vendorAstGrep } from './support/vendored-ast-grep.js';

const LINUX_X64 = `${process.platform}-${process.arch}` === 'linux-x64';
const POSIX = process.platform !== 'win32';
const ROOT_USER = process.getuid?.() === 0;

let scratch = '';
let dist = '';
let sha = '';
let dirs = 0;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ast-grep-binary-cache-test-'));
  if (!LINUX_X64) return;
  dist = join(scratch, 'dist');
  sha = await vendorAstGrep(dist);
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A cache folder that does not exist yet, in a folder only we can write. */
const freshCacheDir = (): string => join(scratch, `cache-${++dirs}`, '0.51.1');

/** resolveAstGrepBinary with the hashing and the version probe counted. */
function counted(options: Partial<ResolveAstGrepOptions> & { cacheDir?: string }) {
  const calls = { hash: 0, version: 0 };
  const logger = new RecordingLogger();
  const resolve = () =>
    resolveAstGrepBinary({
      env: {},
      distDir: dist,
      logger,
      ...options,
      hashFile: async (path) => {
        calls.hash++;
        try {
          return createHash('sha256').update(await readFile(path)).digest('hex');
        } catch {
          return undefined;
        }
      },
      readVersion: (binary) => {
        calls.version++;
        return readAstGrepVersion(binary);
      },
    });
  return { calls, logger, resolve };
}

const sha256Of = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');
const inodeOf = async (path: string): Promise<number> => (await stat(path)).ino;

describe('the vendored binary is verified once, then trusted by its stamp', { skip: !LINUX_X64 && 'the test vendors the linux-x64 binary' }, () => {
  test('a second resolve neither hashes the binary nor starts it', async () => {
    const cacheDir = freshCacheDir();
    const { calls, resolve, logger } = counted({ cacheDir });
    const first = await resolve();
    assert.deepEqual(first, { path: join(cacheDir, 'ast-grep'), version: '0.51.1', origin: 'vendored' });
    assert.deepEqual(calls, { hash: 0, version: 1 }, 'nothing to hash yet: unpacked (and hashed while unpacking), then run once');
    const stamp = JSON.parse(await readFile(`${first.path}${STAMP_SUFFIX}`, 'utf8')) as Record<string, string>;
    assert.equal(stamp.sha256, sha);
    assert.equal(stamp.version, '0.51.1');
    assert.equal(stamp.size, String((await stat(first.path)).size));
    assert.match(stamp.mtimeNs ?? '', /^\d+$/);
    assert.equal((await stat(`${first.path}${STAMP_SUFFIX}`)).mode & 0o777, 0o600);

    const again = await resolve();
    assert.deepEqual(again, first);
    assert.deepEqual(calls, { hash: 0, version: 1 }, 'the second resolve neither hashes nor runs ast-grep --version');
    assert.match(logger.text(), /reusing .* \(sha256 verified\) — unchanged since its stamp/);
  });

  test('a changed mtime makes it hash again; the same bytes are kept (not unpacked again) and stamped anew', async () => {
    const cacheDir = freshCacheDir();
    const { calls, resolve } = counted({ cacheDir });
    const { path } = await resolve();
    const inode = await inodeOf(path);
    await utimes(path, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));

    await resolve();
    assert.deepEqual(calls, { hash: 1, version: 2 });
    assert.equal(await inodeOf(path), inode, 'the bytes matched the manifest: the file stays');
    await resolve();
    assert.deepEqual(calls, { hash: 1, version: 2 }, 'the new stamp is trusted');
  });

  test('a changed size makes it hash again, and a binary that no longer matches is unpacked again', async () => {
    const cacheDir = freshCacheDir();
    const { calls, resolve } = counted({ cacheDir });
    const { path } = await resolve();
    const inode = await inodeOf(path);
    await appendFile(path, Buffer.from([0]));

    const repaired = await resolve();
    assert.equal(repaired.origin, 'vendored');
    assert.equal(calls.hash, 1);
    assert.notEqual(await inodeOf(path), inode);
    assert.equal(await sha256Of(path), sha);
  });

  test('a binary tampered with in place (same size, new mtime) is unpacked again', async () => {
    const cacheDir = freshCacheDir();
    const { calls, resolve } = counted({ cacheDir });
    const { path } = await resolve();
    const { size } = await stat(path);
    const handle = await open(path, 'r+');
    await handle.write(Buffer.from('tampered'), 0, 8, 4096);
    await handle.close();
    assert.equal((await stat(path)).size, size);
    assert.notEqual(await sha256Of(path), sha);

    await resolve();
    assert.equal(calls.hash, 1);
    assert.equal(await sha256Of(path), sha, 'the manifest bytes are back');
  });

  test('tampered with, then the old mtime put back: the ctime still tells, and it is unpacked again', async () => {
    const cacheDir = freshCacheDir();
    const { calls, resolve } = counted({ cacheDir });
    const { path } = await resolve();
    // A whole-second mtime, so that putting it back is exact; the stamp then records it.
    const when = new Date('2021-06-01T12:00:00Z');
    await utimes(path, when, when);
    await resolve();
    assert.equal(calls.hash, 1);
    const inode = await inodeOf(path);

    const handle = await open(path, 'r+');
    await handle.write(Buffer.from('tampered'), 0, 8, 4096);
    await handle.close();
    await utimes(path, when, when);
    assert.equal((await stat(path)).mtimeMs, when.getTime());
    assert.equal(await inodeOf(path), inode);

    await resolve();
    assert.equal(calls.hash, 2);
    assert.equal(await sha256Of(path), sha);
  });

  test('a stamp others could have written is not believed', { skip: !POSIX }, async () => {
    const cacheDir = freshCacheDir();
    const { calls, resolve } = counted({ cacheDir });
    const { path } = await resolve();
    await chmod(`${path}${STAMP_SUFFIX}`, 0o666);
    await resolve();
    assert.equal(calls.hash, 1);
  });
});

describe('the cache folder is one only the current user can write', { skip: !POSIX && 'no uid on Windows' }, () => {
  test('by default: the tool cache on a runner, else $XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(defaultCacheRoot({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache', XDG_CACHE_HOME: '/x', HOME: '/home/u' }), '/opt/hostedtoolcache/ultra-create');
    assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: '/x', HOME: '/home/u' }), '/x/ultra-create');
    assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' }), '/home/u/.cache/ultra-create', 'a relative XDG_CACHE_HOME is ignored');
    assert.equal(defaultCacheRoot({ HOME: '/home/u' }), '/home/u/.cache/ultra-create');
  });

  test('the folders it creates are mode 0700', { skip: !LINUX_X64 }, async () => {
    const xdg = join(scratch, `xdg-${++dirs}`);
    await mkdir(xdg, { mode: 0o700 });
    const { resolve } = counted({ env: { XDG_CACHE_HOME: xdg } });
    const resolved = await resolve();
    assert.equal(resolved.path, join(xdg, 'ultra-create', 'ast-grep', '0.51.1', 'ast-grep'));
    for (const dir of ['ultra-create', 'ultra-create/ast-grep', 'ultra-create/ast-grep/0.51.1']) {
      assert.equal((await stat(join(xdg, dir))).mode & 0o777, 0o700, dir);
    }
  });

  test('a cache folder writable by others is not used: a fresh private temp folder is', { skip: !LINUX_X64 }, async () => {
    const cacheDir = freshCacheDir();
    await mkdir(cacheDir, { recursive: true });
    await chmod(cacheDir, 0o777);
    const { calls, logger, resolve } = counted({ cacheDir });
    const first = await resolve();
    assert.equal(first.origin, 'vendored');
    assert.ok(!first.path.startsWith(cacheDir), first.path);
    assert.match(dirname(first.path), /ultra-create-ast-grep-/);
    assert.equal((await stat(dirname(first.path))).mode & 0o777, 0o700);
    assert.match(logger.text(), /not using the cache folder: .* is writable by its group or by others \(mode 0777\)/);

    // Nothing is trusted there: the next run unpacks again, into another temp folder.
    const second = await resolve();
    assert.notEqual(dirname(second.path), dirname(first.path));
    assert.equal(calls.version, 2);
  });

  test('a folder above it that others can write (without the sticky bit) refuses it too; with the sticky bit it is fine', async () => {
    const parent = join(scratch, `shared-${++dirs}`);
    const cacheDir = join(parent, 'mine');
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await chmod(parent, 0o777);
    assert.match((await checkPrivateDir(cacheDir, process.getuid!())) ?? '', /a folder above .* is writable by its group or by others without the sticky bit/);
    await chmod(parent, 0o1777);
    assert.equal(await checkPrivateDir(cacheDir, process.getuid!()), undefined);
  });

  test('a folder owned by someone else is refused', async () => {
    const dir = join(scratch, `theirs-${++dirs}`);
    await mkdir(dir, { mode: 0o700 });
    const uid = process.getuid!();
    assert.match((await checkPrivateDir(dir, uid + 1)) ?? '', /is owned by uid \d+, not by the current user/);
  });

  test('a cache folder given to another user is not used', { skip: (!LINUX_X64 || !ROOT_USER) && 'needs root (to give a folder away) and linux-x64' }, async () => {
    const cacheDir = freshCacheDir();
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await chown(cacheDir, 65534, 65534);
    const { logger, resolve } = counted({ cacheDir });
    const resolved = await resolve();
    assert.ok(!resolved.path.startsWith(cacheDir), resolved.path);
    assert.match(logger.text(), /is owned by uid 65534, not by the current user/);
  });
});
