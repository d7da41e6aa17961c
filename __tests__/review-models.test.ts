/**
 * The pipeline's verify and draft stages (src/main.ts `verify`, `draft`, after `buildReviewReport`'s triage): which findings go to Claude (not those an earlier run commented on; what this review comments on first when
 * the budget is short), how verdicts change placements, and when the local model is asked at all. Claude is the loopback Messages
 * API; the local model a recorded stub of the `DraftModel` seam (the draft wire format is covered in local-drafts.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../src/config/load.js';
import { RecordingLogger } from './support/recording-logger.js';
import type { DraftModel } from '../src/models/stage.js';
import { draft, verify } from '../src/main.js';
import { NOTHING_EARLIER, type Finding, type ReviewReport } from '../src/types.js';
import { answerEach, startAnthropicServer, userText, type AnthropicServer } from './support/anthropic-server.js';
import { createAnthropicClient } from '../src/models/anthropic-client.js';
import { buildReviewReport, type Analysis } from '../src/triage.js';

const KEY = 'sk-ant-api03-' + 'R3v13wT3stK3yN0tR3al-Pp1Oo2Ii3Uu4Yy5Tt6';
const CONTENT = Array.from({ length: 30 }, (_, i) => `const v${i + 1} = run(${i + 1});`).join('\n') + '\n';
// Lines 1-5 are added; line 20 is unchanged code of the same file.
const PATCH = ['@@ -0,0 +1,5 @@', ...CONTENT.split('\n').slice(0, 5).map((l) => `+${l}`)].join('\n');

function finding(line: number, fingerprint: string, severity: Finding['severity'] = 'critical'): Finding {
  return {
    ruleId: 'js/code-injection-eval',
    source: 'ast-grep',
    severity,
    path: 'src/a.ts',
    startLine: line,
    endLine: line,
    message: `eval at ${line}`,
    evidence: `const v${line} = run(${line});`,
    fingerprint: fingerprint.padEnd(32, '0'),
  };
}

describe('reviewWithModels', () => {
  let claude: AnthropicServer;
  let workDir: string;

  before(async () => {
    claude = await startAnthropicServer();
    workDir = await mkdtemp(join(tmpdir(), 'uc-review-models-'));
    await mkdir(join(workDir, 'src'));
    await writeFile(join(workDir, 'src', 'a.ts'), CONTENT);
  });
  after(async () => {
    await claude.close();
    await rm(workDir, { recursive: true, force: true });
  });

  function analysis(findings: Finding[]): Analysis {
    return {
      change: {
        baseSha: 'a'.repeat(40),
        headSha: 'b'.repeat(40),
        files: [{ path: 'src/a.ts', status: 'added', additions: 5, deletions: 0, patch: PATCH }],
        reviewable: [{ path: 'src/a.ts', status: 'added', additions: 5, deletions: 0, patch: PATCH }],
        skipped: [],
        truncated: false,
        tree: { root: workDir, files: ['src/a.ts'], inPlace: false },
        extraRuleSources: [],
        notices: [],
      },
      findings,
      scans: [{ scanner: 'ast-grep', status: 'ok', findings, durationMs: 1, filesScanned: 1, warnings: [] }],
      rules: [],
    };
  }

  function run(findings: Finding[], inputs: Record<string, string>, options: { commented?: Map<string, number>; model?: DraftModel } = {}) {
    const asked: string[] = [];
    const logger = new RecordingLogger();
    const config = resolveConfig({ inputs: { 'anthropic-api-key': KEY, ...inputs } });
    const earlier = options.commented ? { commented: options.commented, listed: new Set<string>() } : NOTHING_EARLIER;
    const links = { repository: 'octo/repo' };
    const scanned = analysis(findings);
    const reportOf = (placed: Finding[]): ReviewReport =>
      buildReviewReport({ analysis: { ...scanned, findings: placed }, config, earlier, repository: links.repository });
    const promise = (async (): Promise<ReviewReport> => {
      const client = createAnthropicClient({ apiKey: KEY, baseUrl: claude.url, logger, maxRetries: 0 });
      const verified = await verify(reportOf(scanned.findings), scanned, earlier, { config, client, links, logger });
      const localModel = async (): Promise<DraftModel> => {
        asked.push('model');
        return options.model ?? { kind: 'unavailable', reason: 'no server (test)' };
      };
      const drafted = await draft(reportOf(verified.findings), scanned, { config, localModel, links, logger });
      return { ...drafted.report, models: { drafts: drafted.summary, claude: verified.summary } };
    })();
    return { promise, asked, logger };
  }

  test('a finding an earlier run commented on is not sent again; a false positive is dismissed, not commented', async () => {
    claude.requests.length = 0;
    claude.fallback = (request) => ({ text: answerEach(request.body, () => ({ verdict: 'false_positive', reasoning: 'constant input' })), usage: { input_tokens: 900, output_tokens: 80 } });
    const old = finding(2, 'aa');
    const fresh = finding(3, 'bb');
    const { promise } = run([old, fresh], {}, { commented: new Map([[old.fingerprint, 101]]) });
    const report = await promise;
    assert.equal(claude.messages().length, 1);
    assert.match(userText(claude.messages()[0]!.body), /eval at 3/);
    const placements = Object.fromEntries(report.findings.map((p) => [p.finding.startLine, p.placement.kind]));
    assert.deepEqual(placements, { 2: 'already-commented', 3: 'dismissed' });
    assert.equal(report.models?.claude.alreadyCommented, 1);
    assert.equal(report.models?.claude.stats.dismissed, 1);
    // The one commented earlier has no verdict this run (it was not sent again): it still counts against fail-on.
    assert.equal(report.conclusion, 'failure');
  });

  test('with a budget for one finding, the finding this review comments on is verified before the one outside the diff', async () => {
    claude.requests.length = 0;
    claude.fallback = (request) => ({ text: answerEach(request.body, () => 'confirmed'), usage: { input_tokens: 900, output_tokens: 80 } });
    // The finding outside the diff comes first in the scan's order (and would be first by line within the file).
    const outside = finding(20, 'cc');
    const onDiff = finding(4, 'dd');
    // Both would go in one call; $0.032 covers one finding's worst case (1,024 output tokens = $0.0256 + its prompt) and never a
    // second after the first call's $0.0065.
    const { promise } = run([outside, onDiff], { 'claude-max-usd': '0.032' });
    const report = await promise;
    assert.equal(claude.messages().length, 1);
    assert.match(userText(claude.messages()[0]!.body), /eval at 4/);
    const verdictOf = (line: number) => report.findings.find((p) => p.finding.startLine === line)!.finding.verdict;
    assert.equal(verdictOf(4)?.verdict, 'confirmed');
    assert.equal(verdictOf(20)?.verdict, 'unverified');
    assert.match(verdictOf(20)?.reasoning ?? '', /^budget: claude-max-usd \(\$0\.032\) would be exceeded/);
    assert.equal(report.models?.claude.stats.unverifiedBudget, 1);
  });

  test('the local model is asked only when there is a comment to word, and never with local-model off', async () => {
    const nothingInline = run([finding(20, 'ee', 'low')], {});
    const quiet = await nothingInline.promise;
    assert.deepEqual(nothingInline.asked, [], 'no inline comment: no Model Runner start');
    assert.equal(quiet.models?.drafts.stats.template, 0);

    const off = run([finding(2, 'ff', 'low')], { 'local-model': 'off' });
    const offReport = await off.promise;
    assert.deepEqual(off.asked, []);
    assert.equal(offReport.models?.drafts.mode, 'off');
    assert.equal(offReport.findings[0]!.finding.draft?.author, 'template');

    const down = run([finding(2, 'gg', 'low')], {});
    const downReport = await down.promise;
    assert.deepEqual(down.asked, ['model']);
    assert.equal(downReport.models?.drafts.mode, 'unavailable');
    assert.equal(downReport.models?.drafts.reason, 'no server (test)');
    assert.equal(downReport.models?.drafts.stats.template, 1);
  });
});
