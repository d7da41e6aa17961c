import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.js';
import { createAstGrepPatternScanner } from '../runtime/ast-grep-patterns.js';
import type { GatewayOutcome } from '../runtime/mcp-gateway.js';
import type { ScannerName } from '../types.js';
import { createAstGrepScanner } from './ast-grep-scanner.js';
import { notYetAvailableScanner, type Scanner } from './scanner.js';

/** Where this code runs from: `dist/` (bundled) or `src/scanners/` (tests); assets are looked up from here. */
const HERE = dirname(fileURLToPath(import.meta.url));

const LATER: Record<Exclude<ScannerName, 'ast-grep'>, string> = {
  ramparts: 'the ramparts MCP-security scan is not available in this version yet',
  tests: 'running the pull request tests in a sandbox container is not available in this version yet',
};

/**
 * One scanner per name in `scanners`, in that order; with `ast-grep`, the repository's `ast-grep.patterns` also run through the MCP
 * gateway (its outcome is read when the scan runs: the gateway starts after collection).
 */
export function createScanners(
  config: Config,
  options: { assetsFrom?: string; env?: NodeJS.ProcessEnv; gateway?: () => GatewayOutcome } = {},
): Scanner[] {
  const scanners = config.scanners.map((name) =>
    name === 'ast-grep'
      ? createAstGrepScanner({ assetsFrom: options.assetsFrom ?? HERE, env: options.env ?? process.env })
      : notYetAvailableScanner(name, LATER[name]),
  );
  if (config.scanners.includes('ast-grep') && config.astGrepPatterns.length > 0) {
    const gateway = options.gateway ?? ((): GatewayOutcome => ({ status: 'skipped', reason: 'the MCP gateway is not used here' }));
    scanners.push(createAstGrepPatternScanner(gateway));
  }
  return scanners;
}

/** Whether this run needs the MCP gateway: `on` always starts it; `auto` only when something will call it. */
export function gatewayNeeded(config: Config): boolean {
  if (config.mcpGateway === 'on') return true;
  return config.mcpGateway === 'auto' && config.scanners.includes('ast-grep') && config.astGrepPatterns.length > 0;
}
