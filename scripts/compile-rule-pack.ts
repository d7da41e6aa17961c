// Prepares the built-in rule pack once, at build time, beside dist/rules: `rule-pack.json` (the parsed rules: a run reads one JSON
// file instead of parsing every rule's YAML) and `builtin-config/` (the configuration the scanner runs, with the tsx copies: a run
// writes no rule file). See loadBuiltinRules and prebuiltBuiltinConfig in src/scanners/ast-grep/rules.ts. Deterministic: the same
// rules give the same bytes, so CI can tell a stale dist/.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILED_PACK_FILE, parseBuiltinRules, PREBUILT_CONFIG_DIR, prepareBuiltinConfig, serializeBuiltinRules } from '../src/scanners/ast-grep/rules.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'dist', 'rules');
const pack = await parseBuiltinRules(rulesDir);
const target = join(root, 'dist', COMPILED_PACK_FILE);
const text = serializeBuiltinRules(pack, rulesDir);
if (existsSync(target) && readFileSync(target, 'utf8') === text) {
  console.log(`compile-rule-pack: dist/${COMPILED_PACK_FILE} unchanged.`);
} else {
  writeFileSync(target, text);
  console.log(`compile-rule-pack: wrote dist/${COMPILED_PACK_FILE} (${text.length} bytes).`);
}
const configDir = join(root, 'dist', PREBUILT_CONFIG_DIR);
rmSync(configDir, { recursive: true, force: true });
const config = await prepareBuiltinConfig(configDir, pack, new Set());
console.log(`compile-rule-pack: wrote dist/${PREBUILT_CONFIG_DIR}/ (${config.rules.length} rules with the tsx copies).`);
