/**
 * Secrets and insecure settings by sink, through the scanner with the real built-in pack: the rule fires where the sink makes the
 * credential certain (values the name-only filter drops), the literal never reaches the evidence, the message or the fix, and the
 * same code under test/ is left out and counted (in-tests: skip).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAstGrepScan } from '../src/scanners/ast-grep/scan.js';
import { RecordingLogger } from './support/recording-logger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AST_GREP = join(ROOT, 'node_modules', '@ast-grep', 'cli', 'ast-grep');
const RULES = join(ROOT, 'rules');

/** Synthetic key material: the shape of a PEM key, not a key. */
const PEM_BODY = 'MIIEowIBAAKCAQEAsyntheticNotARealKeyAbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

const JS_APP = [
  "const jwt = require('jsonwebtoken');",
  "const token = jwt.sign({ sub: user.id }, 'jwt-signing-value-1', { expiresIn: '1h' });",
  "app.use(session({ secret: 'keyboard cat', resave: false, cookie: { secure: false, httpOnly: false } }));",
  "app.use(cookieParser('cookie-parser-value-2'));",
  "const mac = crypto.createHmac('sha256', 'hmac-value-3').update(body).digest('hex');",
  'const jwtSecret = "snake_case_value_4";',
  'const cryptoKey = "a1b2c3d4e5f6a7b8c9";',
  `const serverKey = "-----BEGIN RSA PRIVATE KEY-----\\n${PEM_BODY}\\n-----END RSA PRIVATE KEY-----";`,
  '',
].join('\n');

const PY_SETTINGS = [
  'import jwt',
  "SECRET_KEY = 'django-settings-value-5'",
  'DEBUG = True',
  "ALLOWED_HOSTS = ['*']",
  'SESSION_COOKIE_SECURE = False',
  'CSRF_COOKIE_HTTPONLY = False',
  "INSTALLED_APPS = ['shop']",
  "token = jwt.encode(payload, 'py-jwt-value-6', algorithm='HS256')",
  "sig = hmac.new(b'py-hmac-value-7', body, 'sha256')",
  "app.secret_key = 'flask secret value 8'",
  "app.config['DEBUG'] = True",
  '',
].join('\n');

const SECRET_VALUES = [
  'jwt-signing-value-1',
  'keyboard cat',
  'cookie-parser-value-2',
  'hmac-value-3',
  'snake_case_value_4',
  'a1b2c3d4e5f6a7b8c9',
  PEM_BODY,
  'django-settings-value-5',
  'py-jwt-value-6',
  'py-hmac-value-7',
  'flask secret value 8',
  'env-jwt-value-9',
  'env-stripe-value-10',
];

describe('secrets and settings by sink (real pack)', () => {
  let scratch = '';
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'secret-rules-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  test('each sink is reported once, secrets are redacted everywhere, test copies are skipped and counted', async () => {
    const files: Record<string, string> = {
      'src/server.ts': JS_APP,
      'shop/settings.py': PY_SETTINGS,
      'test/server.ts': JS_APP,
      'tests/test_settings.py': PY_SETTINGS,
      'deploy/server.pem': `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}\n-----END EC PRIVATE KEY-----\n`,
      'config/app.yml': `tls:\n  cert: cert.pem\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    ${PEM_BODY}\n    -----END PRIVATE KEY-----\n`,
      'test/fixtures/key.pem': `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`,
      'docs/tls.md': 'Keys start with -----BEGIN CERTIFICATE----- and public keys with -----BEGIN PUBLIC KEY-----.\n',
      '.env': [
        'PORT=3000',
        'JWT_SECRET=env-jwt-value-9',
        'DB_PASSWORD=${DB_PASSWORD}',
        'TOKEN_EXPIRES_IN=3600',
        'SESSION_SECRET=<set me>',
        'export STRIPE_API_KEY="env-stripe-value-10" # live',
        'PASSWORD_MIN_LENGTH=8',
        '',
      ].join('\n'),
      '.env.example': 'JWT_SECRET=env-example-value-11\n',
    };
    const work = join(scratch, 'work');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    const { report } = await runAstGrepScan({
      binary: AST_GREP,
      workDir: work,
      files: Object.keys(files),
      builtinRulesDir: RULES,
      extraRuleSources: [],
      logger: new RecordingLogger(),
      tempDir: scratch,
    });
    assert.equal(report.status, 'ok', report.reason);
    const seen = report.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId} ${f.severity}`);
    const app = seen.filter((line) => !line.startsWith('test'));
    assert.deepEqual(app, [
      '.env:2 any/env-file-secret medium',
      '.env:6 any/env-file-secret medium',
      'config/app.yml:4 any/private-key-file high',
      'deploy/server.pem:1 any/private-key-file high',
      'shop/settings.py:2 py/hardcoded-secret-key high',
      'shop/settings.py:3 py/django-debug-enabled medium',
      'shop/settings.py:4 py/django-allowed-hosts-wildcard medium',
      'shop/settings.py:5 py/cookie-without-secure medium',
      'shop/settings.py:6 py/cookie-without-httponly medium',
      'shop/settings.py:8 py/hardcoded-jwt-secret high',
      'shop/settings.py:9 py/hardcoded-crypto-key high',
      'shop/settings.py:10 py/hardcoded-secret-key high',
      'shop/settings.py:11 py/flask-debug-config medium',
      'src/server.ts:2 js/hardcoded-jwt-secret high',
      'src/server.ts:3 js/hardcoded-session-secret high',
      'src/server.ts:3 js/cookie-without-secure medium',
      'src/server.ts:3 js/cookie-without-httponly medium',
      'src/server.ts:4 js/hardcoded-session-secret high',
      'src/server.ts:5 js/hardcoded-crypto-key high',
      'src/server.ts:6 js/hardcoded-credential high',
      'src/server.ts:7 js/hardcoded-credential high',
      'src/server.ts:8 js/private-key-literal high',
    ]);
    // Nothing is left in test code: every rule here says in-tests: skip (the Flask debug flag too: tests turn it on on purpose).
    assert.deepEqual(
      seen.filter((line) => line.startsWith('test')),
      [],
    );
    assert.equal(report.notices?.length, 1);
    assert.match(report.notices?.[0] ?? '', /py\/flask-debug-config 1\b/);
    assert.match(report.notices?.[0] ?? '', /^ast-grep: 19 finding\(s\) in test or example code were not reported \(their rules say in-tests: skip\): /);
    assert.match(report.notices?.[0] ?? '', /js\/hardcoded-session-secret 2\b/);

    for (const finding of report.findings) {
      const shown = JSON.stringify([finding.message, finding.evidence, finding.fix ?? null]);
      for (const value of SECRET_VALUES) assert.ok(!shown.includes(value), `${finding.ruleId} shows ${value}: ${shown}`);
    }
    const keyFile = report.findings.find((f) => f.path === 'config/app.yml');
    assert.equal(keyFile?.evidence, '-----BEGIN PRIVATE KEY-----');
    assert.equal(keyFile?.startColumn, 5);
    const jwtFinding = report.findings.find((f) => f.ruleId === 'js/hardcoded-jwt-secret');
    assert.match(jwtFinding?.evidence ?? '', /jwt\.sign\(\{ sub: user\.id \}, '«redacted»', \{ expiresIn: '1h' \}\)/);
  });
});
