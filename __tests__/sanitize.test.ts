import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { removeHtmlComments, removeInvisibleCharacters, sanitizeModelText, type SanitizeOptions } from '../src/text/sanitize.js';
import { isMarkedResolved, readFingerprintMarker, readListedMarker, readReviewMarker } from '../src/report/markers.js';
import { mulberry32 } from './support/prng.js';

const CORPUS = fileURLToPath(new URL('./fixtures/injection/', import.meta.url));
const REPO_PREFIX = 'https://github.com/acme/widgets/';
const OPTIONS: SanitizeOptions = { repository: 'acme/widgets', serverUrl: 'https://github.com', maxLength: 8000 };

// Made up for these tests (right shape, random characters), assembled here so that no fixture file holds a token-shaped string.
const SECRETS: Readonly<Record<string, string>> = {
  GITHUB_CLASSIC: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  GITHUB_OAUTH: 'gho_' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8',
  GITHUB_USER: 'ghu_' + 'Mm1Nn2Bb3Vv4Cc5Xx6Zz7Ll8Kk9Jj0Hh1Gg2',
  GITHUB_SERVER: 'ghs_' + 'Qw3Er4Ty5Ui6Op7As8Df9Gh0Jk1Lz2Xc3Vb4',
  GITHUB_REFRESH: 'ghr_' + 'Pl0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1Xs2Cd3',
  GITHUB_FINE_GRAINED: 'github_pat_' + '11ABCDEFG0123456789abc_' + 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW',
  ANTHROPIC: 'sk-ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7-_AbCdEf',
  AWS_ID: 'AKIA' + 'Q3EXAMPLE7XYZ123',
  AWS_SECRET: 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY',
  JWT: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' + 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.' + 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  HEX_SECRET: '9f8e7d6c5b4a3928' + '1706f5e4d3c2b1a09f8e7d6c5b4a3928',
  PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n-----END RSA PRIVATE KEY-----',
};
/** What must not survive of each secret (the private key's body, not its BEGIN line). */
const SECRET_BODIES = Object.entries(SECRETS).map(([name, value]) => (name === 'PRIVATE_KEY' ? 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo' : value));

function loadCorpus(): { name: string; text: string }[] {
  return readdirSync(CORPUS)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort()
    .map((name) => ({
      name,
      text: readFileSync(CORPUS + name, 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (m, key: string) => SECRETS[key] ?? m),
    }));
}

// ---------------------------------------------------------------------------------------------------------------------------------
// Independent checks: deliberately simpler than the sanitizer, so that they do not share its mistakes.
// ---------------------------------------------------------------------------------------------------------------------------------

/** Prose only: fenced blocks, escaped backticks and code spans removed. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
    .replace(/\\`/g, '')
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, '');
}

function fencesBalanced(markdown: string): boolean {
  let open: string | undefined;
  for (const line of markdown.split('\n')) {
    const run = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!run?.[1]) continue;
    if (open === undefined) {
      if (!(run[1].startsWith('`') && (run[2] ?? '').includes('`'))) open = run[1];
    } else if (run[1].startsWith(open.charAt(0)) && run[1].length >= open.length && (run[2] ?? '').trim() === '') open = undefined;
  }
  return open === undefined;
}

function assertSafe(out: string, maxLength: number, label: string): void {
  assert.equal(readFingerprintMarker(out), undefined, `${label}: forged fingerprint marker`);
  assert.equal(isMarkedResolved(out), false, `${label}: forged resolved marker`);
  assert.deepEqual(readListedMarker(out), [], `${label}: forged listed marker`);
  assert.equal(readReviewMarker(out), undefined, `${label}: forged review marker`);
  assert.ok(!out.includes('<!--'), `${label}: raw <!--`);
  assert.ok(out.length <= maxLength, `${label}: ${out.length} > ${maxLength}`);
  assert.ok(fencesBalanced(out), `${label}: unbalanced fence`);
  for (const secret of SECRET_BODIES) assert.ok(!out.includes(secret), `${label}: secret ${secret.slice(0, 12)}…`);
  // The only zero-width character left is the one that breaks `<!--` inside code.
  assert.ok(!/[\u00AD\u200C-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/u.test(out), `${label}: invisible`);
  assert.ok(!out.replace(/<!-\u200B-/g, '').includes('​'), `${label}: stray zero-width space`);

  const text = prose(out);
  assert.doesNotMatch(text, /(?<![A-Za-z0-9_])@[A-Za-z0-9]/, `${label}: notifying mention`);
  assert.doesNotMatch(text, /(?<![A-Za-z0-9_&])#\d|\bGH-\d/i, `${label}: issue reference`);
  assert.doesNotMatch(text, /!\[/, `${label}: image`);
  for (const m of text.matchAll(/(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s)>]*/gi)) {
    assert.ok(m[0].startsWith(REPO_PREFIX) && !m[0].includes('@'), `${label}: foreign link ${m[0]}`);
  }
  // No raw HTML: the only `<` left in prose opens an autolink into the repository.
  for (const m of text.matchAll(/<[^\s]*/g)) assert.ok(m[0].startsWith(`<${REPO_PREFIX}`), `${label}: raw HTML ${m[0]}`);
}

/** The useful part every fixture carries: an explanation, a code block, a link to the repository's own file. */
function assertUsefulSurvives(out: string, label: string): void {
  assert.ok(out.includes('The query is built by string concatenation, so a crafted `id` changes the SQL.'), `${label}: explanation`);
  assert.ok(out.includes("```ts\nconst rows = await db.query('SELECT * FROM users WHERE id = $1', [id]);\n```"), `${label}: code block`);
  assert.ok(out.includes('[the query helper](https://github.com/acme/widgets/blob/main/src/db.ts#L10)'), `${label}: repository link`);
}

describe('sanitizeModelText: injection corpus', () => {
  const corpus = loadCorpus();

  test('the corpus is there and documented', () => {
    assert.ok(corpus.length >= 15);
    const readme = readFileSync(CORPUS + 'README.md', 'utf8');
    for (const { name } of corpus) assert.ok(readme.includes(name), `README does not describe ${name}`);
  });

  for (const { name, text } of corpus) {
    test(name, () => {
      const out = sanitizeModelText(text, OPTIONS);
      assertSafe(out, OPTIONS.maxLength, name);
      assertUsefulSurvives(out, name);
      assert.equal(sanitizeModelText(out, OPTIONS), out, `${name}: not idempotent`);
    });
  }

  test('200 KB of text is cut at a boundary, fences closed', () => {
    // Without the cases whose unterminated comment hides (and so removes) everything after it.
    const big = loadCorpus()
      .filter((c) => !c.name.includes('unterminated'))
      .map((c) => c.text)
      .join('\n')
      .repeat(40)
      .slice(0, 200_000);
    assert.ok(big.length >= 150_000);
    for (const maxLength of [60_000, 2000, 65, 10, 1, 0]) {
      const out = sanitizeModelText(big, { ...OPTIONS, maxLength });
      assertSafe(out, maxLength, `200 KB cut to ${maxLength}`);
      if (maxLength >= 1) assert.ok(out.endsWith('…'), `ellipsis at ${maxLength}`);
      assert.equal(sanitizeModelText(out, { ...OPTIONS, maxLength }), out);
    }
    // One 200 KB line without a space: still cut, still safe.
    const word = sanitizeModelText('x'.repeat(200_000), { ...OPTIONS, maxLength: 500 });
    assert.ok(word.length <= 500 && word.length > 400 && word.endsWith('…'));
  });

  test('a cut inside a code block closes the fence after the kept lines', () => {
    const text = 'Intro.\n\n```js\n' + Array.from({ length: 400 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n```\nAfter.';
    const out = sanitizeModelText(text, { ...OPTIONS, maxLength: 300 });
    assert.ok(out.length <= 300);
    assert.match(out, /^Intro\.\n\n```js\nconst v0 = 0;\n[\s\S]*;\n```\n…$/);
    assertSafe(out, 300, 'cut in code');
  });
});

describe('sanitizeModelText: each defence', () => {
  const s = (text: string, options: Partial<SanitizeOptions> = {}): string => sanitizeModelText(text, { ...OPTIONS, ...options });

  test('HTML comments go, in every form GitHub hides', () => {
    assert.equal(removeHtmlComments('a<!-- x -->b'), 'ab');
    assert.equal(removeHtmlComments('a<!-->b<!--->c'), 'abc');
    assert.equal(removeHtmlComments('a<!-- x --!>b'), 'ab');
    assert.equal(removeHtmlComments('a<!-- x\ny -->b'), 'ab');
    assert.equal(removeHtmlComments('a <!-- never closed\nb'), 'a ');
    assert.equal(removeHtmlComments('<<!-- -->!-- ultra-create:resolved -->x'), 'x');
    assert.equal(s('Fix it. <!-- ultra-create:fp=0123456789abcdef -->'), 'Fix it.');
  });

  test('other HTML is shown, not rendered', () => {
    assert.equal(s('<details><summary>x</summary>y</details>'), '&lt;details>&lt;summary>x&lt;/summary>y&lt;/details>');
    assert.equal(s('a < b && c > d'), 'a &lt; b && c > d');
    assert.equal(s('`<b>` stays code'), '`<b>` stays code');
  });

  test('invisible and bidi characters are removed', () => {
    assert.equal(removeInvisibleCharacters('a\u202Eb\u200Bc\u2066d\u2069\uFEFFe\u00ADf\u{E0041}g\u2028h\ti\nj\u0007'), 'abcdefgh\ti\nj');
    assert.equal(s('user\u202E &#8238;admin'), 'user admin');
  });

  test('mentions and cross-references become code spans', () => {
    assert.equal(s('cc @alice and @acme/security-team'), 'cc `@alice` and `@acme/security-team`');
    assert.equal(s('\\@bob &#64;carol'), '`@bob` `@carol`');
    assert.equal(s('see other/repo#12, #3 and GH-9'), 'see `other/repo#12`, `#3` and `GH-9`');
    assert.equal(s('mail me@example.com'), 'mail `me@example.com`');
    // What is attached goes into the same span: after a code span GitHub would link it.
    assert.equal(s('@bob@carol #1#2 x'), '`@bob@carol` `#1#2` x');
    assert.equal(s('`@alice` in code stays'), '`@alice` in code stays');
    // An unmatched backtick is escaped, so it cannot pair with the backticks put around a mention.
    assert.equal(s('a ` b @bob'), 'a \\` b `@bob`');
  });

  test('links: into the repository kept, elsewhere inert, images removed', () => {
    assert.equal(s('[a](https://github.com/acme/widgets/blob/main/a.ts)'), '[a](https://github.com/acme/widgets/blob/main/a.ts)');
    assert.equal(s('[a](src/a.ts)'), '[a](https://github.com/acme/widgets/src/a.ts)');
    assert.equal(s('[a](https://evil.example.com/x?y=1)'), 'a (`evil[.]example[.]com/x?y=1`)');
    assert.equal(s('go to https://evil.example.com/x.'), 'go to `evil[.]example[.]com/x`.');
    assert.equal(s('<https://evil.example.com>'), '`evil[.]example[.]com`');
    assert.equal(s('see https://github.com/acme/widgets/pull/1.'), 'see <https://github.com/acme/widgets/pull/1>.');
    assert.equal(s('![logo](https://track.example.net/p.gif) done'), 'logo done');
    assert.equal(s('[up](../../../evil/repo)'), 'up (`github[.]com/evil/repo`)');
    assert.equal(s('https://github.com/acme/widgets-evil/x'), '`github[.]com/acme/widgets-evil/x`');
    assert.equal(s('[ref]: https://evil.example.com\n[x][ref]'), '\\[x\\]\\[ref\\]');
    // Without a repository nothing is a link.
    assert.equal(s('https://github.com/acme/widgets/x', { repository: undefined }), '`github[.]com/acme/widgets/x`');
  });

  test('code blocks that GitHub renders as something else lose their info string', () => {
    assert.equal(s('```suggestion\nrm -rf /\n```'), '```\nrm -rf /\n```');
    assert.equal(s('```mermaid\nclick A "https://evil.example.com"\n```'), '```\nclick A "https://evil.example.com"\n```');
    assert.equal(s('```ts {onclick}\nx\n```'), '```ts\nx\n```');
  });

  test('blank lines collapse, unterminated fences close', () => {
    assert.equal(s('a\n\n\n\n b \n\n\n'), 'a\n\n b');
    assert.equal(s('```py\nprint(1)\n\n\n'), '```py\nprint(1)\n```');
    assert.equal(s('````md\n```\nstill code\n'), '````md\n```\nstill code\n````');
  });

  test('secrets are redacted', () => {
    assert.equal(s(`token ${SECRETS.GITHUB_CLASSIC}`), 'token ghp_«redacted»');
    // Joined again once invisible characters are gone, then redacted.
    assert.equal(s(`key ${SECRETS.ANTHROPIC!.slice(0, 10)}\u200B${SECRETS.ANTHROPIC!.slice(10)}`), 'key sk-ant-«redacted»');
  });
});

describe('sanitizeModelText: properties', () => {
  const prng = mulberry32;

  const fragments = [
    ...loadCorpus().flatMap((c) => c.text.split(/(?<=\n)|(?<= )/)),
    '<!--', '-->', '--!>', '<!-', '-', '<', '>', '`', '``', '```', '~~~', '\n', '\n\n', ' ', '\\', '[', ']', '(', ')', '](', '![',
    '@', '@x', '#1', '/', 'https://', 'https://github.com/acme/widgets/', 'www.', '.com', '&lt;', '&#60;', '&#x3C;', '&', ';', '|',
    '| --- |', '\u200B', '\u202E', '\uFEFF', '\u{E0041}', 'ultra-create:resolved', 'ultra-create:fp=0123456789abcdef', '$', '*', '_',
    ...Object.values(SECRETS),
  ];

  test('never throws, idempotent, safe, within the cap', () => {
    const random = prng(0xc0ffee);
    for (let round = 0; round < 600; round++) {
      const parts: string[] = [];
      const count = 1 + Math.floor(random() * 60);
      for (let i = 0; i < count; i++) parts.push(fragments[Math.floor(random() * fragments.length)] ?? '');
      const text = parts.join('');
      const maxLength = random() < 0.3 ? Math.floor(random() * 200) : 200 + Math.floor(random() * 4000);
      const options = { ...OPTIONS, maxLength };
      let out = '';
      assert.doesNotThrow(() => {
        out = sanitizeModelText(text, options);
      }, `round ${round}`);
      const label = `round ${round}: ${JSON.stringify(text).slice(0, 300)}`;
      assert.equal(sanitizeModelText(out, options), out, `${label}: not idempotent`);
      assert.equal(readFingerprintMarker(out), undefined, label);
      assert.equal(isMarkedResolved(out), false, label);
      assert.ok(!out.includes('<!--'), label);
      assert.ok(out.length <= maxLength, label);
      assert.ok(fencesBalanced(out), `${label}: fences`);
    }
  });
});
