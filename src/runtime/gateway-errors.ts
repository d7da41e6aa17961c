import { ExternalServiceError } from '../errors.js';

// ── errors of the MCP gateway ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Anything that went wrong with the gateway; an external service, not a bug of ours. (`name` stays ExternalServiceError's: the
 * action reports these as such; tell them apart with `instanceof`.)
 */
export class GatewayError extends ExternalServiceError {
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, 'mcp-gateway', options?.status, options);
  }
}

/** The gateway could not be started (image, container, health, connection). */
export class GatewayStartError extends GatewayError {
}

/** The gateway did not answer: refused connection, refused token, container gone, broken stream. */
export class GatewayTransportError extends GatewayError {
}

/** The tool is not among those the gateway lists. */
export class ToolMissingError extends GatewayError {
  constructor(
    readonly tool: string,
    readonly available: readonly string[],
  ) {
    super(`The MCP gateway has no tool '${tool}'; it offers ${available.length ? available.map((t) => `'${t}'`).join(', ') : 'no tools'}.`);
  }
}

/** The tool ran and answered with an error (`isError`), or the gateway rejected the call (bad arguments). */
export class ToolCallError extends GatewayError {
  constructor(
    readonly tool: string,
    readonly detail: string,
  ) {
    super(`The MCP tool '${tool}' failed: ${detail}`);
  }
}

/** No answer within the call's timeout. */
export class ToolTimeoutError extends GatewayError {
  constructor(
    readonly tool: string,
    readonly timeoutMs: number,
  ) {
    super(`The MCP tool '${tool}' did not answer within ${timeoutMs} ms.`);
  }
}
