import { d as distExports } from './index.js';

/**
 * Parses the YAML config file (YAML 1.2). Kept apart from `resolveConfig` so that the YAML library loads only when a repository
 * has a config file: the callers import this module on demand.
 */
function parseConfigFile(file) {
    const lineCounter = new distExports.LineCounter();
    const document = distExports.parseDocument(file.text, { prettyErrors: false, version: '1.2', lineCounter });
    if (document.errors.length > 0) {
        // Without the source excerpt the YAML library appends: the file could hold anything, secrets included.
        const problems = document.errors.slice(0, 5).map((error) => {
            const { line, col } = lineCounter.linePos(error.pos[0]);
            const position = line > 0 ? ` (line ${line}, column ${col})` : '';
            return `Invalid YAML in config file ${file.path}${position}: ${error.message.split('\n')[0]}`;
        });
        return { path: file.path, data: undefined, problems };
    }
    try {
        return { path: file.path, data: document.toJS(), problems: [] };
    }
    catch (error) {
        // Well-formed YAML that cannot become data: an alias bomb (the library refuses past 100 alias expansions), a cyclic alias.
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        return { path: file.path, data: undefined, problems: [`Invalid YAML in config file ${file.path}: ${message}`] };
    }
}

export { parseConfigFile };
