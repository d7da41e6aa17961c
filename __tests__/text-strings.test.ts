import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareStrings, formatCount, formatDuration, plural } from '../src/text/strings.js';

describe('text helpers', () => {
  test('formatCount groups thousands like en-US, whatever the locale data, and keeps signs and fractions', () => {
    const cases: [number, string][] = [
      [0, '0'], [7, '7'], [999, '999'], [1000, '1,000'], [12345, '12,345'], [1234567, '1,234,567'], [-4200, '-4,200'], [1234.5, '1,234.5'],
    ];
    for (const [value, text] of cases) assert.equal(formatCount(value), text, String(value));
    for (let n = 1; n < 1e9; n = n * 7 + 3) assert.equal(formatCount(n), n.toLocaleString('en-US'), `agrees with ICU for ${n}`);
    assert.equal(plural(1, 'finding'), '1 finding');
    assert.equal(plural(2500, 'finding'), '2,500 findings');
  });

  test('compareStrings is code-unit order (the same on every machine) and durations read as people write them', () => {
    assert.deepEqual(['b.js', 'B.js', 'a.js', 'ä.js'].sort(compareStrings), ['B.js', 'a.js', 'b.js', 'ä.js']);
    assert.equal(formatDuration(450), '450 ms');
  });
});
