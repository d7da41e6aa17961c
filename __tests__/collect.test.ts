/**
 * The change sources against real git repositories: the local source (`git diff` zipped into the shape of `pulls.listFiles`), the
 * GitHub source's head-file reading (workspace, git objects, API) through the simulator, their parity on the same pull request, and
 * `collectChange` on top of them. No mocks: git is the real CLI, GitHub is the simulator over a real repository.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { collectChange, type CollectedChange } from '../src/collect/collect.js';
import { gitBlobSha, readObjects } from '../src/collect/git.js';
import {
  combineLocalDiff,
  createGitHubChangeSource,
  createLocalGitChangeSource,
  resolveLocalRevisions,
  type ChangeSource,
} from '../src/collect/source.js';
import { createPullRequestApi } from '../src/github/api.js';
import { createOctokit } from '../src/github/client.js';
import { RecordingLogger } from './support/recording-logger.js';
import type { ChangedFile, HeadTree } from '../src/types.js';
import { createPullRequestFixture, git, type PullRequestFixture } from './support/git-fixture.js';
import { startGitHubSimulator, type GitHubSimulator } from './support/github-simulator.js';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const EMPTY_BLOB = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x01]);
const PNG2 = Buffer.concat([PNG, Buffer.from([0x00, 0x02, 0x03])]);

let scratch = '';
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'collect-test-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// A real repository with a working tree

interface Repo {
  dir: string;
  /** Writes (string/Buffer), deletes (null) and commits everything; returns the commit sha. */
  commit(files: Record<string, string | Buffer | null>, message?: string): Promise<string>;
  run(...args: string[]): Promise<string>;
}

let repoCount = 0;
async function createRepo(): Promise<Repo> {
  const dir = join(scratch, `repo-${++repoCount}`);
  await mkdir(dir, { recursive: true });
  const run = async (...args: string[]): Promise<string> => (await git(dir, args)).toString('utf8');
  await run('init', '-q', '-b', 'main');
  await run('config', 'user.name', 'Test Author');
  await run('config', 'user.email', 'test@example.com');
  await run('config', 'commit.gpgsign', 'false');
  let commits = 0;
  return {
    dir,
    run,
    async commit(files, message = `commit ${++commits}`) {
      for (const [path, content] of Object.entries(files)) {
        const target = join(dir, path);
        if (content === null) await rm(target, { force: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, content);
        }
      }
      await run('add', '-A');
      await run('commit', '-q', '--allow-empty', '-m', message);
      return (await run('rev-parse', 'HEAD')).trim();
    },
  };
}

function lines(count: number, prefix = 'const v'): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1} = ${i + 1};\n`).join('');
}

/** The per-file patch as git prints it for `git diff base head -- paths`, cut like GitHub's `patch` field. */
async function gitPatchOf(repo: Repo, base: string, head: string, ...paths: string[]): Promise<string | undefined> {
  const text = await repo.run('diff', '-U3', '--find-renames', '--no-color', base, head, '--', ...paths);
  const start = text.search(/^@@ /m);
  return start === -1 ? undefined : text.slice(start).replace(/\n$/, '');
}

function byPath(files: readonly ChangedFile[]): Map<string, ChangedFile> {
  return new Map(files.map((file) => [file.path, file]));
}

function get<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  assert.ok(value !== undefined, `missing ${String(key)}`);
  return value;
}

function localSource(dir: string, baseSha: string, headSha: string): ChangeSource {
  return createLocalGitChangeSource(dir, { baseSha, headSha, baseLabel: baseSha });
}

/** The head tree's files and their bytes (the root may hold other files when it is the checkout). */
async function readTree(tree: HeadTree): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  for (const path of [...tree.files].sort()) result.set(path, await readFile(join(tree.root, path)));
  return result;
}

async function listFilesIn(dir: string): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else result.set(relative(dir, path).split('\\').join('/'), await readFile(path));
    }
  };
  await walk(dir);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------------------------

describe('local source: combineLocalDiff on real git output', () => {
  let repo: Repo;
  let base = '';
  let head = '';
  let files: Map<string, ChangedFile>;
  let ordered: ChangedFile[];

  before(async () => {
    repo = await createRepo();
    const subA = await repo.commit({ 'seed.txt': 'seed\n' }, 'seed');
    const subB = await repo.commit({ 'seed.txt': 'seed 2\n' }, 'seed 2');
    // A gitlink without a clone: an empty folder is what an uninitialized submodule looks like.
    await mkdir(join(repo.dir, 'sub'));
    await repo.run('update-index', '--add', '--cacheinfo', `160000,${subA},sub`);
    base = await repo.commit({
      'modify.js': 'a\nb\nc\n',
      'delete.txt': 'bye\n',
      'move-same.txt': lines(20),
      'move-edit.js': lines(20, 'const e'),
      'mode.sh': 'echo hi\n',
      'image.png': PNG,
      'no-eol.txt': 'x\ny',
      'link': 'a regular file\n',
      'zz-last.js': 'first\n',
    });
    await repo.run('mv', 'move-same.txt', 'moved-same.txt');
    await repo.run('mv', 'move-edit.js', 'moved-edit.js');
    await chmod(join(repo.dir, 'mode.sh'), 0o755);
    await unlink(join(repo.dir, 'link'));
    await symlink('modify.js', join(repo.dir, 'link'));
    await repo.run('update-index', '--cacheinfo', `160000,${subB},sub`);
    head = await repo.commit({
      'modify.js': 'a\nB\nc\nd\n',
      'delete.txt': null,
      'moved-edit.js': lines(20, 'const e').replace('const e10 = 10;', 'const e10 = 1000;'),
      'image.png': PNG2,
      'no-eol.txt': 'x\nz',
      'empty.txt': '',
      'added.js': 'const x = 1;\n',
      'dir with space/ünïcödé.js': 'export const ü = 1;\n',
      '.github/scripts/x.js': 'run();\n',
      'zz-last.js': 'first\nsecond\n',
    });
    ordered = (await localSource(repo.dir, base, head).listChangedFiles()).files;
    files = byPath(ordered);
  });

  test('lists every change once, with the status GitHub would give', () => {
    assert.deepEqual(
      Object.fromEntries(ordered.map((f) => [f.path, f.status])),
      {
        '.github/scripts/x.js': 'added',
        'added.js': 'added',
        'delete.txt': 'removed',
        'dir with space/ünïcödé.js': 'added',
        'empty.txt': 'added',
        'image.png': 'modified',
        link: 'changed',
        'mode.sh': 'modified',
        'modify.js': 'modified',
        'moved-edit.js': 'renamed',
        'moved-same.txt': 'renamed',
        'no-eol.txt': 'modified',
        sub: 'modified',
        'zz-last.js': 'modified',
      },
    );
    assert.equal(get(files, 'moved-edit.js').previousPath, 'move-edit.js');
    assert.equal(get(files, 'moved-same.txt').previousPath, 'move-same.txt');
    assert.equal(get(files, 'modify.js').previousPath, undefined);
  });

  test('patches start at the first hunk, have no trailing newline and match git for every file', async () => {
    for (const file of ordered) {
      if (file.patch === undefined) continue;
      assert.match(file.patch, /^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/, file.path);
      assert.ok(!file.patch.endsWith('\n'), `${file.path}: trailing newline`);
      if (file.status === 'changed') continue; // a type change has two sections in git's output, checked below
      const paths = file.previousPath ? [file.previousPath, file.path] : [file.path];
      assert.equal(file.patch, await gitPatchOf(repo, base, head, ...paths), file.path);
    }
    assert.equal(get(files, 'modify.js').patch, '@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d');
    assert.equal(get(files, 'zz-last.js').patch, '@@ -1 +1,2 @@\n first\n+second');
    assert.equal(get(files, 'added.js').patch, '@@ -0,0 +1 @@\n+const x = 1;');
    assert.equal(get(files, 'delete.txt').patch, '@@ -1 +0,0 @@\n-bye');
  });

  test('a file without a trailing newline keeps git\'s marker lines', () => {
    assert.equal(
      get(files, 'no-eol.txt').patch,
      '@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n\\ No newline at end of file',
    );
  });

  test('additions and deletions are counted from the patches, as git diff --numstat counts them (binary: 0, as GitHub lists them)', async () => {
    const counts = Object.fromEntries(ordered.map((f) => [f.path, [f.additions, f.deletions]]));
    const numstat = (await repo.run('diff', '--numstat', '--find-renames', base, head)).trim().split('\n');
    for (const line of numstat) {
      const [added, deleted, ...path] = line.split('\t');
      const name = path.join('\t').replace(/^.*=> /, '').replace(/[{}]/g, '');
      if (added === '-' || !counts[name] || name === 'link') continue;
      assert.deepEqual(counts[name], [Number(added), Number(deleted)], name);
    }
    assert.deepEqual(counts['modify.js'], [2, 1]);
    assert.deepEqual(counts['moved-edit.js'], [1, 1]);
    assert.deepEqual(counts['moved-same.txt'], [0, 0]);
    assert.deepEqual(counts['delete.txt'], [0, 1]);
    assert.deepEqual(counts['zz-last.js'], [1, 0]);
    assert.deepEqual(counts['image.png'], [0, 0]);
  });

  test('blob shas are the head side\'s; removed files and submodules have none', async () => {
    for (const file of ordered) {
      if (file.status === 'removed' || file.path === 'sub') {
        assert.equal(file.blobSha, undefined, file.path);
        continue;
      }
      const expected = (await repo.run('rev-parse', `${head}:${file.path}`)).trim();
      assert.equal(file.blobSha, expected, file.path);
    }
    assert.equal(get(files, 'empty.txt').blobSha, EMPTY_BLOB);
  });

  test('binary, mode-only, empty and renamed-without-edits files have no patch', () => {
    for (const path of ['image.png', 'mode.sh', 'empty.txt', 'moved-same.txt']) {
      assert.equal(get(files, path).patch, undefined, path);
    }
  });

  test('a submodule update keeps its "Subproject commit" hunk', () => {
    const sub = get(files, 'sub');
    assert.match(sub.patch ?? '', /^@@ -1 \+1 @@\n-Subproject commit [0-9a-f]{40}\n\+Subproject commit [0-9a-f]{40}$/);
  });

  test('a type change (file to symlink) takes the new side, and does not shift the patches of the files after it', () => {
    // git prints a type change as a deletion plus a creation: two sections for one raw entry.
    assert.equal(get(files, 'link').patch, '@@ -0,0 +1 @@\n+modify.js\n\\ No newline at end of file');
    assert.equal(get(files, 'link').blobSha, gitBlobSha(Buffer.from('modify.js')));
    assert.equal(get(files, 'mode.sh').patch, undefined);
    assert.equal(get(files, 'modify.js').patch, '@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d');
  });

  test('copies (when git is asked to find them) carry the source path', async () => {
    const repo2 = await createRepo();
    const b = await repo2.commit({ 'orig.js': lines(10) });
    const h = await repo2.commit({ 'copy.js': lines(10), 'orig.js': lines(10) + 'const extra = 1;\n' });
    const args = ['--no-color', '--find-renames', '--find-copies-harder', '--no-abbrev', b, h];
    const [raw, patch] = await Promise.all([git(repo2.dir, ['diff', '--raw', '-z', ...args]), git(repo2.dir, ['diff', '-U3', ...args])]);
    const result = byPath(combineLocalDiff(raw.toString('utf8'), patch.toString('utf8')));
    const copy = get(result, 'copy.js');
    assert.equal(copy.status, 'copied');
    assert.equal(copy.previousPath, 'orig.js');
    assert.equal(copy.patch, undefined);
    assert.equal(copy.blobSha, gitBlobSha(Buffer.from(lines(10))));
    const orig = get(result, 'orig.js');
    assert.equal(orig.status, 'modified');
    assert.equal(orig.additions, 1);
    assert.match(orig.patch ?? '', /\+const extra = 1;$/);
  });

  test('empty input gives no files', () => {
    assert.deepEqual(combineLocalDiff('', ''), []);
  });

  test('readHeadFiles returns head bytes by blob sha (binary included), nothing for submodules', async () => {
    const source = localSource(repo.dir, base, head);
    const contents = await source.readHeadFiles(ordered.filter((f) => f.status !== 'removed'));
    assert.equal(contents.get('modify.js')?.toString('utf8'), 'a\nB\nc\nd\n');
    assert.deepEqual(contents.get('image.png'), PNG2);
    assert.equal(contents.get('empty.txt')?.length, 0);
    assert.equal(contents.get('dir with space/ünïcödé.js')?.toString('utf8'), 'export const ü = 1;\n');
    assert.equal(contents.has('sub'), false);
  });

  test('base reads: a file, a missing file, the tree, blobs', async () => {
    const source = localSource(repo.dir, base, head);
    assert.equal(await source.readBaseFile('modify.js'), 'a\nb\nc\n');
    assert.equal(await source.readBaseFile('added.js'), undefined);
    const tree = await source.listBaseTree();
    const entry = tree.find((e) => e.path === 'move-edit.js');
    assert.equal(entry?.type, 'blob');
    assert.equal(tree.find((e) => e.path === 'sub')?.type, 'commit');
    const blobs = await source.readBaseBlobs([entry.sha]);
    assert.equal(blobs.get(entry.sha)?.toString('utf8'), lines(20, 'const e'));
  });
});

describe('git wrapper', () => {
  test('git exiting before it reads its input (not a repository) is a rejection, not an uncaught EPIPE', async () => {
    const notARepo = await mkdtemp(join(scratch, 'not-a-repo-'));
    const uncaught: unknown[] = [];
    const record = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      // Whether the write races git's exit depends on timing and input size: try a few, a few times.
      const sizes = [1, 10, 100, 1000, 5000];
      for (const count of [...sizes, ...sizes, ...sizes, ...sizes]) {
        const shas = Array.from({ length: count }, (_, i) => gitBlobSha(Buffer.from(String(i))));
        await assert.rejects(readObjects(notARepo, shas), /not a git repository/);
        // A stream error surfaces a few ticks after the rejection.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      process.off('uncaughtException', record);
    }
    assert.deepEqual(uncaught.map(String), []);
  });
});

describe('resolveLocalRevisions', () => {
  let repo: Repo;
  const c: string[] = [];

  before(async () => {
    repo = await createRepo();
    c.push(await repo.commit({ 'a.txt': '1\n' })); // c0 root
    c.push(await repo.commit({ 'a.txt': '2\n' })); // c1
    await repo.run('checkout', '-q', '-b', 'feature');
    c.push(await repo.commit({ 'f.txt': '1\n' })); // c2 (feature)
    c.push(await repo.commit({ 'f.txt': '2\n' })); // c3 (feature)
    await repo.run('checkout', '-q', 'main');
    c.push(await repo.commit({ 'm.txt': '1\n' })); // c4 (main moves on)
    await repo.run('checkout', '-q', 'feature');
  });

  test('without an upstream: HEAD~1', async () => {
    const revs = await resolveLocalRevisions(repo.dir, undefined, 'HEAD');
    assert.deepEqual(revs, { baseSha: c[2], headSha: c[3], baseLabel: 'HEAD~1' });
  });

  test('with an upstream branch: the merge base, not the upstream tip', async () => {
    await repo.run('branch', '-q', '--set-upstream-to=main', 'feature');
    try {
      const revs = await resolveLocalRevisions(repo.dir, undefined, 'HEAD');
      assert.equal(revs.baseSha, c[1]);
      assert.equal(revs.headSha, c[3]);
      assert.equal(revs.baseLabel, '@{upstream}');
    } finally {
      await repo.run('branch', '-q', '--unset-upstream', 'feature');
    }
  });

  test('an upstream at HEAD (just pushed) falls back to HEAD~1', async () => {
    await repo.run('branch', '-q', 'pushed', 'feature');
    await repo.run('branch', '-q', '--set-upstream-to=pushed', 'feature');
    try {
      const revs = await resolveLocalRevisions(repo.dir, undefined, 'HEAD');
      assert.equal(revs.baseSha, c[2]);
    } finally {
      await repo.run('branch', '-q', '--unset-upstream', 'feature');
    }
  });

  test('an explicit base is replaced by the merge base (base...head)', async () => {
    const revs = await resolveLocalRevisions(repo.dir, 'main', 'feature');
    assert.deepEqual(revs, { baseSha: c[1], headSha: c[3], baseLabel: 'main' });
    const direct = await resolveLocalRevisions(repo.dir, c[2], c[3]!);
    assert.equal(direct.baseSha, c[2]);
  });

  test('the root commit is compared with the empty tree', async () => {
    const revs = await resolveLocalRevisions(repo.dir, undefined, c[0]!);
    assert.equal(revs.baseSha, EMPTY_TREE);
    assert.equal(revs.headSha, c[0]);
    const { files } = await localSource(repo.dir, revs.baseSha, revs.headSha).listChangedFiles();
    assert.deepEqual(
      files.map((f) => [f.path, f.status, f.patch]),
      [['a.txt', 'added', '@@ -0,0 +1 @@\n+1']],
    );
    assert.equal(await localSource(repo.dir, revs.baseSha, revs.headSha).readBaseFile('a.txt'), undefined);
    assert.deepEqual(await localSource(repo.dir, revs.baseSha, revs.headSha).listBaseTree(), []);
  });

  test('unknown refs and option-like refs are rejected', async () => {
    await assert.rejects(resolveLocalRevisions(repo.dir, 'no-such-branch', 'HEAD'), /Needed a single revision/);
    await assert.rejects(resolveLocalRevisions(repo.dir, undefined, 'no-such-head'));
    await assert.rejects(resolveLocalRevisions(repo.dir, '--all', 'HEAD'));
  });
});

describe('collectChange with the local source', () => {
  let repo: Repo;
  let change: CollectedChange;
  let logger: RecordingLogger;

  before(async () => {
    repo = await createRepo();
    const base = await repo.commit({
      '.gitattributes': 'gen/** linguist-generated\n*.dat diff\n',
      'sgconfig.yml': 'ruleDirs:\n  - team-rules\n',
      'team-rules/no-alert.yml': 'id: team/no-alert\nlanguage: javascript\nrule:\n  pattern: alert($A)\n',
      'app.js': 'const a = 1;\n',
    });
    const head = await repo.commit({
      '.gitattributes': 'gen/** linguist-generated\n*.dat diff\napp.js linguist-generated\n',
      'team-rules/no-confirm.yml': 'id: team/no-confirm\nlanguage: javascript\nrule:\n  pattern: confirm($A)\n',
      'team-rules/no-alert.yml': 'id: team/no-alert\nlanguage: javascript\nseverity: off\nrule:\n  pattern: alert($A)\n',
      'app.js': 'const a = 1;\nalert(a);\n',
      'gen/api.js': 'eval(x);\n',
      'node_modules/pkg/index.js': 'eval(x);\n',
      'data.dat': Buffer.from('text\0more text\n'),
      'big.js': `${'x'.repeat(200)}\n`,
      'empty.js': '',
    });
    logger = new RecordingLogger();
    const tempDir = await mkdtemp(join(scratch, 'collect-'));
    change = await collectChange(localSource(repo.dir, base, head), {
      tempDir,
      logger,
      extraRules: [],
      checkoutDir: repo.dir,
      maxFileBytes: 100,
    });
  });

  test('reviewable files are the head tree, read in place from a checkout of the head (nothing copied)', async () => {
    assert.deepEqual(change.reviewable.map((f) => f.path).sort(), ['.gitattributes', 'app.js', 'team-rules/no-alert.yml', 'team-rules/no-confirm.yml']);
    assert.equal(change.tree.inPlace, true);
    assert.equal(change.tree.root, repo.dir);
    const tree = await readTree(change.tree);
    assert.deepEqual([...tree.keys()].sort(), change.reviewable.map((f) => f.path).sort());
    assert.equal(tree.get('app.js')?.toString('utf8'), 'const a = 1;\nalert(a);\n');
  });

  test('.gitattributes comes from the base commit: a head-only change does not mark files generated', () => {
    assert.ok(change.reviewable.some((f) => f.path === 'app.js'));
    assert.deepEqual(
      change.skipped.find((s) => s.path === 'gen/api.js'),
      { path: 'gen/api.js', reason: 'generated', detail: 'linguist-generated in .gitattributes' },
    );
  });

  test('every skipped file is listed with its reason', () => {
    const reasons = Object.fromEntries(change.skipped.map((s) => [s.path, s.reason]));
    assert.deepEqual(reasons, {
      'gen/api.js': 'generated',
      'node_modules/pkg/index.js': 'vendored',
      'data.dat': 'binary',
      'big.js': 'too-large',
      'empty.js': 'empty',
    });
    assert.equal(change.skipped.find((s) => s.path === 'data.dat')?.detail, 'binary content');
    assert.equal(change.skipped.find((s) => s.path === 'empty.js')?.detail, 'empty file');
    assert.match(change.skipped.find((s) => s.path === 'big.js')?.detail ?? '', /201 bytes \(limit 100\)/);
  });

  test('the repository sgconfig.yml and its rules are copied from the base commit only', async () => {
    assert.ok(change.repoAstGrepConfigDir);
    const copied = await listFilesIn(change.repoAstGrepConfigDir);
    assert.deepEqual([...copied.keys()].sort(), ['sgconfig.yml', 'team-rules/no-alert.yml']);
    assert.doesNotMatch(copied.get('team-rules/no-alert.yml')?.toString('utf8') ?? '', /severity: off/);
  });

  test('shas and counts are reported', () => {
    assert.equal(change.truncated, false);
    assert.equal(change.files.length, 9);
    assert.match(logger.text(), /9 changed file\(s\): 4 to review, 5 not reviewed/);
  });

  test('a rules entry the base commit lacks is never read from the checkout: its rules are not run, and a notice says so', async () => {
    const tempDir = await mkdtemp(join(scratch, 'collect-'));
    const head = (await repo.run('rev-parse', 'HEAD')).trim();
    const base = (await repo.run('rev-parse', 'HEAD~1')).trim();
    const change = await collectChange(localSource(repo.dir, base, head), {
      tempDir,
      logger: new RecordingLogger(),
      extraRules: ['missing-rules'],
      checkoutDir: repo.dir,
    });
    assert.deepEqual(change.extraRuleSources, []);
    assert.ok(change.notices.some((n) => n.includes('missing-rules is not in the base commit')), change.notices.join('\n'));
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// GitHub source, through the simulator

const OWNER = 'octo-org';
const REPO = 'octo-repo';
const PULL = 7;
const TOKEN = 'ghs_collecttesttoken000000000000000000';

const PR_BASE: Record<string, string | Buffer> = {
  '.gitattributes': 'generated/** linguist-generated\n',
  'src/modify.js': lines(30),
  'src/delete.js': 'legacy();\n',
  'src/move-same.js': lines(15, 'const m'),
  'src/move-edit.js': lines(15, 'const e'),
  'assets/logo.png': PNG,
  'no-eol.txt': 'x\ny',
};
const PR_HEAD: Record<string, string | Buffer | null> = {
  'src/modify.js': lines(30).replace('const v5 = 5;', 'const v5 = 50;').replace('const v25 = 25;', 'eval(v25);'),
  'src/delete.js': null,
  'src/moved-edit.js': lines(15, 'const e').replace('const e3 = 3;', 'const e3 = 33;'),
  'assets/logo.png': PNG2,
  'no-eol.txt': 'x\nz',
  'empty.txt': '',
  'dir with space/ünïcödé.js': 'export const ü = 1;\n',
  '.github/scripts/x.js': 'run();\n',
  'generated/client.js': 'eval(x);\n',
  'vendor/lib.js': 'eval(x);\n',
};

describe('GitHub source and local source on the same pull request', () => {
  let fixture: PullRequestFixture;
  let sim: GitHubSimulator;
  let logger: RecordingLogger;

  before(async () => {
    fixture = await createPullRequestFixture(
      { base: PR_BASE, head: PR_HEAD, renames: { 'src/move-same.js': 'src/moved-same.js', 'src/move-edit.js': 'src/moved-edit.js' } },
      { owner: OWNER, repo: REPO },
    );
    sim = await startGitHubSimulator({ owner: OWNER, repo: REPO, pullNumber: PULL, fixture, token: TOKEN });
    logger = new RecordingLogger();
  });
  after(async () => {
    await sim?.close();
    await fixture?.cleanup();
  });

  function githubSource(workspace: string): ChangeSource {
    const octokit = createOctokit({ token: TOKEN, baseUrl: sim.url, logger, userAgent: 'ultra-create-test' });
    const api = createPullRequestApi(octokit, { owner: OWNER, repo: REPO, pullNumber: PULL });
    return createGitHubChangeSource({ api, baseSha: fixture.baseSha, headSha: fixture.headSha, workspace, logger });
  }

  const blobRequests = (): number => sim.requestsFor('git/get-blob').length;

  test('listChangedFiles: the same files, statuses, counts, patches and blob shas', async () => {
    const local = await localSource(fixture.dir, fixture.baseSha, fixture.headSha).listChangedFiles();
    const remote = await githubSource(scratch).listChangedFiles();
    const shape = (f: ChangedFile) => ({
      path: f.path,
      previousPath: f.previousPath,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      patch: f.patch,
      blobSha: f.status === 'removed' ? undefined : f.blobSha,
    });
    assert.equal(local.files.length, 11);
    assert.deepEqual(local.files.map(shape), remote.files.map(shape));
    assert.equal(remote.truncated, false);
    const renamed = local.files.filter((f) => f.status === 'renamed').map((f) => [f.previousPath, f.path]);
    assert.deepEqual(renamed, [
      ['src/move-edit.js', 'src/moved-edit.js'],
      ['src/move-same.js', 'src/moved-same.js'],
    ]);
    assert.deepEqual(sim.violations, []);
  });

  test('collectChange: the same reviewable files, skipped files and materialized bytes', async () => {
    const viaLocal = await collectChange(localSource(fixture.dir, fixture.baseSha, fixture.headSha), {
      tempDir: await mkdtemp(join(scratch, 'parity-local-')),
      logger: new RecordingLogger(),
      extraRules: [],
      checkoutDir: fixture.dir,
    });
    const emptyWorkspace = await mkdtemp(join(scratch, 'empty-ws-'));
    const viaGitHub = await collectChange(githubSource(emptyWorkspace), {
      tempDir: await mkdtemp(join(scratch, 'parity-gh-')),
      logger: new RecordingLogger(),
      extraRules: [],
      checkoutDir: emptyWorkspace,
    });
    assert.deepEqual(viaLocal.reviewable.map((f) => f.path), viaGitHub.reviewable.map((f) => f.path));
    assert.deepEqual(viaLocal.skipped, viaGitHub.skipped);
    assert.deepEqual(await readTree(viaLocal.tree), await readTree(viaGitHub.tree));
    assert.equal(viaGitHub.tree.inPlace, false, 'an empty workspace holds nothing: the head tree is written');
    assert.deepEqual([...(await listFilesIn(viaGitHub.tree.root)).keys()].sort(), [...viaGitHub.tree.files].sort());
    assert.deepEqual(viaLocal.reviewable.map((f) => f.path).sort(), [
      '.github/scripts/x.js',
      'dir with space/ünïcödé.js',
      'no-eol.txt',
      'src/modify.js',
      'src/moved-edit.js',
    ]);
    assert.deepEqual(Object.fromEntries(viaLocal.skipped.map((s) => [s.path, s.reason])), {
      'assets/logo.png': 'binary',
      'empty.txt': 'empty',
      'generated/client.js': 'generated',
      'src/delete.js': 'removed',
      'src/moved-same.js': 'no-patch',
      'vendor/lib.js': 'vendored',
    });
  });

  test('readHeadFiles: a workspace at the base commit serves head blobs from its git objects, not the API', async () => {
    const workspace = join(scratch, 'ws-at-base');
    await git(scratch, ['clone', '-q', '--no-checkout', fixture.dir, workspace]);
    await git(workspace, ['checkout', '-q', '--detach', fixture.baseSha]);
    const { files } = await githubSource(workspace).listChangedFiles();
    const wanted = files.filter((f) => f.status !== 'removed');
    const before = blobRequests();
    const contents = await githubSource(workspace).readHeadFiles(wanted);
    assert.equal(blobRequests(), before, 'no blob was read through the API');
    for (const file of wanted) {
      const expected = PR_HEAD[file.path] ?? PR_BASE[file.previousPath ?? file.path];
      assert.deepEqual(contents.get(file.path), Buffer.from(expected!), file.path);
    }
    // The workspace really is at the base: its modify.js differs from the head's.
    assert.equal(await readFile(join(workspace, 'src/modify.js'), 'utf8'), PR_BASE['src/modify.js']);
  });

  test('collectChange: a workspace file is used in place only when its blob sha is the head\'s; the rest comes through getBlob', async () => {
    const workspace = await mkdtemp(join(scratch, 'ws-partial-'));
    const headModify = PR_HEAD['src/modify.js'] as string;
    await mkdir(join(workspace, 'src'), { recursive: true });
    await writeFile(join(workspace, 'src/modify.js'), headModify); // exactly the head's bytes
    await writeFile(join(workspace, 'no-eol.txt'), 'x\ny'); // the base's bytes: must not be used
    const source = githubSource(workspace);
    const { files } = await source.listChangedFiles();
    const shaOf = (path: string) => files.find((f) => f.path === path)?.blobSha;
    const before = sim.requestsFor('git/get-blob').length;
    const change = await collectChange(source, { tempDir: await mkdtemp(join(scratch, 'partial-')), logger, extraRules: [], checkoutDir: workspace });
    const fetched = sim
      .requestsFor('git/get-blob')
      .slice(before)
      .map((r) => r.path.split('/').pop());
    assert.ok(!fetched.includes(shaOf('src/modify.js')), 'the file the workspace holds with the head bytes is not fetched');
    assert.ok(fetched.includes(shaOf('no-eol.txt')), 'the file whose bytes differ is fetched');
    assert.equal(change.tree.inPlace, false);
    const tree = await readTree(change.tree);
    assert.equal(tree.get('src/modify.js')?.toString('utf8'), headModify);
    assert.equal(tree.get('no-eol.txt')?.toString('utf8'), 'x\nz');
    assert.match(logger.text(), /Reading \d+ head file\(s\) through the API/);
  });

  test('readHeadFiles: unsafe paths are refused, on disk and through the API', async () => {
    const workspace = await mkdtemp(join(scratch, 'ws-unsafe-'));
    const secret = Buffer.from('outside the workspace\n');
    await writeFile(join(dirname(workspace), 'outside.txt'), secret);
    const { files } = await githubSource(workspace).listChangedFiles();
    const realSha = files.find((f) => f.path === 'src/modify.js')?.blobSha;
    const unsafe: ChangedFile[] = [
      { path: '../outside.txt', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+x', blobSha: gitBlobSha(secret) },
      { path: join(dirname(workspace), 'outside.txt'), status: 'added', additions: 1, deletions: 0, blobSha: gitBlobSha(secret) },
      { path: 'src/../../outside.txt', status: 'added', additions: 1, deletions: 0, blobSha: realSha },
    ];
    const before = blobRequests();
    const contents = await githubSource(workspace).readHeadFiles(unsafe);
    assert.equal(contents.size, 0);
    assert.equal(blobRequests(), before);
  });

  test('collectChange lists a head file the API cannot serve as unreadable instead of failing', async () => {
    const workspace = await mkdtemp(join(scratch, 'ws-missing-'));
    const source = githubSource(workspace);
    const broken: ChangeSource = {
      ...source,
      listChangedFiles: async () => ({
        files: [{ path: 'ghost.js', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+x', blobSha: 'f'.repeat(40) }],
        truncated: false,
      }),
    };
    const warnings = new RecordingLogger();
    const change = await collectChange(broken, { tempDir: await mkdtemp(join(scratch, 'ghost-')), logger: warnings, extraRules: [], checkoutDir: workspace });
    assert.deepEqual(change.skipped, [{ path: 'ghost.js', reason: 'unreadable', detail: 'head content unavailable' }]);
    assert.deepEqual(change.reviewable, []);
  });
});
