import { getErrorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayHandle } from '../runtime/mcp-gateway.js';
import type { SandboxBackend } from '../runtime/sandbox.js';
import type { HeadCheckout, HeadTree, RuleInfo, ScanReport, ScanSource, Service } from '../types.js';

/** What a scanner may declare it needs before it runs; the runtime starts exactly what the enabled scanners declare. */
export interface ScannerNeeds {
  /** The MCP gateway, with these catalog servers. */
  gateway?: readonly string[];
  /** The sandbox container backend (PR code runs there, never on the host). */
  sandbox?: boolean;
  /** The whole repository at the head commit (not only the reviewable files of `tree`). */
  checkout?: boolean;
}

/**
 * The small ports a scanner runs with: the head tree, a logger, a scratch folder, and the runtime services (a service it did not
 * declare is `skipped`). A scanner reports a service's reason as its own `skipped` or `failed`.
 */
export interface ScanPorts {
  tree: HeadTree;
  logger: Logger;
  /** A folder of this run's own, removed at cleanup. */
  tempDir: string;
  signal?: AbortSignal;
  /** Called as each file is scanned (a scanner that can tell); for the progress shown on a terminal. */
  onFileScanned?: (path: string) => void;
  gateway: Service<GatewayHandle>;
  sandbox: Service<SandboxBackend>;
  /** Declared with `checkout: true`; `skipped` otherwise. */
  checkout: Service<HeadCheckout>;
}

export interface ScanResult {
  report: ScanReport;
  rules: RuleInfo[];
}

/**
 * A scanner anchors findings to files and lines; it reports `failed` or `skipped` with a reason rather than throwing. It does not log
 * its own warnings or its outcome: the scan stage logs every report once.
 */
export interface Scanner {
  readonly name: ScanSource;
  run(ports: ScanPorts): Promise<ScanResult>;
}

/** A report with no finding: the shape `skipped` and `failed` outcomes share. */
export function emptyReport(scanner: ScanSource, status: ScanReport['status'], reason: string, durationMs = 0): ScanResult {
  return { report: { scanner, status, reason, findings: [], durationMs, filesScanned: 0, warnings: [] }, rules: [] };
}

/** Runs the scanners concurrently. A scanner that throws is reported as failed: a crash is never "no findings". */
export async function runScanners(scanners: readonly Scanner[], ports: (scanner: Scanner) => ScanPorts): Promise<ScanResult[]> {
  return Promise.all(
    scanners.map(async (scanner) => {
      const started = Date.now();
      try {
        return await scanner.run(ports(scanner));
      } catch (error) {
        return emptyReport(scanner.name, 'failed', getErrorMessage(error), Date.now() - started);
      }
    }),
  );
}

/** A scanner the configuration leaves nothing to do: visible as skipped, with the reason. */
export function skippedScanner(name: ScanSource, reason: string): Scanner {
  return { name, run: () => Promise.resolve(emptyReport(name, 'skipped', reason)) };
}

/** For scanners that belong to a later capability: visible as skipped, with the reason, never silently absent. */
export function notYetAvailableScanner(name: ScanSource, reason: string): Scanner {
  return skippedScanner(name, reason);
}
