import type { CollectedChange } from '../collect/collect.js';
import type { Config } from '../config/schema.js';
import { getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RuleInfo } from '../types.js';
import type { ScannerName, ScanReport, ScanSource } from '../types.js';

export interface ScanContext {
  change: CollectedChange;
  config: Config;
  logger: Logger;
  /** A folder of this run's own, removed at cleanup. */
  tempDir: string;
  signal?: AbortSignal;
}

export interface ScanResult {
  report: ScanReport;
  rules: RuleInfo[];
}

/** A scanner anchors findings to files and lines; it reports `failed` or `skipped` with a reason rather than throwing. */
export interface Scanner {
  readonly name: ScanSource;
  run(context: ScanContext): Promise<ScanResult>;
}

/**
 * Runs the requested scanners concurrently (log groups would interleave, so the caller groups the whole stage). A scanner that throws
 * is reported as failed: a crash is never "no findings".
 */
export async function runScanners(scanners: readonly Scanner[], context: ScanContext): Promise<ScanResult[]> {
  return Promise.all(
    scanners.map(async (scanner) => {
      const started = Date.now();
      try {
        return await scanner.run(context);
      } catch (error) {
        context.logger.error(`${scanner.name} failed: ${getErrorMessage(error)}`);
        return {
          report: {
            scanner: scanner.name,
            status: 'failed' as const,
            reason: getErrorMessage(error),
            findings: [],
            durationMs: Date.now() - started,
            filesScanned: 0,
            warnings: [],
          },
          rules: [],
        };
      }
    }),
  );
}

/** For scanners that belong to a later capability: visible as skipped, with the reason, never silently absent. */
export function notYetAvailableScanner(name: ScannerName, reason: string): Scanner {
  return {
    name,
    async run() {
      return {
        report: { scanner: name, status: 'skipped', reason, findings: [], durationMs: 0, filesScanned: 0, warnings: [] },
        rules: [],
      };
    },
  };
}
