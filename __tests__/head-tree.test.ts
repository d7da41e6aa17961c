/**
 * The head tree (src/collect/head-tree.ts) against a hostile checkout: a file is used in place only when it is a regular file, not
 * reached through a symlink, within the size cap and with the head's blob sha; anything else is taken from the source (git or the
 * API) and never read from disk — a symlink to /dev/zero or a FIFO cannot stall or exhaust the run, and a file over the cap is not
 * read at all.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gitBlobSha } from '../src/collect/git.js';
import { isolateHeadTree, materializeHeadTree, type HeadSource } from '../src/collect/head-tree.js';
import type { ChangedFile } from '../src/types.js';

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uc-head-tree-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const fileOf = (path: string, content: string | Buffer): ChangedFile => ({
  path,
  status: 'added',
  additions: 1,
  deletions: 0,
  patch: '@@ -0,0 +1 @@\n+x',
  blobSha: gitBlobSha(Buffer.from(content)),
});

/** A source that serves the given head contents and records what it was asked for. */
function recordingSource(contents: Record<string, string | Buffer>, sizes: Record<string, number> = {}): HeadSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    headBlobSizes: async (files) => new Map(files.flatMap((f) => (sizes[f.path] === undefined ? [] : [[f.path, sizes[f.path]!] as const]))),
    readHeadFiles: async (files) => {
      asked.push(...files.map((f) => f.path));
      return new Map(files.flatMap((f) => (contents[f.path] === undefined ? [] : [[f.path, Buffer.from(contents[f.path]!)] as const])));
    },
  };
}

describe('materializeHeadTree', () => {
  test('every file in place with the head bytes: the checkout is the tree, nothing is copied or asked of the source', async () => {
    const checkout = await mkdtemp(join(scratch, 'co-'));
    await mkdir(join(checkout, 'src'));
    await writeFile(join(checkout, 'src/a.js'), 'eval(x);\n');
    await writeFile(join(checkout, 'b.py'), 'import os\n');
    const source = recordingSource({});
    const result = await materializeHeadTree({
      candidates: [fileOf('src/a.js', 'eval(x);\n'), fileOf('b.py', 'import os\n')],
      source,
      checkoutDir: checkout,
      tempDir: await mkdtemp(join(scratch, 'tmp-')),
      maxFileBytes: 1000,
    });
    assert.deepEqual(result.tree, { root: checkout, files: ['src/a.js', 'b.py'], inPlace: true });
    assert.deepEqual(source.asked, []);
    assert.equal(result.inPlaceCount, 2);
  });

  test('a symlink to /dev/zero, a FIFO and a symlinked folder are never read from disk: git\'s bytes are used instead', async () => {
    const checkout = await mkdtemp(join(scratch, 'co-'));
    await symlink('/dev/zero', join(checkout, 'zero.js'));
    execFileSync('mkfifo', [join(checkout, 'pipe.js')]);
    const elsewhere = await mkdtemp(join(scratch, 'elsewhere-'));
    await writeFile(join(elsewhere, 'c.js'), 'const c = 1;\n');
    await symlink(elsewhere, join(checkout, 'linked'));
    await writeFile(join(checkout, 'ok.js'), 'const ok = 1;\n');
    const head = { 'zero.js': '/dev/zero', 'pipe.js': 'const p = 1;\n', 'linked/c.js': 'const c = 1;\n', 'ok.js': 'const ok = 1;\n' };
    const source = recordingSource(head);
    const tempDir = await mkdtemp(join(scratch, 'tmp-'));
    const started = Date.now();
    const result = await materializeHeadTree({
      candidates: Object.entries(head).map(([path, content]) => fileOf(path, content)),
      source,
      checkoutDir: checkout,
      tempDir,
      maxFileBytes: 1000,
    });
    assert.ok(Date.now() - started < 10_000, 'neither /dev/zero nor the FIFO was read');
    assert.deepEqual(source.asked.sort(), ['linked/c.js', 'pipe.js', 'zero.js']);
    assert.equal(result.tree.inPlace, false);
    assert.equal(result.tree.root, join(tempDir, 'head'));
    for (const [path, content] of Object.entries(head)) assert.equal(await readFile(join(result.tree.root, path), 'utf8'), content, path);
    // The in-place file is a hard link of the checkout's (same inode), not a copy.
    assert.equal((await stat(join(result.tree.root, 'ok.js'))).ino, (await stat(join(checkout, 'ok.js'))).ino);
  });

  test('a file over the cap is not read: in place by its size, from git by the size git reports', async () => {
    const checkout = await mkdtemp(join(scratch, 'co-'));
    const big = 'x'.repeat(5000);
    await writeFile(join(checkout, 'big.js'), big);
    const source = recordingSource({}, { 'big.js': big.length, 'gone.js': 7000 });
    const result = await materializeHeadTree({
      candidates: [fileOf('big.js', big), fileOf('gone.js', 'y'.repeat(7000))],
      source,
      checkoutDir: checkout,
      tempDir: await mkdtemp(join(scratch, 'tmp-')),
      maxFileBytes: 1000,
    });
    assert.deepEqual(source.asked, [], 'nothing over the cap is read through the source either');
    assert.deepEqual(
      result.skipped.map((s) => [s.path, s.reason, s.detail]),
      [
        ['big.js', 'too-large', '5000 bytes (limit 1000)'],
        ['gone.js', 'too-large', '7000 bytes (limit 1000)'],
      ],
    );
    assert.deepEqual(result.reviewable, []);
  });

  test('bytes that are not the head\'s, binary content and unsafe paths', async () => {
    const checkout = await mkdtemp(join(scratch, 'co-'));
    await writeFile(join(checkout, 'stale.js'), 'old();\n');
    await writeFile(join(checkout, 'bin.dat'), Buffer.from('a\0b'));
    const source = recordingSource({ 'stale.js': 'fresh();\n' });
    const result = await materializeHeadTree({
      candidates: [fileOf('stale.js', 'fresh();\n'), fileOf('bin.dat', Buffer.from('a\0b')), fileOf('../outside.js', 'x'), fileOf('a/./b.js', 'x')],
      source,
      checkoutDir: checkout,
      tempDir: await mkdtemp(join(scratch, 'tmp-')),
      maxFileBytes: 1000,
    });
    assert.deepEqual(source.asked, ['stale.js']);
    assert.equal(await readFile(join(result.tree.root, 'stale.js'), 'utf8'), 'fresh();\n');
    assert.deepEqual(
      result.skipped.map((s) => [s.path, s.reason]).sort(),
      [
        ['../outside.js', 'unreadable'],
        ['a/./b.js', 'unreadable'],
        ['bin.dat', 'binary'],
      ],
    );
  });

  test('isolateHeadTree: a tree that is the checkout becomes a folder holding exactly its files (for a container mount)', async () => {
    const checkout = await mkdtemp(join(scratch, 'co-'));
    await mkdir(join(checkout, 'src'));
    await writeFile(join(checkout, 'src/a.js'), 'a();\n');
    await writeFile(join(checkout, 'huge-skipped.bin'), 'not reviewed\n');
    const isolated = await isolateHeadTree({ root: checkout, files: ['src/a.js'], inPlace: true }, join(scratch, 'isolated'));
    assert.equal(isolated.inPlace, false);
    assert.equal(await readFile(join(isolated.root, 'src/a.js'), 'utf8'), 'a();\n');
    await assert.rejects(stat(join(isolated.root, 'huge-skipped.bin')));
  });
});
