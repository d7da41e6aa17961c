import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveHeadCheckout } from '../src/collect/checkout.js';
import type { HeadCheckout } from '../src/types.js';
import { git } from './support/git-fixture.js';

let scratch = '';
let repo = '';
let head = '';

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'uc-checkout-'));
  repo = join(scratch, 'repo');
  await mkdir(join(repo, 'test'), { recursive: true });
  await git(repo, ['init', '-q', '-b', 'main']);
  await writeFile(join(repo, 'package.json'), '{"name":"x"}\n');
  await writeFile(join(repo, 'test', 'a.test.js'), "test('a', () => {});\n");
  await writeFile(join(repo, 'big.bin'), Buffer.alloc(300_000, 7));
  await symlink('/dev/zero', join(repo, 'zero.js'));
  await git(repo, ['add', '-A']);
  await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'one']);
  head = (await git(repo, ['rev-parse', 'HEAD'])).toString('utf8').trim();
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function ready(service: Awaited<ReturnType<typeof resolveHeadCheckout>>): HeadCheckout {
  assert.equal(service.status, 'ready', service.reason);
  return service.value;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('the head commit from git objects', () => {
  test('lists and reads the committed tree, whatever the working files are now', async () => {
    const checkout = ready(await resolveHeadCheckout(repo, head));
    assert.equal(checkout.revision, head);
    assert.equal(checkout.note, undefined);
    // The working tree changes after the commit: the head commit's bytes are what counts.
    await writeFile(join(repo, 'package.json'), '{"name":"changed"}\n');
    assert.deepEqual([...(await checkout.listFiles())].sort(), ['big.bin', 'package.json', 'test/a.test.js', 'zero.js']);
    assert.equal((await checkout.readFile('package.json'))?.toString('utf8'), '{"name":"x"}\n');
    // A symlink is what git stores: its target path, never the device's bytes.
    assert.equal((await checkout.readFile('zero.js'))?.toString('utf8'), '/dev/zero');
    assert.equal(await checkout.readFile('big.bin', 1000), undefined, 'over the bound: not read');
    assert.equal(await checkout.readFile('missing.js'), undefined);
    await git(repo, ['checkout', '--', 'package.json']);
  });

  test('the archive is a tar of exactly the committed tree; over the size bound it fails with a clear error', async () => {
    const checkout = ready(await resolveHeadCheckout(repo, head));
    const tar = await collect(checkout.archive(10 * 1024 * 1024));
    const out = join(scratch, 'tar-out');
    await mkdir(out);
    await writeFile(join(scratch, 'head.tar'), tar);
    const names = execFileSync('tar', ['-tvf', join(scratch, 'head.tar')], { encoding: 'utf8' });
    assert.match(names, /package\.json/);
    assert.match(names, /test\/a\.test\.js/);
    assert.match(names, /zero\.js -> \/dev\/zero/, 'the symlink travels as a symlink');
    await assert.rejects(collect(checkout.archive(100_000)), /the head tree is larger than 100,000 bytes: it is not copied into the sandbox/);
  });

  test('a head commit missing from the clone falls back to the checkout HEAD, and says so; no clone at all is a reason', async () => {
    const missing = 'f'.repeat(40);
    const fallback = ready(await resolveHeadCheckout(repo, missing));
    assert.equal(fallback.revision, head);
    assert.match(fallback.note ?? '', /the head commit fffffff is not in the clone: the tests run on the checkout's HEAD/);
    const empty = await mkdtemp(join(scratch, 'no-git-'));
    const none = await resolveHeadCheckout(empty, missing);
    assert.equal(none.status, 'skipped');
    assert.match(none.reason ?? '', /is not a git clone holding the head commit fffffff \(run actions\/checkout first\)/);
  });
});
