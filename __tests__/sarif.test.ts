import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSarifSchema } from './support/sarif-schema.js';
import { buildSarif, pascalCase, SARIF_MAX_RESULTS, serializeSarif, type SarifLog } from '../src/report/sarif.js';
import { type Finding, type PlacedFinding, type ReviewReport, type RuleInfo, type ScanReport, type Severity } from '../src/types.js';

const validate = compileSarifSchema();

function assertValidSarif(log: SarifLog): void {
  // Validate what is written to disk, not the in-memory object.
  const ok = validate(JSON.parse(serializeSarif(log)));
  assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
}

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
    message: 'Avoid eval() on input',
    evidence: 'eval(input);',
    fingerprint: sequence.toString(16).padStart(32, '0'),
    ...overrides,
  };
}

function place(finding: Finding): PlacedFinding {
  return { finding, placement: { kind: 'inline', line: finding.endLine, exact: true } };
}

function makeScan(overrides: Partial<ScanReport> = {}): ScanReport {
  return { scanner: 'ast-grep', status: 'ok', findings: [], durationMs: 10, filesScanned: 2, rulesRun: 5, warnings: [], ...overrides };
}

const RULE: RuleInfo = {
  id: 'js-no-eval',
  source: 'ast-grep',
  severity: 'high',
  shortDescription: 'eval() runs arbitrary code',
  fullDescription: 'Code built from strings can be controlled by an attacker (CWE-95).',
  helpUri: 'https://example.com/rules/js-no-eval',
  cwe: 'CWE-95',
  category: 'security',
};

const STYLE_RULE: RuleInfo = {
  id: 'ts/prefer-const',
  source: 'ast-grep',
  severity: 'low',
  shortDescription: 'Use const for bindings never reassigned',
  category: 'style',
};

function makeReport(overrides: Partial<ReviewReport> = {}): ReviewReport {
  return {
    tool: { name: 'ultra-create', version: '0.1.0', informationUri: 'https://github.com/ultra-create/action' },
    headSha: 'c'.repeat(40),
    filterMode: 'added',
    failOn: 'critical',
    conclusion: 'success',
    maxComments: 30,
    maxAnnotations: 1000,
    notReviewed: [],
    findings: [],
    scans: [makeScan()],
    rules: [RULE, STYLE_RULE],
    filesReviewed: 2,
    skippedFiles: [],
    resolvedCount: 0,
    notices: [],
    ...overrides,
  };
}

function run(log: SarifLog) {
  assert.equal(log.runs.length, 1);
  return log.runs[0]!;
}

// ---------------------------------------------------------------------------------------------------------------------------------

describe('buildSarif: schema', () => {
  test('a report with findings validates and carries the log header', () => {
    const log = buildSarif(makeReport({ findings: [place(makeFinding()), place(makeFinding({ ruleId: 'ts/prefer-const', severity: 'low' }))] }));
    assertValidSarif(log);
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.version, '2.1.0');
    const r = run(log);
    assert.deepEqual(
      { name: r.tool.driver.name, version: r.tool.driver.version, informationUri: r.tool.driver.informationUri },
      { name: 'ultra-create', version: '0.1.0', informationUri: 'https://github.com/ultra-create/action' },
    );
    assert.equal(r.automationDetails.id, 'ultra-create/');
    assert.equal(r.results.length, 2);
  });

  test('zero findings: empty results, rules still described, execution successful', () => {
    const log = buildSarif(makeReport());
    assertValidSarif(log);
    const r = run(log);
    assert.deepEqual(r.results, []);
    assert.equal(r.tool.driver.rules.length, 2);
    assert.equal(r.invocations[0]!.executionSuccessful, true);
    assert.deepEqual(r.invocations[0]!.toolExecutionNotifications, []);
  });

  test('a failed scan is visible: execution not successful, one notification per problem with its reason', () => {
    const log = buildSarif(
      makeReport({
        scans: [
          makeScan({ warnings: ["rule 'vendor/sqli' does not parse: bad indentation"] }),
          makeScan({ scanner: 'ramparts', status: 'failed', reason: 'ramparts exited with code 2' }),
          makeScan({ scanner: 'tests', status: 'skipped', reason: 'no test-command' }),
          makeScan({ scanner: 'tests', status: 'degraded', reason: 'network disabled' }),
        ],
        skippedFiles: [
          { path: 'a.png', reason: 'binary' },
          { path: 'b.png', reason: 'binary' },
          { path: 'big.json', reason: 'too-large' },
        ],
      }),
    );
    assertValidSarif(log);
    const invocation = run(log).invocations[0]!;
    assert.equal(invocation.executionSuccessful, false);
    const notes = invocation.toolExecutionNotifications.map((n) => [n.level, n.descriptor.id, n.message.text]);
    assert.deepEqual(notes, [
      ['warning', 'scan-warning', "ast-grep: rule 'vendor/sqli' does not parse: bad indentation"],
      ['error', 'scan-failed', 'Scanner ramparts failed: ramparts exited with code 2. Its findings are missing: this is not a clean result.'],
      ['note', 'scan-skipped', 'Scanner tests skipped: no test-command.'],
      ['warning', 'scan-degraded', 'Scanner tests degraded: network disabled.'],
      ['note', 'files-not-reviewed', '3 changed files not reviewed (binary: 2, too-large: 1).'],
    ]);
  });

  test('skipped or degraded scans alone keep executionSuccessful true', () => {
    const log = buildSarif(makeReport({ scans: [makeScan({ status: 'skipped', reason: 'no docker' })] }));
    assert.equal(run(log).invocations[0]!.executionSuccessful, true);
    assert.equal(run(log).invocations[0]!.toolExecutionNotifications.length, 1);
  });

  test('hostile text (paths with spaces and colons, HTML, control characters) still validates', () => {
    const log = buildSarif(
      makeReport({
        findings: [
          place(makeFinding({ path: 'src/my file#1.ts', message: '<img src=x> \u0000 \u202E' })),
          place(makeFinding({ path: 'c:weird/[x].ts', ruleId: 'unknown rule!', helpUri: 'javascript:alert(1)', message: '' })),
        ],
        rules: [{ ...RULE, helpUri: 'not a url' }],
      }),
    );
    assertValidSarif(log);
    const results = run(log).results;
    const first = results.find((r) => r.ruleId === 'js-no-eval');
    const second = results.find((r) => r.ruleId === 'unknown rule!');
    assert.equal(first!.locations[0]!.physicalLocation.artifactLocation.uri, 'src/my%20file%231.ts');
    assert.equal(second!.locations[0]!.physicalLocation.artifactLocation.uri, 'c%3Aweird/%5Bx%5D.ts');
    assert.equal(first!.locations[0]!.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(first!.message.text, '<img src=x> [U+0000] [U+202E]');
    assert.equal(second!.message.text, 'unknown rule!', 'an empty message falls back to the rule id');
    assert.ok(run(log).tool.driver.rules.every((rule) => rule.helpUri === undefined), 'invalid help URIs are left out');
  });
});

describe('buildSarif: rules', () => {
  test('descriptions, PascalCase names, help, levels and security properties', () => {
    const r = run(buildSarif(makeReport()));
    const [security, style] = r.tool.driver.rules;
    assert.deepEqual(security, {
      id: 'js-no-eval',
      name: 'JsNoEval',
      shortDescription: { text: 'eval() runs arbitrary code' },
      fullDescription: { text: 'Code built from strings can be controlled by an attacker (CWE-95).' },
      help: {
        text:
          'Code built from strings can be controlled by an attacker (CWE-95).\n\nCWE-95: https://cwe.mitre.org/data/definitions/95.html' +
          '\n\nDocumentation: https://example.com/rules/js-no-eval',
        markdown:
          'Code built from strings can be controlled by an attacker ([CWE-95](https://cwe.mitre.org/data/definitions/95.html)).' +
          '\n\n[Documentation](https://example.com/rules/js-no-eval)',
      },
      helpUri: 'https://example.com/rules/js-no-eval',
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'CWE-95', 'external/cwe/cwe-095', 'ast-grep'],
        precision: 'high',
        'security-severity': '8.0',
      },
    });
    assert.equal(style!.name, 'TsPreferConst');
    assert.equal(style!.fullDescription.text, 'Use const for bindings never reassigned', 'falls back to the short description');
    assert.equal(style!.defaultConfiguration.level, 'note');
    assert.equal(style!.properties['security-severity'], undefined, 'only security rules get a security severity');
    assert.deepEqual(style!.properties.tags, ['style', 'ast-grep']);
  });

  test('security severities per level', () => {
    const expected: Record<Severity, string | undefined> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: undefined };
    for (const [severity, score] of Object.entries(expected) as [Severity, string | undefined][]) {
      const [rule] = run(buildSarif(makeReport({ rules: [{ ...RULE, severity }] }))).tool.driver.rules;
      assert.equal(rule!.properties['security-severity'], score, severity);
    }
    const [ramparts] = run(buildSarif(makeReport({ rules: [{ ...STYLE_RULE, source: 'ramparts', severity: 'critical' }] }))).tool.driver.rules;
    assert.equal(ramparts!.properties['security-severity'], '9.5', 'MCP config findings are security findings');
    assert.ok(ramparts!.properties.tags.includes('security'));
  });

  test('a result whose rule is unknown gets a synthesized rule, and ruleIndex points at the right rule', () => {
    const r = run(
      buildSarif(
        makeReport({
          findings: [
            place(makeFinding({ ruleId: 'tests/failing', source: 'tests', severity: 'medium', note: 'A test fails.' })),
            place(makeFinding({ ruleId: 'tests/failing', source: 'tests', severity: 'high' })),
            place(makeFinding({ ruleId: 'ts/prefer-const', severity: 'low' })),
          ],
        }),
      ),
    );
    const synthesized = r.tool.driver.rules.find((rule) => rule.id === 'tests/failing');
    assert.ok(synthesized);
    assert.equal(synthesized.shortDescription.text, 'Findings of the tests rule tests/failing');
    assert.equal(synthesized.defaultConfiguration.level, 'error', 'the most severe finding sets the level');
    assert.equal(synthesized.properties.precision, 'very-high');
    for (const result of r.results) assert.equal(r.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
  });

  test('pascalCase', () => {
    assert.equal(pascalCase('js/no-eval-call'), 'JsNoEvalCall');
    assert.equal(pascalCase('noEval'), 'NoEval');
    assert.equal(pascalCase('python.lang.security.audit'), 'PythonLangSecurityAudit');
    assert.equal(pascalCase('123-abc'), 'Rule123Abc');
    assert.equal(pascalCase('---'), 'Rule');
  });
});

describe('buildSarif: results', () => {
  test('level, message, region, fingerprints and properties', () => {
    const finding = makeFinding({ severity: 'medium', startLine: 4, endLine: 4, startColumn: 3, endColumn: 9, verdict: { verdict: 'uncertain', reasoning: 'maybe' } });
    const [result] = run(buildSarif(makeReport({ findings: [place(finding)] }))).results;
    assert.equal(result!.level, 'warning');
    assert.equal(result!.message.text, 'Avoid eval() on input');
    assert.deepEqual(result!.locations[0]!.physicalLocation.region, { startLine: 4, endLine: 4, startColumn: 3, endColumn: 9 });
    assert.deepEqual(result!.locations[0]!.physicalLocation.contextRegion, { startLine: 4, endLine: 4, snippet: { text: 'eval(input);' } });
    assert.equal(result!.partialFingerprints['ultraCreate/v1'], finding.fingerprint);
    assert.match(result!.partialFingerprints.primaryLocationLineHash!, /^[0-9a-f]{16}:1$/);
    assert.deepEqual(result!.properties, { severity: 'medium', source: 'ast-grep', verdict: 'uncertain', verdictReasoning: 'maybe' });
  });

  test('an end column before the start column is dropped instead of written invalid', () => {
    const [result] = run(buildSarif(makeReport({ findings: [place(makeFinding({ startColumn: 9, endColumn: 2 }))] }))).results;
    assert.deepEqual(result!.locations[0]!.physicalLocation.region, { startLine: 10, endLine: 10, startColumn: 9 });
  });

  test('results are most severe first', () => {
    const report = makeReport({
      findings: (['low', 'critical', 'info', 'high'] as const).map((severity) => place(makeFinding({ severity }))),
    });
    assert.deepEqual(run(buildSarif(report)).results.map((r) => r.properties.severity), ['critical', 'high', 'low', 'info']);
  });

  test('partial fingerprints survive line moves and re-indentation', () => {
    const before = makeFinding({ startLine: 10, endLine: 11, evidence: 'if (x) {\n  eval(input);' });
    const after = { ...before, startLine: 42, endLine: 43, evidence: '    if (x) {\n        eval(input);\n' };
    const a = run(buildSarif(makeReport({ findings: [place(before)] }))).results[0]!;
    const b = run(buildSarif(makeReport({ findings: [place(after)] }))).results[0]!;
    assert.deepEqual(a.partialFingerprints, b.partialFingerprints);
    const changed = run(buildSarif(makeReport({ findings: [place({ ...before, evidence: 'eval(other);' })] }))).results[0]!;
    assert.notEqual(changed.partialFingerprints.primaryLocationLineHash, a.partialFingerprints.primaryLocationLineHash);
  });

  test('identical matches in one file are told apart by an ordinal in file order', () => {
    const first = makeFinding({ startLine: 5, endLine: 5, severity: 'low' });
    const second = makeFinding({ startLine: 50, endLine: 50, severity: 'critical' });
    const other = makeFinding({ startLine: 7, endLine: 7, path: 'src/other.ts' });
    const results = run(buildSarif(makeReport({ findings: [place(first), place(second), place(other)] }))).results;
    const byLine = new Map(results.map((r) => [`${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`, r.partialFingerprints.primaryLocationLineHash!]));
    const hash = byLine.get('src/app.ts:5')!.split(':')[0];
    assert.equal(byLine.get('src/app.ts:5'), `${hash}:1`);
    assert.equal(byLine.get('src/app.ts:50'), `${hash}:2`, 'numbered by place, not by severity order');
    assert.equal(byLine.get('src/other.ts:7'), `${hash}:1`);
  });
});

describe('buildSarif: fixes', () => {
  test('a fix with columns replaces the matched range; lines-only fixes replace whole lines; others are left out', () => {
    const withColumns = makeFinding({ startLine: 3, endLine: 3, startColumn: 5, endColumn: 16, fix: { replacement: 'JSON.parse(x)' } });
    const linesOnly = makeFinding({ startLine: 7, endLine: 8, fix: { replacement: 'JSON.parse(x)', replacementLines: 'const v =\n  JSON.parse(x);\n' } });
    const unplaceable = makeFinding({ startLine: 9, endLine: 9, fix: { replacement: 'JSON.parse(x)' } });
    const log = buildSarif(makeReport({ findings: [place(withColumns), place(linesOnly), place(unplaceable)] }));
    assertValidSarif(log);
    const byLine = new Map(run(log).results.map((r) => [r.locations[0]!.physicalLocation.region.startLine, r]));

    const change = byLine.get(3)!.fixes![0]!.artifactChanges[0]!;
    assert.deepEqual(change.artifactLocation, { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(change.replacements, [
      { deletedRegion: { startLine: 3, endLine: 3, startColumn: 5, endColumn: 16 }, insertedContent: { text: 'JSON.parse(x)' } },
    ]);
    assert.deepEqual(byLine.get(7)!.fixes![0]!.artifactChanges[0]!.replacements, [
      { deletedRegion: { startLine: 7, endLine: 8 }, insertedContent: { text: 'const v =\n  JSON.parse(x);' } },
    ]);
    assert.equal(byLine.get(9)!.fixes, undefined);
  });
});

describe('buildSarif: GitHub limit of 25,000 results', () => {
  test('keeps the most severe, says how many were dropped, still validates', () => {
    const extra = 7;
    const findings: PlacedFinding[] = [];
    for (let i = 0; i < extra; i++) findings.push(place(makeFinding({ severity: 'info', startLine: i + 1, endLine: i + 1, evidence: `info ${i}` })));
    for (let i = 0; i < SARIF_MAX_RESULTS; i++) {
      findings.push(place(makeFinding({ severity: i % 2 ? 'high' : 'critical', path: `src/f${i % 100}.ts`, startLine: i + 1, endLine: i + 1, evidence: `e${i}` })));
    }
    const log = buildSarif(makeReport({ findings }));
    const r = run(log);
    assert.equal(r.results.length, SARIF_MAX_RESULTS);
    assert.ok(r.results.every((result) => result.properties.severity !== 'info'), 'the least severe were dropped');
    const notice = r.invocations[0]!.toolExecutionNotifications.find((n) => n.descriptor.id === 'results-truncated');
    assert.ok(notice);
    assert.equal(notice.level, 'warning');
    assert.match(notice.message.text, /^7 results dropped: GitHub code scanning accepts at most 25,000 results per run; the 25,000 most severe were kept\.$/);
    assert.deepEqual(notice.properties, { dropped: 7, total: SARIF_MAX_RESULTS + extra });
    assertValidSarif(log);
  });

  test('the cap is configurable for other consumers', () => {
    const r = run(buildSarif(makeReport({ findings: [place(makeFinding()), place(makeFinding({ severity: 'low' }))] }), { maxResults: 1 }));
    assert.equal(r.results.length, 1);
    assert.equal(r.results[0]!.level, 'error');
  });
});

describe('serializeSarif', () => {
  test('stable: same bytes for the same report, keys sorted, trailing newline', () => {
    const report = makeReport({ findings: [place(makeFinding({ fix: { replacement: 'x', replacementLines: 'x' } }))] });
    const a = serializeSarif(buildSarif(report));
    const b = serializeSarif(buildSarif(structuredClone(report)));
    assert.equal(a, b);
    assert.ok(a.endsWith('}\n'));
    assert.deepEqual(Object.keys(JSON.parse(a) as object), ['$schema', 'runs', 'version']);
    const reordered = JSON.parse(a) as SarifLog;
    const shuffled = { version: reordered.version, runs: reordered.runs, $schema: reordered.$schema };
    assert.equal(serializeSarif(shuffled), a, 'construction order does not matter');
  });
});
