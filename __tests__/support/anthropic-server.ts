/**
 * A loopback Anthropic Messages API (node:http on 127.0.0.1), strict about what it accepts like the real one:
 * `POST /v1/messages` needs an API key — `x-api-key`, or `Authorization: Bearer` as the SDK sends it from API version 2026-10-21
 * (@anthropic-ai/sdk 1.x) — else 401 authentication_error; `anthropic-version` (400), a JSON body with `model`,
 * a positive integer `max_tokens` and a non-empty `messages` array of `{role, content}` (400 invalid_request_error).
 *
 * Answers are scripted per request, in order (`script(...)`), then by `fallback`: a text answer with usage and stop_reason, or a
 * failure (429 with `retry-after`, 529 overloaded, 500). Every request is recorded, headers included.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed JSON body, when it parsed. */
  body: unknown;
  status: number;
  at: number;
}

export interface MessagesBody {
  model: string;
  max_tokens: number;
  system?: string | { type: 'text'; text: string }[];
  messages: { role: 'user' | 'assistant'; content: string | { type: string; text?: string }[] }[];
}

export type Step =
  | {
      kind?: 'message';
      text: string;
      stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
      usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
      /** Model named in the answer; default: the request's. */
      model?: string;
      /** Wait this long before answering. */
      delayMs?: number;
    }
  | { kind: 'rate_limit'; retryAfter?: string }
  | { kind: 'overloaded'; retryAfter?: string }
  | { kind: 'server_error'; status?: 500 | 502 | 503 }
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> };

export type Responder = (request: RecordedRequest & { body: MessagesBody }) => Step;

export interface AnthropicServer {
  /** `http://127.0.0.1:PORT` (the SDK adds `/v1/messages`). */
  url: string;
  requests: RecordedRequest[];
  /** Requests that reached the model (passed validation), in order. */
  messages(): (RecordedRequest & { body: MessagesBody })[];
  /** Queues answers for the next requests that pass validation. */
  script(...steps: Step[]): void;
  /** Answer when the script is empty (default: `confirmed` for every finding the request asks about). */
  fallback: Responder;
  close(): Promise<void>;
}

export const DEFAULT_USAGE = { input_tokens: 1000, output_tokens: 100 };

/** One bare verdict object: what an answer about a single finding may be. */
export function verdictText(
  verdict: 'confirmed' | 'false_positive' | 'uncertain',
  extra: { reasoning?: string; comment?: string; fix?: string } = {},
): string {
  return JSON.stringify({
    verdict,
    reasoning: extra.reasoning ?? `Scripted ${verdict} verdict.`,
    comment: extra.comment ?? `Scripted comment for a ${verdict} finding.`,
    ...(extra.fix !== undefined && { fix: extra.fix }),
  });
}

type Verdict = 'confirmed' | 'false_positive' | 'uncertain';
interface VerdictExtra { reasoning?: string; comment?: string; fix?: string }

/** A finding a verification request asks about: its id (ours, outside the fences) and its fenced text (rule, lines, message). */
export interface RequestedFinding {
  id: string;
  text: string;
}

/** The text of a request's first (user) message, whether sent as a string or as content blocks. */
export function userText(body: MessagesBody): string {
  const message = body.messages[0]?.content;
  return typeof message === 'string' ? message : (message ?? []).map((block) => block.text ?? '').join('');
}

/** The findings of a verification request, in order, read from its user message ("Finding F1 (file 1):" + a fenced block). */
export function requestedFindings(body: MessagesBody): RequestedFinding[] {
  return [...userText(body).matchAll(/^Finding (F\d+) \(file \d+\):\n<<<(DATA-[0-9a-f]+) finding>>>\n([\s\S]*?)\n<<<END \2>>>/gm)].map((m) => ({
    id: m[1]!,
    text: m[3]!,
  }));
}

/** An answer in the shape the prompt asks for: one entry per finding id. */
export function verdictsText(entries: readonly ({ id: string; verdict: Verdict } & VerdictExtra)[]): string {
  return JSON.stringify({
    verdicts: entries.map(({ id, verdict, ...extra }) => ({
      id,
      verdict,
      reasoning: extra.reasoning ?? `Scripted ${verdict} verdict.`,
      comment: extra.comment ?? `Scripted comment for a ${verdict} finding.`,
      ...(extra.fix !== undefined && { fix: extra.fix }),
    })),
  });
}

/** The answer to a request that gives every finding it asks about the verdict `decide` returns for it. */
export function answerEach(body: MessagesBody, decide: (finding: RequestedFinding) => Verdict | ({ verdict: Verdict } & VerdictExtra)): string {
  return verdictsText(
    requestedFindings(body).map((finding) => {
      const decision = decide(finding);
      return typeof decision === 'string' ? { id: finding.id, verdict: decision } : { id: finding.id, ...decision };
    }),
  );
}

function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: `req_${randomBytes(8).toString('hex')}` });
}

/** The API key a request carries: `x-api-key`, or the token of `Authorization: Bearer`. */
export function credentialOf(headers: IncomingHttpHeaders): { header: 'x-api-key' | 'authorization'; key: string } | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return { header: 'x-api-key', key: apiKey };
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer?.[1]) return { header: 'authorization', key: bearer[1] };
  return undefined;
}

type Validated = { ok: false; status: number; body: string } | { ok: true; body: MessagesBody };

function validate(headers: IncomingHttpHeaders, raw: string): Validated {
  if (credentialOf(headers) === undefined) {
    return { ok: false, status: 401, body: errorBody('authentication_error', 'x-api-key header is required') };
  }
  if (typeof headers['anthropic-version'] !== 'string') {
    return { ok: false, status: 400, body: errorBody('invalid_request_error', 'anthropic-version: header is required') };
  }
  const contentType = headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/json')) {
    return { ok: false, status: 400, body: errorBody('invalid_request_error', 'content-type must be application/json') };
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, body: errorBody('invalid_request_error', 'request body is not valid JSON') };
  }
  const invalid = (message: string): Validated => ({ ok: false, status: 400, body: errorBody('invalid_request_error', message) });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid('request body must be an object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') return invalid('model: Field required');
  if (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens) || b.max_tokens < 1) {
    return invalid('max_tokens: Field required (a positive integer)');
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) return invalid('messages: at least one message is required');
  for (const [i, m] of b.messages.entries()) {
    const message = m as Record<string, unknown> | null;
    if (typeof message !== 'object' || message === null) return invalid(`messages.${i}: must be an object`);
    if (message.role !== 'user' && message.role !== 'assistant') return invalid(`messages.${i}.role: must be user or assistant`);
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
      return invalid(`messages.${i}.content: Field required`);
    }
  }
  if ((b.messages[0] as { role: string }).role !== 'user') return invalid('messages: first message must use the "user" role');
  if (b.system !== undefined && typeof b.system !== 'string' && !Array.isArray(b.system)) {
    return invalid('system: Input should be a valid string or list of text blocks');
  }
  return { ok: true, body: b as unknown as MessagesBody };
}

export async function startAnthropicServer(): Promise<AnthropicServer> {
  const requests: RecordedRequest[] = [];
  const queue: Step[] = [];
  const state: { fallback: Responder } = {
    fallback: (request) => ({ text: answerEach(request.body, () => 'confirmed'), usage: DEFAULT_USAGE }),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: undefined,
        status: 0,
        at: Date.now(),
      };
      try {
        record.body = JSON.parse(rawBody) as unknown;
      } catch {
        record.body = undefined;
      }
      requests.push(record);
      const requestId = `req_${randomBytes(8).toString('hex')}`;
      const send = (status: number, body: string, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
        res.end(body);
      };

      const path = (req.url ?? '').split('?')[0];
      if (path !== '/v1/messages') return send(404, errorBody('not_found_error', `Not found: ${path}`));
      if (req.method !== 'POST') return send(405, errorBody('invalid_request_error', `Method ${req.method} not allowed`));
      const checked = validate(req.headers, rawBody);
      if (!checked.ok) return send(checked.status, checked.body);
      const step = queue.shift() ?? state.fallback({ ...record, body: checked.body });
      switch (step.kind) {
        case 'rate_limit':
          return send(429, errorBody('rate_limit_error', 'Number of request tokens has exceeded your rate limit.'), {
            'retry-after': step.retryAfter ?? '1',
          });
        case 'overloaded':
          return send(529, errorBody('overloaded_error', 'Overloaded'), step.retryAfter ? { 'retry-after': step.retryAfter } : {});
        case 'server_error':
          return send(step.status ?? 500, errorBody('api_error', 'Internal server error'));
        case 'raw':
          return send(step.status, step.body, step.headers);
        default: {
          const answer = () =>
            send(
              200,
              JSON.stringify({
                id: `msg_${randomBytes(12).toString('hex')}`,
                type: 'message',
                role: 'assistant',
                model: step.model ?? checked.body.model,
                content: [{ type: 'text', text: step.text }],
                stop_reason: step.stopReason ?? 'end_turn',
                stop_sequence: null,
                usage: step.usage ?? DEFAULT_USAGE,
              }),
            );
          if (step.delayMs) setTimeout(answer, step.delayMs);
          else answer();
        }
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: AnthropicServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    messages: () =>
      requests.filter((r) => r.status === 200) as (RecordedRequest & { body: MessagesBody })[],
    script: (...steps) => {
      queue.push(...steps);
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(responder: Responder) {
      state.fallback = responder;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return api;
}
