import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MissingCorpusError, parseCorpora, prepareCorpus, sourceLines, type Corpus } from '../bench/quality/corpora.js';
import {
  findingClass,
  findingMatchesLabel,
  isTestPath,
  isVendoredPath,
  labelsForFinding,
  parseJudgments,
  parseLabels,
  precision,
  recallByClass,
  scoreCorpus,
  type Label,
  type QualityFinding,
} from '../bench/quality/labels.js';

const HEADER = 'path\tline\tclass\tCWE\tnote\tsource';
const row = (...cells: string[]): string => cells.join('\t');

function label(path: string, lines: string, cls: Label['class'], cwe = 'CWE-89'): Label {
  const text = [HEADER, row(path, lines, cls, cwe, 'a note', 'README')].join('\n');
  const parsed = parseLabels(text, 'x.tsv');
  assert.deepEqual(parsed.errors, []);
  const [only] = parsed.rows;
  assert.ok(only);
  return only;
}

function finding(path: string, startLine: number, cwe: string, endLine = startLine): QualityFinding {
  return { ruleId: `r/${cwe}`, severity: 'high', path, startLine, endLine, message: 'Something.', note: `Why it matters. ${cwe}` };
}

describe('bench:quality label files', () => {
  test('rows parse with their line ranges; comments and blank lines are skipped', () => {
    const text = ['# a comment', '', HEADER, row('app.js', '12', 'sql', 'CWE-89', 'query built from req.query', 'README'),
      row('model/a.js', '29-40', 'xss', 'CWE-79', 'built on 29, run on 40', 'docs'), row('x.py', '3', 'logic', 'CWE-352', 'no CSRF', 'README')].join('\n');
    const parsed = parseLabels(text, 'labels/app.tsv');
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(parsed.rows.map((l) => [l.path, l.startLine, l.endLine, l.class, l.fileLine]), [
      ['app.js', 12, 12, 'sql', 4],
      ['model/a.js', 29, 40, 'xss', 5],
      ['x.py', 3, 3, 'logic', 6],
    ]);
  });

  test('bad rows are left out and named by file, line and what is wrong', () => {
    const text = [
      HEADER,
      row('ok.js', '1', 'sql', 'CWE-89', 'n', 's'),
      row('a.js', 'twelve', 'sql', 'CWE-89', 'n', 's'),
      row('a.js', '9-3', 'sql', 'CWE-89', 'n', 's'),
      row('a.js', '0', 'sql', 'CWE-89', 'n', 's'),
      row('a.js', '4', 'sqli', 'CWE-89', 'n', 's'),
      row('a.js', '4', 'sql', '89', 'n', 's'),
      row('../etc/passwd', '4', 'sql', 'CWE-89', 'n', 's'),
      row('/abs.js', '4', 'sql', 'CWE-89', 'n', 's'),
      row('a.js', '4', 'sql', 'CWE-89', '', 's'),
      row('a.js', '4', 'sql', 'CWE-89', 'n', ''),
      'a.js 4 sql CWE-89 spaces not tabs',
    ].join('\n');
    const parsed = parseLabels(text, 'labels/app.tsv');
    assert.equal(parsed.rows.length, 1);
    assert.deepEqual(parsed.errors, [
      'labels/app.tsv:3: line twelve is not a line number or a range like 12-15',
      'labels/app.tsv:4: line 9-3 is not a line number or a range like 12-15',
      'labels/app.tsv:5: line 0 is not a line number or a range like 12-15',
      'labels/app.tsv:6: class sqli is not one of sql, nosql, command, code, path, ssrf, redirect, xss, xxe, xpath, redos, deserialization, secret, settings, crypto, logic',
      'labels/app.tsv:7: CWE 89 is not of the form CWE-89',
      'labels/app.tsv:8: path ../etc/passwd must be relative to the corpus root, with forward slashes and no ..',
      'labels/app.tsv:9: path /abs.js must be relative to the corpus root, with forward slashes and no ..',
      'labels/app.tsv:10: the note is empty',
      'labels/app.tsv:11: the source is empty (say where the label comes from)',
      'labels/app.tsv:12: 1 column(s), expected 6 (path, line, class, CWE, note, source), tab-separated',
    ]);
  });

  test('a wrong or missing header is an error, not a silently shifted table', () => {
    assert.deepEqual(parseLabels(row('path', 'line', 'class', 'note', 'CWE', 'source'), 'l.tsv').errors, [
      'l.tsv:1: the header must be the columns path, line, class, CWE, note, source (tab-separated), got path, line, class, note, CWE, source',
    ]);
    assert.deepEqual(parseLabels('# only a comment\n', 'l.tsv').errors, ['l.tsv: no header line (path, line, class, CWE, note, source)']);
  });

  test('judgments: verdict true or false, a line number and a reason', () => {
    const text = ['corpus\tpath\tline\trule\tverdict\treason', row('app', 'a.js', '3', 'js/x', 'false', 'vendored'),
      row('app', 'a.js', '3', 'js/x', 'maybe', 'unsure'), row('app', 'a.js', '3-4', 'js/x', 'true', 'r'), row('app', 'a.js', '3', 'js/x', 'true', '')].join('\n');
    const parsed = parseJudgments(text, 'judgments.tsv');
    assert.deepEqual(parsed.rows.map((j) => [j.corpus, j.path, j.line, j.ruleId, j.verdict]), [['app', 'a.js', 3, 'js/x', 'false']]);
    assert.deepEqual(parsed.errors, [
      'judgments.tsv:3: verdict maybe must be true or false',
      'judgments.tsv:4: line 3-4 is not a line number',
      'judgments.tsv:5: the reason is empty',
    ]);
  });
});

describe('bench:quality matching and figures', () => {
  test('a finding matches a label in the same file within ±N lines of its range, and not one line further', () => {
    const sql = label('a.js', '20-24', 'sql');
    for (const line of [17, 20, 22, 24, 27]) assert.ok(findingMatchesLabel(finding('a.js', line, 'CWE-89'), sql), `line ${line}`);
    for (const line of [16, 28]) assert.ok(!findingMatchesLabel(finding('a.js', line, 'CWE-89'), sql), `line ${line}`);
    assert.ok(findingMatchesLabel(finding('a.js', 10, 'CWE-89', 18), sql), 'a multi-line finding reaching into the window');
    assert.ok(!findingMatchesLabel(finding('b/a.js', 22, 'CWE-89'), sql), 'another path');
    assert.ok(findingMatchesLabel(finding('a.js', 16, 'CWE-89'), sql, { window: 4 }));
    assert.ok(findingMatchesLabel(finding('a.js', 21, 'CWE-89'), sql, { window: 0, requireClass: true }));
    assert.ok(!findingMatchesLabel(finding('a.js', 21, 'CWE-79'), sql, { requireClass: true }), 'class must agree when asked');
    assert.ok(findingMatchesLabel(finding('a.js', 21, 'CWE-79'), sql), 'class is optional by default');
  });

  test('in dense code a finding counts for the nearest label of its class, not for every label in reach', () => {
    const labels = [label('d.py', '30', 'sql'), label('d.py', '31', 'xss', 'CWE-79'), label('d.py', '33', 'xss', 'CWE-79'), label('d.py', '35', 'deserialization', 'CWE-502')];
    assert.deepEqual(labelsForFinding(finding('d.py', 30, 'CWE-89'), labels).map((l) => l.startLine), [30]);
    assert.deepEqual(labelsForFinding(finding('d.py', 34, 'CWE-79'), labels).map((l) => l.startLine), [33], 'same class preferred, then nearest');
    assert.deepEqual(labelsForFinding(finding('d.py', 34, 'CWE-918'), labels).map((l) => l.startLine), [33, 35], 'unknown class: nearest, ties all count');
    assert.deepEqual(labelsForFinding(finding('d.py', 50, 'CWE-89'), labels), []);
  });

  test('recall per class and overall leaves logic labels out; precision is on-label against judged false', () => {
    const labels = [label('a.js', '10', 'sql'), label('a.js', '40', 'sql'), label('b.js', '5', 'xss', 'CWE-79'), label('c.js', '1', 'logic', 'CWE-352')];
    const findings = [finding('a.js', 11, 'CWE-89'), finding('b.js', 5, 'CWE-79'), finding('c.js', 1, 'CWE-352'), finding('z.js', 1, 'CWE-78'), finding('z.js', 9, 'CWE-78')];
    const judgments = parseJudgments(
      ['corpus\tpath\tline\trule\tverdict\treason', row('app', 'z.js', '1', 'r/CWE-78', 'false', 'constant'), row('other', 'z.js', '9', 'r/CWE-78', 'false', 'another corpus')].join('\n'),
      'j.tsv',
    ).rows;
    const score = scoreCorpus('app', findings, labels, judgments);
    const recall = recallByClass(score.labels);
    assert.deepEqual(Object.fromEntries(recall.byClass), { sql: { found: 1, total: 2 }, xss: { found: 1, total: 1 } });
    assert.deepEqual(recall.overall, { found: 2, total: 3 });
    assert.deepEqual(recall.logic, { found: 1, total: 1 });
    const p = precision(score.verdicts);
    assert.deepEqual({ ...p, value: p.value?.toFixed(3) }, { matched: 3, judgedTrue: 0, judgedFalse: 1, unjudged: 1, value: '0.750' });
    assert.equal(score.verdicts.offLabel.find((o) => o.finding.startLine === 9)?.judgment, undefined, 'a judgment of another corpus does not apply');
    assert.equal(precision({ matched: [], offLabel: [] }).value, undefined);
  });

  test('a finding\'s class comes from the last known CWE of its note', () => {
    assert.equal(findingClass({ message: 'x', note: 'See CWE-20 and CWE-89' }), 'sql');
    assert.equal(findingClass({ message: 'Eval (CWE-95).' }), 'code');
    assert.equal(findingClass({ message: 'x', note: 'no cwe' }), undefined);
  });

  test('test and vendored paths', () => {
    for (const path of ['tests/test_requests.py', 'src/v4/classic/tests/string.test.ts', 'pkg/foo_test.py', 'conftest.py', 'a/__tests__/x.js', 'x.spec.tsx']) {
      assert.ok(isTestPath(path), path);
    }
    for (const path of ['src/requests/sessions.py', 'testing_utils.js', 'contest.py']) assert.ok(!isTestPath(path), path);
    for (const path of ['public/js/jquery.js', 'public/static/angular.js', 'static/lib/x.js', 'vendor/a.js', 'app/three.module.js', 'a.min.js']) {
      assert.ok(isVendoredPath(path), path);
    }
    for (const path of ['public/passgen.js', 'src/app.js', 'routes/static.js']) assert.ok(!isVendoredPath(path), path);
  });
});

describe('bench:quality committed data', () => {
  const dir = join(import.meta.dirname, '..', 'bench', 'quality');
  const corpora = parseCorpora(readFileSync(join(dir, 'corpora.json'), 'utf8'), 'corpora.json');

  test('every label file parses, belongs to a vulnerable corpus, and no held-out app is among the corpora', () => {
    const files = readdirSync(join(dir, 'labels')).filter((name) => name.endsWith('.tsv'));
    for (const name of files) {
      const corpus = corpora.find((c) => `${c.name}.tsv` === name);
      assert.equal(corpus?.kind, 'vulnerable', `${name}: no vulnerable corpus of that name in corpora.json`);
      const parsed = parseLabels(readFileSync(join(dir, 'labels', name), 'utf8'), name);
      assert.deepEqual(parsed.errors, []);
      assert.ok(parsed.rows.length > 0, name);
    }
    for (const corpus of corpora.filter((c) => c.kind === 'vulnerable')) assert.ok(files.includes(`${corpus.name}.tsv`), `${corpus.name} has labels`);
    const heldOut = /nodegoat|pygoat|juice-?shop|dvna|vulnpy|dvpwa/i;
    for (const corpus of corpora) assert.ok(!heldOut.test(`${corpus.name} ${corpus.repo}`), `${corpus.name} is a held-out app`);
    const js = corpora.filter((c) => c.kind === 'vulnerable' && c.language.includes('script')).length;
    const py = corpora.filter((c) => c.kind === 'vulnerable' && c.language === 'python').length;
    assert.ok(js >= 2 && py >= 2 && corpora.filter((c) => c.kind === 'clean').length >= 3);
  });

  test('the judgments file parses', () => {
    assert.deepEqual(parseJudgments(readFileSync(join(dir, 'judgments.tsv'), 'utf8'), 'judgments.tsv').errors, []);
  });
});

describe('bench:quality corpora', () => {
  const root = mkdtempSync(join(tmpdir(), 'quality-corpora-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t.invalid' };
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();

  function upstream(): { mirror: string; commit: string } {
    const work = join(root, 'upstream');
    mkdirSync(join(work, 'src'), { recursive: true });
    writeFileSync(join(work, 'src', 'app.py'), 'import os\nos.system(input())\n');
    writeFileSync(join(work, '.gitignore'), '.env\n');
    writeFileSync(join(work, '.env'), 'SECRET=x\n');
    symlinkSync('/etc/passwd', join(work, 'src', 'link.py'));
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '-A', '-f', '.');
    git(work, 'commit', '-q', '-m', 'app');
    const mirror = join(root, 'mirror');
    git(root, 'clone', '-q', '--bare', work, join(mirror, 'acme+app.git'));
    return { mirror, commit: git(work, 'rev-parse', 'HEAD') };
  }

  test('a snapshot becomes an empty base commit and a head with every committed file; links stay links and are not counted', async () => {
    const { mirror, commit } = upstream();
    const corpus: Corpus = { name: 'app', from: 'github', repo: 'acme/app', commit, language: 'python', kind: 'vulnerable', labelsSource: 'test' };
    const env = { ULTRA_CREATE_QUALITY_MIRROR: mirror, ULTRA_CREATE_QUALITY_CACHE: join(root, 'cache') };
    const prepared = await prepareCorpus(corpus, root, env);
    assert.equal(git(prepared.dir, 'ls-tree', '-r', '--name-only', prepared.base), '', 'the base is empty');
    assert.deepEqual(git(prepared.dir, 'ls-tree', '-r', '--name-only', prepared.head).split('\n'), ['.env', '.gitignore', 'src/app.py', 'src/link.py']);
    assert.equal(prepared.files, 4);
    assert.equal(sourceLines(prepared.dir, new Set()), 2, 'the link to /etc/passwd is not read');
    assert.equal(sourceLines(prepared.dir, new Set(['src/app.py'])), 0, 'skipped files are not counted');
    const again = await prepareCorpus(corpus, root, env);
    assert.deepEqual(again, prepared, 'reused from the cache');
  });

  test('a missing snapshot or package says how to get it', async () => {
    const corpus: Corpus = { name: 'gone', from: 'github', repo: 'nobody/gone', commit: 'a'.repeat(40), language: 'javascript', kind: 'clean', labelsSource: 'test' };
    const env = { ULTRA_CREATE_QUALITY_MIRROR: join(root, 'empty'), ULTRA_CREATE_QUALITY_CACHE: join(root, 'cache') };
    await assert.rejects(prepareCorpus(corpus, root, env), (error: unknown) => {
      assert.ok(error instanceof MissingCorpusError);
      assert.match(error.message, /corpus gone is missing: no snapshot of nobody\/gone with commit a{40}/);
      assert.match(error.message, /fetch \(github:nobody\/gone\)/);
      assert.match(error.message, /git clone --bare https:\/\/github.com\/nobody\/gone /);
      return true;
    });
    const pkg: Corpus = { name: 'pkg', from: 'node_modules', repo: 'npm:not-installed-here', commit: 'npm@1.0.0', language: 'javascript', kind: 'clean', labelsSource: 'test' };
    await assert.rejects(prepareCorpus(pkg, root, env), /corpus pkg is missing: .*not-installed-here does not exist\. Run npm ci/);
  });

  test('corpora.json entries are checked', () => {
    assert.throws(() => parseCorpora('{"corpora":[{"name":"x","from":"svn","repo":"a/b","commit":"c","language":"js","kind":"clean","labelsSource":"s"}]}', 'c.json'), /c\.json: corpora\[0\]: "from" must be github or node_modules/);
    assert.throws(() => parseCorpora('{"corpora":[{"name":"x","from":"github","repo":"a/b","commit":"c","language":"js","kind":"bad","labelsSource":"s"}]}', 'c.json'), /"kind" must be vulnerable or clean/);
    assert.throws(() => parseCorpora('{"corpora":[{"name":"x","from":"github","repo":"","commit":"c","language":"js","kind":"clean","labelsSource":"s"}]}', 'c.json'), /"repo" must be a non-empty string/);
    assert.throws(() => parseCorpora('{}', 'c.json'), /no "corpora" list/);
  });
});
