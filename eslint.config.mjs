// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = {
  name: 'vscode',
  message:
    'core, shared, cli and webview-ui stay free of the VS Code API: put editor glue in src/vscode.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-artifacts/**', '.vscode-test/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: [
                'describe',
                'it',
                'test',
                'suite',
                'before',
                'after',
                'beforeEach',
                'afterEach',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The architecture's main rule: core (and everything that is not the VS Code layer) never
    // imports vscode. The unit tests are a second guard: they load core in plain Node.
    files: [
      'src/core/**',
      'src/shared/**',
      'src/cli/**',
      'webview-ui/**',
      'test/unit/**',
      'test/cli/**',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode] }],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [noVscode] }],
    },
  },
  {
    // shared/ is compiled into the browser bundle too: no Node built-ins, no reaching into layers.
    files: ['src/shared/**', 'webview-ui/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            {
              group: ['node:*', 'fs', 'http', 'https', 'crypto', 'path', 'os'],
              message: 'Browser code: no Node built-ins.',
            },
            {
              group: ['**/core/**', '**/vscode/**', '**/cli/**'],
              message: 'The webview talks to the host only through src/shared/protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webview-ui/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Loaded by the desktop VS Code extension host as CommonJS, without a build step.
    files: ['test/electron/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
