// `npm run lint`: the web app's TypeScript, with the React hooks rules as errors, so a hook's
// dependencies are checked by a tool rather than waived by comments.
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config({
  files: ['web/src/**/*.{ts,tsx}'],
  extends: [tseslint.configs.recommended],
  plugins: { 'react-hooks': reactHooks },
  rules: {
    'react-hooks/rules-of-hooks': 'error',
    'react-hooks/exhaustive-deps': 'error',
    // `const { a: _a, ...rest } = x` drops a field on purpose.
    '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
  },
  linterOptions: { reportUnusedDisableDirectives: 'error' },
});
