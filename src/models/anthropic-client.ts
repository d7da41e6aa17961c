// The named export: the bundler's TypeScript pass does not see the default export as a class.
import { Anthropic, APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { ExternalServiceError, getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { redactSecrets } from '../text/redact.js';
import type { ClaudeClient } from './claude.js';

/** Claude's client over the official SDK; loaded only when a run verifies with Claude. */

export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicClientOptions {
  apiKey: string;
  /** `anthropic-base-url` (the caller falls back to `ANTHROPIC_BASE_URL` of its environment); empty: Anthropic's own. */
  baseUrl?: string | undefined;
  /** Per request (each retry gets its own); default 60 s. */
  timeoutMs?: number;
  /** The SDK retries 408/409/429/5xx (529 included) and connection errors, honouring `retry-after`; default 3. */
  maxRetries?: number;
  logger: Logger;
}

export const DEFAULT_CLAUDE_TIMEOUT_MS = 60_000;
export const DEFAULT_CLAUDE_MAX_RETRIES = 3;

/** A `ClaudeClient` over the official SDK. The key is masked in the logger and scrubbed from every error message. */
export function createAnthropicClient(options: AnthropicClientOptions): ClaudeClient {
  const { apiKey, logger } = options;
  logger.mask(apiKey);
  const timeout = options.timeoutMs ?? DEFAULT_CLAUDE_TIMEOUT_MS;
  const scrub = (text: string) => redactSecrets(text.split(apiKey).join('***'));
  const sdk = new Anthropic({
    apiKey,
    // Always explicit: the SDK would otherwise read ANTHROPIC_BASE_URL from the process environment behind the caller's back.
    baseURL: options.baseUrl || DEFAULT_ANTHROPIC_BASE_URL,
    maxRetries: options.maxRetries ?? DEFAULT_CLAUDE_MAX_RETRIES,
    timeout,
    // The SDK's own log (retries, statuses) goes through ours; nothing writes to the console directly.
    logLevel: 'info',
    logger: {
      error: (message: string) => logger.warning(`anthropic sdk: ${scrub(message)}`),
      warn: (message: string) => logger.warning(`anthropic sdk: ${scrub(message)}`),
      info: (message: string) => logger.debug(`anthropic sdk: ${scrub(message)}`),
      debug: () => {
        // Never called at logLevel 'info'; the SDK's logger interface still requires it.
      },
    },
  });

  return {
    async createMessage(request) {
      let message: Anthropic.Message;
      try {
        message = await sdk.messages.create({
          model: request.model,
          max_tokens: request.max_tokens,
          system: request.system,
          messages: request.messages,
        });
      } catch (error) {
        throw new ExternalServiceError(scrub(describeSdkError(error, timeout)), 'anthropic', statusOf(error));
      }
      const text = message.content
        .flatMap((block) => (block.type === 'text' ? [block.text] : []))
        .join('');
      return {
        id: message.id,
        model: message.model,
        text,
        stopReason: message.stop_reason ?? null,
        usage: message.usage,
      };
    },
  };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof APIError && typeof error.status === 'number' ? error.status : undefined;
}

function describeSdkError(error: unknown, timeoutMs: number): string {
  if (error instanceof APIConnectionTimeoutError) return `the Anthropic API did not answer within ${timeoutMs} ms (after retries)`;
  if (error instanceof APIConnectionError) {
    return `could not reach the Anthropic API (after retries): ${getErrorMessage(error.cause ?? error)}`;
  }
  if (error instanceof APIError) {
    const what = [error.type, error.apiMessage].filter((part) => part).join(': ');
    const status = error.status === undefined ? 'an error' : String(error.status);
    return `the Anthropic API answered ${status}${what ? ` (${what})` : ''}`;
  }
  return `the Anthropic request failed: ${getErrorMessage(error)}`;
}

