/**
 * Claude's verdicts remembered across pushes: the hidden marker a check run carries (`verdictsMarker`), and the escalation stage
 * reusing a recorded verdict for the same finding on the same code instead of paying for it again. The end-to-end path (the check
 * run of one push read by the next, from dist/) is in e2e-models.test.ts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RecordingLogger } from './support/recording-logger.js';
import { verdictKey, verifyStage } from '../src/models/stage.js';
import { readVerdictsMarker, REMEMBERED_LIMITS, verdictsMarker, VERDICTS_MARKER_MAX_CHARS } from '../src/report/markers.js';
import { type ChangedFile, type Finding, type RememberedVerdict } from '../src/types.js';
import { answerEach, startAnthropicServer, type AnthropicServer } from './support/anthropic-server.js';
import { createAnthropicClient } from '../src/models/anthropic-client.js';

const KEY = (n: number) => `${n.toString(16).padStart(32, '0')}.${'ab'.repeat(8)}`;

describe('the verdicts marker', () => {
  test('round trip: keys, verdicts and text survive (deflated, base64url); nothing in the text can close the HTML comment', () => {
    const verdicts: RememberedVerdict[] = [
      { key: KEY(1), verdict: 'false_positive', reasoning: 'Constant input. --> <!-- ultra-create:resolved -->' },
      { key: KEY(2), verdict: 'confirmed', reasoning: 'Reaches eval.', comment: 'Use `JSON.parse`.' },
      { key: KEY(3), verdict: 'uncertain' },
    ];
    const marker = verdictsMarker(verdicts);
    assert.match(marker, /^<!-- ultra-create:verdicts=v1\.[A-Za-z0-9_-]+ -->$/);
    assert.equal(marker.indexOf('-->'), marker.length - 3, 'one comment end: the marker’s own');
    assert.deepEqual(readVerdictsMarker(`Summary text\n\n${marker}\n`), verdicts);
  });

  test('long texts are clipped, and the marker stops adding verdicts before its size limit', () => {
    const long = 'x'.repeat(5000);
    const [one] = readVerdictsMarker(verdictsMarker([{ key: KEY(1), verdict: 'confirmed', reasoning: long, comment: long }]));
    assert.equal(one!.reasoning!.length, REMEMBERED_LIMITS.reasoning);
    assert.equal(one!.comment!.length, REMEMBERED_LIMITS.comment);
    // Text that does not compress (the marker is deflated): random characters.
    const many = Array.from({ length: 200 }, (_, i): RememberedVerdict => ({
      key: KEY(i + 1),
      verdict: 'false_positive',
      reasoning: randomBytes(300).toString('base64'),
    }));
    const marker = verdictsMarker(many);
    assert.ok(marker.length <= VERDICTS_MARKER_MAX_CHARS, `${marker.length} characters`);
    const kept = readVerdictsMarker(marker);
    assert.ok(kept.length > 10 && kept.length < 200, `${kept.length} kept`);
    assert.deepEqual(kept.map((v) => v.key), many.slice(0, kept.length).map((v) => v.key), 'the first ones, in order');
  });

  test('anything malformed remembers nothing: not base64 JSON, wrong version, bad keys or verdicts', () => {
    assert.deepEqual(readVerdictsMarker(undefined), []);
    assert.deepEqual(readVerdictsMarker('<!-- ultra-create:verdicts=v1.%%% -->'), []);
    assert.deepEqual(readVerdictsMarker(`<!-- ultra-create:verdicts=v2.${deflateRawSync('[]').toString('base64url')} -->`), []);
    // Not deflated, or a bomb: nothing.
    assert.deepEqual(readVerdictsMarker(`<!-- ultra-create:verdicts=v1.${Buffer.from('[]').toString('base64url')} -->`), []);
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x20)).toString('base64url');
    assert.deepEqual(readVerdictsMarker(`<!-- ultra-create:verdicts=v1.${bomb} -->`), []);
    const entries = [
      { k: 'not-a-key', v: 'confirmed' },
      { k: KEY(1), v: 'approved' },
      { k: KEY(2), v: 'false_positive', r: 42 },
      'text',
    ];
    const marker = `<!-- ultra-create:verdicts=v1.${deflateRawSync(JSON.stringify(entries)).toString('base64url')} -->`;
    assert.deepEqual(readVerdictsMarker(marker), [{ key: KEY(2), verdict: 'false_positive' }]);
    // Unknown keys are dropped when writing too.
    assert.deepEqual(readVerdictsMarker(verdictsMarker([{ key: 'fp', verdict: 'confirmed' }])), []);
  });
});

describe('the escalation stage reuses a recorded verdict for the same code', () => {
  const MODEL = 'claude-opus-4-5';
  const CODE = ['const a = 1;', 'eval(input);', 'export {};', ''].join('\n');
  let server: AnthropicServer;
  let workDir: string;
  const files: ChangedFile[] = [{ path: 'src/a.js', status: 'added', additions: 3, deletions: 0, patch: '@@ -0,0 +1,3 @@\n+const a = 1;\n+eval(input);\n+export {};' }];
  const finding: Finding = {
    ruleId: 'js/code-injection-eval',
    source: 'ast-grep',
    severity: 'critical',
    path: 'src/a.js',
    startLine: 2,
    endLine: 2,
    message: 'eval() on input',
    evidence: 'eval(input);',
    fingerprint: 'f'.repeat(32),
  };

  before(async () => {
    server = await startAnthropicServer();
    workDir = await mkdtemp(join(tmpdir(), 'verdict-memory-'));
    await mkdir(join(workDir, 'src'));
    await writeFile(join(workDir, 'src/a.js'), CODE);
  });
  after(async () => {
    await server.close();
    await rm(workDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.fallback = (request) => ({ text: answerEach(request.body, () => 'confirmed'), usage: { input_tokens: 900, output_tokens: 80 } });
  });

  const run = (remembered: ReadonlyMap<string, RememberedVerdict>, options: { client?: boolean; model?: string } = {}) => {
    const logger = new RecordingLogger();
    return verifyStage([finding], {
      config: { claudeModel: options.model ?? MODEL, escalateOn: 'critical', claudeMaxCalls: 10, claudeMaxUsd: 0.5 },
      client: options.client === false ? undefined : createAnthropicClient({ apiKey: 'sk-ant-test-0000', baseUrl: server.url, logger, maxRetries: 0 }),
      change: { tree: { root: workDir, files: files.map((f) => f.path), inPlace: false }, files },
      rules: [],
      skip: () => false,
      remembered,
      links: {},
      logger,
    });
  };

  test('first run: one call, and the verdict is offered for recording under the finding’s key', async () => {
    const { summary } = await run(new Map());
    assert.equal(server.messages().length, 1);
    assert.equal(summary.reused, 0);
    assert.equal(summary.remember.length, 1);
    assert.equal(summary.remember[0]!.key, verdictKey(finding, { content: CODE, patch: files[0]!.patch! }, MODEL));
    assert.equal(summary.remember[0]!.verdict, 'confirmed');
  });

  test('same code, recorded verdict: no call; the verdict (sanitized again) is used and counted', async () => {
    const key = verdictKey(finding, { content: CODE, patch: files[0]!.patch! }, MODEL);
    const remembered = new Map([[key, { key, verdict: 'false_positive' as const, reasoning: 'Constant here @octocat <!-- x -->' }]]);
    const { findings, summary } = await run(remembered);
    assert.equal(server.messages().length, 0);
    assert.equal(findings[0]!.verdict?.verdict, 'false_positive');
    assert.ok(!findings[0]!.verdict?.reasoning?.includes('<!--'), 'model text read back is sanitized like a fresh answer');
    assert.equal(summary.reused, 1);
    assert.equal(summary.stats.dismissed, 1);
    assert.equal(summary.stats.escalated, 1);
    assert.equal(summary.stats.calls, 0);
    assert.equal(summary.stats.costUsd, 0);
    assert.deepEqual(summary.remember.map((r) => r.key), [key], 'recorded again for the next push');
  });

  test('the code around it changed, or another model: the recorded verdict does not apply, Claude is asked', async () => {
    const key = verdictKey(finding, { content: CODE, patch: files[0]!.patch! }, MODEL);
    const stale = new Map([[key, { key, verdict: 'false_positive' as const }]]);
    await writeFile(join(workDir, 'src/a.js'), CODE.replace('const a = 1;', 'const a = readInput();'));
    try {
      const changed = await run(stale);
      assert.equal(changed.findings[0]!.verdict?.verdict, 'confirmed');
      assert.equal(changed.summary.reused, 0);
    } finally {
      await writeFile(join(workDir, 'src/a.js'), CODE);
    }
    const otherModel = await run(stale, { model: 'claude-sonnet-4-6' });
    assert.equal(otherModel.summary.reused, 0);
    assert.equal(server.messages().length, 2);
  });

  test('without a key nothing is verified, not even from memory', async () => {
    const key = verdictKey(finding, { content: CODE, patch: files[0]!.patch! }, MODEL);
    const { findings, summary } = await run(new Map([[key, { key, verdict: 'false_positive' as const }]]), { client: false });
    assert.equal(findings[0]!.verdict?.verdict, 'unverified');
    assert.equal(summary.reused, 0);
    assert.deepEqual(summary.remember, []);
  });
});
