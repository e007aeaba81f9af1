// Type-aware lint: floating promises and unsafe any are real bugs in a scanner.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-tools/**', 'node_modules/**', 'scans/runs/**', 'coverage/**', 'bin/**', 'src/report/templates.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
    },
  },
  {
    // The pure layers (docs/ARCHITECTURE.md): no environment, no process. Imports are checked by
    // dependency-cruiser (.dependency-cruiser.js); this catches the global.
    files: ['src/core/**', 'src/fingerprint/**', 'src/classify/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'a pure layer: the environment and the process belong at the edge' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
