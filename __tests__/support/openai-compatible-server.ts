/**
 * A loopback OpenAI-compatible server that speaks llama.cpp's server wire format (what Docker Model Runner forwards, and what
 * `llama-server` answers), strict about requests like the real one, with scripted answers per test.
 *
 * Routes, under each of the prefixes `/v1` (llama-server, Ollama), `/engines/v1` and `/engines/llama.cpp/v1` (Docker Model Runner):
 *   GET  …/models             `{ models: [...], object: "list", data: [{ id, object: "model", created, owned_by, meta }] }`
 *   POST …/chat/completions   non-streaming (`chat.completion` with `usage` and llama.cpp's `timings`) and `stream: true`
 *                             (SSE `data: {chat.completion.chunk}` events, a final chunk with `finish_reason`, a usage chunk with
 *                             `choices: []` when `stream_options.include_usage`, then `data: [DONE]`).
 *
 * Strictness (as llama.cpp / the Model Runner answer): a body that is not JSON → 400; `model` missing → 400; `messages` missing,
 * not an array or empty → 400; a message without a string `role` or with content other than a string or parts → 400; `n` other than
 * 1 → 400; `response_format.type` other than text / json_object / json_schema → 400; a json_schema without a compilable `schema`
 * → 400; a model that is not pulled → 404 `{"error":{"code":404,"message":"model not found","type":"not_found_error"}}` (with
 * `ownedBy: 'llamacpp'` and one model, any name is served, as llama-server does). Errors use llama.cpp's shape
 * `{"error":{"code","message","type"}}`.
 *
 * `response_format` json_schema: llama.cpp turns the schema into a grammar, so what it generates conforms. A scripted answer is
 * checked against the schema; one that does not conform is recorded in `problems` (a test bug: the real server could not produce
 * it) unless the reply says `conforms: false` (a server without grammar support, a truncated answer, …). `max_tokens` is applied
 * (about 4 characters a token): a longer answer is cut and finishes with `length`, like the real server.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import AjvModule from 'ajv';

const Ajv = AjvModule.default;

export const API_PREFIXES = ['/v1', '/engines/v1', '/engines/llama.cpp/v1'] as const;
export type ApiPrefix = (typeof API_PREFIXES)[number];

export interface ChatMessage {
  role: string;
  content: string | { type: string; text?: string }[] | null;
}

/** A chat request the server accepted (validated). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  maxTokens?: number;
  temperature?: number;
  responseFormat?: { type: string; json_schema?: { name?: string; strict?: boolean; schema?: Record<string, unknown> } };
  /** The whole body as sent. */
  body: Record<string, unknown>;
  /** Messages' text joined with blank lines (for assertions). */
  text: string;
}

export interface ScriptedReply {
  /** The assistant's content (default `''`). */
  content?: string;
  /** Default `stop`; `length` cuts nothing by itself: give the cut content. */
  finishReason?: 'stop' | 'length';
  /** Whether `content` conforms to the requested schema (default true: checked, a mismatch is a test bug). */
  conforms?: boolean;
  /** Wait this long before answering (headers included). */
  delayMs?: number;
  /** Answer this HTTP status with llama.cpp's error shape instead. */
  status?: number;
  errorMessage?: string;
  /** Answer this raw text as the body, with status 200 and `application/json` (a broken server or proxy). */
  rawBody?: string;
  /** Token counts to report (default: about 4 characters a token). */
  usage?: { promptTokens: number; completionTokens: number };
}

export type Responder = (request: ChatRequest, callNumber: number) => ScriptedReply | Promise<ScriptedReply>;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Raw body text. */
  rawBody: string;
  /** The parsed chat request when it was valid. */
  chat?: ChatRequest;
  /** The status answered. */
  status: number;
  receivedAt: number;
}

/**
 * Answers a request before the OpenAI routes (a server built on this one adds its own routes): `true` when it answered. The body is
 * already read (`rawBody`); `res.statusCode` is recorded as the request's status.
 */
export type ExtraRoute = (request: { method: string; url: URL; headers: IncomingMessage['headers']; rawBody: string }, res: ServerResponse) => boolean | Promise<boolean>;

export interface OpenAICompatibleServerOptions {
  /** Models that are pulled (default `['ai/llama3.2:1B-Q8_0']`); `addModel` adds more later. */
  models?: string[];
  /** `docker` (Model Runner, default: unknown models 404) or `llamacpp` (llama-server: one model, any name served). */
  ownedBy?: string;
  respond?: Responder;
  /** Where to listen (default `127.0.0.1`, port 0 = ephemeral). */
  host?: string;
  port?: number;
  extraRoutes?: ExtraRoute;
}

export interface OpenAICompatibleServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The base URL clients use: origin + prefix (default `/engines/v1`, the Model Runner's). */
  endpoint(prefix?: ApiPrefix): string;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** The accepted chat completion requests, in order. */
  chatRequests(): ChatRequest[];
  /** Scripted answers that the real server could not have produced (schema mismatches not marked `conforms: false`). */
  readonly problems: string[];
  /** Replaceable per test. */
  respond: Responder;
  /** Forget recorded requests and problems, and count calls from 1 again. */
  reset(): void;
  /** The models served now. */
  readonly models: readonly string[];
  /** Serves one more model (a pull finished); no-op when it is there. */
  addModel(id: string): void;
  close(): Promise<void>;
}

const DEFAULT_MODEL = 'ai/llama3.2:1B-Q8_0';
const FINGERPRINT = 'b6000-loopback';

export async function startOpenAICompatibleServer(options: OpenAICompatibleServerOptions = {}): Promise<OpenAICompatibleServer> {
  const models = [...(options.models ?? [DEFAULT_MODEL])];
  const ownedBy = options.ownedBy ?? 'docker';
  const created = Math.floor(Date.now() / 1000);
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const ajv = new Ajv({ strict: false, allErrors: true });
  let callNumber = 0;

  const state = {
    respond: options.respond ?? ((() => ({ content: '' }))),
  };

  const sleep = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      if (ms <= 0) return resolve(true);
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed && !res.writableEnded);
      }, ms);
      timers.add(timer);
      res.once('close', () => {
        if (timers.delete(timer)) clearTimeout(timer);
        resolve(false);
      });
    });

  function send(res: ServerResponse, record: RecordedRequest, status: number, body: unknown): void {
    record.status = status;
    if (res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  function error(res: ServerResponse, record: RecordedRequest, status: number, message: string, type: string): void {
    send(res, record, status, { error: { code: status, message, type } });
  }

  const modelsListing = () => ({
    models: models.map((id) => ({
      name: id,
      model: id,
      modified_at: '',
      size: '',
      digest: '',
      type: 'model',
      description: '',
      tags: [''],
      capabilities: ['completion'],
      parameters: '',
      details: { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' },
    })),
    object: 'list',
    data: models.map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: ownedBy,
      meta: { vocab_type: 2, n_vocab: 128256, n_ctx_train: 131072, n_embd: 2048, n_params: 1235814432, size: 1313251456 },
    })),
  });

  const served = (model: string) => models.includes(model) || (ownedBy === 'llamacpp' && models.length === 1);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: req.headers,
      rawBody,
      status: 0,
      receivedAt: Date.now(),
    };
    requests.push(record);

    if (options.extraRoutes && (await options.extraRoutes({ method: record.method, url, headers: req.headers, rawBody }, res))) {
      record.status = res.statusCode;
      return;
    }

    const prefix = API_PREFIXES.find((p) => url.pathname.startsWith(`${p}/`));
    const route = prefix ? url.pathname.slice(prefix.length) : url.pathname;
    if (route === '/models' && prefix) {
      if (req.method !== 'GET') { error(res, record, 405, 'method not allowed', 'invalid_request_error'); return; }
      send(res, record, 200, modelsListing()); return;
    }
    if (route !== '/chat/completions' || !prefix) { error(res, record, 404, 'File Not Found', 'not_found_error'); return; }
    if (req.method !== 'POST') { error(res, record, 405, 'method not allowed', 'invalid_request_error'); return; }

    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      error(res, record, 400, 'Failed to parse request body as JSON', 'invalid_request_error'); return;
    }
    const invalid = (message: string) => error(res, record, 400, message, 'invalid_request_error');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) { invalid('request body must be a JSON object'); return; }
    const b = body as Record<string, unknown>;
    if (typeof b.model !== 'string' || b.model === '') { invalid("'model' is required"); return; }
    if (!('messages' in b)) { invalid("'messages' is required"); return; }
    if (!Array.isArray(b.messages)) { invalid("Expected 'messages' to be an array"); return; }
    if (b.messages.length === 0) { invalid("'messages' must not be empty"); return; }
    for (const message of b.messages as unknown[]) {
      if (typeof message !== 'object' || message === null) { invalid('each message must be an object'); return; }
      const m = message as Record<string, unknown>;
      if (typeof m.role !== 'string') { invalid("message must have a string 'role'"); return; }
      const content = m.content;
      const isPart = (p: unknown) => typeof p === 'object' && p !== null && typeof (p as { type?: unknown }).type === 'string';
      const parts = Array.isArray(content) && content.every(isPart);
      if (!(typeof content === 'string' || parts || (content === null && m.role === 'assistant'))) {
        invalid("Invalid 'content' type"); return;
      }
    }
    if (b.n !== undefined && b.n !== 1) { invalid('Only one completion choice is allowed'); return; }
    if (b.stream !== undefined && typeof b.stream !== 'boolean') { invalid("'stream' must be a boolean"); return; }
    if (b.max_tokens !== undefined && (typeof b.max_tokens !== 'number' || !Number.isInteger(b.max_tokens))) {
      invalid("'max_tokens' must be an integer"); return;
    }

    let validateAnswer: ((content: string) => string | undefined) | undefined;
    const responseFormat = b.response_format as ChatRequest['responseFormat'] | undefined;
    if (responseFormat !== undefined) {
      const type = (responseFormat as { type?: unknown } | null)?.type;
      if (type === 'json_schema') {
        const schema = responseFormat.json_schema?.schema;
        if (typeof schema !== 'object' || schema === null) { invalid("response_format json_schema must have a 'schema' object"); return; }
        let check: ReturnType<typeof ajv.compile>;
        try {
          check = ajv.compile(schema);
        } catch (e) {
          invalid(`failed to convert the JSON schema to a grammar: ${(e as Error).message}`); return;
        }
        validateAnswer = (content) => {
          let value: unknown;
          try {
            value = JSON.parse(content);
          } catch {
            return 'not JSON';
          }
          return check(value) ? undefined : ajv.errorsText(check.errors);
        };
      } else if (type === 'json_object') {
        validateAnswer = (content) => {
          try {
            JSON.parse(content);
            return undefined;
          } catch {
            return 'not JSON';
          }
        };
      } else if (type !== 'text') {
        invalid(`response_format type must be one of "text" or "json_object", but got: ${String(type)}`); return;
      }
    }

    if (!served(b.model)) { error(res, record, 404, 'model not found', 'not_found_error'); return; }

    const messages = b.messages as ChatMessage[];
    const chat: ChatRequest = {
      model: b.model,
      messages,
      stream: b.stream === true,
      body: b,
      text: messages
        .map((m) => (typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join('')))
        .join('\n\n'),
    };
    if (typeof b.max_tokens === 'number') chat.maxTokens = b.max_tokens;
    if (typeof b.temperature === 'number') chat.temperature = b.temperature;
    if (responseFormat) chat.responseFormat = responseFormat;
    record.chat = chat;

    callNumber += 1;
    let reply: ScriptedReply;
    try {
      reply = await state.respond(chat, callNumber);
    } catch (e) {
      problems.push(`responder threw: ${(e as Error).message}`);
      error(res, record, 500, 'responder failed', 'server_error'); return;
    }
    if (!(await sleep(reply.delayMs ?? 0, res))) {
      record.status = 499; // the client went away
      return;
    }
    if (reply.status !== undefined) {
      const type = reply.status >= 500 ? 'server_error' : reply.status === 404 ? 'not_found_error' : 'invalid_request_error';
      error(res, record, reply.status, reply.errorMessage ?? 'internal error', type); return;
    }
    if (reply.rawBody !== undefined) {
      record.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(reply.rawBody);
      return;
    }

    let content = reply.content ?? '';
    let finishReason = reply.finishReason ?? 'stop';
    if (chat.maxTokens !== undefined && content.length > chat.maxTokens * 4) {
      content = content.slice(0, chat.maxTokens * 4);
      finishReason = 'length';
    }
    if (validateAnswer && reply.conforms !== false) {
      const mismatch = validateAnswer(content);
      if (mismatch) problems.push(`call ${callNumber}: scripted answer does not conform to response_format (${mismatch})`);
    }
    const promptTokens = reply.usage?.promptTokens ?? Math.ceil(chat.text.length / 4);
    const completionTokens = reply.usage?.completionTokens ?? Math.ceil(content.length / 4);
    const usage = { completion_tokens: completionTokens, prompt_tokens: promptTokens, total_tokens: promptTokens + completionTokens };
    const timings = {
      prompt_n: promptTokens,
      prompt_ms: promptTokens * 0.5,
      prompt_per_token_ms: 0.5,
      prompt_per_second: 2000,
      predicted_n: completionTokens,
      predicted_ms: completionTokens * 20,
      predicted_per_token_ms: 20,
      predicted_per_second: 50,
    };
    const id = `chatcmpl-${randomBytes(16).toString('hex')}`;
    const createdNow = Math.floor(Date.now() / 1000);

    if (!chat.stream) {
      send(res, record, 200, {
        choices: [{ finish_reason: finishReason, index: 0, message: { role: 'assistant', content } }],
        created: createdNow,
        model: chat.model,
        system_fingerprint: FINGERPRINT,
        object: 'chat.completion',
        usage,
        id,
        timings,
      }); return;
    }

    record.status = 200;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    const base = { created: createdNow, id, model: chat.model, system_fingerprint: FINGERPRINT, object: 'chat.completion.chunk' };
    const event = (payload: unknown) => res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`);
    event({ choices: [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }], ...base });
    for (const piece of content.match(/[\s\S]{1,8}/g) ?? []) {
      event({ choices: [{ finish_reason: null, index: 0, delta: { content: piece } }], ...base });
    }
    event({ choices: [{ finish_reason: finishReason, index: 0, delta: {} }], ...base, timings });
    const streamOptions = b.stream_options as { include_usage?: unknown } | undefined;
    if (streamOptions?.include_usage === true) event({ choices: [], ...base, usage, timings });
    event('[DONE]');
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      problems.push(`handler failed: ${(e as Error).message}`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 500, message: 'internal error', type: 'server_error' } }));
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    endpoint: (prefix: ApiPrefix = '/engines/v1') => `${origin}${prefix}`,
    requests,
    chatRequests: () => requests.flatMap((r) => (r.chat ? [r.chat] : [])),
    problems,
    get respond() {
      return state.respond;
    },
    set respond(responder: Responder) {
      state.respond = responder;
    },
    reset: () => {
      requests.length = 0;
      problems.length = 0;
      callNumber = 0;
    },
    models,
    addModel: (id: string) => {
      if (!models.includes(id)) models.push(id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Helpers for scripting answers to the draft stage's requests.

/** The indexes a draft request asks for, read from its response_format schema (what a grammar-constrained model must answer). */
export function requestedIndexes(request: ChatRequest): number[] {
  const schema = request.responseFormat?.json_schema?.schema as
    | { properties?: { drafts?: { items?: { properties?: { index?: { enum?: unknown[] } } } } } }
    | undefined;
  const values = schema?.properties?.drafts?.items?.properties?.index?.enum ?? [];
  return values.filter((v): v is number => typeof v === 'number');
}

/** A conforming answer with one draft per requested index; `make` may tailor each entry. */
export function echoDrafts(
  request: ChatRequest,
  make: (index: number) => Record<string, unknown> = (index) => ({
    index,
    title: `Model title ${index}`,
    body: `Model body for finding ${index}.`,
    fixHint: `Model fix ${index}.`,
  }),
): string {
  return JSON.stringify({ drafts: requestedIndexes(request).map(make) });
}
