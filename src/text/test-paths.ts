/**
 * The one definition of "test code" for JavaScript, TypeScript and Python, used wherever a rule's `metadata.in-tests` decides what
 * happens to a finding. It looks at the path only (repository-relative, forward slashes): a test folder anywhere in the path, or a
 * file named as test runners name tests. Kept narrow on purpose: a false "test" hides a real finding in application code, so
 * `src/contest.ts`, `latest/`, `testimonials.py`, `attestation.js` and `testing/` (Python packages ship test helpers there as
 * library code) are not tests.
 *
 * Example code counts as test code. A project's examples, the code of its tutorials (FastAPI's `docs_src/`), the project
 * skeleton a `startproject` command copies (`project_template/`) and Storybook stories (`*.stories.tsx`) show how to use the
 * project; none of it is what the project deploys, and it carries the same demo secrets (`secret: 'keyboard cat'`), fake users
 * and local-only settings tests do. The same narrowness applies: only folders by those exact names, never `docs/` (documentation
 * sites ship their own code), `demo/` (often a deployed showcase) or `public/` (served assets), and a file named `example.py` or
 * `src/examples.ts` is application code: only a folder makes the code around it an example.
 */

/** Folder names that hold tests, fixtures and mocks by the conventions of jest, vitest, mocha, node:test, pytest and unittest. */
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__', '__mocks__', '__fixtures__', 'fixtures', 'spec', 'specs', 'e2e']);

/** Folder names that hold example code: examples, tutorial code (`docs_src`) and project skeletons (`project_template`). */
const EXAMPLE_FOLDERS = new Set(['examples', 'example', 'docs_src', 'samples', 'sample', 'project_template']);

/** `x.test.ts`, `x.spec.mjs`, `x.e2e-spec.ts`, `x.test-d.ts` (type tests), and a bare `test.js` / `spec.ts` (jest's default testMatch). */
const JS_TEST_NAME = /(^|\.)(test|spec|e2e-spec|e2e|test-d)\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$/;

/** Storybook's story files (`Button.stories.tsx`, `colors.stories.mjs`): component examples rendered in the Storybook UI. */
const STORY_NAME = /\.stories\.(js|jsx|mjs|ts|tsx)$/;

/** pytest's default discovery (`test_*.py`, `*_test.py`), Django's `tests.py` and pytest's `conftest.py`. */
const PY_TEST_NAME = /^(test_[^/]*|[^/]*_test|tests|conftest)\.py$/;

/** True when `path` is test code (or a fixture or mock of it) or example code in JavaScript, TypeScript or Python. */
export function isTestPath(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/').filter((part) => part.length > 0 && part !== '.');
  const name = parts.pop();
  if (name === undefined) return false;
  if (parts.some((folder) => TEST_FOLDERS.has(folder) || EXAMPLE_FOLDERS.has(folder))) return true;
  return JS_TEST_NAME.test(name) || PY_TEST_NAME.test(name) || STORY_NAME.test(name);
}
