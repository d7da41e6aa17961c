import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isCredentialName, redactSecrets } from '../src/text/redact.js';

const R = '«redacted»';

// Every token below is made up for these tests (right shape, random characters); none was ever a real credential.
const GITHUB_CLASSIC = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const GITHUB_FINE_GRAINED = 'github_pat_' + '11ABCDEFG0123456789abc_' + 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW';
const ANTHROPIC = 'sk-ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7-_AbCdEf';
const OPENAI = 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6';
const AWS_ID = 'AKIA' + 'Q3EXAMPLE7XYZ123';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' + 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.' + 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const SLACK = 'xoxb-' + '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';

describe('redactSecrets: known token formats keep their prefix', () => {
  test('GitHub tokens, every kind', () => {
    assert.equal(redactSecrets(`token: ${GITHUB_CLASSIC}`), `token: ghp_${R}`);
    for (const prefix of ['gho_', 'ghu_', 'ghs_', 'ghr_']) {
      assert.equal(redactSecrets(`x ${prefix}${GITHUB_CLASSIC.slice(4)} y`), `x ${prefix}${R} y`);
    }
    assert.equal(redactSecrets(`GH=${GITHUB_FINE_GRAINED}`), `GH=github_pat_${R}`);
  });

  test('Anthropic and OpenAI-style keys', () => {
    assert.equal(redactSecrets(`new Anthropic({ apiKey: process.env.KEY ?? "${ANTHROPIC}" })`), `new Anthropic({ apiKey: process.env.KEY ?? "sk-ant-${R}" })`);
    assert.equal(redactSecrets(`openai.key=${OPENAI}`), `openai.key=sk-${R}`);
    assert.equal(redactSecrets('sk-' + 'T3BlbkFJ' + 'x8Yq2Lm4Np6Rs8Tu0Vw2'), `sk-${R}`);
  });

  test('AWS access key ids and secret keys in assignments', () => {
    assert.equal(redactSecrets(`aws_access_key_id = ${AWS_ID}`), `aws_access_key_id = AKIA${R}`);
    assert.equal(redactSecrets(`ASIA${AWS_ID.slice(4)}`), `ASIA${R}`);
    assert.equal(redactSecrets(`aws_secret_access_key = ${AWS_SECRET}`), `aws_secret_access_key = ${R}`);
    assert.equal(redactSecrets(`AWS_SECRET_ACCESS_KEY: "${AWS_SECRET}"`), `AWS_SECRET_ACCESS_KEY: "${R}"`);
    assert.equal(redactSecrets(`{ secretAccessKey: '${AWS_SECRET}' }`), `{ secretAccessKey: '${R}' }`);
  });

  test('private key blocks, whole or cut off, also inside string literals', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n-----END RSA PRIVATE KEY-----';
    assert.equal(redactSecrets(`key:\n${pem}\nnext`), `key:\n-----BEGIN RSA PRIVATE KEY-----${R}-----END RSA PRIVATE KEY-----\nnext`);
    assert.equal(
      redactSecrets('const k = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n";'),
      `const k = "-----BEGIN PRIVATE KEY-----${R}-----END PRIVATE KEY-----\\n";`,
    );
    assert.equal(
      redactSecrets('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9u\nZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUx'),
      `-----BEGIN OPENSSH PRIVATE KEY-----${R}`,
    );
    assert.equal(redactSecrets('-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----'), `-----BEGIN PGP PRIVATE KEY BLOCK-----${R}-----END PGP PRIVATE KEY BLOCK-----`);
  });

  test('JWTs, Slack tokens, bearer tokens, passwords in URLs', () => {
    assert.equal(redactSecrets(`const session = ${JWT};`), `const session = ${R};`);
    assert.equal(redactSecrets(`SLACK=${SLACK}`), `SLACK=xoxb-${R}`);
    assert.equal(redactSecrets('curl -H "Authorization: Bearer 4f9a1c2e7b3d5f8a0c6e"'), `curl -H "Authorization: Bearer ${R}"`);
    assert.equal(redactSecrets('DATABASE_URL=postgres://app:Xy7pQ2wz@db.internal:5432/app'), `DATABASE_URL=postgres://app:${R}@db.internal:5432/app`);
  });
});

describe('redactSecrets: values assigned to credential names', () => {
  test('any non-empty literal, in JS, TS, Python, Go, JSON and YAML; the name stays', () => {
    assert.equal(redactSecrets('const password = "changeme";'), `const password = "${R}";`);
    assert.equal(redactSecrets("db.config.dbPassword = 'hunter2'"), `db.config.dbPassword = '${R}'`);
    assert.equal(redactSecrets('private apiKey: string = "k-123";'), `private apiKey: string = "${R}";`);
    assert.equal(redactSecrets('API_KEY = "abc123"  # python'), `API_KEY = "${R}"  # python`);
    assert.equal(redactSecrets('client_secret := "s3cr3t"'), `client_secret := "${R}"`);
    assert.equal(redactSecrets('{"auth": "user:pass", "name": "x"}'), `{"auth": "${R}", "name": "x"}`);
    assert.equal(redactSecrets("  api-key: 'zzz'"), `  api-key: '${R}'`);
    assert.equal(redactSecrets('connect(user, password="pw")'), `connect(user, password="${R}")`);
    assert.equal(redactSecrets('if (token === "abc") {}'), `if (token === "${R}") {}`);
    assert.equal(redactSecrets('const secret = `x${y}`;'), `const secret = \`${R}\`;`);
  });

  test('unquoted values (.env, YAML) only when they look random', () => {
    assert.equal(redactSecrets('DB_PASSWORD=Zq8#kL2!pX'), `DB_PASSWORD=${R}`);
    assert.equal(redactSecrets('export GITLAB_TOKEN=h2Xk9Lq7Zp4Wm1Rt6Yv3'), `export GITLAB_TOKEN=${R}`);
    assert.equal(redactSecrets('password = userInput'), 'password = userInput');
    assert.equal(redactSecrets('token: ${{ secrets.TOKEN }}'), 'token: ${{ secrets.TOKEN }}');
    assert.equal(redactSecrets('password = self.settings.password'), 'password = self.settings.password');
  });

  test('isCredentialName reads the last word of the name', () => {
    for (const name of ['password', 'DB_PASSWORD', 'dbPassword', 'apiKey', 'API_KEY', 'x-api-key', 'client_secret', 'authToken', 'auth', 'privateKey', 'this.secret']) {
      assert.ok(isCredentialName(name), name);
    }
    for (const name of ['author', 'sortKey', 'tokenizer', 'token_type', 'passwordMinLength', 'secretName', 'key', 'monkey', 'oauthProvider']) {
      assert.ok(!isCredentialName(name), name);
    }
  });
});

describe('redactSecrets: generic high-entropy assignments and secrets in prose', () => {
  test('a name that mentions a credential anywhere, with a generated-looking value', () => {
    const hex = '9f8e7d6c5b4a3928' + '1706f5e4d3c2b1a09f8e7d6c5b4a3928';
    const mixed = 'Tq3VxW9yZ1aB4cD6' + 'eF8gH0jK2mN5pR7s';
    assert.equal(redactSecrets(`SECRET_KEY_BASE=${hex}`), `SECRET_KEY_BASE=${R}`);
    assert.equal(redactSecrets(`STRIPE_SIGNING_SECRET_V2: whsec_${mixed}`), `STRIPE_SIGNING_SECRET_V2: ${R}`);
    assert.equal(redactSecrets(`encryption_key_material = "${mixed}"`), `encryption_key_material = "${R}"`);
    assert.equal(redactSecrets(`{"client_secret_value": "${mixed}", "x": 1}`), `{"client_secret_value": "${R}", "x": 1}`);
    assert.equal(redactSecrets(`see token_store_path=${mixed} here`), `see token_store_path=${R} here`);
  });

  test('an AWS secret access key named in prose', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';
    assert.equal(redactSecrets(`The AWS secret key is ${secret}.`), `The AWS secret key is ${R}.`);
    assert.equal(redactSecrets(`aws_secret_key ${secret}`), `aws_secret_key ${R}`);
  });

  test('what only looks like one stays', () => {
    const unchanged = [
      'secret_name = "my_secret_name_for_prod"',
      'token_type: Bearer',
      'passwordMinLength = 12',
      'auth_url = "https://login.example.com/oauth2/v2.0/authorize"',
      'cache_key = "3f786850e387550fdab836ed7e6dc881de23001b"',
      'The secret key is rotated every 90 days by the 3f786850e387550fdab836ed7e6dc881de23001b job.',
    ];
    for (const text of unchanged) assert.equal(redactSecrets(text), text, text);
  });
});

describe('redactSecrets: what is not a secret stays', () => {
  test('git shas, UUIDs, hashes, ordinary code and text', () => {
    const unchanged = [
      'commit 3f786850e387550fdab836ed7e6dc881de23001b',
      'const id = "123e4567-e89b-12d3-a456-426614174000";',
      'sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
      'const author = "Jane Doe";',
      'const password = "";',
      "const token = '';",
      'password = getPassword()',
      'const tokenizer = "wordpiece";',
      'class="task-manager-component-wrapper"',
      'const desk = "sk-short";',
      'AKIA1234', // too short for an access key id
      'See https://example.com/docs for details.',
      'Basic authentication is disabled.',
      'import { sign } from "jsonwebtoken"; // eyJ is the start of a JWT header',
      'x = "eyJhbGciOiJIUzI1NiJ9"', // one segment is not a JWT
      'let secretName = "prod-db";',
    ];
    for (const text of unchanged) assert.equal(redactSecrets(text), text, text);
  });

  test('deterministic and idempotent, so fingerprints of redacted evidence are stable', () => {
    const text = [
      `const password = "hunter2"; const t = "${GITHUB_CLASSIC}";`,
      `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n`,
      `jwt=${JWT} ${AWS_ID} ${SLACK} ${ANTHROPIC} ${OPENAI}`,
      'DB_PASSWORD=Zq8#kL2!pX',
    ].join('\n');
    const once = redactSecrets(text);
    assert.equal(redactSecrets(text), once);
    assert.equal(redactSecrets(once), once);
    for (const secret of [GITHUB_CLASSIC, 'hunter2', JWT, AWS_ID, SLACK, ANTHROPIC, OPENAI, 'Zq8#kL2!pX', 'MHcCAQEEIIrYSSNQ']) {
      assert.ok(!once.includes(secret), secret);
    }
  });
});
