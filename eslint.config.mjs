// Lint for the product's code: the recommended rules, and the type-aware ones that catch what tests
// rarely do (a promise nobody awaits, a promise where a callback's result is ignored, an assertion
// the types already make). `npm run lint` runs it with knip; `npm test` runs that first.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// node:test's and mocha's test functions return promises the runner itself awaits.
const testRunners = [
  { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
  { from: 'package', package: 'mocha', name: ['suite', 'test', 'suiteSetup', 'suiteTeardown', 'setup', 'teardown'] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'playground/**', 'test-results/**', 'bench-results/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Code the UI tests run inside the browser page (page.evaluate), next to the Node code that drives it.
    files: ['test/vscode/**/*.mjs', 'scripts/editor/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The flow view's script runs in the webview, a browser page.
    files: ['client/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: testRunners }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // The product matches control characters on purpose (one-line output, redaction, terminal progress).
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON documents (SARIF logs, OSV records) whose shape they assert field by field.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
