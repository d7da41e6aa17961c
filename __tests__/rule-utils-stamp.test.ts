/**
 * The shared local utils of the rule pack (rules/shared/*.yml, stamped into the rule files by scripts/stamp-rule-utils.ts):
 * every stamped block equals its source, no rule file lost its markers, and the stamper keeps the rest of a file as it is.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  beginMarker,
  checkRuleFiles,
  END_MARKER,
  loadSharedBlocks,
  parseSharedBlock,
  RULES_DIR,
  stampText,
} from '../scripts/stamp-rule-utils.js';

const blocks = loadSharedBlocks();
const statuses = checkRuleFiles();

describe('shared rule utils (rules/shared/)', () => {
  test('rules/shared/ is neither a rule folder nor a util folder of sgconfig.yml', () => {
    const config = parse(readFileSync(join(RULES_DIR, 'sgconfig.yml'), 'utf8')) as { ruleDirs?: string[]; utilDirs?: string[] };
    for (const dir of [...(config.ruleDirs ?? []), ...(config.utilDirs ?? [])]) {
      assert.ok(!`${dir}/`.startsWith('shared/'), `sgconfig.yml loads ${dir}`);
    }
  });

  test('the shared blocks are valid YAML maps of utils', () => {
    assert.deepEqual([...blocks.keys()].sort(), ['javascript-flow', 'python-flow']);
    for (const name of blocks.keys()) {
      const doc = parse(readFileSync(join(RULES_DIR, 'shared', `${name}.yml`), 'utf8')) as { utils?: Record<string, unknown> };
      assert.deepEqual(Object.keys(doc), ['utils'], `rules/shared/${name}.yml has only utils`);
      assert.deepEqual(Object.keys(doc.utils ?? {}), blocks.get(name)?.ids);
    }
  });

  test('every stamped block equals its source (node --import tsx scripts/stamp-rule-utils.ts restamps)', () => {
    const problems = statuses.flatMap((s) => s.problems.map((p) => `${s.path}: ${p}`));
    assert.deepEqual(problems, []);
    const stale = statuses.filter((s) => !s.upToDate).map((s) => s.path);
    assert.deepEqual(stale, [], `out of date with rules/shared/: ${stale.join(', ')}; run node --import tsx scripts/stamp-rule-utils.ts`);
  });

  test('the source-to-sink rules carry their block, and the JavaScript ones say which sources and sanitizers they use', () => {
    const carrying = (name: string) => statuses.filter((s) => s.blocks.includes(name));
    // At least as many as when the blocks were introduced: a rule cannot drop out silently.
    assert.ok(carrying('javascript-flow').length >= 12, `javascript-flow in ${carrying('javascript-flow').length} files`);
    assert.ok(carrying('python-flow').length >= 20, `python-flow in ${carrying('python-flow').length} files`);
    for (const status of carrying('javascript-flow')) {
      const doc = parse(readFileSync(join(RULES_DIR, '..', status.path), 'utf8')) as { utils: Record<string, unknown> };
      for (const id of ['source-text', 'sanitized']) assert.ok(id in doc.utils, `${status.path} has no util ${id} (used by javascript-flow)`);
    }
  });
});

describe('stampText', () => {
  const shared = new Map([
    ['demo', parseSharedBlock('demo', '# header\nutils:\n  # a comment\n  alpha:\n    kind: identifier\n  beta:\n    kind: string\n  gamma:\n    kind: number\n\n')],
  ]);
  const head = 'id: x\nlanguage: python\nutils:\n  mine:\n    kind: call   # kept\n';
  const tail = 'rule:\n  matches: alpha\n';
  const stamped = `${head}${beginMarker('demo')}\n  # a comment\n  alpha:\n    kind: identifier\n  beta:\n    kind: string\n  gamma:\n    kind: number\n${END_MARKER}\n${tail}`;

  test('rewrites the marked region from the source and keeps the rest byte for byte', () => {
    const stale = `${head}  # >>> shared: demo (old marker text)\n  alpha:\n    kind: OLD\n  # <<< shared\n${tail}`;
    const result = stampText(stale, shared);
    assert.deepEqual(result.problems, []);
    assert.equal(result.text, stamped);
    assert.deepEqual(stampText(stamped, shared), { text: stamped, blocks: ['demo'], problems: [] });
  });

  test('a copy without its markers, a missing end marker or an unknown block is reported, and the file left alone', () => {
    const unmarked = stamped.replace(`${beginMarker('demo')}\n`, '').replace(`${END_MARKER}\n`, '');
    assert.match(stampText(unmarked, shared).problems.join('\n'), /defines 3 of the 3 utils of the shared block "demo"/);
    const noEnd = stamped.replace(`${END_MARKER}\n`, '');
    const result = stampText(noEnd, shared);
    assert.match(result.problems.join('\n'), /has no "# <<< shared" line/);
    assert.equal(result.text, noEnd);
    assert.match(stampText(stamped.replace('shared: demo', 'shared: nope'), shared).problems.join('\n'), /unknown shared block "nope"/);
    assert.match(stampText(`${head}${END_MARKER}\n${tail}`, shared).problems.join('\n'), /without a "# >>> shared/);
  });

  test('a rule that defines one or two utils of the same name on its own is not taken for a copy', () => {
    assert.deepEqual(stampText(`${head}  alpha:\n    kind: identifier\n${tail}`, shared).problems, []);
  });
});
