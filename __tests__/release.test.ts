/**
 * The version is said once and agreed everywhere a workflow or a user reads it: package.json, the tool identity in SARIF and
 * `--version` (TOOL), a CHANGELOG.md section (the release workflow refuses a version without one), and the major tag the
 * README tells workflows to use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TOOL } from '../src/types.js';

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const version = (JSON.parse(read('package.json')) as { version: string }).version;

test('package.json, TOOL and package-lock.json name the same version', () => {
  assert.match(version, /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/);
  assert.equal(TOOL.version, version);
  assert.equal((JSON.parse(read('package-lock.json')) as { version: string }).version, version);
});

test('CHANGELOG.md has a dated section and a link for the version', () => {
  const changelog = read('CHANGELOG.md');
  const escaped = version.replace(/\./g, '\\.');
  assert.match(changelog, new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
  assert.match(changelog, new RegExp(`^\\[${escaped}\\]: https://github\\.com/ultra-create/action/releases/tag/v${escaped}$`, 'm'));
});

test("the README's workflows use the version's major tag or the version itself", () => {
  const uses = [...read('README.md').matchAll(/uses: ultra-create\/action@(?!<)(\S+)/g)].map((m) => m[1]);
  assert.ok(uses.length > 0, 'the README shows no workflow using the action');
  const major = `v${version.split('.')[0]}`;
  for (const ref of uses) assert.ok(ref === major || ref === `v${version}`, `README uses @${ref}; expected @${major} or @v${version}`);
});
