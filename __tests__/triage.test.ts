/**
 * Triage: dedupe by fingerprint, order, the inline-comment cap, earlier comments, and where each filter mode lets a finding land
 * against a real patch (added lines, context lines, lines outside the hunks, ranges that span or leave a hunk).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareBySeverity } from '../src/report/text.js';
import { compareFindings, dedupeFindings, triageFindings, type TriageInput } from '../src/triage.js';
import { type ChangedFile, type FilterMode, type Finding, type Placement, type Severity } from '../src/types.js';

/*
 * src/app.js, new side (30 lines): hunk 1 shows new lines 1-7 (line 4 added), hunk 2 shows new lines 20-26 (lines 23-24 added,
 * one old line removed between 22 and 23). Lines 8-19 and 27-30 are not in the diff.
 */
const APP_PATCH = [
  '@@ -1,6 +1,7 @@',
  ' line 1',
  ' line 2',
  ' line 3',
  '+line 4',
  ' line 5',
  ' line 6',
  ' line 7',
  '@@ -19,6 +20,7 @@',
  ' line 20',
  ' line 21',
  ' line 22',
  '-removed',
  '+line 23',
  '+line 24',
  ' line 25',
  ' line 26',
].join('\n');

const FILES: ChangedFile[] = [
  { path: 'src/app.js', status: 'modified', additions: 3, deletions: 1, patch: APP_PATCH, blobSha: 'a'.repeat(40) },
  { path: 'assets/logo.png', status: 'modified', additions: 0, deletions: 0, blobSha: 'b'.repeat(40) },
  { path: 'B.js', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+x', blobSha: 'c'.repeat(40) },
  { path: 'a.js', status: 'added', additions: 1, deletions: 0, patch: '@@ -0,0 +1 @@\n+x', blobSha: 'd'.repeat(40) },
];

let counter = 0;
function finding(path: string, startLine: number, endLine = startLine, overrides: Partial<Finding> = {}): Finding {
  counter++;
  return {
    ruleId: 'js/rule',
    source: 'ast-grep',
    severity: 'high',
    path,
    startLine,
    endLine,
    message: `finding ${counter}`,
    evidence: `code ${counter}`,
    fingerprint: `fp-${counter}`,
    ...overrides,
  };
}

function triage(findings: Finding[], overrides: Partial<TriageInput> = {}) {
  return triageFindings({ findings, files: FILES, filterMode: 'added', maxComments: 30, alreadyCommented: new Map(), ...overrides });
}

function placementOf(f: Finding, mode: FilterMode): Placement {
  const [placed] = triage([f], { filterMode: mode });
  assert.ok(placed);
  return placed.placement;
}

const ALL_MODES: FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

// ---------------------------------------------------------------------------------------------------------------------------------

describe('dedupe by fingerprint', () => {
  test('the same finding from two rule sources is reported once, at its highest severity, whatever the order', () => {
    const low = finding('src/app.js', 4, 4, { fingerprint: 'same', severity: 'medium', source: 'ast-grep', message: 'from the pack' });
    const high = finding('src/app.js', 4, 4, { fingerprint: 'same', severity: 'critical', source: 'mcp-pattern', message: 'from the repo' });
    for (const input of [
      [low, high],
      [high, low],
    ]) {
      const result = dedupeFindings(input);
      assert.equal(result.length, 1);
      assert.equal(result[0]?.severity, 'critical');
      assert.equal(result[0]?.message, 'from the repo');
    }
    const placed = triage([low, high, finding('src/app.js', 4)]);
    assert.equal(placed.length, 2);
    assert.deepEqual(
      placed.map((p) => p.finding.severity),
      ['critical', 'high'],
    );
  });

  test('equal severity keeps the first; different fingerprints are never merged', () => {
    const first = finding('src/app.js', 4, 4, { fingerprint: 'dup', message: 'first' });
    const second = finding('src/app.js', 4, 4, { fingerprint: 'dup', message: 'second' });
    assert.deepEqual(
      dedupeFindings([first, second]).map((f) => f.message),
      ['first'],
    );
    const other = finding('src/app.js', 4, 4, { fingerprint: 'other' });
    assert.equal(dedupeFindings([first, other]).length, 2);
  });
});

describe('order', () => {
  test('most severe first, then path, line and column', () => {
    const severities: Severity[] = ['info', 'critical', 'low', 'high', 'medium'];
    const bySeverity = severities.map((severity) => finding('src/app.js', 4, 4, { severity }));
    const samePlace = [
      finding('src/app.js', 24, 24, { startColumn: 9 }),
      finding('src/app.js', 24, 24, { startColumn: 1 }),
      finding('src/app.js', 4),
      finding('a.js', 1),
    ];
    const placed = triage([...bySeverity, ...samePlace]);
    assert.deepEqual(
      placed.map((p) => `${p.finding.severity} ${p.finding.path}:${p.finding.startLine}:${p.finding.startColumn ?? 0}`),
      [
        'critical src/app.js:4:0',
        'high a.js:1:0',
        'high src/app.js:4:0',
        'high src/app.js:4:0',
        'high src/app.js:24:1',
        'high src/app.js:24:9',
        'medium src/app.js:4:0',
        'low src/app.js:4:0',
        'info src/app.js:4:0',
      ],
    );
  });

  test('the order is the reporters\' (code units, not the locale): the cap keeps the findings every report lists first', () => {
    const lower = finding('a.js', 1);
    const upper = finding('B.js', 1);
    assert.ok(compareFindings(upper, lower) < 0, "'B' sorts before 'a' in code units");
    assert.equal(compareFindings(upper, lower), Math.sign(compareBySeverity(upper, lower)));
    const placed = triage([lower, upper], { maxComments: 1 });
    const reportOrder = placed.map((p) => p.finding).sort(compareBySeverity);
    assert.deepEqual(
      placed.map((p) => p.finding.path),
      reportOrder.map((f) => f.path),
    );
    assert.deepEqual(
      placed.map((p) => [p.finding.path, p.placement.kind]),
      [
        ['B.js', 'inline'],
        ['a.js', 'overflow'],
      ],
    );
  });
});

describe('max-comments and earlier comments', () => {
  test('past the cap, inline-able findings overflow into the review body, most severe kept inline', () => {
    const findings = [
      finding('src/app.js', 4, 4, { severity: 'low' }),
      finding('src/app.js', 23, 23, { severity: 'critical' }),
      finding('src/app.js', 24, 24, { severity: 'medium' }),
      finding('src/app.js', 12), // not in the diff: does not use a slot
      finding('a.js', 1, 1, { severity: 'high' }),
    ];
    const placed = triage(findings, { maxComments: 2 });
    assert.deepEqual(
      placed.map((p) => `${p.finding.severity} ${p.placement.kind}`),
      ['critical inline', 'high inline', 'high outside-diff', 'medium overflow', 'low overflow'],
    );
    assert.ok(triage(findings, { maxComments: 0 }).every((p) => p.placement.kind !== 'inline'));
    assert.equal(triage(findings, { maxComments: 30 }).filter((p) => p.placement.kind === 'inline').length, 4);
  });

  test('a fingerprint already commented is not placed again and does not use a slot', () => {
    const old = finding('src/app.js', 23, 23, { severity: 'critical', fingerprint: 'commented-before' });
    const fresh = finding('src/app.js', 4, 4, { severity: 'high' });
    const placed = triage([old, fresh], { maxComments: 1, alreadyCommented: new Map([['commented-before', 4242]]) });
    assert.deepEqual(
      placed.map((p) => p.placement),
      [{ kind: 'already-commented', commentId: 4242 }, { kind: 'inline', line: 4, startLine: undefined, exact: true }],
    );
  });

  test('an earlier comment whose finding is no longer on a diff line is reported outside the diff', () => {
    const moved = finding('src/app.js', 12, 12, { fingerprint: 'commented-before' });
    const [placed] = triage([moved], { alreadyCommented: new Map([['commented-before', 7]]) });
    assert.equal(placed?.placement.kind, 'outside-diff');
  });
});

describe('filter modes', () => {
  test('an added line: inline in every mode', () => {
    for (const mode of ALL_MODES) {
      assert.deepEqual(placementOf(finding('src/app.js', 4), mode), { kind: 'inline', line: 4, startLine: undefined, exact: true }, mode);
    }
  });

  test('a context line: outside the diff for added, inline for diff_context / file / nofilter', () => {
    assert.deepEqual(placementOf(finding('src/app.js', 2), 'added'), {
      kind: 'outside-diff',
      reason: `on unchanged lines (filter-mode 'added')`,
      inChangedFile: true,
    });
    for (const mode of ['diff_context', 'file', 'nofilter'] as const) {
      assert.deepEqual(placementOf(finding('src/app.js', 2), mode), { kind: 'inline', line: 2, startLine: undefined, exact: true }, mode);
    }
    // A context line right after a removed line.
    assert.equal(placementOf(finding('src/app.js', 22), 'added').kind, 'outside-diff');
    assert.equal(placementOf(finding('src/app.js', 25), 'diff_context').kind, 'inline');
  });

  test('a line outside every hunk: outside the diff in every mode (GitHub cannot anchor it)', () => {
    for (const mode of ALL_MODES) {
      for (const line of [8, 12, 19, 27, 500]) {
        assert.deepEqual(
          placementOf(finding('src/app.js', line), mode),
          { kind: 'outside-diff', reason: 'not on a line of the diff', inChangedFile: true },
          `${mode} line ${line}`,
        );
      }
    }
  });

  test('a range inside one hunk that contains an added line: exact, with start_line', () => {
    for (const mode of ALL_MODES) {
      assert.deepEqual(placementOf(finding('src/app.js', 3, 5), mode), { kind: 'inline', line: 5, startLine: 3, exact: true }, mode);
    }
  });

  test('a range leaving its hunk is clipped to the hunk (not exact)', () => {
    // 22-30: added lines 23-24, hunk 2 ends at 26.
    assert.deepEqual(placementOf(finding('src/app.js', 22, 30), 'added'), { kind: 'inline', line: 26, startLine: 22, exact: false });
    // 6-9: only context lines 6-7 are shown.
    assert.deepEqual(placementOf(finding('src/app.js', 6, 9), 'diff_context'), { kind: 'inline', line: 7, startLine: 6, exact: false });
    assert.equal(placementOf(finding('src/app.js', 6, 9), 'added').kind, 'outside-diff');
    // Starting before the hunk: 15-21 clips to 20-21.
    assert.deepEqual(placementOf(finding('src/app.js', 15, 21), 'file'), { kind: 'inline', line: 21, startLine: 20, exact: false });
    // Clipped to a single line: no start_line.
    assert.deepEqual(placementOf(finding('src/app.js', 7, 12), 'nofilter'), { kind: 'inline', line: 7, startLine: undefined, exact: false });
  });

  test('a range spanning two hunks: added anchors in the hunk with the added line, the others in the first shown line\'s hunk', () => {
    assert.deepEqual(placementOf(finding('src/app.js', 5, 23), 'added'), { kind: 'inline', line: 23, startLine: 20, exact: false });
    assert.deepEqual(placementOf(finding('src/app.js', 5, 23), 'diff_context'), { kind: 'inline', line: 7, startLine: 5, exact: false });
    assert.deepEqual(placementOf(finding('src/app.js', 10, 30), 'nofilter'), { kind: 'inline', line: 26, startLine: 20, exact: false });
  });

  test('a file not in the pull request: outside the diff, not in a changed file, in every mode', () => {
    for (const mode of ALL_MODES) {
      assert.deepEqual(
        placementOf(finding('src/untouched.js', 4), mode),
        { kind: 'outside-diff', reason: 'file not in the pull request', inChangedFile: false },
        mode,
      );
    }
  });

  test('a changed file without a patch (binary, or too large): outside the diff, in a changed file', () => {
    for (const mode of ALL_MODES) {
      assert.deepEqual(
        placementOf(finding('assets/logo.png', 1), mode),
        { kind: 'outside-diff', reason: 'no patch for this file', inChangedFile: true },
        mode,
      );
    }
  });

  test('a broken range never throws and is never inline', () => {
    for (const [start, end] of [
      [0, 0],
      [5, 4],
      [Number.NaN, 4],
      [-3, 2],
    ] as const) {
      assert.equal(placementOf(finding('src/app.js', start, end), 'nofilter').kind, 'outside-diff', `${start}-${end}`);
    }
  });

  test('every finding gets exactly one placement', () => {
    const findings = [finding('src/app.js', 4), finding('src/app.js', 2), finding('src/app.js', 12), finding('nowhere.js', 1), finding('assets/logo.png', 1)];
    for (const mode of ALL_MODES) {
      const placed = triage(findings, { filterMode: mode, maxComments: 1 });
      assert.equal(placed.length, findings.length, mode);
      assert.deepEqual(new Set(placed.map((p) => p.finding.fingerprint)), new Set(findings.map((f) => f.fingerprint)), mode);
    }
  });
});
