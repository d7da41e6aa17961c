import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkAnnotations, escapeData, escapeProperty, toCheckRunAnnotations, toWorkflowCommands } from '../src/report/annotations.js';
import { renderInlineComment, renderResolvedComment } from '../src/report/comment.js';
import { computeConclusion, notReviewedParts, SEVERITY_TO_ANNOTATION_LEVEL } from '../src/report/conclusion.js';
import { isMarkedResolved, readFingerprintMarker, readReviewMarker, reviewMarker } from '../src/report/markers.js';
import { renderCheckRunSummary, renderFindingsMarkdown, renderJobSummary, renderReviewBody } from '../src/report/markdown.js';
import { renderJson, renderText, type JsonReport } from '../src/report/text.js';
import { type FailOn, type Finding, type PlacedFinding, type Placement, type ReviewReport, type RuleInfo, type ScanReport, type ScanStatus, type Severity, type SkippedFile } from '../src/types.js';
import { codeSpan, escapeMarkdown } from '../src/text/markdown.js';

// ---------------------------------------------------------------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------------------------------------------------------------

let sequence = 0;

function makeFinding(overrides: Partial<Finding> = {}): Finding {
  sequence++;
  return {
    ruleId: 'js-no-eval',
    source: 'ast-grep',
    severity: 'high',
    path: 'src/app.ts',
    startLine: 10,
    endLine: 10,
    message: 'Avoid `eval()` on input',
    evidence: 'eval(input);',
    fingerprint: sequence.toString(16).padStart(32, '0'),
    ...overrides,
  };
}

const INLINE: Placement = { kind: 'inline', line: 10, exact: true };

function place(finding: Finding, placement: Placement = INLINE): PlacedFinding {
  return { finding, placement };
}

function makeScan(overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    scanner: 'ast-grep',
    status: 'ok',
    findings: [],
    durationMs: 1200,
    filesScanned: 3,
    rulesRun: 40,
    warnings: [],
    ...overrides,
  };
}

const RULE: RuleInfo = {
  id: 'js-no-eval',
  source: 'ast-grep',
  severity: 'high',
  shortDescription: 'eval() runs arbitrary code',
  fullDescription: 'Code built from strings can be controlled by an attacker.',
  helpUri: 'https://example.com/rules/js-no-eval',
  cwe: 'CWE-95',
  category: 'security',
};

function makeReport(overrides: Partial<ReviewReport> = {}): ReviewReport {
  return {
    tool: { name: 'ultra-create', version: '0.1.0', informationUri: 'https://github.com/ultra-create/action' },
    repository: 'octo/repo',
    pullNumber: 7,
    baseSha: 'a'.repeat(40),
    headSha: 'b'.repeat(40),
    filterMode: 'added',
    failOn: 'critical',
    conclusion: 'success',
    maxComments: 30,
    maxAnnotations: 1000,
    notReviewed: [],
    findings: [],
    scans: [makeScan()],
    rules: [RULE],
    filesReviewed: 3,
    skippedFiles: [],
    resolvedCount: 0,
    notices: [],
    ...overrides,
  };
}

function many(count: number, make: (i: number) => PlacedFinding): PlacedFinding[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Cells of a GFM table row, splitting on pipes not escaped by an odd number of backslashes (the strictest reading). */
function cells(row: string): string[] {
  const out: string[] = [];
  let current = '';
  let backslashes = 0;
  for (const ch of row) {
    if (ch === '|' && backslashes % 2 === 0) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
    backslashes = ch === '\\' ? backslashes + 1 : 0;
  }
  out.push(current);
  return out;
}

/** Every table in `markdown` keeps the cell count of its header on every row. */
function assertTablesIntact(markdown: string, context: string): void {
  let expected: number | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      expected = undefined;
      continue;
    }
    const count = cells(line).length;
    if (expected === undefined) expected = count;
    else assert.equal(count, expected, `${context}: row has ${count - 2} cells instead of ${expected - 2}: ${line}`);
  }
}

const ANY_MARKER = /<!--\s*ultra-create:/gi;

function markerCount(text: string): number {
  return [...text.matchAll(ANY_MARKER)].length;
}

/** The content of the first fenced block opened with `info`, read with the fence's own length. */
function fencedBlock(markdown: string, info: string): string | undefined {
  const open = new RegExp(`^(\`{3,})${info}$`, 'm').exec(markdown);
  if (!open) return undefined;
  const fence = open[1]!;
  const start = open.index + open[0].length + 1;
  const lines = markdown.slice(start).split('\n');
  const end = lines.findIndex((line) => line === fence);
  assert.ok(end >= 0, 'fenced block is closed');
  return lines.slice(0, end).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Conclusion
// ---------------------------------------------------------------------------------------------------------------------------------

describe('computeConclusion', () => {
  const cases: { name: string; severities: Severity[]; failOn: FailOn; statuses: ScanStatus[]; fp?: boolean; lenient?: boolean; expected: string }[] = [
    { name: 'no findings, scans ok', severities: [], failOn: 'critical', statuses: ['ok'], expected: 'success' },
    { name: 'critical at fail-on critical', severities: ['critical'], failOn: 'critical', statuses: ['ok'], expected: 'failure' },
    { name: 'high below fail-on critical', severities: ['high'], failOn: 'critical', statuses: ['ok'], expected: 'success' },
    { name: 'high at fail-on high', severities: ['high', 'low'], failOn: 'high', statuses: ['ok'], expected: 'failure' },
    { name: 'critical above fail-on medium', severities: ['critical'], failOn: 'medium', statuses: ['ok'], expected: 'failure' },
    { name: 'info at fail-on info', severities: ['info'], failOn: 'info', statuses: ['ok'], expected: 'failure' },
    { name: 'fail-on none never fails', severities: ['critical', 'critical'], failOn: 'none', statuses: ['ok'], expected: 'success' },
    { name: 'none + failed scan fails closed', severities: ['critical'], failOn: 'none', statuses: ['failed'], expected: 'failure' },
    { name: 'failed scan, no findings: failure', severities: [], failOn: 'critical', statuses: ['ok', 'failed'], expected: 'failure' },
    { name: 'failed scan, fail-on-scan-error false: neutral', severities: [], failOn: 'critical', statuses: ['failed'], lenient: true, expected: 'neutral' },
    { name: 'failing finding wins over a failed scan', severities: ['high'], failOn: 'high', statuses: ['failed'], expected: 'failure' },
    { name: 'skipped and degraded do not change it', severities: ['low'], failOn: 'high', statuses: ['skipped', 'degraded'], expected: 'success' },
    { name: 'false positive does not fail', severities: ['critical'], failOn: 'critical', statuses: ['ok'], fp: true, expected: 'success' },
    { name: 'false positive + failed scan', severities: ['critical'], failOn: 'critical', statuses: ['failed'], fp: true, expected: 'failure' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const findings = c.severities.map((severity) =>
        makeFinding({ severity, ...(c.fp ? { verdict: { verdict: 'false_positive' as const } } : {}) }),
      );
      const scans = c.statuses.map((status) => makeScan({ status, reason: status === 'ok' ? undefined : 'because' }));
      const notReviewed = notReviewedParts({ scans, skipped: [], truncated: false, listed: 1 });
      assert.equal(computeConclusion(findings, c.failOn, notReviewed, !c.lenient), c.expected);
    });
  }

  test('a false positive does not hide a real failing finding', () => {
    const findings = [makeFinding({ severity: 'critical', verdict: { verdict: 'false_positive' } }), makeFinding({ severity: 'critical', verdict: { verdict: 'confirmed' } })];
    assert.equal(computeConclusion(findings, 'critical', []), 'failure');
  });

  test('uncertain and unverified verdicts still fail', () => {
    for (const verdict of ['uncertain', 'unverified'] as const) {
      assert.equal(computeConclusion([makeFinding({ severity: 'critical', verdict: { verdict } })], 'critical', []), 'failure');
    }
  });

  test('annotation levels', () => {
    assert.deepEqual(SEVERITY_TO_ANNOTATION_LEVEL, {
      critical: 'failure',
      high: 'failure',
      medium: 'warning',
      low: 'notice',
      info: 'notice',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Inline comments
// ---------------------------------------------------------------------------------------------------------------------------------

describe('renderInlineComment', () => {
  const exact = { exact: true, suggestionAllowed: true };

  test('badge and rule first, fingerprint marker alone on the last line', () => {
    const finding = makeFinding({ severity: 'critical' });
    const body = renderInlineComment(finding, RULE, exact);
    const lines = body.split('\n');
    assert.match(lines[0]!, /^🔴 \*\*Critical\*\* · `js-no-eval`/);
    assert.equal(lines.at(-1), `<!-- ultra-create:fp=${finding.fingerprint} src=${finding.source} -->`);
    assert.equal(readFingerprintMarker(body), finding.fingerprint);
    assert.equal(markerCount(body), 1);
    assert.ok(body.includes('Avoid `eval()` on input'), 'the tool message, code span kept');
  });

  test('why it matters: the note, with the CWE linked', () => {
    const body = renderInlineComment(makeFinding({ note: 'Attackers run code (CWE-95).' }), RULE, exact);
    assert.match(body, /\*\*Why it matters:\*\* Attackers run code \(\[CWE-95\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/95\.html\)\)\./);
    const fromRule = renderInlineComment(makeFinding(), RULE, exact);
    assert.match(fromRule, /Code built from strings can be controlled by an attacker\. \(\[CWE-95\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/95\.html\)\)/);
    assert.match(fromRule, /\[Rule documentation\]\(https:\/\/example\.com\/rules\/js-no-eval\)/);
  });

  test('a suggestion block only when the placement is exact and lines are known', () => {
    const finding = makeFinding({ fix: { replacement: 'JSON.parse(input)', replacementLines: 'const value = JSON.parse(input);' } });
    const suggested = renderInlineComment(finding, RULE, exact);
    assert.equal(fencedBlock(suggested, 'suggestion'), 'const value = JSON.parse(input);');

    const notExact = renderInlineComment(finding, RULE, { exact: false, suggestionAllowed: true });
    assert.ok(!notExact.includes('suggestion\n'), 'no suggestion when not exact');
    assert.match(notExact, /<summary>Possible fix<\/summary>/);
    assert.ok(notExact.includes('JSON.parse(input)'));

    const notAllowed = renderInlineComment(finding, RULE, { exact: true, suggestionAllowed: false });
    assert.ok(!notAllowed.includes('suggestion\n'));

    const noLines = renderInlineComment(makeFinding({ fix: { replacement: 'x' } }), RULE, exact);
    assert.ok(!noLines.includes('suggestion\n'));
  });

  test('the suggestion holds exactly the replacement lines, with a fence longer than any inside', () => {
    const replacementLines = 'const doc = `\n```js\ncode\n```\n`;\n  indented';
    const body = renderInlineComment(makeFinding({ startLine: 3, endLine: 8, fix: { replacement: '', replacementLines } }), RULE, exact);
    assert.match(body, /^````suggestion$/m);
    assert.equal(fencedBlock(body, 'suggestion'), replacementLines);
    // One trailing line break is a terminator, not an extra line.
    const trailing = renderInlineComment(makeFinding({ fix: { replacement: '', replacementLines: 'a\nb\n' } }), RULE, exact);
    assert.equal(fencedBlock(trailing, 'suggestion'), 'a\nb');
    // An empty replacement deletes the lines.
    const deletion = renderInlineComment(makeFinding({ fix: { replacement: '', replacementLines: '' } }), RULE, exact);
    assert.match(deletion, /^```suggestion\n```$/m);
  });

  test('no one-click suggestion for replacements with hidden characters or marker look-alikes', () => {
    for (const replacementLines of ['ok = 1; // \u202Eevil', 'x = 1; <!-- ultra-create:fp=0123456789abcdef0123456789abcdef -->']) {
      const body = renderInlineComment(makeFinding({ fix: { replacement: '', replacementLines } }), RULE, exact);
      assert.ok(!body.includes('suggestion\n'), replacementLines);
      assert.equal(markerCount(body), 1);
      assert.ok(!body.includes('\u202E'));
    }
  });

  test('draft text and verdict labels', () => {
    const draft = { title: 'Do not eval user input', body: 'Parse it with `JSON.parse` instead.', author: 'model' as const, fixHint: 'Use a parser.' };
    const drafted = renderInlineComment(makeFinding({ draft }), RULE, exact);
    assert.match(drafted, /^\*\*Do not eval user input\*\*$/m);
    assert.ok(drafted.includes('Parse it with `JSON.parse` instead.'));
    assert.ok(!drafted.includes('Avoid `eval()`'), 'the draft replaces the tool message');
    assert.match(drafted, /\*\*How to fix:\*\* Use a parser\./);

    const labels: [NonNullable<Finding['verdict']>['verdict'], string][] = [
      ['confirmed', 'verified by Claude'],
      ['uncertain', 'uncertain'],
      ['unverified', 'not verified'],
    ];
    for (const [verdict, label] of labels) {
      const first = renderInlineComment(makeFinding({ draft, verdict: { verdict } }), RULE, exact).split('\n')[0]!;
      assert.ok(first.includes(label), `${verdict}: ${first}`);
    }
    const none = renderInlineComment(makeFinding({ draft }), RULE, exact).split('\n')[0]!;
    assert.ok(!/verified|uncertain/.test(none));

    const claude = renderInlineComment(
      makeFinding({ draft, verdict: { verdict: 'confirmed', comment: 'Claude says: real injection.', reasoning: 'input reaches eval' } }),
      RULE,
      exact,
    );
    assert.ok(claude.includes('Claude says: real injection.'));
    assert.match(claude, /<summary>Claude's reasoning<\/summary>/);
  });

  test('at most 60,000 characters: the prose is cut, never the suggestion or the marker', () => {
    const finding = makeFinding({
      message: 'x'.repeat(200_000),
      note: 'y'.repeat(50_000),
      fix: { replacement: '', replacementLines: 'safe();' },
    });
    const body = renderInlineComment(finding, RULE, exact);
    assert.ok(bytes(body) <= 60_000, `${bytes(body)} bytes`);
    assert.equal(fencedBlock(body, 'suggestion'), 'safe();');
    assert.equal(body.split('\n').at(-1), `<!-- ultra-create:fp=${finding.fingerprint} src=${finding.source} -->`);
    assert.match(body, /_\(shortened\)_/);
  });

  test('a huge multibyte message stays under the limit too', () => {
    const body = renderInlineComment(makeFinding({ message: '🔥'.repeat(40_000) }), RULE, exact);
    assert.ok(bytes(body) <= 60_000);
    assert.equal(readFingerprintMarker(body), readFingerprintMarker(body.split('\n').at(-1)));
  });
});

describe('renderResolvedComment', () => {
  const finding = makeFinding({ fix: { replacement: '', replacementLines: 'safe();' } });
  const original = renderInlineComment(finding, RULE, { exact: true, suggestionAllowed: true });

  test('says resolved, keeps the original folded and both markers', () => {
    const resolved = renderResolvedComment(original, '0123456789abcdef0123456789abcdef01234567');
    assert.match(resolved, /^✅ Resolved in 0123456: this finding is no longer reported\./);
    assert.equal(readFingerprintMarker(resolved), finding.fingerprint);
    assert.ok(isMarkedResolved(resolved));
    assert.match(resolved, /<details>\n<summary>Original comment<\/summary>/);
    assert.ok(resolved.includes('Avoid `eval()` on input'));
    assert.ok(!resolved.includes('```suggestion'), 'a stale suggestion cannot be applied any more');
    assert.ok(resolved.includes('safe();'));
    assert.equal(markerCount(resolved), 2);
  });

  test('idempotent', () => {
    const once = renderResolvedComment(original, 'abcdef1234567');
    assert.equal(renderResolvedComment(once, 'fedcba7654321'), once);
  });

  test('a sha that is not hex is not echoed', () => {
    const resolved = renderResolvedComment(original, '<img src=x>');
    assert.ok(!resolved.includes('<img'));
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Review body, check run summary, job summary
// ---------------------------------------------------------------------------------------------------------------------------------

describe('renderReviewBody', () => {
  test('headline counts, overflow listed, run marker last', () => {
    const report = makeReport({
      findings: [
        place(makeFinding({ severity: 'critical' })),
        place(makeFinding({ severity: 'high' })),
        place(makeFinding({ severity: 'medium', ruleId: 'ts-any', path: 'src/over.ts', startLine: 4, endLine: 6, message: 'Over the cap' }), { kind: 'overflow' }),
        place(makeFinding({ severity: 'low' }), { kind: 'already-commented', commentId: 9 }),
        place(makeFinding({ severity: 'low', path: 'src/ctx.ts' }), { kind: 'outside-diff', reason: 'not on a line of the diff', inChangedFile: true }),
      ],
    });
    const body = renderReviewBody(report, { runKey: '123-1' });
    assert.match(body, /\*\*5 findings\*\*: 🔴 1 critical · 🟠 1 high · 🟡 1 medium · 🔵 2 low/);
    assert.match(body, /2 new inline comments/);
    assert.match(body, /1 already commented in earlier runs/);
    assert.match(body, /1 over the limit of 30 comments/);
    assert.match(body, /\| 🟡 Medium \| `src\/over\.ts:4-6` \| `ts-any` \| Over the cap \|/);
    assert.ok(!body.includes('src/ctx.ts'), 'outside-diff findings are not listed in added mode');
    assert.equal(body.split('\n').at(-1), reviewMarker('123-1'));
    assert.equal(readReviewMarker(body), '123-1');
  });

  test('in file and nofilter modes, findings in changed files outside the diff are listed too', () => {
    const findings = [
      place(makeFinding({ path: 'src/changed.ts' }), { kind: 'outside-diff', reason: 'not on a line of the diff', inChangedFile: true }),
      place(makeFinding({ path: 'src/untouched.ts' }), { kind: 'outside-diff', reason: 'file not in the pull request', inChangedFile: false }),
    ];
    for (const filterMode of ['file', 'nofilter'] as const) {
      const body = renderReviewBody(makeReport({ filterMode, findings }), { runKey: 'r' });
      assert.match(body, /In changed files, outside the diff \(1\)/);
      assert.ok(body.includes('src/changed.ts:10'));
      assert.ok(!body.includes('src/untouched.ts'));
    }
    for (const filterMode of ['added', 'diff_context'] as const) {
      assert.ok(!renderReviewBody(makeReport({ filterMode, findings }), { runKey: 'r' }).includes('src/changed.ts'));
    }
  });

  test('10,000 overflowing findings stay under 60,000 characters with an "and N more"', () => {
    const report = makeReport({
      findings: many(10_000, (i) =>
        place(makeFinding({ path: `src/module-${i}/file.ts`, message: `Message number ${i} `.repeat(8) }), { kind: 'overflow' }),
      ),
    });
    const body = renderReviewBody(report, { runKey: 'big' });
    assert.ok(bytes(body) <= 60_000, `${bytes(body)} bytes`);
    const rows = body.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Severity') && !l.startsWith('| ---'));
    const more = /_and ([\d,]+) more — see the check run\._/.exec(body);
    assert.ok(more, 'has the "more" line');
    assert.equal(rows.length + Number(more[1]!.replace(/,/g, '')), 10_000);
    assert.ok(rows.length > 50);
    assert.equal(readReviewMarker(body), 'big');
    assertTablesIntact(body, 'review body');
  });

  test('scanners that failed, were skipped or degraded are named with their reason', () => {
    const report = makeReport({
      scans: [
        makeScan(),
        makeScan({ scanner: 'ramparts', status: 'failed', reason: 'ramparts exited with code 2' }),
        makeScan({ scanner: 'tests', status: 'skipped', reason: 'no test-command configured' }),
      ],
    });
    const body = renderReviewBody(report, { runKey: 'r' });
    assert.match(body, /Scanner `ramparts` failed\*\*: ramparts exited with code 2/);
    assert.match(body, /Scanner `tests` was skipped: no test-command configured/);
    assert.match(body, /No findings from the scanners that ran/);
  });
});

describe('renderCheckRunSummary', () => {
  test('counts per scanner and severity, statuses, warnings, files not reviewed, resolved, notices', () => {
    const report = makeReport({
      findings: [
        place(makeFinding({ severity: 'critical' })),
        place(makeFinding({ severity: 'high' })),
        place(makeFinding({ severity: 'high', source: 'ramparts', ruleId: 'mcp-ssh' })),
        place(makeFinding({ severity: 'medium', source: 'mcp-pattern', ruleId: 'mcp-hidden' })),
      ],
      scans: [
        makeScan({ warnings: ["rule 'vendor/java-sqli' does not parse: expected a mapping at line 3"] }),
        makeScan({ scanner: 'ramparts', status: 'degraded', reason: 'no YARA rules loaded', rulesRun: 0 }),
        makeScan({ scanner: 'tests', status: 'failed', reason: 'sandbox image could not be pulled' }),
      ],
      skippedFiles: [
        { path: 'assets/logo.png', reason: 'binary' },
        { path: 'assets/icon.png', reason: 'binary' },
        { path: 'dist/bundle.js', reason: 'generated', detail: 'marked linguist-generated' },
      ],
      resolvedCount: 2,
      notices: ['Inline comments capped at 30.'],
    });
    const summary = renderCheckRunSummary(report);
    assert.match(summary, /\| `ast-grep` \| ✅ ok \| 1 \| 1 \| · \| · \| · \| 2 \| 3 \| 40 \| 1\.2 s \|/);
    assert.match(summary, /\| `ramparts` \| ⚠️ degraded \| · \| 1 \| · \| · \| · \| 1 \|/);
    assert.match(summary, /\| `mcp-pattern` \| · \| · \| · \| 1 \|/);
    assert.match(summary, /\| \*\*Total\*\* \| \| \*\*1\*\* \| \*\*2\*\* \| \*\*1\*\* \|/);
    assert.match(summary, /Scanner `tests` failed\*\*: sandbox image could not be pulled/);
    assert.match(summary, /Scanner `ramparts` ran degraded: no YARA rules loaded/);
    assert.match(summary, /`ast-grep`: rule 'vendor/);
    assert.ok(summary.includes('java-sqli'));
    assert.match(summary, /\*\*binary\*\* \(2\): `assets\/icon\.png`, `assets\/logo\.png`/);
    assert.match(summary, /\*\*generated\*\* \(1\): `dist\/bundle\.js` \(marked linguist-generated\)/);
    assert.match(summary, /2 earlier comments marked resolved/);
    assert.match(summary, /Inline comments capped at 30\./);
    assert.match(summary, /\n\nConclusion: \*\*success\*\*/, "the conclusion is a paragraph of its own, not run into the headline");
    assertTablesIntact(summary, 'check run summary');
  });

  test('stays under 65,535 characters with 10,000 findings, thousands of skipped files and warnings', () => {
    const report = makeReport({
      findings: many(10_000, (i) => place(makeFinding({ severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5] }))),
      scans: [
        makeScan({ warnings: Array.from({ length: 3000 }, (_, i) => `rule r${i} does not parse: ${'reason '.repeat(100)}`) }),
        makeScan({ scanner: 'ramparts', status: 'failed', reason: 'r'.repeat(10_000) }),
      ],
      skippedFiles: Array.from({ length: 5000 }, (_, i): SkippedFile => ({
        path: `vendor/lib-${i}/${'deep/'.repeat(20)}file.js`,
        reason: i % 2 ? 'vendored' : 'too-large',
        detail: 'd'.repeat(500),
      })),
      notices: Array.from({ length: 500 }, (_, i) => `notice ${i} ${'n'.repeat(2000)}`),
    });
    const summary = renderCheckRunSummary(report);
    assert.ok(bytes(summary) <= 65_535, `${bytes(summary)} bytes`);
    assert.match(summary, /Scanner `ramparts` failed\*\*/, 'a failed scanner survives every cut');
    assert.match(summary, /\*\*10,000 findings\*\*/);
    assert.match(summary, /\*\*too large\*\* \(2,500\): .*, _and 2,480 more_/);
    assert.match(summary, /- _and 480 more notices_/);
  });
});

describe('renderJobSummary', () => {
  test('a table of every finding with location ranges and placements', () => {
    const report = makeReport({
      findings: [
        place(makeFinding({ severity: 'critical', startLine: 3, endLine: 5 })),
        place(makeFinding({ severity: 'low', path: 'lib/x.ts' }), { kind: 'outside-diff', reason: 'not on a line of the diff', inChangedFile: true }),
      ],
    });
    const summary = renderJobSummary(report);
    assert.match(summary, /^## ultra-create review: `octo\/repo` pull request 7 at `bbbbbbbbbbbb`/);
    assert.match(summary, /\| 🔴 Critical \| `src\/app\.ts:3-5` \| `js-no-eval` \| Avoid `eval\(\)` on input \| inline comment \|/);
    assert.match(summary, /\| 🔵 Low \| `lib\/x\.ts:10` \| `js-no-eval` \| .* \| outside the diff \(not on a line of the diff\) \|/);
    assertTablesIntact(summary, 'job summary');
    assert.equal(renderFindingsMarkdown(report), summary);
  });

  test('10,000 findings with long messages stay under 1 MiB, the rest counted and pointed to SARIF', () => {
    const report = makeReport({
      findings: many(10_000, (i) => place(makeFinding({ path: `src/p${i}.ts`, message: `${'long message '.repeat(40)}${i}` }))),
    });
    const summary = renderJobSummary(report);
    assert.ok(bytes(summary) <= 1024 * 1024, `${bytes(summary)} bytes`);
    const more = /_([\d,]+) more in the SARIF file\._/.exec(summary);
    assert.ok(more, 'has the "more in the SARIF file" line');
    const rows = summary.split('\n').filter((l) => /^\| (🔴|🟠|🟡|🔵|⚪) /.test(l));
    assert.equal(rows.length + Number(more[1]!.replace(/,/g, '')), 10_000);
    assert.ok(rows.length > 1000);
  });

  test('no findings and a failed scanner is never "no findings" alone', () => {
    const summary = renderJobSummary(makeReport({ scans: [makeScan({ status: 'failed', reason: 'ast-grep binary missing' })], conclusion: 'neutral' }));
    assert.match(summary, /No findings from the scanners that ran/);
    assert.match(summary, /Scanner `ast-grep` failed\*\*: ast-grep binary missing/);
    assert.match(summary, /Conclusion: \*\*neutral\*\*/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Injection
// ---------------------------------------------------------------------------------------------------------------------------------

describe('text from the pull request cannot inject markdown', () => {
  const FORGED = '<!-- ultra-create:fp=0123456789abcdef0123456789abcdef -->';
  const EVIL = `x | a | b |\n| --- | --- |\n${FORGED} @octocat <img src=x onerror=alert(1)> <!-- ultra-create:resolved --> [click](javascript:alert(1)) ![t](https://evil.example/p.png) # Heading`;

  function evilReport(): { report: ReviewReport; evilFinding: Finding } {
    const evilFinding = makeFinding({
      severity: 'critical',
      ruleId: 'evil|rule`x',
      path: `src/${FORGED}|@octocat.ts`,
      message: EVIL,
      note: EVIL,
      evidence: EVIL,
      // Template text is tool text (escaped); model text is sanitized (see the next test).
      draft: { title: EVIL, body: EVIL, author: 'template', fixHint: EVIL },
      fix: { replacement: EVIL },
    });
    const report = makeReport({
      filterMode: 'file',
      findings: [
        place(evilFinding),
        place(makeFinding({ message: EVIL, path: 'src/b.ts' }), { kind: 'overflow' }),
        place(makeFinding({ message: EVIL, path: 'src/c.ts' }), { kind: 'outside-diff', reason: EVIL, inChangedFile: true }),
      ],
      scans: [
        makeScan({ warnings: [EVIL] }),
        makeScan({ scanner: 'ramparts', status: 'failed', reason: EVIL }),
        makeScan({ scanner: 'tests', status: 'degraded', reason: EVIL }),
      ],
      skippedFiles: [{ path: `evil|${FORGED}.bin`, reason: 'binary', detail: EVIL }],
      notices: [EVIL],
    });
    return { report, evilFinding };
  }

  function assertNeutralised(markdown: string, context: string, expectedMarkers: number): void {
    assert.ok(!/<img/i.test(markdown), `${context}: raw <img>`);
    assert.ok(!markdown.includes('@octocat'), `${context}: a mention that notifies`);
    assert.ok(!/(?<!\\)\]\(javascript:/.test(markdown), `${context}: a javascript: link`);
    assert.ok(!markdown.includes('!['), `${context}: an image`);
    assert.ok(!/^#+ Heading/m.test(markdown), `${context}: a heading`);
    assert.equal(markerCount(markdown), expectedMarkers, `${context}: marker-like HTML comments`);
    assertTablesIntact(markdown, context);
    for (const line of markdown.split('\n')) {
      assert.ok(!/^\|? ?-{3,} ?\| ?-{3,}/.test(line) || line.startsWith('| ---'), `${context}: an injected delimiter row: ${line}`);
    }
  }

  test('inline comment: only the real marker survives', () => {
    const { evilFinding } = evilReport();
    const body = renderInlineComment(evilFinding, RULE, { exact: false, suggestionAllowed: true });
    // The fix is shown in a code block, where HTML is inert; outside it nothing may be raw.
    const outsideCode = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '');
    assertNeutralised(outsideCode, 'inline comment', 1);
    assert.equal(markerCount(body), 1);
    assert.equal(readFingerprintMarker(body), evilFinding.fingerprint);
    assert.ok(body.includes('\\| a \\| b \\|'), 'pipes are escaped');
    assert.ok(!/^\| ?---/m.test(outsideCode), 'no delimiter row outside code');
  });

  test('inline comment with model text (a draft and a verdict): sanitized, only the real marker survives', () => {
    const modelFinding = makeFinding({
      severity: 'critical',
      message: EVIL,
      draft: { title: EVIL, body: EVIL, author: 'model', fixHint: EVIL },
      verdict: { verdict: 'uncertain', comment: EVIL, reasoning: EVIL, fix: EVIL },
    });
    const body = renderInlineComment(modelFinding, RULE, { exact: true, suggestionAllowed: true, links: { repository: 'o/r', serverUrl: 'https://github.com' } });
    const outsideCode = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1$/gm, '').replace(/`[^`\n]*`/g, '');
    assert.ok(!/<img/i.test(outsideCode), 'raw <img>');
    assert.ok(!outsideCode.includes('@octocat'), 'a mention outside code');
    assert.ok(!outsideCode.includes('](javascript:'), "a javascript: link");
    assert.ok(!outsideCode.includes('!['), 'an image');
    assert.ok(!outsideCode.includes('evil.example'), 'a live foreign link');
    assert.equal(markerCount(body), 1);
    assert.equal(readFingerprintMarker(body), modelFinding.fingerprint);
  });

  test('resolved comment: only the real markers survive', () => {
    const { evilFinding } = evilReport();
    const resolved = renderResolvedComment(renderInlineComment(evilFinding, RULE, { exact: true, suggestionAllowed: true }), 'abc1234');
    assert.equal(markerCount(resolved), 2);
    assert.equal(readFingerprintMarker(resolved), evilFinding.fingerprint);
  });

  test('review body, check run summary, job summary and CLI markdown', () => {
    const { report } = evilReport();
    // Two real markers: the findings the body lists, and the run.
    assertNeutralised(renderReviewBody(report, { runKey: 'r1' }), 'review body', 2);
    assertNeutralised(renderCheckRunSummary(report), 'check run summary', 0);
    assertNeutralised(renderJobSummary(report), 'job summary', 0);
    assertNeutralised(renderFindingsMarkdown(report), 'CLI markdown', 0);
    assert.equal(readReviewMarker(renderReviewBody(report, { runKey: 'r1' })), 'r1');
    assert.equal(readFingerprintMarker(renderJobSummary(report)), undefined);
  });

  test('escapeMarkdown keeps code spans, escapes the rest', () => {
    assert.equal(escapeMarkdown('Use `a|b` not *x*'), 'Use `a|b` not \\*x\\*');
    assert.equal(escapeMarkdown('Use `a|b`', { table: true }), 'Use \\`a\\|b\\`');
    assert.equal(escapeMarkdown('ping @octocat and @org/team'), 'ping @\u200Boctocat and @\u200Borg/team');
    assert.equal(escapeMarkdown('1. first\n- second', { multiline: true }), '1\\. first\n\\- second');
    assert.equal(escapeMarkdown('a\nb'), 'a b');
    assert.equal(escapeMarkdown('x\u202Ey'), 'x\\[U+202E\\]y');
    assert.equal(escapeMarkdown('unclosed ` tick'), 'unclosed \\` tick');
    assert.equal(escapeMarkdown('see CWE-89', { linkCwe: true }), 'see [CWE-89](https://cwe.mitre.org/data/definitions/89.html)');
  });

  test('codeSpan survives backticks and pipes', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
    assert.equal(codeSpan('node_modules/@types/x'), '`node_modules/@types/x`', 'no mention is linked inside code');
    assert.equal(codeSpan('a|b', { table: true }), 'a\\|b');
    assert.ok(!codeSpan('<!-- ultra-create:fp=0123456789abcdef -->').includes('<!--'));
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// Annotations and workflow commands
// ---------------------------------------------------------------------------------------------------------------------------------

describe('toCheckRunAnnotations', () => {
  test('every finding, most severe first, also outside the diff', () => {
    const report = makeReport({
      findings: [
        place(makeFinding({ severity: 'low', path: 'a.ts' }), { kind: 'outside-diff', reason: 'file not in the pull request', inChangedFile: false }),
        place(makeFinding({ severity: 'critical', path: 'b.ts' }), { kind: 'overflow' }),
        place(makeFinding({ severity: 'medium', path: 'c.ts' }), { kind: 'already-commented', commentId: 1 }),
        place(makeFinding({ severity: 'high', path: 'd.ts', verdict: { verdict: 'false_positive', reasoning: 'test fixture' } })),
      ],
    });
    const annotations = toCheckRunAnnotations(report);
    assert.deepEqual(
      annotations.map((a) => [a.path, a.annotation_level]),
      [
        ['b.ts', 'failure'],
        ['d.ts', 'notice'],
        ['c.ts', 'warning'],
        ['a.ts', 'notice'],
      ],
    );
    assert.equal(annotations[0]!.title, 'js-no-eval (critical)');
    assert.equal(annotations[0]!.raw_details, 'eval(input);');
    assert.match(annotations[1]!.message, /^Claude judged this a likely false positive: test fixture/);
  });

  test('columns only on single-line annotations; the end column is inclusive', () => {
    const report = makeReport({
      findings: [
        place(makeFinding({ severity: 'critical', startLine: 4, endLine: 4, startColumn: 5, endColumn: 12 })),
        place(makeFinding({ severity: 'high', startLine: 4, endLine: 6, startColumn: 5, endColumn: 12 })),
        place(makeFinding({ severity: 'medium', startLine: 7, endLine: 7 })),
        place(makeFinding({ severity: 'low', startLine: 8, endLine: 8, startColumn: 3, endColumn: 3 })),
      ],
    });
    const [single, multi, noColumns, empty] = toCheckRunAnnotations(report);
    assert.deepEqual([single!.start_line, single!.end_line, single!.start_column, single!.end_column], [4, 4, 5, 11]);
    assert.deepEqual([multi!.start_line, multi!.end_line, 'start_column' in multi!, 'end_column' in multi!], [4, 6, false, false]);
    assert.equal('start_column' in noColumns!, false);
    assert.deepEqual([empty!.start_column, empty!.end_column], [3, 3]);
  });

  test('title at most 255 characters, message at most 64 KB', () => {
    const report = makeReport({ findings: [place(makeFinding({ ruleId: 'r'.repeat(1000), message: 'm'.repeat(100_000), evidence: 'e'.repeat(100_000) }))] });
    const [annotation] = toCheckRunAnnotations(report);
    assert.ok(annotation!.title!.length <= 255);
    assert.match(annotation!.title!, /… \(high\)$/);
    assert.ok(bytes(annotation!.message) <= 64 * 1024);
    assert.ok(bytes(annotation!.raw_details!) <= 64 * 1024);
  });

  test('chunks of 50', () => {
    const annotations = toCheckRunAnnotations(makeReport({ findings: many(120, (i) => place(makeFinding({ ruleId: `js/rule-${i}` }))) }));
    assert.equal(annotations.length, 120);
    assert.deepEqual(chunkAnnotations(annotations, 50).map((c) => c.length), [50, 50, 20]);
    assert.deepEqual(chunkAnnotations(annotations.slice(0, 50), 50).map((c) => c.length), [50]);
    assert.deepEqual(chunkAnnotations([], 50), []);
    assert.deepEqual(chunkAnnotations(annotations).flat(), annotations);
    assert.throws(() => chunkAnnotations(annotations, 0), RangeError);
  });
});

describe('toWorkflowCommands', () => {
  test('one escaped command per finding', () => {
    const report = makeReport({
      findings: [
        place(makeFinding({ severity: 'critical', path: 'src/a,b:c.ts', startLine: 3, endLine: 4, message: '100% bad\r\nline two\n::set-output name=x::y' })),
        place(makeFinding({ severity: 'medium', ruleId: 'rule:with,chars', startLine: 2, endLine: 2, startColumn: 1, endColumn: 5 })),
        place(makeFinding({ severity: 'info' })),
      ],
    });
    const [error, warning, notice] = toWorkflowCommands(report);
    assert.equal(error, '::error file=src/a%2Cb%3Ac.ts,line=3,endLine=4,title=js-no-eval (critical)::100%25 bad%0Aline two%0A::set-output name=x::y');
    assert.equal(warning, '::warning file=src/app.ts,line=2,endLine=2,col=1,endColumn=4,title=rule%3Awith%2Cchars (medium)::Avoid `eval()` on input');
    assert.match(notice!, /^::notice file=src\/app\.ts,line=10,endLine=10,title=js-no-eval \(info\)::/);
    for (const command of toWorkflowCommands(report)) assert.ok(!/[\r\n]/.test(command), 'one line each');
  });

  test('escaping rules', () => {
    assert.equal(escapeData('a%b\rc\nd:e,f'), 'a%25b%0Dc%0Ad:e,f');
    assert.equal(escapeProperty('a%b\rc\nd:e,f'), 'a%25b%0Dc%0Ad%3Ae%2Cf');
  });

  test('a closing notice when GitHub would not show them all', () => {
    const commands = toWorkflowCommands(makeReport({ findings: many(12, (i) => place(makeFinding({ ruleId: `js/rule-${i}` }))) }));
    assert.equal(commands.length, 13);
    assert.match(commands.at(-1)!, /^::notice title=ultra-create%3A 12 findings::/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------------------
// CLI text and JSON
// ---------------------------------------------------------------------------------------------------------------------------------

describe('renderText', () => {
  const report = makeReport({
    findings: [
      place(makeFinding({ severity: 'critical', startLine: 12, endLine: 13, startColumn: 5, evidence: 'eval(\n  input)\n', message: 'Bad \u001b[2J\u001b[31mthing' })),
      place(makeFinding({ severity: 'low', path: 'src/b.ts', startLine: 1, endLine: 1 })),
    ],
    scans: [makeScan(), makeScan({ scanner: 'ramparts', status: 'failed', reason: 'exit 2' })],
    skippedFiles: [{ path: 'a.png', reason: 'binary' }],
    conclusion: 'failure',
  });

  test('findings, evidence, scanners and a total, without colour', () => {
    const text = renderText(report, { color: false });
    const lines = text.split('\n');
    assert.equal(lines[0], 'src/app.ts:12:5  critical  js-no-eval  Bad [U+001B][2J[U+001B][31mthing');
    assert.equal(lines[1], '    eval(');
    assert.equal(lines[2], '      input)');
    assert.equal(lines[3], '');
    assert.equal(lines[4], 'src/b.ts:1  low  js-no-eval  Avoid `eval()` on input');
    assert.ok(text.includes('ramparts: FAILED (0 findings, 3 files, 40 MCP servers, 1.2 s): exit 2'));
    assert.ok(text.includes('Not reviewed: 1 file (binary 1)'));
    assert.match(lines.at(-2)!, /^2 findings \(1 critical, 1 low\) in 3 files; conclusion: failure \(fail-on: critical\)$/);
    assert.ok(!text.includes('\u001b'), 'no escape sequence reaches the terminal');
  });

  test('colour only when asked', () => {
    const text = renderText(report, { color: true });
    assert.ok(text.includes('\u001b[1;31mcritical\u001b[0m'));
    assert.ok(!text.includes('\u001b[2J'), 'escape sequences from the PR stay neutralised');
  });
});

describe('renderJson', () => {
  test('a stable document with placements, scans, skipped files and the conclusion', () => {
    const report = makeReport({
      findings: [place(makeFinding({ severity: 'low' }), { kind: 'overflow' }), place(makeFinding({ severity: 'critical' }))],
      scans: [makeScan({ findings: [makeFinding()] })],
      skippedFiles: [{ path: 'a.png', reason: 'binary' }],
      conclusion: 'failure',
    });
    const text = renderJson(report);
    assert.equal(text, renderJson(report));
    assert.ok(text.endsWith('}\n'));
    const json = JSON.parse(text) as JsonReport;
    assert.equal(json.schemaVersion, 1);
    assert.equal(json.conclusion, 'failure');
    assert.deepEqual(json.findings.map((f) => [f.severity, f.placement.kind]), [['critical', 'inline'], ['low', 'overflow']]);
    assert.deepEqual(json.totals.bySeverity, { critical: 1, high: 0, medium: 0, low: 1, info: 0 });
    assert.equal(json.scans[0]!.findings, 1);
    assert.deepEqual(json.skippedFiles, [{ path: 'a.png', reason: 'binary' }]);
    assert.deepEqual(Object.keys(json).slice(0, 3), ['schemaVersion', 'tool', 'repository']);
  });
});
