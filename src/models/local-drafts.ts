import { z } from 'zod';
import { causeChain, ExternalServiceError, getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { redactSecrets } from '../text/redact.js';
import { type DraftStats, type RuleInfo } from '../types.js';
import { SEVERITY_RANK, type Finding, type FindingDraft } from '../types.js';
import { DRAFT_LIMITS, templateDraft } from './templates.js';
import { dataInstruction, fenceAsData, newDelimiter } from './untrusted.js';
import { formatDuration, plural, printable, truncate } from '../text/strings.js';
import { describeRelated } from '../text/related.js';

/**
 * Local drafts (DESIGN.md §1, §5): a local model behind an OpenAI-compatible API (Docker Model Runner, llama.cpp, Ollama) words the
 * review comment of findings that tools already anchored. The model gets, per finding, an index, the rule, the tool's message and the
 * code around it (fenced as data, secrets redacted) and answers prose only; it never sees or chooses a file or a line, and its answer
 * cannot move a finding. Several findings go in one call; calls are bounded in number and in time. Every answer is validated, and
 * whatever is missing, invalid, late or cut off gets the template text instead.
 */

// ---------------------------------------------------------------------------------------------------------------------------------
// The client: a narrow interface so the draft logic does not depend on the SDK (the implementation over it: openai-client.ts).
// ---------------------------------------------------------------------------------------------------------------------------------

export interface DraftMessage {
  role: 'system' | 'user';
  content: string;
}

export interface DraftRequest {
  model: string;
  messages: DraftMessage[];
  /** `response_format.json_schema.name`. */
  schemaName: string;
  /** The JSON schema the answer must follow (constrains generation on llama.cpp). */
  schema: Record<string, unknown>;
  /** Upper bound on generated tokens. */
  maxTokens: number;
  /** Per-call time limit; the caller also aborts `signal` when it passes. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface DraftUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface DraftResponse {
  content: string;
  usage?: DraftUsage;
  /** `stop`, `length`, … as the server says. */
  finishReason?: string;
}

export interface DraftClient {
  complete(request: DraftRequest): Promise<DraftResponse>;
}

/** Why a call gave no usable answer; `model-not-found` and `unreachable` mean the endpoint is not there, so no further calls. */
export type DraftFailureKind = 'model-not-found' | 'unreachable' | 'timeout' | 'http' | 'aborted' | 'invalid-response';

export class DraftCallError extends ExternalServiceError {
  constructor(
    message: string,
    readonly kind: DraftFailureKind,
    status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, 'local model', status, options);
  }
}


// ---------------------------------------------------------------------------------------------------------------------------------
// Probe.
// ---------------------------------------------------------------------------------------------------------------------------------

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/**
 * Does `endpoint` answer, and does it serve `model`? GET `${endpoint}/models` (the OpenAI list; llama.cpp adds its own `models`
 * array). llama.cpp's own server lists the one file it loaded and answers any model name, so a single model owned by `llamacpp` is
 * accepted whatever its id.
 */
export async function probeModelEndpoint(
  endpoint: string,
  model: string,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<ProbeResult> {
  const url = `${endpoint.replace(/\/+$/, '')}/models`;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000), headers: { accept: 'application/json' } });
  } catch (error) {
    const chain = causeChain(error);
    if (chain.includes('ECONNREFUSED')) return { ok: false, reason: `no server at ${endpoint} (connection refused)` };
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { ok: false, reason: `${endpoint} did not answer within ${formatDuration(options.timeoutMs ?? 5_000)}` };
    }
    return { ok: false, reason: `cannot reach ${endpoint} (${truncate(chain.replace(/\s+/g, ' ').trim(), 160)})` };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `GET ${url} answered HTTP ${response.status}` };
  }
  let listing: unknown;
  try {
    listing = await response.json();
  } catch {
    return { ok: false, reason: `GET ${url} did not answer JSON` };
  }
  const parsed = modelListSchema.safeParse(listing);
  if (!parsed.success) return { ok: false, reason: `GET ${url} did not answer a model list` };
  const entries = parsed.data.data;
  const ids = entries.map((entry) => entry.id);
  if (ids.some((id) => sameModel(id, model))) return { ok: true };
  if (entries.length === 1 && entries[0]?.owned_by === 'llamacpp') return { ok: true };
  const listed = ids.length === 0 ? 'none' : ids.slice(0, 10).map((id) => truncate(id, 80)).join(', ');
  return { ok: false, reason: `model ${model} is not available at ${endpoint} (not pulled?); listed: ${listed}` };
}

const modelListSchema = z.object({
  data: z.array(z.object({ id: z.string(), owned_by: z.string().optional() })),
});

/** `ai/llama3.2` and `ai/llama3.2:latest` name the same model; names compare case-insensitively. */
function sameModel(listed: string, wanted: string): boolean {
  const normalize = (name: string) => {
    const lower = name.toLowerCase();
    return /:[^/]+$/.test(lower) ? lower : `${lower}:latest`;
  };
  return normalize(listed) === normalize(wanted);
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Drafting.
// ---------------------------------------------------------------------------------------------------------------------------------

export const DEFAULT_DRAFT_BUDGET_MS = 120_000;
export const DEFAULT_BATCH_SIZE = 5;
export const DEFAULT_MAX_CALLS = 20;
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** What of each finding goes to the model (characters): enough context for a small model's window (about 4k tokens). */
const MAX_CODE_CHARS = 1_200;
const MAX_MESSAGE_CHARS = 500;
const MAX_NOTE_CHARS = 600;
/** Generated tokens allowed per finding: the longest valid draft (1,200 characters) plus JSON framing. */
const MAX_TOKENS_PER_FINDING = 400;

export interface DraftDeps {
  client: DraftClient;
  model: string;
  rules: ReadonlyMap<string, RuleInfo>;
  /** The lines around the finding (the caller reads them; redaction and fencing happen here). */
  codeOf(finding: Finding): string;
  logger: Logger;
  /** For all drafts together (default 120 s). No call starts that would not fit; a running call is cut at the end. */
  budgetMs?: number;
  /** Findings per call (default 5). */
  batchSize?: number;
  /** At most this many calls (default 20). */
  maxCalls?: number;
  /** One call's limit (default 60 s, never beyond the remaining budget). */
  callTimeoutMs?: number;
  /** Clock in milliseconds (default `Date.now`). */
  now?(): number;
  /** While a call runs, a line saying what it waits for and the time left, this often (default 10 s). */
  waitNoticeMs?: number;
}


export interface DraftResult {
  /** The findings in the order given, each a copy with `draft` set; nothing else changes. */
  findings: Finding[];
  stats: DraftStats;
}

interface Batch {
  /** Positions in the input array. */
  positions: number[];
  /** 1-based index of the first finding of the batch in the order of calls (for messages). */
  first: number;
}

/**
 * Sets `draft` on every finding: the model's for those it answered well, a template for the rest. Never throws for model trouble;
 * failures are counted, named once in a warning and returned in `stats.failures`.
 */
export async function draftFindings(findings: readonly Finding[], deps: DraftDeps): Promise<DraftResult> {
  const now = deps.now?.bind(deps) ?? Date.now;
  const started = now();
  const budgetMs = Math.max(0, deps.budgetMs ?? DEFAULT_DRAFT_BUDGET_MS);
  const batchSize = Math.max(1, Math.floor(deps.batchSize ?? DEFAULT_BATCH_SIZE));
  const maxCalls = Math.max(0, Math.floor(deps.maxCalls ?? DEFAULT_MAX_CALLS));
  const callTimeoutMs = Math.max(1, deps.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
  const drafts = new Array<FindingDraft | undefined>(findings.length).fill(undefined);
  const stats: DraftStats = { model: 0, template: 0, calls: 0, failures: [], promptTokens: 0, completionTokens: 0, durationMs: 0 };
  const warned = new Set<string>();
  const fail = (reason: string, warningKey: string) => {
    stats.failures.push(reason);
    if (warned.has(warningKey)) {
      deps.logger.debug(`Local drafts: ${reason}`);
    } else {
      warned.add(warningKey);
      deps.logger.warning(`Local drafts: ${reason}; template text is used instead.`);
    }
  };

  // Most severe first, so that what the budget cuts off is the least important; the result keeps the input order.
  const order = findings
    .map((finding, position) => ({ finding, position }))
    .sort((a, b) => SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || a.position - b.position)
    .map((entry) => entry.position);
  const batches: Batch[] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push({ positions: order.slice(i, i + batchSize), first: i + 1 });

  const durations: number[] = [];
  let stopped: string | undefined;
  for (const [batchNumber, batch] of batches.entries()) {
    const label = describeBatch(batch, batches.length);
    if (stopped) break;
    if (stats.calls >= maxCalls) {
      const left = batches.slice(batchNumber).reduce((sum, b) => sum + b.positions.length, 0);
      fail(`the call limit (${maxCalls}) was reached; ${plural(left, 'finding')} not sent to the model`, 'max-calls');
      break;
    }
    const remaining = budgetMs - (now() - started);
    const estimate = durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : 0;
    if (remaining <= 0 || estimate > remaining) {
      const left = batches.slice(batchNumber).reduce((sum, b) => sum + b.positions.length, 0);
      fail(
        `the time budget (${formatDuration(budgetMs)}) would be exceeded; ${plural(left, 'finding')} not sent to the model`,
        'budget',
      );
      break;
    }

    const timeoutMs = Math.max(1, Math.min(callTimeoutMs, remaining));
    const callStarted = now();
    stats.calls += 1;
    const outcome = await whileWaiting(
      deps,
      `the local model ${deps.model} to word ${plural(batch.positions.length, 'comment')}${batches.length > 1 ? ` (call ${batchNumber + 1} of ${batches.length})` : ''}`,
      timeoutMs,
      () => callModel(deps, batch, findings, timeoutMs),
    );
    const callMs = now() - callStarted;
    // Every call that reached the model counts for the estimate, a timed-out one too (a slow model stops early).
    durations.push(callMs);
    if (outcome.usage) {
      stats.promptTokens += outcome.usage.promptTokens;
      stats.completionTokens += outcome.usage.completionTokens;
    }
    if (!outcome.ok) {
      fail(`${label}: ${outcome.reason}`, outcome.kind);
      if (outcome.kind === 'model-not-found' || outcome.kind === 'unreachable') {
        stopped = outcome.kind;
        const left = batches.slice(batchNumber + 1).reduce((sum, b) => sum + b.positions.length, 0);
        if (left > 0) stats.failures.push(`no further calls (the endpoint is not usable); ${plural(left, 'more finding')} not sent`);
      }
      continue;
    }
    for (const [position, draft] of outcome.drafts) drafts[position] = draft;
    if (outcome.rejected.length > 0) {
      fail(`${label}: ${plural(outcome.rejected.length, 'draft')} rejected (${outcome.rejected.slice(0, 3).join('; ')})`, 'rejected');
    }
    deps.logger.debug(
      `Local drafts: ${label} answered in ${formatDuration(callMs)} (${outcome.drafts.size}/${batch.positions.length} usable` +
        (outcome.usage ? `, ${outcome.usage.promptTokens}+${outcome.usage.completionTokens} tokens)` : ')'),
    );
  }

  const result = findings.map((finding, position): Finding => {
    const draft = drafts[position];
    if (draft) {
      stats.model += 1;
      return { ...finding, draft };
    }
    stats.template += 1;
    return { ...finding, draft: templateDraft(finding, deps.rules.get(finding.ruleId)) };
  });
  stats.durationMs = now() - started;
  if (findings.length > 0) {
    deps.logger.info(
      `Local drafts (${deps.model}): ${stats.model} by the model, ${stats.template} from templates; ` +
        `${plural(stats.calls, 'call')} in ${formatDuration(stats.durationMs)}.`,
    );
  }
  return { findings: result, stats };
}

/**
 * Runs `call`, saying first what it waits for and for how long at most, then every `waitNoticeMs` how much time is left: a model
 * server that accepts the connection and never answers must not look like a hung run.
 */
async function whileWaiting<T>(deps: DraftDeps, what: string, limitMs: number, call: () => Promise<T>): Promise<T> {
  const now = deps.now?.bind(deps) ?? Date.now;
  const started = now();
  const every = Math.max(1, deps.waitNoticeMs ?? DEFAULT_WAIT_NOTICE_MS);
  deps.logger.info(`Local drafts: waiting for ${what} (at most ${formatDuration(limitMs)}).`);
  const timer = setInterval(() => {
    const left = Math.max(0, limitMs - (now() - started));
    deps.logger.info(`Local drafts: still waiting for ${what}: ${formatDuration(left)} left.`);
  }, every);
  timer.unref();
  try {
    return await call();
  } finally {
    clearInterval(timer);
  }
}

const DEFAULT_WAIT_NOTICE_MS = 10_000;

type CallOutcome =
  | { ok: true; drafts: Map<number, FindingDraft>; rejected: string[]; usage?: DraftUsage }
  | { ok: false; kind: DraftFailureKind | 'length' | 'not-json' | 'shape'; reason: string; usage?: DraftUsage };

async function callModel(deps: DraftDeps, batch: Batch, findings: readonly Finding[], timeoutMs: number): Promise<CallOutcome> {
  const delimiter = newDelimiter();
  const items = batch.positions.map((position, i) => {
    const finding = findings[position]!;
    return { index: i + 1, position, finding };
  });
  const request: DraftRequest = {
    model: deps.model,
    messages: [
      { role: 'system', content: systemPrompt(delimiter) },
      { role: 'user', content: userPrompt(items, deps, delimiter) },
    ],
    schemaName: 'review_comment_drafts',
    schema: draftsJsonSchema(items.map((item) => item.index)),
    maxTokens: MAX_TOKENS_PER_FINDING * items.length + 50,
    timeoutMs,
  };

  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve('timeout');
    }, timeoutMs);
  });
  let response: DraftResponse;
  try {
    const answer = await Promise.race([deps.client.complete({ ...request, signal: controller.signal }), deadline]);
    if (answer === 'timeout') return { ok: false, kind: 'timeout', reason: `no answer within ${formatDuration(timeoutMs)}` };
    response = answer;
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, kind: 'timeout', reason: `no answer within ${formatDuration(timeoutMs)}` };
    if (error instanceof DraftCallError) return { ok: false, kind: error.kind, reason: error.message };
    return { ok: false, kind: 'invalid-response', reason: printable(redactSecrets(getErrorMessage(error)), 160) };
  } finally {
    clearTimeout(timer);
  }

  const usage = response.usage;
  const withUsage = <T extends object>(outcome: T): T & { usage?: DraftUsage } => (usage ? { ...outcome, usage } : outcome);
  if (response.finishReason === 'length') {
    const reason = 'the answer was cut off at the token limit (finish_reason length)';
    return withUsage({ ok: false as const, kind: 'length' as const, reason });
  }
  let json: unknown;
  try {
    json = JSON.parse(stripCodeFence(response.content));
  } catch {
    return withUsage({ ok: false as const, kind: 'not-json' as const, reason: 'the answer is not valid JSON' });
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    const reason = `the answer does not have the requested shape (${zodSummary(envelope.error)})`;
    return withUsage({ ok: false as const, kind: 'shape' as const, reason });
  }

  const byIndex = new Map(items.map((item) => [item.index, item]));
  const accepted = new Map<number, FindingDraft>();
  const seen = new Set<number>();
  const duplicated = new Set<number>();
  const rejected: string[] = [];
  for (const entry of envelope.data.drafts) {
    const parsed = draftEntrySchema.safeParse(entry);
    const rawIndex = typeof entry === 'object' && entry !== null ? (entry as { index?: unknown }).index : undefined;
    const index = typeof rawIndex === 'number' && byIndex.has(rawIndex) ? rawIndex : undefined;
    if (index !== undefined) {
      if (seen.has(index)) duplicated.add(index);
      seen.add(index);
    }
    if (!parsed.success) {
      rejected.push(`${index !== undefined ? `index ${index}` : 'an entry'}: ${zodSummary(parsed.error)}`);
      continue;
    }
    const item = byIndex.get(parsed.data.index);
    if (!item) {
      rejected.push(`index ${parsed.data.index} was not asked for`);
      continue;
    }
    const draft: FindingDraft = {
      title: redactSecrets(parsed.data.title.replace(/\s+/g, ' ')),
      body: redactSecrets(parsed.data.body),
      author: 'model',
    };
    if (parsed.data.fixHint !== undefined && parsed.data.fixHint !== null) draft.fixHint = redactSecrets(parsed.data.fixHint);
    accepted.set(item.position, draft);
  }
  for (const index of duplicated) {
    const item = byIndex.get(index);
    if (item) accepted.delete(item.position);
    rejected.push(`index ${index} answered more than once`);
  }
  for (const item of items) {
    if (!seen.has(item.index)) rejected.push(`index ${item.index} missing`);
  }
  return withUsage({ ok: true as const, drafts: accepted, rejected });
}

const envelopeSchema = z.strictObject({ drafts: z.array(z.unknown()) });

const draftEntrySchema = z.strictObject({
  index: z.number().int(),
  title: z.string().trim().min(1, 'empty title').max(DRAFT_LIMITS.title, `title over ${DRAFT_LIMITS.title} characters`),
  body: z.string().trim().min(1, 'empty body').max(DRAFT_LIMITS.body, `body over ${DRAFT_LIMITS.body} characters`),
  fixHint: z
    .string()
    .trim()
    .min(1, 'empty fixHint')
    .max(DRAFT_LIMITS.fixHint, `fixHint over ${DRAFT_LIMITS.fixHint} characters`)
    .nullable()
    .optional(),
});

/** The schema sent as `response_format`: exactly the asked indexes, the length limits, nothing else. */
export function draftsJsonSchema(indexes: readonly number[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['drafts'],
    properties: {
      drafts: {
        type: 'array',
        minItems: indexes.length,
        maxItems: indexes.length,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['index', 'title', 'body'],
          properties: {
            index: { type: 'integer', enum: [...indexes] },
            title: { type: 'string', minLength: 1, maxLength: DRAFT_LIMITS.title },
            body: { type: 'string', minLength: 1, maxLength: DRAFT_LIMITS.body },
            fixHint: { type: 'string', minLength: 1, maxLength: DRAFT_LIMITS.fixHint },
          },
        },
      },
    },
  };
}

function systemPrompt(delimiter: string): string {
  return [
    'You write review comments for a pull request. Static analysis tools have already found each problem and located it exactly;',
    'your job is only the wording. For every finding, identified by its index, write:',
    `- "title": one line, at most ${DRAFT_LIMITS.title} characters, naming the problem;`,
    `- "body": at most ${DRAFT_LIMITS.body} characters of plain prose explaining why it is a problem in this code;`,
    `- "fixHint" (optional): at most ${DRAFT_LIMITS.fixHint} characters saying how to fix it.`,
    'Do not mention file names or line numbers, do not add links, do not mention people, and do not dismiss a finding.',
    'Answer with JSON only, one entry per index you were given:',
    '{"drafts": [{"index": 1, "title": "…", "body": "…", "fixHint": "…"}, …]}',
    dataInstruction(delimiter),
  ].join('\n');
}

function userPrompt(items: { index: number; finding: Finding }[], deps: DraftDeps, delimiter: string): string {
  const blocks = items.map(({ index, finding }) => {
    const rule = deps.rules.get(finding.ruleId);
    const note = finding.note ?? rule?.fullDescription;
    const details = [
      `rule: ${finding.ruleId} (${finding.severity})`,
      rule?.shortDescription ? `rule summary: ${truncate(rule.shortDescription, MAX_MESSAGE_CHARS)}` : undefined,
      note ? `why the rule matters: ${truncate(note, MAX_NOTE_CHARS)}` : undefined,
      `tool message: ${truncate(finding.message, MAX_MESSAGE_CHARS)}`,
      relatedText(finding),
      'code:',
      truncate(safeCode(deps, finding), MAX_CODE_CHARS),
    ]
      .filter((line): line is string => line !== undefined)
      .join('\n');
    return `Finding index ${index}:\n${fenceAsData(`finding ${index}`, details, delimiter).text}`;
  });
  const indexes = items.map((item) => item.index).join(', ');
  return [`Write the drafts for the findings with index ${indexes}.`, ...blocks].join('\n\n');
}

/** The tool's related locations (where a query built here runs), as data: the comment stays on the finding's own line. */
function relatedText(finding: Finding): string | undefined {
  const related = describeRelated(finding);
  return related ? `related locations: ${truncate(related, MAX_MESSAGE_CHARS)}` : undefined;
}

function safeCode(deps: DraftDeps, finding: Finding): string {
  try {
    return deps.codeOf(finding) || finding.evidence;
  } catch {
    return finding.evidence;
  }
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Small helpers.
// ---------------------------------------------------------------------------------------------------------------------------------

function describeBatch(batch: Batch, total: number): string {
  const last = batch.first + batch.positions.length - 1;
  const range = batch.first === last ? `finding ${batch.first}` : `findings ${batch.first}–${last}`;
  return total === 1 ? `the call (${range})` : `call for ${range}`;
}

/** Models without schema enforcement sometimes wrap JSON in a ```json fence. */
function stripCodeFence(text: string): string {
  const match = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return match?.[1] ?? text;
}

function zodSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 2)
    .map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unexpected field ${issue.keys.map((key) => printable(JSON.stringify(redactSecrets(key)), 40)).join(', ')}`
        : issue.message,
    )
    .join(', ');
}
