// Parses the built-in rule pack once, at build time, into dist/rule-pack.json: a run then reads one JSON file instead of parsing
// every rule's YAML (src/scanners/ast-grep/rules.ts, loadBuiltinRules). Deterministic: the same rules give the same bytes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILED_PACK_FILE, parseBuiltinRules, serializeBuiltinRules } from '../src/scanners/ast-grep/rules.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'dist', 'rules');
const target = join(root, 'dist', COMPILED_PACK_FILE);
const text = serializeBuiltinRules(await parseBuiltinRules(rulesDir), rulesDir);
if (existsSync(target) && readFileSync(target, 'utf8') === text) {
  console.log(`compile-rule-pack: dist/${COMPILED_PACK_FILE} unchanged.`);
} else {
  writeFileSync(target, text);
  console.log(`compile-rule-pack: wrote dist/${COMPILED_PACK_FILE} (${text.length} bytes).`);
}
