import { join, posix } from 'node:path';
import type { Finding, RuleInfo } from '../../types.js';
import { readPrefix } from './private-keys.js';

/**
 * Secrets committed in dotenv files (`.env`, `.env.production`, …): the application reads them as they are, so the value in the
 * repository is the live one (a JWT signing key, a database password), published with every clone. The rule pack cannot see
 * these files (no grammar). Reported when the name says credential (`*SECRET*`, `*PASSWORD*`, `*TOKEN*`, `*API_KEY*`, …) and
 * the value is a value, not a placeholder or a reference (`${DB_PASSWORD}`, `<your key>`, `changeme`, empty). Templates meant to
 * be copied (`.env.example`, `.sample`, `.template`, `.dist`, `.defaults`) and test environments (`.env.test`) are not read.
 * Only the name is quoted; the value never leaves the runner.
 */
export const ENV_FILE_SECRET_RULE: RuleInfo = {
  id: 'any/env-file-secret',
  source: 'ast-grep',
  severity: 'medium',
  shortDescription: 'A secret value is committed in a dotenv file.',
  fullDescription:
    'The application reads this file as it is, so the committed value is the one it runs with: whoever can read the repository ' +
    'can sign tokens, open sessions or log in to the database with it. Keep the file out of the repository (commit a ' +
    '.env.example with placeholders instead), rotate the value, and set it from a secret manager or the deployment environment. ' +
    'CWE-798',
  helpUri: 'https://cwe.mitre.org/data/definitions/798.html',
  cwe: 'CWE-798',
  category: 'security',
};

const DOTENV_FILE = /^\.env(?:\.(?!example$|sample$|template$|tpl$|dist$|defaults?$|schema$|test$|testing$|ci$)[\w.-]+)?$/i;
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$/;
const SECRET_NAME = /(?:^|_)(?:SECRET|PASSWORD|PASSWD|PASS|PWD|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|SESSION_?KEY|AUTH_?KEY|JWT_?KEY|CLIENT_?SECRET)(?:_|$)/i;
/** Names that hold where a secret is or how it is used, not the secret. */
const NOT_A_SECRET_NAME = /_(?:URL|URI|PATH|FILE|DIR|HOST|PORT|USER|USERNAME|NAME|EXPIRES?(?:_IN)?|TTL|ALGORITHM|ALG|LENGTH|ENABLED|REQUIRED|HEADER|FIELD|PARAM|COOKIE_NAME|ISSUER|AUDIENCE|MIN|MAX|MIN_LENGTH|MAX_LENGTH|ROUNDS|SALT_ROUNDS|POLICY|RESET_URL)$/i;
const PLACEHOLDER = /^(?:|x+|\*+|\.+|<[^>]*>|\{\{.*\}\}|\$\{.*\}|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%|your[-_ ].*|change[-_ ]?me.*|replace[-_ ]?me.*|todo|tbd|fixme|none|null|nil|undefined|false|true)$/i;

/** One finding per secret assignment in the dotenv files among `files` (paths relative to `root`), read without following links. */
export async function findEnvFileSecrets(root: string, files: readonly string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const path of files) {
    if (!DOTENV_FILE.test(posix.basename(path))) continue;
    const text = await readPrefix(join(root, path));
    if (text === undefined) continue;
    text.split('\n').forEach((raw, index) => {
      const match = ASSIGNMENT.exec(raw.replace(/\r$/, ''));
      const name = match?.[1];
      if (!match || !name || !SECRET_NAME.test(name) || NOT_A_SECRET_NAME.test(name)) return;
      if (PLACEHOLDER.test(valueOf(match[2] ?? ''))) return;
      const column = raw.indexOf(name) + 1;
      findings.push({
        ruleId: ENV_FILE_SECRET_RULE.id,
        source: 'ast-grep',
        severity: ENV_FILE_SECRET_RULE.severity,
        path,
        startLine: index + 1,
        endLine: index + 1,
        startColumn: column,
        endColumn: column + name.length,
        message: ENV_FILE_SECRET_RULE.shortDescription,
        evidence: `${name}=…`,
        note: ENV_FILE_SECRET_RULE.fullDescription,
        helpUri: ENV_FILE_SECRET_RULE.helpUri,
        fingerprint: '',
      });
    });
  }
  return findings;
}

/** The value as dotenv reads it: quotes removed, an unquoted value ends at ` #`. */
function valueOf(text: string): string {
  const trimmed = text.trim();
  const quote = trimmed.charAt(0);
  if ((quote === '"' || quote === "'" || quote === '`') && trimmed.indexOf(quote, 1) > 0) return trimmed.slice(1, trimmed.indexOf(quote, 1)).trim();
  return trimmed.replace(/\s+#.*$/, '').trim();
}
