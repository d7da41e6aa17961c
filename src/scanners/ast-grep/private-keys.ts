import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, RuleInfo } from '../../types.js';

/**
 * PEM private keys in files the rule pack cannot see: ast-grep parses JavaScript, TypeScript and Python (where
 * `js/private-key-literal` and `py/private-key-literal` find keys in string literals), so a key committed as `deploy.pem`,
 * in `.env`, YAML or JSON is found here, by its header line. Only the header is quoted; the key itself never leaves the runner.
 */

export const PRIVATE_KEY_FILE_RULE: RuleInfo = {
  id: 'any/private-key-file',
  source: 'ast-grep',
  severity: 'high',
  shortDescription: 'A private key is committed to the repository.',
  fullDescription:
    'A PEM private key in the repository is published with every clone and fork; whoever has it can impersonate the server or ' +
    'sign as the key owner. Remove the file, revoke the key and issue a new one, and keep keys in a secret manager or outside ' +
    'the repository. CWE-321',
  helpUri: 'https://cwe.mitre.org/data/definitions/321.html',
  cwe: 'CWE-321',
  category: 'security',
};

/** Files the rule pack reads itself (their string literals are checked by its rules). */
const PACK_LANGUAGES = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|py|py3|pyi)$/i;
/** Per file: a key is a few KiB; a header further down than this in a text file is not looked for. */
export const PRIVATE_KEY_READ_BYTES = 256 * 1024;
const HEADER = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;

/** One finding per key header in `files` (paths relative to `root`), reading each regular file's first 256 KiB without following links. */
export async function findPrivateKeyFiles(root: string, files: readonly string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const path of files) {
    if (PACK_LANGUAGES.test(path)) continue;
    const text = await readPrefix(join(root, path));
    if (!text?.includes('PRIVATE KEY-----')) continue;
    for (const match of text.matchAll(HEADER)) {
      const before = text.slice(0, match.index);
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      findings.push({
        ruleId: PRIVATE_KEY_FILE_RULE.id,
        source: 'ast-grep',
        severity: PRIVATE_KEY_FILE_RULE.severity,
        path,
        startLine: line,
        endLine: line,
        startColumn: column,
        endColumn: column + match[0].length,
        message: PRIVATE_KEY_FILE_RULE.shortDescription,
        evidence: match[0],
        note: PRIVATE_KEY_FILE_RULE.fullDescription,
        helpUri: PRIVATE_KEY_FILE_RULE.helpUri,
        fingerprint: '',
      });
    }
  }
  return findings;
}

export async function readPrefix(full: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const buffer = Buffer.alloc(PRIVATE_KEY_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    return bytes.subarray(0, 8000).includes(0) ? undefined : bytes.toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}
