// src/runtime/tar.ts: the tree writer checked by GNU tar (the reference reader), the reader fed by GNU tar's own archives (ustar,
// GNU long names, PAX), and the reader's refusals (symlinks, corrupt headers, truncation, bounds). No Docker needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTar, TarFormatError, treeTar } from '../src/runtime/tar.js';

const LONG = `${'a'.repeat(80)}/${'b'.repeat(80)}/file.txt`;

async function fixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tar-test-'));
  await mkdir(join(dir, 'tree', LONG, '..'), { recursive: true });
  await writeFile(join(dir, 'tree', LONG), 'long\n');
  await writeFile(join(dir, 'tree', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  await symlink('/etc/passwd', join(dir, 'tree', 'passwd'));
  await symlink('/etc', join(dir, 'tree', 'etc'));
  return dir;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test('treeTar: regular files under repo/ owned 1000:1000, long paths through PAX, symlinks left out and reported; GNU tar agrees', async () => {
  const dir = await fixture();
  try {
    const skipped: string[] = [];
    const tar = await collect(treeTar({ treeRoot: join(dir, 'tree'), top: 'repo', uid: 1000, gid: 1000, mtime: 1_700_000_000, extraDirectories: ['home'], onSkip: (path) => skipped.push(path) }));
    assert.deepEqual(skipped.sort(), ['etc', 'passwd']);
    const listing = execFileSync('tar', ['-tv', '--numeric-owner', '-f', '-'], { input: tar, encoding: 'utf8' });
    assert.match(listing, new RegExp(`-rw-r--r-- 1000/1000 +5 .* repo/${LONG}`));
    assert.match(listing, /-rwxr-xr-x 1000\/1000 .* repo\/run\.sh/);
    assert.match(listing, /drwxr-xr-x 1000\/1000 .* home\//);
    assert.doesNotMatch(listing, /passwd|etc/);
    const read = readTar(tar);
    assert.equal(read.entries.find((e) => e.path === `repo/${LONG}`)?.data.toString(), 'long\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('treeTar with a file list: a path through a symlinked folder or out of the tree is skipped, never followed', async () => {
  const dir = await fixture();
  try {
    const skipped: string[] = [];
    const tar = await collect(treeTar({ treeRoot: join(dir, 'tree'), files: ['etc/passwd', '../x', 'passwd', 'run.sh'], top: 'repo', uid: 1000, gid: 1000, mtime: 0, onSkip: (path, reason) => skipped.push(`${path}: ${reason}`) }));
    assert.deepEqual(readTar(tar).entries.filter((e) => e.type === 'file').map((e) => e.path), ['repo/run.sh']);
    assert.equal(skipped.length, 3, skipped.join('\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('readTar: GNU and PAX archives of GNU tar; symlinks listed as skipped; bounds, corrupt and truncated archives', async () => {
  const dir = await fixture();
  try {
    // Plain ustar cannot hold the 170-byte name (GNU tar refuses it); the writer's ustar headers are checked by the test above.
    for (const format of ['gnu', 'pax']) {
      const archive = execFileSync('tar', [`--format=${format}`, '-c', '-f', '-', '-C', join(dir, 'tree'), '.']);
      const read = readTar(archive);
      assert.ok(read.entries.some((e) => e.path === LONG && e.type === 'file' && e.data.toString() === 'long\n'), `${format}: ${read.entries.map((e) => e.path).join(', ')}`);
      assert.deepEqual(read.skipped.map((s) => s.reason).sort(), ['symbolic link -> /etc', 'symbolic link -> /etc/passwd']);
      assert.ok(readTar(archive, { maxFileBytes: 4 }).skipped.some((s) => s.path === LONG && s.reason.startsWith('over 4 bytes')));
      assert.throws(() => readTar(archive, { maxEntries: 2 }), TarFormatError);
      const corrupt = Buffer.from(archive);
      corrupt[0] = corrupt[0]! ^ 0x01;
      assert.throws(() => readTar(corrupt), /checksum/);
      assert.throws(() => readTar(archive.subarray(0, 700)), /truncated|ends inside/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
