import { dirname } from 'node:path';
import { builtinRulesDir, resolveAstGrepBinary, runAstGrepScan } from './ast-grep/index.js';
import type { Scanner } from './scanner.js';

/**
 * The ast-grep scanner: the real ast-grep CLI (vendored in dist/ for linux-x64, from node_modules elsewhere) runs the built-in pack,
 * the base branch's own sgconfig.yml rules and the `rules` input on the reviewable files of the change.
 */
export function createAstGrepScanner(options: { assetsFrom: string; env: NodeJS.ProcessEnv }): Scanner {
  return {
    name: 'ast-grep',
    async run({ change, logger, signal, tempDir }) {
      // The rule pack sits at the root of dist/ (or of the repository), and the vendored binaries beside it in bin/.
      const rulesDir = builtinRulesDir(options.assetsFrom);
      const binary = await resolveAstGrepBinary({ env: options.env, distDir: dirname(rulesDir), logger });
      logger.info(`ast-grep ${binary.version} (${binary.origin}) on ${change.reviewable.length} file(s).`);
      return runAstGrepScan({
        binary: binary.path,
        workDir: change.workDir,
        files: change.reviewable.map((file) => file.path),
        builtinRulesDir: rulesDir,
        repoConfigDir: change.repoAstGrepConfigDir,
        extraRuleSources: change.extraRuleSources,
        logger,
        signal,
        tempDir,
      });
    },
  };
}
