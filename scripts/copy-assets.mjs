// Writes what dist/ needs besides the bundle (run by `npm run build`, after rollup):
//   dist/bin/ast-grep-linux-x64.gz   the ast-grep binary of @ast-grep/cli-linux-x64-gnu, gzip -9 (GitHub runs dist/ with no install)
//   dist/bin/ast-grep.json           {version, binaries: {"linux-x64": {sha256, gz, bytes}}}; sha256 of the UNCOMPRESSED binary
//   dist/rules/                      a copy of rules/ (the built-in pack; the bundle finds it next to dist/index.js), less rules/shared/
//   dist/mcp-lister.mjs              the MCP lister run inside the sandbox (src/scanners/mcp-audit/mcp-lister.mjs)
// Layout shared with src/scanners/ast-grep/assets.ts. Deterministic, and the .gz is left alone when the manifest already records the
// binary's sha256 (another zlib version compresses differently: a rebuild must not make dist/ look stale).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const binDir = join(dist, 'bin');
const manifestPath = join(binDir, 'ast-grep.json');

/** The platforms whose binary dist/ carries: the GitHub-hosted Linux runners. */
const VENDORED = [{ key: 'linux-x64', pkg: '@ast-grep/cli-linux-x64-gnu', gz: 'ast-grep-linux-x64.gz' }];

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

async function writeIfChanged(path, data) {
  if (existsSync(path) && Buffer.compare(await readFile(path), Buffer.from(data)) === 0) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return true;
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return undefined;
  }
}

async function vendorBinaries() {
  const requireFrom = createRequire(join(root, 'package.json'));
  const previous = readManifest();
  const version = JSON.parse(readFileSync(requireFrom.resolve('@ast-grep/cli/package.json'), 'utf8')).version;
  const binaries = {};
  for (const { key, pkg, gz } of VENDORED) {
    const gzPath = join(binDir, gz);
    let binary;
    try {
      binary = await readFile(join(dirname(requireFrom.resolve(`${pkg}/package.json`)), 'ast-grep'));
    } catch {
      // Not installed (npm installs only this machine's platform package): keep what is committed, if it is intact.
      const kept = previous?.binaries?.[key];
      if (previous?.version === version && kept && existsSync(gzPath) && sha256(gunzipSync(await readFile(gzPath))) === kept.sha256) {
        console.warn(`copy-assets: ${pkg} is not installed here; keeping the committed ${gz}.`);
        binaries[key] = kept;
        continue;
      }
      throw new Error(`copy-assets: ${pkg} is not installed and dist/bin/${gz} is missing or stale: build on linux-x64 (npm ci there).`);
    }
    const digest = sha256(binary);
    const recorded = previous?.binaries?.[key];
    // Rewrite only when the binary changed or the archive is missing or damaged.
    const intact =
      recorded?.sha256 === digest && existsSync(gzPath) && sha256(gunzipSync(await readFile(gzPath))) === digest;
    if (!intact) {
      await mkdir(binDir, { recursive: true });
      await writeFile(gzPath, gzipSync(binary, { level: 9 }));
      console.log(`copy-assets: wrote dist/bin/${gz} (ast-grep ${version}, ${binary.length} bytes).`);
    }
    binaries[key] = { sha256: digest, gz, bytes: binary.length };
  }
  const manifest = `${JSON.stringify({ version, binaries }, null, 2)}\n`;
  if (await writeIfChanged(manifestPath, manifest)) console.log('copy-assets: wrote dist/bin/ast-grep.json.');
}

async function listFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

async function copyRules() {
  const from = join(root, 'rules');
  const to = join(dist, 'rules');
  // rules/shared/ is the source scripts/stamp-rule-utils.ts copies into the rule files, not part of the pack: not shipped.
  const wanted = new Set((await listFiles(from)).map((file) => relative(from, file)).filter((rel) => !rel.startsWith(`shared${sep}`)));
  let changed = 0;
  for (const rel of [...wanted].sort()) if (await writeIfChanged(join(to, rel), await readFile(join(from, rel)))) changed++;
  // Files removed from rules/ go from dist/rules/ too.
  if (existsSync(to)) {
    for (const file of await listFiles(to)) {
      if (!wanted.has(relative(to, file))) {
        await rm(file);
        changed++;
      }
    }
    await removeEmptyDirs(to);
  }
  console.log(`copy-assets: dist/rules has ${wanted.size} file(s)${changed > 0 ? `, ${changed} updated` : ', unchanged'}.`);
}

async function removeEmptyDirs(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await removeEmptyDirs(join(dir, entry.name));
  }
  if ((await readdir(dir)).length === 0) await rm(dir, { recursive: true });
}

/** The MCP lister (src/scanners/mcp-audit/mcp-lister.mjs) runs inside the sandbox: it ships as a file, not in the bundle. */
async function copyMcpLister() {
  const from = join(root, 'src', 'scanners', 'mcp-audit', 'mcp-lister.mjs');
  if (await writeIfChanged(join(dist, 'mcp-lister.mjs'), await readFile(from))) console.log('copy-assets: wrote dist/mcp-lister.mjs.');
}

await vendorBinaries();
await copyRules();
await copyMcpLister();
