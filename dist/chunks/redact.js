/**
 * Secret redaction for everything this action prints or posts: finding evidence, model prompts and outputs, logs.
 *
 * It is a pure function of its input (no randomness, no state) so that redacted evidence hashes to the same fingerprint on every
 * run. Known token formats are recognised by shape and keep their public prefix (`ghp_«redacted»`) so a reader still sees what
 * leaked; values assigned to credential-like names are replaced whatever they look like. `redactSecrets` is idempotent.
 */
const REDACTED = '«redacted»';
/** A token character class boundary: no token character may directly precede a match. */
const NOT_AFTER_TOKEN_CHAR = '(?<![A-Za-z0-9_-])';
const REPLACEMENTS = [
    // PEM private keys (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK), also inside string literals with \n escapes.
    {
        pattern: /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----[\s\S]{0,20000}?-----END \1PRIVATE KEY(?: BLOCK)?-----/g,
        replace: (_m, kind = '', block = '') => `-----BEGIN ${kind}PRIVATE KEY${block}-----${REDACTED}-----END ${kind}PRIVATE KEY${block}-----`,
    },
    // A block cut off before its END line (evidence is only the matched lines): the base64 body that follows goes.
    {
        pattern: /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----(?!«redacted»)(?:[A-Za-z0-9+/=:,\s-]|\\[nr])*/g,
        replace: (_m, kind = '', block = '') => `-----BEGIN ${kind}PRIVATE KEY${block}-----${REDACTED}`,
    },
    // JWTs: base64url JSON header ("eyJ" is `{"`), payload, optional signature.
    {
        pattern: new RegExp(`${NOT_AFTER_TOKEN_CHAR}eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*`, 'g'),
        replace: () => REDACTED,
    },
    // GitHub: classic and fine-grained personal access tokens, OAuth, user-to-server, server-to-server, refresh tokens.
    { pattern: /(?<![A-Za-z0-9_])(gh[pousr]_)[A-Za-z0-9]{30,255}(?![A-Za-z0-9_])/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    { pattern: /(?<![A-Za-z0-9_])(github_pat_)[A-Za-z0-9_]{22,255}/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    // GitLab personal access tokens, npm tokens.
    { pattern: /(?<![A-Za-z0-9_])(glpat-)[A-Za-z0-9_-]{20,}/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    { pattern: /(?<![A-Za-z0-9_])(npm_)[A-Za-z0-9]{36}(?![A-Za-z0-9])/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    // Anthropic before the generic sk- keys.
    { pattern: new RegExp(`${NOT_AFTER_TOKEN_CHAR}(sk-ant-)[A-Za-z0-9_-]{16,}`, 'g'), replace: (_m, p = '') => `${p}${REDACTED}` },
    // OpenAI-style keys (sk-…, sk-proj-…): long, mixing letters and digits (so kebab-case words after "sk-" are left alone).
    {
        pattern: new RegExp(`${NOT_AFTER_TOKEN_CHAR}(sk-)(?!ant-)(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}`, 'g'),
        replace: (_m, p = '') => `${p}${REDACTED}`,
    },
    // Stripe secret and restricted keys.
    { pattern: /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{16,}/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    // Slack bot, user, app-level, refresh and legacy tokens.
    { pattern: /(?<![A-Za-z0-9_])(xox[abeoprs]-)[A-Za-z0-9-]{10,}/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    // Google API keys.
    { pattern: /(?<![A-Za-z0-9_])(AIza)[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    // AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
    { pattern: /(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA))[A-Z0-9]{16}(?![A-Z0-9])/g, replace: (_m, p = '') => `${p}${REDACTED}` },
    // AWS secret access keys: 40 base64 characters assigned to a name that says so, quoted or not (.env, ini, YAML, code).
    {
        pattern: /((?:aws_?secret_?(?:access_?)?key|secret_?access_?key)["']?\s*(?::=|=>|[:=])\s*["'`]?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
        replace: (_m, head = '') => `${head}${REDACTED}`,
    },
    // AWS secret access keys named in prose or space-separated ("the AWS secret key is …"): 40 base64 characters mixing cases.
    {
        pattern: /((?:aws|secret)[\w .-]{0,30}?(?:key|secret)\b[\w .:="'`-]{0,20}?)(?<![A-Za-z0-9/+])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
        replace: (_m, head = '') => `${head}${REDACTED}`,
    },
    // Credentials inside URLs: scheme://user:password@host.
    {
        pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@"'`]{1,256}:)([^\s@/"'`]{1,256})(@)/gi,
        replace: (m, head = '', password = '', at = '') => (password === REDACTED ? m : `${head}${REDACTED}${at}`),
    },
    // Authorization header values.
    {
        pattern: /\b(Bearer|Basic)(\s+)([A-Za-z0-9._~+/-]{16,}=*)/g,
        replace: (m, scheme = '', space = '', value = '') => /[0-9=]/.test(value) || looksRandom(value) ? `${scheme}${space}${REDACTED}` : m,
    },
];
/** The last word of a name, split at `_ - . $` and camelCase: `dbPassword` → password, `API_KEY` → key (after api). */
function nameWords(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .split(/[\s_.$-]+/)
        .filter((w) => w.length > 0)
        .map((w) => w.toLowerCase());
}
const CREDENTIAL_WORDS = new Set([
    'password',
    'passwd',
    'pwd',
    'passphrase',
    'secret',
    'token',
    'apikey',
    'auth',
    'authorization',
    'credential',
    'credentials',
]);
/** `key` alone is too common (`sortKey`); it counts after one of these. */
const KEY_QUALIFIERS = new Set(['api', 'private', 'secret', 'access', 'signing', 'encryption', 'client', 'master', 'auth']);
/** Whether a variable, property or key name says that its value is a credential. */
function isCredentialName(name) {
    const words = nameWords(name);
    const last = words[words.length - 1];
    if (last === undefined)
        return false;
    if (CREDENTIAL_WORDS.has(last))
        return true;
    const previous = words[words.length - 2];
    return last === 'key' && previous !== undefined && KEY_QUALIFIERS.has(previous);
}
// name (optionally quoted) = / : / := / => then a string literal. The name is checked by isCredentialName.
// A type annotation may sit between the name and `=` (`private apiKey: string = "…"`, `TOKEN: Final = "…"`).
const QUOTED_ASSIGNMENT = /(?<![\w$.-])(["'`]?)([A-Za-z_$][\w$.-]*)\1((?:\s*:\s*[A-Za-z_$][\w$.<>[\]| ]*?)?\s*(?::=|=>|\?\?=|\|\|=|!==?|={1,3}|:)\s*)([rbuRBUfF]{0,2})(["'`])((?:\\.|(?!\5)[^\\\n])+)\5/g;
// Unquoted values (.env, ini, YAML) only on a line of their own, and only when they look random (not an identifier or a call).
// Every pattern here must stay linear: evidence can be a 2 MB minified line.
const UNQUOTED_ASSIGNMENT = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][\w.-]*)([ \t]*[:=][ \t]*)([^\s"'`(){}[\];,<>#][^\s"'`(){}[\];,<>]{7,})((?:[ \t]+#[^\r\n]*)?[ \t]*\r?)$/gm;
function shannonBits(value) {
    const counts = new Map();
    for (const ch of value)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let bits = 0;
    for (const count of counts.values()) {
        const p = count / value.length;
        bits -= p * Math.log2(p);
    }
    return bits;
}
function looksRandom(value) {
    if (value.includes(REDACTED))
        return false;
    // references, not values: $VAR, ${{ secrets.X }}, process.env.X, a.b.c
    if (/^[$%{]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value))
        return false;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
    return classes >= 3 || (value.length >= 20 && shannonBits(value) >= 3.5);
}
/** Whether any word of a name says credential (`SECRET_KEY_BASE`, `DB_PASSWORD_PROD`, `signingSecretV2`), not only the last. */
function mentionsCredential(name) {
    const words = nameWords(name);
    return words.some((word, i) => (CREDENTIAL_WORDS.has(word) && word !== 'auth' && word !== 'authorization') ||
        (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1] ?? '')));
}
/** A token-shaped value that is unlikely to be a word or an identifier: mixed letters and digits, or high entropy over 20 characters. */
function looksHighEntropy(value) {
    if (value.includes(REDACTED) || value.length < 16 || value.includes('://'))
        return false;
    const alnumClasses = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
    if (alnumClasses < 2)
        return false;
    return looksRandom(value) || shannonBits(value) >= 3.5;
}
// name = value, quoted or not, anywhere on a line: the value is a single token of 16 to 512 characters.
const GENERIC_ASSIGNMENT = /(?<![\w$.-])(["'`]?)([A-Za-z_$][\w$.-]*)\1(\s*(?::=|=>|=|:)\s*)(["'`]?)([A-Za-z0-9+/=_.~-]{16,512})\4(?![A-Za-z0-9+/=_.~-])/g;
/** Replaces secrets in `text` with `«redacted»`, keeping token prefixes and the names credentials are assigned to. */
function redactSecrets(text) {
    let out = text;
    for (const { pattern, replace } of REPLACEMENTS)
        out = out.replace(pattern, replace);
    out = out.replace(QUOTED_ASSIGNMENT, (match, quote, name, op, prefix, q, value) => isCredentialName(name) && value !== REDACTED ? `${quote}${name}${quote}${op}${prefix}${q}${REDACTED}${q}` : match);
    out = out.replace(UNQUOTED_ASSIGNMENT, (match, lead, name, op, value, trail) => isCredentialName(name) && looksRandom(value) ? `${lead}${name}${op}${REDACTED}${trail}` : match);
    // Generic high-entropy assignments: a name that mentions a credential anywhere, a value that looks generated.
    out = out.replace(GENERIC_ASSIGNMENT, (match, quote, name, op, q, value) => mentionsCredential(name) && looksHighEntropy(value) ? `${quote}${name}${quote}${op}${q}${REDACTED}${q}` : match);
    return out;
}
/** A value shaped like a generated secret whatever its name: letters and digits mixed, no spaces, random-looking. */
function looksLikeGeneratedSecret(value) {
    if (value.length < 20 || value.includes(REDACTED) || value.includes('://'))
        return false;
    // A path or a dotted name (`src/app/main.ts`, `com.example.Service`) is not a secret.
    if (/^[./]|\/[a-z]+\//.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value))
        return false;
    // Digits scattered through letters (`Zx8Qm2Lp9…`, base64, hex), not an identifier's trailing version number (`handlerV2`).
    const digitRuns = value.match(/[0-9]+/g)?.length ?? 0;
    const bits = shannonBits(value);
    if (digitRuns >= 2 && /[A-Za-z]/.test(value))
        return bits >= 3.5 && looksHighEntropy(value);
    // Without digits only long, mixed-case, separator-free and very random strings (identifiers have words, hence lower entropy).
    return value.length >= 32 && /[a-z]/.test(value) && /[A-Z]/.test(value) && !/[_.-]/.test(value) && bits >= 4.2;
}
// A string literal holding one token: what code passes to a client whatever the variable is called.
const QUOTED_TOKEN = /(["'`])([A-Za-z0-9+/=_.~-]{20,512})\1/g;
/**
 * Redaction for what goes to a model (Claude, the local model): `redactSecrets`, and also values that look like generated secrets
 * by their shape alone, whatever name they are assigned to (`key: '…'`, a literal passed to a call). Stricter than `redactSecrets`
 * (a high-entropy test constant goes too): a model needs the code's structure, never a credential's value.
 */
function redactForModel(text) {
    const out = redactSecrets(text).replace(GENERIC_ASSIGNMENT, (match, quote, name, op, q, value) => looksLikeGeneratedSecret(value) ? `${quote}${name}${quote}${op}${q}${REDACTED}${q}` : match);
    return out.replace(QUOTED_TOKEN, (match, q, value) => (looksLikeGeneratedSecret(value) ? `${q}${REDACTED}${q}` : match));
}

export { REDACTED as R, redactSecrets as a, isCredentialName as i, redactForModel as r };
