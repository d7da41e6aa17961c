// The named export: the bundler's TypeScript pass does not see the default export as a class.
import { OpenAI } from 'openai';
import { causeChain, getErrorMessage } from '../errors.js';
import { redactSecrets } from '../text/redact.js';
import { formatDuration, printable, truncate } from '../text/strings.js';
import { DraftCallError, type DraftClient, type DraftRequest, type DraftResponse } from './local-drafts.js';

/** The local model's client over the official `openai` SDK; loaded only when a run drafts with a model. */

export interface OpenAIDraftClientOptions {
  /** `model-endpoint`, e.g. `http://localhost:12434/engines/v1` (no trailing slash needed). */
  endpoint: string;
  /** Per-attempt limit given to the SDK; the draft stage also aborts each call at its own deadline. */
  timeoutMs?: number;
  /** SDK retries for connection errors, 408/409/429 and 5xx (default 1). */
  maxRetries?: number;
}

/**
 * A completion as a local server may send it: the SDK does not check the body, and OpenAI-compatible servers differ in what they
 * leave out, so every part is read as possibly missing.
 */
interface ServerCompletion {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** A `DraftClient` over the official `openai` SDK, pointed at a local OpenAI-compatible endpoint. */
export function createOpenAIDraftClient(options: OpenAIDraftClientOptions): DraftClient {
  const openai = new OpenAI({
    baseURL: options.endpoint.replace(/\/+$/, ''),
    // Local servers need no key; the SDK requires one. Organization and project are pinned so OPENAI_* variables are never sent.
    apiKey: 'not-needed',
    organization: null,
    project: null,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 1,
  });
  return {
    async complete(request: DraftRequest): Promise<DraftResponse> {
      try {
        const completion: ServerCompletion = await openai.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            temperature: 0.2,
            // eslint-disable-next-line @typescript-eslint/no-deprecated -- local servers read max_tokens (Ollama and LM Studio only that; llama.cpp took max_completion_tokens only in 2026)
            max_tokens: request.maxTokens,
            response_format: {
              type: 'json_schema',
              json_schema: { name: request.schemaName, strict: true, schema: request.schema },
            },
          },
          { timeout: request.timeoutMs, signal: request.signal ?? null },
        );
        const choice = completion.choices?.[0];
        if (!choice) throw new DraftCallError('the answer has no choices', 'invalid-response');
        const response: DraftResponse = { content: choice.message?.content ?? '' };
        if (choice.finish_reason) response.finishReason = choice.finish_reason;
        if (completion.usage) {
          response.usage = {
            promptTokens: completion.usage.prompt_tokens ?? 0,
            completionTokens: completion.usage.completion_tokens ?? 0,
          };
        }
        return response;
      } catch (error) {
        throw toDraftCallError(error, request.timeoutMs);
      }
    },
  };
}

function toDraftCallError(error: unknown, timeoutMs: number): DraftCallError {
  if (error instanceof DraftCallError) return error;
  if (error instanceof OpenAI.APIUserAbortError) return new DraftCallError('the call was aborted', 'aborted', undefined, { cause: error });
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new DraftCallError(`no answer within ${formatDuration(timeoutMs)}`, 'timeout', undefined, { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    const refused = causeChain(error).includes('ECONNREFUSED');
    return new DraftCallError(refused ? 'connection refused' : `cannot connect (${causeSummary(error)})`, 'unreachable', undefined, {
      cause: error,
    });
  }
  if (isApiError(error)) {
    const detail = serverMessage(error);
    if (error.status === 404) {
      return new DraftCallError(`HTTP 404${detail ? `: ${detail}` : ''} (is the model pulled?)`, 'model-not-found', 404, { cause: error });
    }
    return new DraftCallError(`HTTP ${error.status ?? '?'}${detail ? `: ${detail}` : ''}`, 'http', error.status, { cause: error });
  }
  // The SDK could not read the body (not JSON, cut off, …).
  const detail = printable(redactSecrets(getErrorMessage(error)), 160);
  return new DraftCallError(`unreadable answer (${detail})`, 'invalid-response', undefined, { cause: error });
}

type ApiError = InstanceType<typeof OpenAI.APIError>;

/** `instanceof` alone would type the error's status and body as `any`: the class is generic. */
function isApiError(error: unknown): error is ApiError {
  return error instanceof OpenAI.APIError;
}

function serverMessage(error: ApiError): string {
  const body: unknown = error.error;
  const message = typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string' ? body.message : '';
  return printable(redactSecrets(message), 160);
}

function causeSummary(error: unknown): string {
  return truncate(causeChain(error).replace(/\s+/g, ' ').trim(), 160);
}
