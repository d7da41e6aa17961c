import { resolveAstGrepBinary } from './binary.js';
import { runAstGrepScan } from './scan.js';
import type { Scanner } from '../scanner.js';

/** The slice of the run this scanner reads: where its rules are, and the few environment variables that locate its binary. */
export interface AstGrepSettings {
  /** The built-in pack (`rules/` with its sgconfig.yml), beside the vendored binaries (`bin/`) in dist/ or the repository. */
  builtinRulesDir: string;
  /** The folder holding dist/'s `bin/` (the vendored binaries). */
  distDir: string;
  /** The repository's own sgconfig.yml and rule folders, read from the base commit. */
  repoConfigDir?: string;
  /** The `rules` input, resolved to paths on disk. */
  extraRuleSources: readonly string[];
  /** `ULTRA_CREATE_AST_GREP`, `RUNNER_TOOL_CACHE` and what ast-grep itself may see (PATH, HOME, locale): never tokens. */
  env: Readonly<Record<string, string | undefined>>;
  /** The scan's and each file's time limits; default 5 minutes and 1 minute (see scan.ts). */
  timeoutMs?: number;
  fileTimeoutMs?: number;
  /** The address space of each ast-grep process (Linux); default 4 GiB or 3/4 of the memory (see scan.ts). */
  memoryLimitBytes?: number;
}

/**
 * The ast-grep scanner: the real ast-grep CLI (vendored in dist/ for linux-x64, from node_modules elsewhere) runs the built-in pack,
 * the base branch's own sgconfig.yml rules and the `rules` input on the head tree's files.
 */
export function createAstGrepScanner(settings: AstGrepSettings): Scanner {
  return {
    name: 'ast-grep',
    async run({ tree, logger, signal, tempDir, onFileScanned }) {
      const binary = await resolveAstGrepBinary({ env: { ...settings.env }, distDir: settings.distDir, logger });
      logger.info(`ast-grep ${binary.version} (${binary.origin}) on ${tree.files.length} file(s).`);
      return runAstGrepScan({
        binary: binary.path,
        workDir: tree.root,
        files: [...tree.files],
        builtinRulesDir: settings.builtinRulesDir,
        repoConfigDir: settings.repoConfigDir,
        extraRuleSources: [...settings.extraRuleSources],
        logger,
        signal,
        tempDir,
        ...(settings.timeoutMs !== undefined && { timeoutMs: settings.timeoutMs }),
        ...(settings.fileTimeoutMs !== undefined && { fileTimeoutMs: settings.fileTimeoutMs }),
        ...(settings.memoryLimitBytes !== undefined && { memoryLimitBytes: settings.memoryLimitBytes }),
        ...(onFileScanned && { onFileInspected: onFileScanned }),
      });
    },
  };
}
