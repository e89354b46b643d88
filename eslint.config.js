// Lints every TypeScript and JavaScript file with type information, so an un-awaited promise in the reconciler is an error, not a silent race.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'cdk.out/', 'tmp/', 'test/infra/.tmp-entries-*/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        // One TypeScript program (tsconfig.json) for everything it includes; the few files outside it
        // (the build script, the CLI launcher, this file) get a default program of their own.
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'scripts/*.mjs', 'scripts/*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The rules this configuration exists for: a promise nobody awaits loses its error and races the next step,
      // and an async callback handed to an API that ignores its result (an event listener, forEach) does both.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      '@typescript-eslint/no-implied-eval': 'error',
      '@typescript-eslint/no-array-delete': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-duplicate-type-constituents': 'error',
      '@typescript-eslint/no-redundant-type-constituents': 'error',
      '@typescript-eslint/restrict-plus-operands': 'error',
      // A leading underscore is this code's way to say "destructured out on purpose" (dropping a field from a copy).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The two plain JavaScript files (the CLI launcher and the build script) run on Node; TypeScript checks names in the rest.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Tests and benchmarks build loose JSON doubles and read untyped responses on purpose.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
