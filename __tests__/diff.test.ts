import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  diffStats,
  indexChangedFiles,
  indexParsedPatch,
  indexPatch,
  parsePatch,
  planInlineComment,
  planInlineCommentForPath,
  type DiffLine,
  type FileDiffIndex,
  type InlinePlan,
} from '../src/github/diff.js';
import type { FilterMode } from '../src/types.js';
import { mulberry32 } from './support/prng.js';

const MODES: readonly FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];
const NO_EOL = '\\ No newline at end of file';

/** Lines joined with LF plus the final newline GitHub's patches end with. */
function p(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function ctx(text: string, oldLine: number, newLine: number): DiffLine {
  return { kind: 'context', text, oldLine, newLine };
}
function add(text: string, newLine: number): DiffLine {
  return { kind: 'add', text, newLine };
}
function del(text: string, oldLine: number): DiffLine {
  return { kind: 'del', text, oldLine };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

describe('parsePatch: well-formed patches', () => {
  test('a modification: kinds, numbering, section, counts', () => {
    const parsed = parsePatch(p('@@ -1,3 +1,4 @@ function f() {', ' a', '-b', '+B', '+C', ' c'));
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.hunks.length, 1);
    assert.deepEqual(parsed.hunks[0], {
      oldStart: 1,
      oldLines: 3,
      newStart: 1,
      newLines: 4,
      section: 'function f() {',
      lines: [ctx('a', 1, 1), del('b', 2), add('B', 2), add('C', 3), ctx('c', 3, 4)],
    });
  });

  test('a header without section text gives an empty section', () => {
    const parsed = parsePatch(p('@@ -4,2 +4,2 @@', ' x', ' y'));
    assert.equal(parsed.hunks[0]?.section, '');
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('x', 4, 4), ctx('y', 5, 5)]);
  });

  test('multiple hunks keep their own numbering and the shift between them', () => {
    const parsed = parsePatch(
      p('@@ -2,2 +2,3 @@', ' a', '+new', ' b', '@@ -20,3 +21,2 @@ class K', ' x', '-gone', ' y'),
    );
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.hunks.length, 2);
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 2, 2), add('new', 3), ctx('b', 3, 4)]);
    assert.deepEqual(parsed.hunks[1]?.lines, [ctx('x', 20, 21), del('gone', 21), ctx('y', 22, 22)]);
    assert.equal(parsed.hunks[1]?.section, 'class K');
  });

  test('a hunk at line 1 inserting above the first line', () => {
    const parsed = parsePatch(p('@@ -1,3 +1,5 @@', '+x', '+y', ' a', ' b', ' c'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [add('x', 1), add('y', 2), ctx('a', 1, 3), ctx('b', 2, 4), ctx('c', 3, 5)]);
    const index = indexParsedPatch(parsed);
    assert.equal(index.isAdded(1), true);
    assert.equal(index.isLeft(1), true);
    assert.equal(index.isRight(0), false);
  });

  test('a new file: -0,0 +1,N', () => {
    const index = indexPatch(p('@@ -0,0 +1,3 @@', '+one', '+two', '+three'));
    assert.deepEqual(index.problems, []);
    assert.deepEqual(index.hunks[0]?.lines, [add('one', 1), add('two', 2), add('three', 3)]);
    assert.deepEqual(index.addedLines(), [1, 2, 3]);
    assert.equal(index.isLeft(0), false);
    assert.equal(index.isLeft(1), false);
    assert.equal(index.isRight(4), false);
    assert.deepEqual(diffStats(index), { added: 3, removed: 0, context: 0, hunks: 1 });
  });

  test('a deleted file: -1,N +0,0 has no RIGHT lines at all', () => {
    const index = indexPatch(p('@@ -1,3 +0,0 @@', '-one', '-two', '-three'));
    assert.deepEqual(index.problems, []);
    assert.deepEqual(index.hunks[0]?.lines, [del('one', 1), del('two', 2), del('three', 3)]);
    assert.deepEqual(index.addedLines(), []);
    for (const n of [0, 1, 2, 3]) assert.equal(index.isRight(n), false, `new line ${n}`);
    for (const n of [1, 2, 3]) assert.equal(index.isLeft(n), true, `old line ${n}`);
    assert.equal(index.rightRange(0), undefined);
    assert.equal(index.hunkOfRight(1), undefined);
    assert.deepEqual(diffStats(index), { added: 0, removed: 3, context: 0, hunks: 1 });
  });

  test('a renamed file without changes (header only) has no hunks and no problems', () => {
    const patch = p('diff --git a/old.ts b/new.ts', 'similarity index 100%', 'rename from old.ts', 'rename to new.ts');
    const index = indexPatch(patch);
    assert.deepEqual(index.hunks, []);
    assert.deepEqual(index.problems, []);
    for (const mode of MODES) assert.deepEqual(planInlineComment({ startLine: 1, endLine: 1 }, index, mode), notInDiff);
  });

  test('a renamed file with changes, full git header tolerated', () => {
    const patch = p(
      'diff --git a/old.ts b/new.ts',
      'similarity index 90%',
      'rename from old.ts',
      'rename to new.ts',
      'index 83db48f..bf269f4 100644',
      '--- a/old.ts',
      '+++ b/new.ts',
      '@@ -7,2 +7,2 @@',
      '-const a = 1;',
      '+const a = 2;',
      ' export { a };',
    );
    const parsed = parsePatch(patch);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [del('const a = 1;', 7), add('const a = 2;', 7), ctx('export { a };', 8, 8)]);
  });

  test('body lines that look like headers are body lines inside a hunk', () => {
    const parsed = parsePatch(
      p('--- a/f', '+++ b/f', '@@ -1,3 +1,3 @@', '--- a/x', '+++ b/y', ' \\ not a marker', ' tail'),
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [
      del('-- a/x', 1),
      add('++ b/y', 1),
      ctx('\\ not a marker', 2, 2),
      ctx('tail', 3, 3),
    ]);
  });

  test('"\\ No newline at end of file" on the old side only', () => {
    const parsed = parsePatch(p('@@ -1,2 +1,3 @@', ' a', '-b', NO_EOL, '+b', '+c'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 1, 1), del('b', 2), add('b', 2), add('c', 3)]);
  });

  test('"\\ No newline at end of file" on the new side only', () => {
    const parsed = parsePatch(p('@@ -1,2 +1,2 @@', ' a', '-b', '+b', NO_EOL));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 1, 1), del('b', 2), add('b', 2)]);
  });

  test('"\\ No newline at end of file" on both sides, also without a final newline in the patch', () => {
    const lines = ['@@ -1 +1 @@', '-a', NO_EOL, '+A', NO_EOL];
    for (const patch of [p(...lines), lines.join('\n')]) {
      const parsed = parsePatch(patch);
      assert.deepEqual(parsed.problems, []);
      assert.deepEqual(parsed.hunks[0]?.lines, [del('a', 1), add('A', 1)]);
      assert.equal(parsed.hunks[0]?.oldLines, 1);
    }
  });

  test('a context line as last line of a file without final newline', () => {
    const parsed = parsePatch(p('@@ -1,2 +1,3 @@', '+new', ' a', ' b', NO_EOL));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [add('new', 1), ctx('a', 1, 2), ctx('b', 2, 3)]);
  });

  test('CRLF line endings: same hunks, no CR in the text', () => {
    const lf = p('@@ -1,3 +1,4 @@ f', ' a', '-b', '+B', '+C', ' c', '@@ -10 +11 @@', '-x', NO_EOL, '+y');
    const crlf = lf.replace(/\n/g, '\r\n');
    const parsed = parsePatch(crlf);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed, parsePatch(lf));
    assert.equal(parsed.hunks[0]?.section, 'f');
    assert.ok(parsed.hunks.every((h) => h.lines.every((l) => !l.text.includes('\r'))));
  });

  test('empty lines inside a hunk are context lines whose leading space was stripped', () => {
    const parsed = parsePatch(p('@@ -1,4 +1,5 @@', ' a', '', '+b', '', ' c'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 1, 1), ctx('', 2, 2), add('b', 3), ctx('', 3, 4), ctx('c', 4, 5)]);
  });

  test('an empty context line at the very end of the patch is kept; the final newline is not a line', () => {
    const parsed = parsePatch('@@ -1,2 +1,2 @@\n a\n\n');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 1, 1), ctx('', 2, 2)]);
    const complete = parsePatch('@@ -1,1 +1,1 @@\n a\n\n\n');
    assert.deepEqual(complete.problems, [], 'blank lines after a complete hunk are not extra lines');
    assert.equal(complete.hunks[0]?.lines.length, 1);
  });

  test('omitted counts mean 1', () => {
    const parsed = parsePatch(p('@@ -5 +5,2 @@', ' a', '+b', '@@ -9,2 +10 @@', '-c', ' d', '@@ -20 +20 @@', '-e', '+E'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]),
      [
        [5, 1, 5, 2],
        [9, 2, 10, 1],
        [20, 1, 20, 1],
      ],
    );
    assert.deepEqual(parsed.hunks[1]?.lines, [del('c', 9), ctx('d', 10, 10)]);
    assert.deepEqual(parsed.hunks[2]?.lines, [del('e', 20), add('E', 20)]);
  });

  test('empty and binary patches have no hunks and no problems', () => {
    for (const patch of [
      '',
      '\n',
      p('Binary files a/logo.png and b/logo.png differ'),
      p('diff --git a/x.bin b/x.bin', 'new file mode 100644', 'index 0000000..e69de29', 'GIT binary patch', 'literal 5', 'McmZQzWMO0h00Z~{J^%m!'),
      p('diff --git a/m b/m', 'old mode 100644', 'new mode 100755'),
    ]) {
      const parsed = parsePatch(patch);
      assert.deepEqual(parsed, { hunks: [], problems: [] }, JSON.stringify(patch));
    }
  });
});

describe('parsePatch: malformed patches never throw and keep what is consistent', () => {
  test('a malformed header "@@ -x +y @@" is a problem; its body is skipped, later hunks survive', () => {
    const parsed = parsePatch(p('@@ -x +y @@', '+lost', ' lost', '@@ -3,1 +3,2 @@', ' a', '+b'));
    assert.equal(parsed.hunks.length, 1);
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 3, 3), add('b', 4)]);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0] ?? '', /hunk 1 \(patch line 1\): malformed header "@@ -x \+y @@"/);
  });

  test('other malformed headers', () => {
    for (const header of ['@@ -1,2 +1,2', '@@ 1,2 1,2 @@', '@@@ -1,2 -1,2 +1,3 @@@', '@@ -0,3 +1,3 @@', '@@ -1,1 +0,2 @@', '@@']) {
      const parsed = parsePatch(p(header, ' a', ' b'));
      assert.deepEqual(parsed.hunks, [], header);
      assert.equal(parsed.problems.length, 1, header);
      assert.match(parsed.problems[0] ?? '', /malformed header/, header);
    }
  });

  test('body lines without any @@ header are ignored and reported', () => {
    const parsed = parsePatch(p('+a', '+b', ' c'));
    assert.deepEqual(parsed.hunks, []);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0] ?? '', /3 line\(s\) outside any hunk.*patch line 1: "\+a"/);
  });

  test('a truncated hunk (counts exceed the content) keeps its lines and says so', () => {
    const index = indexPatch(p('@@ -10,5 +10,6 @@', ' a', '+b', ' c'));
    assert.deepEqual(index.hunks[0]?.lines, [ctx('a', 10, 10), add('b', 11), ctx('c', 11, 12)]);
    assert.equal(index.hunks[0]?.oldLines, 2);
    assert.equal(index.hunks[0]?.newLines, 3);
    assert.equal(index.problems.length, 1);
    assert.match(index.problems[0] ?? '', /hunk 1 "@@ -10,5 \+10,6 @@" \(patch line 1\): header counts -5\/\+6 but the body has -2\/\+3/);
    assert.equal(index.isRight(12), true);
    assert.equal(index.isRight(13), false, 'lines the header promised but the body does not show are not commentable');
  });

  test('a truncated hunk followed by another hunk', () => {
    const parsed = parsePatch(p('@@ -1,4 +1,4 @@', ' a', '@@ -10,1 +10,1 @@', '-x', '+y'));
    assert.equal(parsed.hunks.length, 2);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0] ?? '', /^hunk 1 /);
  });

  test('extra lines after the counts are dropped and reported', () => {
    const index = indexPatch(p('@@ -1,2 +1,2 @@', ' a', ' b', '+c', ' d'));
    assert.deepEqual(index.hunks[0]?.lines, [ctx('a', 1, 1), ctx('b', 2, 2)]);
    assert.equal(index.problems.length, 1);
    assert.match(index.problems[0] ?? '', /hunk 1 .*2 line\(s\) past the header's counts ignored/);
    assert.equal(index.isRight(3), false);
  });

  test('a body line that overflows one side ends the hunk', () => {
    // old side allows 1 line: the second context line cannot be numbered on both sides.
    const parsed = parsePatch(p('@@ -1,1 +1,3 @@', ' a', ' b', '+c'));
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 1, 1)]);
    assert.equal(parsed.hunks[0]?.newLines, 1);
    assert.equal(parsed.problems.length, 1);
    assert.match(parsed.problems[0] ?? '', /header counts -1\/\+3 but the body has -1\/\+1; 2 line\(s\) past/);
  });

  test('an unexpected line inside a hunk cuts it short', () => {
    const parsed = parsePatch(p('@@ -1,3 +1,3 @@', ' a', 'garbage', ' b'));
    assert.deepEqual(parsed.hunks[0]?.lines, [ctx('a', 1, 1)]);
    assert.equal(parsed.problems.length, 2);
    assert.match(parsed.problems[0] ?? '', /^hunk 1 .*-3\/\+3 but the body has -1\/\+1/);
    assert.match(parsed.problems[1] ?? '', /2 line\(s\) outside any hunk/);
  });

  test('overlapping or unordered hunks are dropped', () => {
    const parsed = parsePatch(p('@@ -10,2 +10,2 @@', ' a', ' b', '@@ -5,2 +5,2 @@', ' c', ' d', '@@ -11,1 +11,1 @@', ' e'));
    assert.equal(parsed.hunks.length, 1);
    assert.equal(parsed.problems.length, 2);
    assert.match(parsed.problems[0] ?? '', /hunk 2 .*overlaps or precedes/);
    assert.match(parsed.problems[1] ?? '', /hunk 3 .*overlaps or precedes/);
  });

  test('a hunk with no lines at all is dropped', () => {
    const parsed = parsePatch(p('@@ -3,0 +3,0 @@', '@@ -4 +4 @@', '-a', '+b'));
    assert.equal(parsed.hunks.length, 1);
    assert.equal(parsed.hunks[0]?.oldStart, 4);
    assert.match(parsed.problems[0] ?? '', /hunk 1 .*no lines, dropped/);
  });

  test("a second file's diff in the same patch is not mixed into this one", () => {
    const parsed = parsePatch(
      p('diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1 +1 @@', '-x', '+y', 'diff --git a/b b/b', '@@ -1 +1 @@', '-p', '+q'),
    );
    assert.equal(parsed.hunks.length, 1);
    assert.deepEqual(parsed.hunks[0]?.lines, [del('x', 1), add('y', 1)]);
    assert.match(parsed.problems[0] ?? '', /patch line 7: a second file's diff/);
    const plain = parsePatch(p('--- a/a', '+++ b/a', '@@ -1 +1 @@', '-x', '+y', '--- a/b', '+++ b/b', '@@ -1 +1 @@', '-p', '+q'));
    assert.equal(plain.hunks.length, 1);
    assert.equal(plain.problems.length, 1);
  });

  test('garbage of every kind never throws', () => {
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      '@@',
      '@@ -1 +1 @@',
      '@@ -1 +1 @@\n',
      '\\ No newline at end of file',
      '\r\n\r\n',
      '@@ -99999999999999999999,1 +1,1 @@\n+a\n',
      '@@ -1,1 +1,1 @@\n\u0000\n',
      '+'.repeat(10_000),
    ];
    for (const input of inputs) {
      const parsed = parsePatch(input as string);
      assert.ok(Array.isArray(parsed.hunks) && Array.isArray(parsed.problems));
      const index = indexParsedPatch(parsed);
      assert.equal(typeof index.isRight(1), 'boolean');
    }
    assert.match(parsePatch('@@ -99999999999999999999,1 +1,1 @@\n+a\n').problems[0] ?? '', /malformed header/);
  });
});

describe('FileDiffIndex', () => {
  // new 10-12 context, 13-14 added, 15-17 context | new 31-33 context, 34 added, 35-37 context | old 50-51 removed only
  const FIXTURE = p(
    '@@ -10,7 +10,8 @@ function first()',
    ' c10',
    ' c11',
    ' c12',
    '-d13',
    '+a13',
    '+a14',
    ' c15',
    ' c16',
    ' c17',
    '@@ -30,6 +31,7 @@ function second()',
    ' c31',
    ' c32',
    ' c33',
    '+a34',
    ' c35',
    ' c36',
    ' c37',
    '@@ -50,2 +51,0 @@',
    '-d50',
    '-d51',
  );
  const index = indexPatch(FIXTURE);

  test('the fixture parses cleanly', () => {
    assert.deepEqual(index.problems, []);
    assert.equal(index.hunks.length, 3);
  });

  test('isAdded / isRight / hunkOfRight, line by line', () => {
    const added = new Set([13, 14, 34]);
    const right = new Set([...range(10, 17), ...range(31, 37)]);
    for (let n = -1; n <= 60; n++) {
      assert.equal(index.isAdded(n), added.has(n), `isAdded(${n})`);
      assert.equal(index.isRight(n), right.has(n), `isRight(${n})`);
      const hunk = n >= 10 && n <= 17 ? 0 : n >= 31 && n <= 37 ? 1 : undefined;
      assert.equal(index.hunkOfRight(n), hunk, `hunkOfRight(${n})`);
    }
  });

  test('isLeft covers removed and context lines of the old file', () => {
    const left = new Set([...range(10, 16), ...range(30, 35), 50, 51]);
    for (let n = -1; n <= 60; n++) assert.equal(index.isLeft(n), left.has(n), `isLeft(${n})`);
  });

  test('non-integer queries answer false / undefined', () => {
    for (const n of [13.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(index.isAdded(n), false);
      assert.equal(index.isRight(n), false);
      assert.equal(index.isLeft(n), false);
      assert.equal(index.hunkOfRight(n), undefined);
    }
  });

  test('rightRange, firstRightIn, firstAddedIn', () => {
    assert.deepEqual(index.rightRange(0), { first: 10, last: 17 });
    assert.deepEqual(index.rightRange(1), { first: 31, last: 37 });
    assert.equal(index.rightRange(2), undefined, 'a pure deletion shows no new lines');
    assert.equal(index.rightRange(3), undefined);
    assert.equal(index.rightRange(-1), undefined);
    assert.equal(index.firstRightIn(1, 9), undefined);
    assert.equal(index.firstRightIn(1, 10), 10);
    assert.equal(index.firstRightIn(12, 40), 12);
    assert.equal(index.firstRightIn(18, 40), 31);
    assert.equal(index.firstRightIn(38, 1000), undefined);
    assert.equal(index.firstRightIn(20, 10), undefined);
    assert.equal(index.firstAddedIn(1, 12), undefined);
    assert.equal(index.firstAddedIn(1, 13), 13);
    assert.equal(index.firstAddedIn(14, 14), 14);
    assert.equal(index.firstAddedIn(15, 100), 34);
    assert.equal(index.firstAddedIn(35, 100), undefined);
  });

  test('addedLines returns a fresh ascending array', () => {
    const lines = index.addedLines();
    assert.deepEqual(lines, [13, 14, 34]);
    lines.push(99);
    assert.deepEqual(index.addedLines(), [13, 14, 34]);
  });

  test('diffStats', () => {
    assert.deepEqual(diffStats(index), { added: 3, removed: 3, context: 12, hunks: 3 });
    assert.deepEqual(diffStats(indexPatch('')), { added: 0, removed: 0, context: 0, hunks: 0 });
  });

  test('indexChangedFiles keys by the new path and keeps patch-less files as undefined', () => {
    const indexes = indexChangedFiles([
      { path: 'src/a.ts', status: 'modified', additions: 1, deletions: 0, patch: p('@@ -1 +1,2 @@', ' a', '+b') },
      { path: 'logo.png', status: 'added', additions: 0, deletions: 0 },
      { path: 'src/new.ts', previousPath: 'src/old.ts', status: 'renamed', additions: 0, deletions: 0, patch: '' },
    ]);
    assert.deepEqual([...indexes.keys()], ['src/a.ts', 'logo.png', 'src/new.ts']);
    assert.equal(indexes.get('src/a.ts')?.isAdded(2), true);
    assert.equal(indexes.get('logo.png'), undefined);
    assert.equal(indexes.has('logo.png'), true);
    assert.equal(indexes.get('src/new.ts')?.hunks.length, 0);
  });

  test('a huge generated patch (52,000 lines) maps correctly at sampled lines', () => {
    // Hunk k: old O..O+7 = 3 context, 2 removed, 3 context; new N..N+9 = 3 context, 4 added, 3 context.
    const HUNKS = 4000;
    const oldAt = (k: number): number => 1 + 20 * k;
    const newAt = (k: number): number => oldAt(k) + 2 * k;
    const rows: string[] = [];
    for (let k = 0; k < HUNKS; k++) {
      rows.push(`@@ -${oldAt(k)},8 +${newAt(k)},10 @@ block ${k}`);
      rows.push(' c', ' c', ' c', '-r', '-r', `+a${k}.0`, `+a${k}.1`, `+a${k}.2`, `+a${k}.3`, ' c', ' c', ' c');
    }
    assert.equal(rows.length, 52_000);
    const big = indexPatch(p(...rows));
    assert.deepEqual(big.problems, []);
    assert.equal(big.hunks.length, HUNKS);
    assert.deepEqual(diffStats(big), { added: 16_000, removed: 8_000, context: 24_000, hunks: HUNKS });
    const added = big.addedLines();
    assert.equal(added.length, 16_000);
    for (const k of [0, 1, 2, 999, 1234, 2047, 3998, 3999]) {
      const N = newAt(k);
      const O = oldAt(k);
      for (const n of range(N + 3, N + 6)) assert.equal(big.isAdded(n), true, `hunk ${k} new ${n}`);
      for (const n of [N, N + 2, N + 7, N + 9]) {
        assert.equal(big.isRight(n), true);
        assert.equal(big.isAdded(n), false);
      }
      assert.equal(big.isRight(N - 1), false);
      assert.equal(big.isRight(N + 10), false);
      assert.equal(big.hunkOfRight(N + 5), k);
      assert.equal(big.isLeft(O + 3), true);
      assert.equal(big.isLeft(O + 8), false);
      assert.equal(added[4 * k], N + 3);
      assert.equal(big.hunks[k]?.lines[6]?.text, `a${k}.1`);
      assert.deepEqual(planInlineComment({ startLine: N + 1, endLine: N + 12 }, big, 'added'), {
        inline: true,
        startLine: N + 1,
        line: N + 9,
        exact: false,
      });
    }
  });
});

const notInDiff: InlinePlan = { inline: false, reason: 'not-in-diff' };
const contextOnly: InlinePlan = { inline: false, reason: 'context-only' };

describe('planInlineComment', () => {
  const index = indexPatch(
    p(
      '@@ -10,7 +10,8 @@',
      ' c10',
      ' c11',
      ' c12',
      '-d13',
      '+a13',
      '+a14',
      ' c15',
      ' c16',
      ' c17',
      '@@ -30,6 +31,7 @@',
      ' c31',
      ' c32',
      ' c33',
      '+a34',
      ' c35',
      ' c36',
      ' c37',
      '@@ -50,2 +51,0 @@',
      '-d50',
      '-d51',
    ),
  );

  interface Case {
    name: string;
    range: [number, number];
    added: InlinePlan;
    /** diff_context, file and nofilter: GitHub can anchor on the same lines for all three. */
    shown: InlinePlan;
  }
  const cases: Case[] = [
    {
      name: 'single line on an added line',
      range: [13, 13],
      added: { inline: true, line: 13, exact: true },
      shown: { inline: true, line: 13, exact: true },
    },
    {
      name: 'single line on a context line',
      range: [11, 11],
      added: contextOnly,
      shown: { inline: true, line: 11, exact: true },
    },
    { name: 'on a removed-only region', range: [51, 52], added: notInDiff, shown: notInDiff },
    { name: 'outside the diff, between hunks', range: [20, 25], added: notInDiff, shown: notInDiff },
    { name: 'outside the diff, before every hunk', range: [1, 9], added: notInDiff, shown: notInDiff },
    { name: 'outside the diff, after every hunk', range: [38, 500], added: notInDiff, shown: notInDiff },
    {
      name: 'multi-line fully inside one hunk',
      range: [11, 15],
      added: { inline: true, startLine: 11, line: 15, exact: true },
      shown: { inline: true, startLine: 11, line: 15, exact: true },
    },
    {
      name: 'multi-line covering a whole hunk exactly',
      range: [10, 17],
      added: { inline: true, startLine: 10, line: 17, exact: true },
      shown: { inline: true, startLine: 10, line: 17, exact: true },
    },
    {
      name: 'crossing two hunks: clipped to the hunk of the first qualifying line',
      range: [15, 34],
      added: { inline: true, startLine: 31, line: 34, exact: false },
      shown: { inline: true, startLine: 15, line: 17, exact: false },
    },
    {
      name: 'crossing two hunks from an added line',
      range: [14, 40],
      added: { inline: true, startLine: 14, line: 17, exact: false },
      shown: { inline: true, startLine: 14, line: 17, exact: false },
    },
    {
      name: 'starting before the hunk',
      range: [5, 13],
      added: { inline: true, startLine: 10, line: 13, exact: false },
      shown: { inline: true, startLine: 10, line: 13, exact: false },
    },
    {
      name: 'starting before the hunk, touching only context',
      range: [5, 11],
      added: contextOnly,
      shown: { inline: true, startLine: 10, line: 11, exact: false },
    },
    {
      name: 'clipped to a single line at the hunk end',
      range: [37, 45],
      added: contextOnly,
      shown: { inline: true, line: 37, exact: false },
    },
    {
      name: 'all context in the first hunk',
      range: [15, 17],
      added: contextOnly,
      shown: { inline: true, startLine: 15, line: 17, exact: true },
    },
    {
      name: 'all context in the second hunk, running past it',
      range: [35, 40],
      added: contextOnly,
      shown: { inline: true, startLine: 35, line: 37, exact: false },
    },
  ];

  for (const c of cases) {
    for (const mode of MODES) {
      test(`${c.name} [${c.range.join('-')}] in ${mode} mode`, () => {
        const plan = planInlineComment({ startLine: c.range[0], endLine: c.range[1] }, index, mode);
        assert.deepEqual(plan, mode === 'added' ? c.added : c.shown);
      });
    }
  }

  test('invalid ranges are not-in-diff in every mode, with or without an index', () => {
    const bad: [number, number][] = [
      [5, 4],
      [14, 13],
      [0, 13],
      [0, 0],
      [-3, 13],
      [13, -1],
      [Number.NaN, 13],
      [13, Number.NaN],
      [12.5, 13],
      [13, Number.POSITIVE_INFINITY],
    ];
    for (const mode of MODES) {
      for (const [startLine, endLine] of bad) {
        assert.deepEqual(planInlineComment({ startLine, endLine }, index, mode), notInDiff, `${startLine}-${endLine} ${mode}`);
        assert.deepEqual(planInlineComment({ startLine, endLine }, undefined, mode), notInDiff);
      }
    }
    assert.deepEqual(planInlineComment({} as { startLine: number; endLine: number }, index, 'added'), notInDiff);
  });

  test('no index is no-patch; a path outside the pull request is file-not-in-diff', () => {
    for (const mode of MODES) {
      assert.deepEqual(planInlineComment({ startLine: 13, endLine: 13 }, undefined, mode), { inline: false, reason: 'no-patch' });
    }
    const indexes = new Map<string, FileDiffIndex | undefined>([
      ['a.ts', index],
      ['binary.png', undefined],
    ]);
    assert.deepEqual(planInlineCommentForPath({ path: 'a.ts', startLine: 13, endLine: 14 }, indexes, 'added'), {
      inline: true,
      startLine: 13,
      line: 14,
      exact: true,
    });
    assert.deepEqual(planInlineCommentForPath({ path: 'binary.png', startLine: 1, endLine: 1 }, indexes, 'file'), {
      inline: false,
      reason: 'no-patch',
    });
    assert.deepEqual(planInlineCommentForPath({ path: 'other.ts', startLine: 1, endLine: 1 }, indexes, 'nofilter'), {
      inline: false,
      reason: 'file-not-in-diff',
    });
    assert.deepEqual(planInlineCommentForPath({ path: 'other.ts', startLine: 2, endLine: 1 }, indexes, 'nofilter'), notInDiff);
  });

  test('an unknown mode gets the strictest rule', () => {
    const mode = 'bogus' as FilterMode;
    assert.deepEqual(planInlineComment({ startLine: 11, endLine: 11 }, index, mode), contextOnly);
    assert.deepEqual(planInlineComment({ startLine: 13, endLine: 13 }, index, mode), { inline: true, line: 13, exact: true });
  });

  test('every plan over every range 1..60 satisfies GitHub and agrees with a brute-force check', () => {
    let checked = 0;
    for (let s = 1; s <= 60; s++) {
      for (let e = s; e <= 60; e++) {
        for (const mode of MODES) {
          const plan = planInlineComment({ startLine: s, endLine: e }, index, mode);
          checkPlan(index, s, e, mode, plan);
          checked++;
        }
      }
    }
    assert.equal(checked, 4 * ((60 * 61) / 2));
  });
});

/** What GitHub requires of a review comment, plus the contract of the plan, checked by brute force over the range. */
function checkPlan(index: FileDiffIndex, s: number, e: number, mode: FilterMode, plan: InlinePlan): void {
  const where = `[${s}-${e}] ${mode}`;
  const lines = range(s, e);
  const anyRight = lines.some((n) => index.isRight(n));
  const anyAdded = lines.some((n) => index.isAdded(n));
  const qualifies = mode === 'added' ? anyAdded : anyRight;
  if (!plan.inline) {
    assert.equal(qualifies, false, `${where}: refused although a line qualifies`);
    const expected = mode === 'added' && anyRight ? 'context-only' : 'not-in-diff';
    assert.equal(plan.reason, expected, where);
    return;
  }
  assert.equal(qualifies, true, `${where}: inline although no line qualifies`);
  const first = plan.startLine ?? plan.line;
  assert.ok(s <= first && plan.line <= e, `${where}: anchored range inside the finding`);
  assert.ok(index.isRight(plan.line), `${where}: line is RIGHT`);
  if (plan.startLine !== undefined) {
    assert.ok(plan.startLine < plan.line, `${where}: start_line before line`);
    assert.ok(index.isRight(plan.startLine), `${where}: start_line is RIGHT`);
  }
  const hunk = index.hunkOfRight(plan.line);
  for (const n of range(first, plan.line)) assert.equal(index.hunkOfRight(n), hunk, `${where}: one hunk`);
  if (mode === 'added') assert.ok(range(first, plan.line).some((n) => index.isAdded(n)), `${where}: shows an added line`);
  assert.equal(plan.exact, first === s && plan.line === e, `${where}: exact`);
  // Clipping keeps as much as the hunk allows: the line just outside either end is the finding's edge or another hunk.
  if (first > s) assert.notEqual(index.hunkOfRight(first - 1), hunk, `${where}: not clipped too early`);
  if (plan.line < e) assert.notEqual(index.hunkOfRight(plan.line + 1), hunk, `${where}: not clipped too late`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Property test: random old/new files, a unified diff rendered here with 3 lines of context, checked against the index.


type Op = { kind: 'keep'; old: number; neu: number } | { kind: 'del'; old: number } | { kind: 'ins'; neu: number };

interface Generated {
  oldFile: string[];
  newFile: string[];
  ops: Op[];
  /** For each new line (0-based), the old line (0-based) it was kept from, or -1 when inserted. */
  origin: number[];
  patch: string;
  shownNew: Set<number>;
  shownOld: Set<number>;
}

// Texts that look like diff syntax once prefixed, to make sure only the first character of a body line matters.
const TRICKY = ['', '', ' ', '-', '+', '--- a/x', '+++ b/x', '@@ -1 +1 @@', '\\ No newline at end of file', 'diff --git a/x b/x', '\t'];

function generate(rand: () => number, seed: number): Generated {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const oldLen = Math.floor(rand() * 80);
  const oldFile = Array.from({ length: oldLen }, (_, i) => (rand() < 0.25 ? pick(TRICKY) : `old ${seed}.${i}`));
  const insertRate = rand() * 0.3;
  const deleteRate = rand() * 0.3;
  const ops: Op[] = [];
  const newFile: string[] = [];
  const origin: number[] = [];
  const insert = (): void => {
    // Inserted text may equal an old line's text: "added" is about the alignment, not the content.
    const text = rand() < 0.3 ? (oldLen > 0 && rand() < 0.5 ? pick(oldFile) : pick(TRICKY)) : `new ${seed}.${newFile.length}`;
    ops.push({ kind: 'ins', neu: newFile.length });
    origin.push(-1);
    newFile.push(text);
  };
  for (let i = 0; i < oldLen; i++) {
    while (rand() < insertRate) insert();
    if (rand() < deleteRate) {
      ops.push({ kind: 'del', old: i });
    } else {
      ops.push({ kind: 'keep', old: i, neu: newFile.length });
      origin.push(i);
      newFile.push(oldFile[i]!);
    }
  }
  while (rand() < insertRate) insert();

  const opts = {
    crlf: rand() < 0.2,
    stripEmptyContext: rand() < 0.3,
    header: rand() < 0.3,
    omitOne: rand() < 0.5,
    oldNoEol: rand() < 0.2,
    newNoEol: rand() < 0.2,
  };
  const { patch, shownNew, shownOld } = render(ops, oldFile, newFile, opts);
  return { oldFile, newFile, ops, origin, patch, shownNew, shownOld };
}

function render(
  ops: Op[],
  oldFile: string[],
  newFile: string[],
  opts: { crlf: boolean; stripEmptyContext: boolean; header: boolean; omitOne: boolean; oldNoEol: boolean; newNoEol: boolean },
): { patch: string; shownNew: Set<number>; shownOld: Set<number> } {
  const CONTEXT = 3;
  const changes = ops.flatMap((op, i) => (op.kind === 'keep' ? [] : [i]));
  const groups: [number, number][] = [];
  for (let g = 0; g < changes.length; ) {
    const start = Math.max(0, changes[g]! - CONTEXT);
    let last = changes[g]!;
    g++;
    while (g < changes.length && changes[g]! - last - 1 <= 2 * CONTEXT) last = changes[g++]!;
    groups.push([start, Math.min(ops.length - 1, last + CONTEXT)]);
  }
  const out: string[] = opts.header ? ['diff --git a/f b/f', 'index 1111111..2222222 100644', '--- a/f', '+++ b/f'] : [];
  const shownNew = new Set<number>();
  const shownOld = new Set<number>();
  const oldBefore = (i: number): number => ops.slice(0, i).filter((op) => op.kind !== 'ins').length;
  const newBefore = (i: number): number => ops.slice(0, i).filter((op) => op.kind !== 'del').length;
  const span = (start: number, count: number): string => (count === 1 && opts.omitOne ? `${start}` : `${start},${count}`);
  for (const [a, b] of groups) {
    const slice = ops.slice(a, b + 1);
    const oldCount = slice.filter((op) => op.kind !== 'ins').length;
    const newCount = slice.filter((op) => op.kind !== 'del').length;
    // With a count of 0 the start is the line before the (empty) range, as git writes it.
    const oldStart = oldBefore(a) + (oldCount > 0 ? 1 : 0);
    const newStart = newBefore(a) + (newCount > 0 ? 1 : 0);
    out.push(`@@ -${span(oldStart, oldCount)} +${span(newStart, newCount)} @@${out.length % 2 ? ' section' : ''}`);
    const eolMarker = (op: Op): void => {
      const lastOld = op.kind !== 'ins' && op.old === oldFile.length - 1 && opts.oldNoEol;
      const lastNew = op.kind !== 'del' && op.neu === newFile.length - 1 && opts.newNoEol;
      if (lastOld || lastNew) out.push(NO_EOL);
    };
    // Within a run of changes git prints removals before additions.
    for (let i = 0; i < slice.length; ) {
      const op = slice[i]!;
      if (op.kind === 'keep') {
        const text = newFile[op.neu]!;
        out.push(text === '' && opts.stripEmptyContext ? '' : ` ${text}`);
        shownNew.add(op.neu + 1);
        shownOld.add(op.old + 1);
        eolMarker(op);
        i++;
        continue;
      }
      let j = i;
      while (j < slice.length && slice[j]!.kind !== 'keep') j++;
      const run = slice.slice(i, j);
      for (const d of run) {
        if (d.kind !== 'del') continue;
        out.push(`-${oldFile[d.old]}`);
        shownOld.add(d.old + 1);
        eolMarker(d);
      }
      for (const n of run) {
        if (n.kind !== 'ins') continue;
        out.push(`+${newFile[n.neu]}`);
        shownNew.add(n.neu + 1);
        eolMarker(n);
      }
      i = j;
    }
  }
  const eol = opts.crlf ? '\r\n' : '\n';
  return { patch: out.length === 0 ? '' : out.join(eol) + eol, shownNew, shownOld };
}

describe('property: random files, rendered diffs', () => {
  test('the renderer itself produces what git would for a known case', () => {
    const ops: Op[] = [
      { kind: 'keep', old: 0, neu: 0 },
      { kind: 'del', old: 1 },
      { kind: 'ins', neu: 1 },
      { kind: 'keep', old: 2, neu: 2 },
    ];
    const flags = { crlf: false, stripEmptyContext: false, header: false, omitOne: false, oldNoEol: false, newNoEol: false };
    const { patch } = render(ops, ['a', 'b', 'c'], ['a', 'B', 'c'], flags);
    assert.equal(patch, p('@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c'));
  });

  const SEEDS = 400;
  test(`${SEEDS} seeded random patches: RIGHT lines are new-file lines with the new text, added lines are not aligned to old lines`, () => {
    let hunksSeen = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rand = mulberry32(seed);
      const g = generate(rand, seed);
      const where = `seed ${seed}`;
      const parsed = parsePatch(g.patch);
      assert.deepEqual(parsed.problems, [], `${where}: problems for\n${g.patch}`);
      const index = indexParsedPatch(parsed);
      hunksSeen += index.hunks.length;

      const byNew = new Map<number, DiffLine>();
      const byOld = new Map<number, DiffLine>();
      for (const h of index.hunks) {
        for (const l of h.lines) {
          if (l.newLine !== undefined) byNew.set(l.newLine, l);
          if (l.oldLine !== undefined) byOld.set(l.oldLine, l);
        }
      }

      for (let n = 0; n <= g.newFile.length + 2; n++) {
        const right = index.isRight(n);
        assert.equal(right, g.shownNew.has(n), `${where}: isRight(${n})`);
        if (!right) {
          assert.equal(index.isAdded(n), false, `${where}: isAdded(${n}) off the diff`);
          continue;
        }
        const line = byNew.get(n);
        assert.ok(line, `${where}: RIGHT line ${n} has a diff line`);
        assert.ok(n >= 1 && n <= g.newFile.length, `${where}: RIGHT line ${n} is a new-file line`);
        assert.equal(line.text, g.newFile[n - 1], `${where}: text of new line ${n}`);
        const from = g.origin[n - 1]!;
        assert.equal(index.isAdded(n), from === -1, `${where}: isAdded(${n})`);
        if (from === -1) {
          assert.equal(line.kind, 'add');
          assert.equal(line.oldLine, undefined);
        } else {
          assert.equal(line.kind, 'context');
          assert.equal(line.oldLine, from + 1, `${where}: new ${n} aligned to old ${from + 1}`);
          assert.equal(g.oldFile[from], line.text);
        }
        const hunk = index.hunkOfRight(n);
        assert.ok(hunk !== undefined && index.hunks[hunk]?.lines.includes(line), `${where}: hunkOfRight(${n})`);
      }

      for (let o = 0; o <= g.oldFile.length + 2; o++) {
        assert.equal(index.isLeft(o), g.shownOld.has(o), `${where}: isLeft(${o})`);
        const line = byOld.get(o);
        if (line) assert.equal(line.text, g.oldFile[o - 1], `${where}: text of old line ${o}`);
      }

      const inserted = g.origin.flatMap((from, i) => (from === -1 ? [i + 1] : []));
      assert.deepEqual(index.addedLines(), inserted, `${where}: every inserted line is added, nothing else`);
      const stats = diffStats(index);
      assert.equal(stats.added, inserted.length);
      assert.equal(stats.removed, g.ops.filter((op) => op.kind === 'del').length);
      assert.equal(stats.context, g.shownNew.size - inserted.length);

      for (let k = 0; k < 25; k++) {
        const s = 1 + Math.floor(rand() * (g.newFile.length + 3));
        const e = s + Math.floor(rand() * 12);
        const mode = MODES[k % MODES.length]!;
        checkPlan(index, s, e, mode, planInlineComment({ startLine: s, endLine: e }, index, mode));
      }
    }
    assert.ok(hunksSeen > SEEDS, 'the generator produces hunks');
  });
});
