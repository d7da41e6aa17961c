import type { Logger } from './logger.js';
import type { ClaudeClient } from './models/claude.js';
import type { DraftClient } from './models/local-drafts.js';
import type { DockerFactory } from './runtime/start.js';

/** The environment a run reads: the runner's or the shell's, passed in, never read from `process.env` deep inside. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface Clock {
  now(): number;
}

/**
 * The side effects of a run that reach outside this process, passed in with the ports: the Docker engine, the two model clients,
 * the clock and the environment. Tests build them from `stub` (__tests__/support) and keep the rest real.
 */
export interface Effects {
  env: Environment;
  clock: Clock;
  docker: DockerFactory;
  /** An OpenAI-compatible client for the local model's endpoint. */
  draftClient(endpoint: string): Promise<DraftClient>;
  /** Claude's client. `baseUrl`: `anthropic-base-url`, else the environment's `ANTHROPIC_BASE_URL`, else Anthropic's own. */
  claudeClient(options: { apiKey: string; baseUrl?: string; logger: Logger }): Promise<ClaudeClient>;
}

/** The real ones. The model SDKs are loaded only when a run asks for a client: a review without models never pays for them. */
export function defaultEffects(env: Environment): Effects {
  return {
    env,
    clock: { now: () => Date.now() },
    async docker(options) {
      const { tryCreateDockerEngine } = await import('./runtime/docker-engine.js');
      return tryCreateDockerEngine(options);
    },
    async draftClient(endpoint) {
      const { createOpenAIDraftClient } = await import('./models/openai-client.js');
      return createOpenAIDraftClient({ endpoint });
    },
    async claudeClient({ apiKey, baseUrl, logger }) {
      const { createAnthropicClient } = await import('./models/anthropic-client.js');
      return createAnthropicClient({ apiKey, baseUrl: baseUrl || env.ANTHROPIC_BASE_URL?.trim() || undefined, logger });
    },
  };
}
