// Lints every TypeScript and JavaScript file with type information, so an un-awaited promise in the reconciler is an error, not a silent race.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'cdk.out/', 'tmp/', 'test/infra/.tmp-entries-*/'],
  },
  js.configs.recommended,
  // Every type-aware rule typescript-eslint recommends, on every TypeScript file.
  ...tseslint.configs.recommendedTypeChecked,
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
      // Off on purpose: an async function with no await is how this code turns a synchronous throw (bad
      // credentials, an empty secret) into the rejection its callers expect from an async port. The rule's
      // fix (drop async, return Promise.resolve) would make those throws escape synchronously instead.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore is this code's way to say "destructured out on purpose" (dropping a field from a copy).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read JSON answers of servers and doubles without a schema (an `any` is the honest type there) and
    // implement async ports with synchronous bodies; production code has neither excuse, so these stay on for it.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The plain JavaScript files (the CLI launcher, the build scripts) have no types to check.
    ...tseslint.configs.disableTypeChecked,
    files: ['**/*.js', '**/*.mjs'],
  },
  {
    // The two plain JavaScript files (the CLI launcher and the build script) run on Node; TypeScript checks names in the rest.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // One direction of dependencies: cli, serve and functions on top; then the use cases (src/app), which
  // declare the ports they need in src/app/ports; adapters implement those ports and import nothing
  // else of src/app; the core is pure (plain data in and out, no I/O). One rule set per layer.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/**', '**/adapters/**', '**/runtime/**', '**/cli/**', '**/serve/**', '**/dev-server/**', '**/functions/**'],
              message: 'src/core is pure: it imports only model, formats, decode and itself.',
            },
            {
              group: [
                'node:fs',
                'node:fs/*',
                'node:http',
                'node:https',
                'node:child_process',
                'node:os',
                'node:dgram',
                'node:tls',
                'undici',
                '@octokit/*',
                '@aws-sdk/*',
              ],
              message: 'src/core does no I/O: take the data as an argument, or declare a port in src/app/ports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)app/(?!ports/)', message: 'Adapters implement the ports declared in src/app/ports and never import a use case.' },
            {
              group: ['**/runtime/**', '**/cli/**', '**/serve/**', '**/functions/**'],
              message: 'Adapters sit below the composition root and the entry points.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runtime/**', '**/cli/**', '**/serve/**', '**/functions/**'],
              message: 'Use cases do not know who calls them: the entry points import src/app, never the reverse.',
            },
            { group: ['**/adapters/**'], message: 'Use cases name what they need as ports in src/app/ports; the composition root hands them adapters.' },
          ],
        },
      ],
    },
  },
  {
    // Exceptions are one family (src/errors.ts): a bare Error has no code for the edges to decide by.
    files: ['src/**/*.ts', 'functions/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'NewExpression[callee.name=/^(Error|TypeError|RangeError|SyntaxError)$/]',
          message: 'Throw a ConsulGitopsError (src/errors.ts) with a code, or a subclass of it.',
        },
        {
          selector: 'ClassDeclaration[superClass.name=/^(Error|TypeError|RangeError|SyntaxError|AggregateError)$/]',
          message: 'Error classes extend ConsulGitopsError (src/errors.ts).',
        },
      ],
    },
  },
  {
    // Tests and benchmarks build loose JSON doubles and read untyped responses on purpose.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
