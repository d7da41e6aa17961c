// @ts-check
// ESLint for the TypeScript sources, tests, benchmarks and scripts (not dist/). `npm run lint` runs it with --max-warnings 0,
// then the dependency guard (.dependency-cruiser.cjs): import cycles and layer directions are checked there, not here.
// Base: typescript-eslint's strict-type-checked + stylistic-type-checked (the type-aware sets; no formatting rules, and none
// is added). Where a rule is tuned below, the comment says why.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The test-report fixture project is data: another project's code in its runners' idioms (CommonJS, jest globals).
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.bench/', '__tests__/fixtures/test-reports/project/'] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Numbers in messages (`${count} findings`, line numbers, ports) are the common, harmless case: allow them. Still
      // refused: `undefined`/`null`, objects, `any`, booleans, which print "undefined" or "[object Object]" into a comment.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `() => resolve()` and `(m) => logger.debug(m)` are the idiomatic callback shape, and `if (bad) return send(res, 400)`
      // the idiomatic early exit of a handler typed `void`: neither can be mistaken for a value. Still reported: a void
      // call used as a value (`const x = log()`, `cond ? log() : 0`) or returned where a value is expected.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // `||` on strings and booleans is deliberate here: an empty input or environment variable means "unset" (Actions
      // passes unset inputs as ''). `??` is still required where a number or an object may be nullish.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true, boolean: true } }],
      // Not in the presets, kept because the code is built on status and severity unions: adding a member must break every
      // switch that forgot it (a `default` branch counts as handling it).
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // Not in the presets: `import type` says at the import line that only types cross (isolatedModules, and the
      // dependency guard counts those edges too). Auto-fixable.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Under noUncheckedIndexedAccess, `sorted[mid]!` after a bounds check or a binary search (and a Map read by a key the
      // code just put there) is the idiom; the alternative is an unreachable branch. Where a clean rewrite exists — pairs
      // instead of parallel indexes, destructuring, a const instead of a captured `let` — the code uses it instead.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // ICU loads on the first call of either (tens of milliseconds of every CLI run), and their output follows the machine's locale.
      'no-restricted-properties': [
        'error',
        { property: 'toLocaleString', message: 'Use formatCount from src/text/strings.ts (no ICU, the same output everywhere).' },
        { property: 'localeCompare', message: 'Use compareStrings from src/text/strings.ts (code-unit order, no ICU).' },
      ],
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself; awaiting them by hand is not the idiom.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      // `results[0]!.path` under noUncheckedIndexedAccess: a wrong assertion throws and fails the test, which is the point.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // assert.equal/ok are assertion functions: they narrow, and the rule then flags every defensive `?.` after them.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Fakes implement async interfaces (`async listContainers() { return [] }`): `async` keeps them honest to the type.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['bench/**/*.ts'],
    rules: {
      // Same reason as in tests: benchmarks index inputs they built themselves, and a wrong assertion just stops the run.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plain JavaScript (scripts/, this file, the guard's config): no type information, Node globals.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
