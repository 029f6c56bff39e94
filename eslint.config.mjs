import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering, made executable (README "Layout"): hosts/ → functions/ → infra/ → shared/, each importing
 * only folders below it. Import strings are matched as written (the tree uses relative paths), so a folder
 * name anywhere in the path counts. `testing/`, the test kit that `tests/` and `bench/` share, sits above hosts/;
 * those two sit on top.
 */
const above = (...folders) => folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]);
const layer = (message, folders) => ({ group: above(...folders), message });

/** Modules that do I/O: the domain takes their effects through ports instead. */
const ioModules = [
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
]
  .flatMap((name) => [name, `node:${name}`])
  .map((name) => ({ name, message: 'shared/ does no I/O: declare a port and implement it in infra/.' }));

export const boundaryRules = [
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules,
          patterns: [
            layer('shared/ is the bottom layer: it imports no other folder of the project.', [
              'infra',
              'functions',
              'hosts',
              'testing',
              'tests',
              'bench',
            ]),
            { group: ['@azure/*'], message: 'shared/ knows no Azure SDK: adapters in infra/ do.' },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    ignores: ['functions/index.ts', 'functions/bootstrap.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer(
              'The function table takes its services as shared/ ports; only the entry (functions/index.ts) and the composition root build adapters.',
              ['infra', 'hosts', 'testing', 'tests', 'bench'],
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['functions/index.ts', 'functions/bootstrap.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('The Azure entry sits below hosts/ and the test kit.', [
              'hosts',
              'testing',
              'tests',
              'bench',
            ]),
          ],
        },
      ],
    },
  },
  {
    files: ['infra/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('infra/ holds adapters below the function table and the hosts: pass what it needs in.', [
              'functions',
              'hosts',
              'testing',
              'tests',
              'bench',
            ]),
          ],
        },
      ],
    },
  },
  {
    files: ['hosts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('hosts/ run the pipeline; the test kit sits above them.', ['testing', 'tests', 'bench']),
          ],
        },
      ],
    },
  },
  {
    files: ['testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            layer('testing/ is the kit tests/ and bench/ share: it imports neither of them.', [
              'tests',
              'bench',
            ]),
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  ...boundaryRules,
  {
    files: ['bin/**/*.js', '*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
