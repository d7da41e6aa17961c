import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the bundled action finds what is not JavaScript. `scripts/copy-assets.mjs` writes the same layout (keep them in step):
 *
 *   dist/bin/ast-grep.json             {version, binaries: {"linux-x64": {sha256 (of the uncompressed binary), gz, bytes}}}
 *   dist/bin/ast-grep-linux-x64.gz     the binary of @ast-grep/cli-linux-x64-gnu, gzip -9
 *   dist/rules/                        the built-in rule pack (a copy of rules/)
 */
export const VENDORED_BIN_DIR = 'bin';
export const VENDORED_MANIFEST = 'ast-grep.json';
export const RULES_DIR = 'rules';

export interface VendoredManifest {
  /** The ast-grep version, e.g. `0.51.1`. */
  version: string;
  /** Keyed by `<process.platform>-<process.arch>`. */
  binaries: Record<string, { sha256: string; gz: string; bytes?: number }>;
}

/**
 * The built-in rule pack next to the running code: `dist/rules` when bundled (dist/index.js), `<repo>/rules` when running from the
 * sources (src/scanners/…). Looks in `from` and up to four folders above it for a `rules/sgconfig.yml`.
 */
export function builtinRulesDir(from: string): string {
  let dir = from;
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, RULES_DIR);
    if (existsSync(join(candidate, 'sgconfig.yml'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    `The built-in ast-grep rule pack (rules/sgconfig.yml) was not found near ${from}: the action is packaged incorrectly (dist/rules is written by npm run build).`,
  );
}
