import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The ast-grep binary npm installed for this machine (@ast-grep/cli's postinstall copy). */
export const NODE_MODULES_AST_GREP = fileURLToPath(new URL('../../node_modules/@ast-grep/cli/ast-grep', import.meta.url));

/**
 * A `dist/` of our own in `dist`: the binary of node_modules vendored as linux-x64, the way scripts/copy-assets.mjs does it
 * (`bin/ast-grep.json` + a gzipped copy; gzip level 1 here, to keep tests quick). Returns the binary's sha256.
 */
export async function vendorAstGrep(dist: string, version = '0.51.1'): Promise<string> {
  const binary = await readFile(NODE_MODULES_AST_GREP);
  const sha = createHash('sha256').update(binary).digest('hex');
  await mkdir(join(dist, 'bin'), { recursive: true });
  await writeFile(join(dist, 'bin', 'ast-grep-linux-x64.gz'), gzipSync(binary, { level: 1 }));
  await writeFile(join(dist, 'bin', 'ast-grep.json'), JSON.stringify({ version, binaries: { 'linux-x64': { sha256: sha, gz: 'ast-grep-linux-x64.gz' } } }));
  return sha;
}
