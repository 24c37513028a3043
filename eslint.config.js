// npm run lint: typescript-eslint's type-aware recommended rules over source/ and test/, React's rules of hooks in the
// wizard, and a few rules for this codebase's promises (no promise left floating, no stray console in the core).
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ignores: ['dist/', 'node_modules/', '.stryker-tmp/', 'reports/']},
	...tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
		plugins: {'react-hooks': reactHooks},
		rules: {
			...reactHooks.configs.recommended.rules,
			'@typescript-eslint/no-floating-promises': ['error', {allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach']}]}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
		},
	},
	{files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked},
);
