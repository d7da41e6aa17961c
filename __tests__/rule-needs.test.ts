import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { needsOfRule, regexClause, TextPool, type Needs } from '../src/scanners/ast-grep/rule-needs.js';
import { parseBuiltinRules } from '../src/scanners/ast-grep/rules.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const texts = (needs: Needs): string[][] => needs.map((clause) => clause.map((l) => `${l.ignoreCase ? 'i:' : ''}${l.text}`));
const clauseOf = (regex: string): string[] | undefined => regexClause(regex)?.map((l) => `${l.ignoreCase ? 'i:' : ''}${l.text}`);

describe('regexClause: the literals a regex requires of the text it matches', () => {
  test('alternations, groups, escapes and anchors', () => {
    assert.deepEqual(clauseOf('^(exec|execSync)$'), ['exec', 'execSync']);
    assert.deepEqual(clauseOf('\\bfoo\\.bar\\('), ['foo.bar(']);
    assert.deepEqual(clauseOf('(a|b)c'), ['ac', 'bc']);
    assert.deepEqual(clauseOf('^\\$where$'), ['$where']);
    assert.deepEqual(clauseOf('(?:req|request)\\.(?:query|body)\\b'), ['req.query', 'req.body', 'request.query', 'request.body']);
    // Assertions of Rust's regex are not text: \< and \> are word boundaries there, \b{start} too.
    assert.deepEqual(clauseOf('\\<token\\>'), ['token']);
    assert.deepEqual(clauseOf('\\b{start}token'), ['token']);
  });

  test('the longest certain run of a concatenation; optional and repeated parts do not count', () => {
    assert.deepEqual(clauseOf('select\\s+\\w+\\s+from\\s+users'), ['select']);
    assert.deepEqual(clauseOf('x?abc'), ['abc', 'xabc']);
    assert.deepEqual(clauseOf('(abc)+d'), ['abc']);
    assert.deepEqual(clauseOf('(ab)?cd'), ['cd', 'abcd']);
  });

  test('case-insensitive parts make the whole clause case-insensitive (looser, never stricter)', () => {
    assert.deepEqual(clauseOf('(?i)password'), ['i:password']);
    assert.deepEqual(clauseOf('^x(?is:select\\b.*\\bfrom)'), ['i:select']);
    assert.deepEqual(clauseOf('(?i)^(?-i:esc)Html$'), ['i:escHtml']);
  });

  test('nothing certain: classes, optional text, x mode, unknown escapes', () => {
    for (const regex of ['[abc]+', 'a?', '.*', '^[^\\n]*$', '(?x) foo', '\\d+', '(foo|\\w+)', '\\pL']) {
      assert.equal(regexClause(regex), undefined, regex);
    }
    assert.deepEqual(clauseOf('\\p{L}+token'), ['token']);
  });
});

describe('needsOfRule', () => {
  test('patterns, constraints on captured metavariables, any (a union), all, has and local utils', () => {
    const rule = {
      rule: {
        any: [{ pattern: '$EL.$PROP = $HTML' }, { pattern: 'document.write($X)' }],
        not: { has: { pattern: 'DOMPurify.sanitize($X)' } },
      },
      constraints: { PROP: { regex: '^(innerHTML|outerHTML)$' } },
    };
    assert.deepEqual(texts(needsOfRule(rule, new Map())), [['innerHTML', 'outerHTML', 'document']]);
    const withUtil = { rule: { all: [{ matches: 'sink' }, { has: { regex: 'req\\.query' } }] }, utils: { sink: { pattern: 'db.query($SQL)' } } };
    assert.deepEqual(texts(needsOfRule(withUtil, new Map())), [['req.query'], ['query'], ['db']]);
  });

  test('a branch of an any that says nothing makes the whole any say nothing; not says nothing', () => {
    assert.deepEqual(needsOfRule({ rule: { any: [{ pattern: 'eval($X)' }, { kind: 'call_expression' }] } }, new Map()), []);
    assert.deepEqual(needsOfRule({ rule: { kind: 'identifier', not: { regex: 'secret' } } }, new Map()), []);
  });

  test('a constraint of a metavariable only some branches capture applies in those branches only', () => {
    const rule = { rule: { any: [{ pattern: '$FN($CODE)' }, { pattern: 'new Script($CODE)' }] }, constraints: { FN: { regex: '^runInContext$' } } };
    assert.deepEqual(texts(needsOfRule(rule, new Map())), [['runInContext', 'Script']]);
  });

  test('global utils are followed, without the rule constraints (their metavariables are their own); cycles end', () => {
    const globals = new Map<string, unknown>([['source', { any: [{ regex: 'request\\.args' }, { regex: 'request\\.form' }] }], ['loop', { matches: 'loop' }]]);
    const rule = { rule: { all: [{ matches: 'source' }, { matches: 'loop' }, { pattern: '$F($X)' }] }, constraints: { F: { regex: '^open$' } } };
    assert.deepEqual(texts(needsOfRule(rule, globals)), [['request.args', 'request.form'], ['open']]);
  });
});

describe('TextPool', () => {
  test('every clause must be met; case-insensitive literals fold like Rust regexes (ſ is s)', () => {
    const needs: Needs = [[{ text: 'exec', ignoreCase: false }], [{ text: 'SELECT', ignoreCase: true }, { text: 'insert', ignoreCase: true }]];
    assert.equal(new TextPool(['db.exec("ſelect 1")']).meets(needs), true);
    assert.equal(new TextPool(['db.exec("update t")']).meets(needs), false);
    assert.equal(new TextPool(['db.Exec("select")']).meets(needs), false);
    assert.equal(new TextPool(['nothing here']).meets([]), true);
  });
});

describe('the built-in pack', () => {
  test('every invalid snippet of every rule test meets its rule needs, and most rules have needs', async () => {
    const pack = await parseBuiltinRules(join(ROOT, 'rules'));
    const byId = new Map(pack.rules.map((r) => [r.id!, r.needs ?? []]));
    let snippets = 0;
    const missed: string[] = [];
    for (const folder of ['javascript', 'python']) {
      for (const file of readdirSync(join(ROOT, 'rules', 'tests', folder))) {
        const doc = parse(readFileSync(join(ROOT, 'rules', 'tests', folder, file), 'utf8')) as { id: string; invalid?: string[] };
        const needs = byId.get(doc.id);
        assert.ok(needs, `${file}: rule ${doc.id} is in the pack`);
        for (const snippet of doc.invalid ?? []) {
          snippets++;
          if (!new TextPool([snippet]).meets(needs)) missed.push(`${doc.id}: ${JSON.stringify(texts(needs))} not in ${JSON.stringify(snippet.slice(0, 120))}`);
        }
      }
    }
    assert.ok(snippets >= 300, `the rule tests have their snippets (${snippets})`);
    assert.deepEqual(missed, []);
    const without = [...byId].filter(([, needs]) => needs.length === 0).map(([id]) => id);
    assert.ok(without.length <= pack.rules.length / 10, `rules that always run: ${without.join(', ')}`);
  });
});
