import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.js';
import type { ScannerName } from '../types.js';
import { createAstGrepScanner } from './ast-grep-scanner.js';
import { notYetAvailableScanner, type Scanner } from './scanner.js';

/** Where this code runs from: `dist/` (bundled) or `src/scanners/` (tests); assets are looked up from here. */
const HERE = dirname(fileURLToPath(import.meta.url));

const LATER: Record<Exclude<ScannerName, 'ast-grep'>, string> = {
  ramparts: 'the ramparts MCP-security scan needs the Docker runtime, which this version does not start yet',
  tests: 'running the PR tests needs the sandbox container, which this version does not start yet',
};

/** One scanner per name in `scanners`, in that order. */
export function createScanners(config: Config, options: { assetsFrom?: string; env?: NodeJS.ProcessEnv } = {}): Scanner[] {
  return config.scanners.map((name) =>
    name === 'ast-grep'
      ? createAstGrepScanner({ assetsFrom: options.assetsFrom ?? HERE, env: options.env ?? process.env })
      : notYetAvailableScanner(name, LATER[name]),
  );
}
