import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.cache/**', '.data/**', 'artifacts/**', 'miniapp/dist*/**', 'cloud-functions/*/dist/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['miniapp/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The h5/weapp bundle cannot load the contracts' sources (zod and `.js` specifiers): types only;
      // anything the screens need at run time comes from the BFF's answers.
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: '@linli/contracts', message: 'Import types only in the miniapp (import type …).', allowTypeImports: true }] }],
    },
  },
  {
    files: ['**/*.cjs', 'miniapp/config/**/*.{js,ts}', 'miniapp/babel.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
