import { E as ExternalServiceError } from './errors.js';

// ── errors of the MCP gateway ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
/**
 * Anything that went wrong with the gateway; an external service, not a bug of ours. (`name` stays ExternalServiceError's: the
 * action reports these as such; tell them apart with `instanceof`.)
 */
class GatewayError extends ExternalServiceError {
    constructor(message, options) {
        super(message, 'mcp-gateway', options?.status, options);
    }
}
/** The gateway could not be started (image, container, health, connection). */
class GatewayStartError extends GatewayError {
}
/** The gateway did not answer: refused connection, refused token, container gone, broken stream. */
class GatewayTransportError extends GatewayError {
}
/** The tool is not among those the gateway lists. */
class ToolMissingError extends GatewayError {
    tool;
    available;
    constructor(tool, available) {
        super(`The MCP gateway has no tool '${tool}'; it offers ${available.length ? available.map((t) => `'${t}'`).join(', ') : 'no tools'}.`);
        this.tool = tool;
        this.available = available;
    }
}
/** The tool ran and answered with an error (`isError`), or the gateway rejected the call (bad arguments). */
class ToolCallError extends GatewayError {
    tool;
    detail;
    constructor(tool, detail) {
        super(`The MCP tool '${tool}' failed: ${detail}`);
        this.tool = tool;
        this.detail = detail;
    }
}
/** No answer within the call's timeout. */
class ToolTimeoutError extends GatewayError {
    tool;
    timeoutMs;
    constructor(tool, timeoutMs) {
        super(`The MCP tool '${tool}' did not answer within ${timeoutMs} ms.`);
        this.tool = tool;
        this.timeoutMs = timeoutMs;
    }
}

export { GatewayStartError as G, ToolMissingError as T, GatewayError as a, GatewayTransportError as b, ToolCallError as c, ToolTimeoutError as d };
