/**
 * A small error taxonomy: user mistakes and external services are reported as such; anything else is a bug in this action.
 */
/** The user's configuration is wrong; the message names the input and the allowed values. */
class ConfigurationError extends Error {
    name = 'ConfigurationError';
}
/** A service or tool outside this action failed (GitHub, Docker, a model endpoint, a scanner binary). */
class ExternalServiceError extends Error {
    service;
    status;
    name = 'ExternalServiceError';
    constructor(message, service, status, options) {
        super(message, options);
        this.service = service;
        this.status = status;
    }
}
function getErrorMessage(error) {
    if (error instanceof Error)
        return error.message;
    if (typeof error === 'string')
        return error;
    try {
        return JSON.stringify(error);
    }
    catch {
        return String(error);
    }
}
function wrapError(error) {
    return error instanceof Error ? error : new Error(getErrorMessage(error));
}
/** The HTTP status of an Octokit `RequestError` (or anything shaped like it), if any. */
function httpStatusOf(error) {
    if (typeof error === 'object' && error !== null && 'status' in error) {
        const status = (error).status;
        if (typeof status === 'number')
            return status;
    }
    return undefined;
}
/** The codes and messages of an error and its causes (five deep), joined: what to match `ECONNREFUSED` and friends against. */
function causeChain(error) {
    const parts = [];
    let current = error;
    for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
        if (typeof current === 'object') {
            const { code, message } = current;
            parts.push(`${typeof code === 'string' ? code : ''} ${typeof message === 'string' ? message : ''}`);
            current = current.cause;
        }
        else {
            // A thrown primitive is its own message; a thrown function is left out (its source text is no message).
            const thrown = current;
            if (typeof thrown === 'string' || typeof thrown === 'number' || typeof thrown === 'boolean' || typeof thrown === 'bigint' || typeof thrown === 'symbol') {
                parts.push(String(thrown));
            }
            break;
        }
    }
    return parts.join(' | ');
}
/**
 * Whether GitHub refused a request for its rate limits rather than for permissions (both answer 403): a 403 or 429 with
 * `retry-after`, with `x-ratelimit-remaining: 0`, or whose message names a rate limit (GitHub's secondary limit may send only the
 * message). The error's causes are looked through (five deep), so a wrapped Octokit error still tells.
 */
function isRateLimited(error) {
    let current = error;
    for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
        const status = httpStatusOf(current);
        if (status === 403 || status === 429) {
            const headers = current.response?.headers ?? {};
            if (headers['retry-after'] !== undefined || String(headers['x-ratelimit-remaining']) === '0')
                return true;
            if (/\brate limit/i.test(getErrorMessage(current)))
                return true;
            if (status === 429)
                return true;
        }
        current = current.cause;
    }
    return false;
}

export { ConfigurationError as C, ExternalServiceError as E, causeChain as c, getErrorMessage as g, httpStatusOf as h, isRateLimited as i, wrapError as w };
