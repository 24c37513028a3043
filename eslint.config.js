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
			// node:test's describe/it return promises that the runner itself awaits.
			'@typescript-eslint/no-floating-promises': ['error', {allowForKnownSafeCalls: [{from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach']}]}],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
		},
	},
	{
		files: ['test/**/*.{ts,tsx}'],
		rules: {
			// The emulator tests read JSON bodies the services answer with and assert on their fields: typing each body
			// would restate the OpenAPI documents the emulators already check against, so `any` bodies are allowed here.
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-call': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
			// Fakes implement async interfaces (a link's read/plan/apply, the wizard's controller) and test callbacks are
			// async by habit; an async function without await is harmless there, and the promise rules above still apply.
			'@typescript-eslint/require-await': 'off',
		},
	},
	{
		files: ['source/lab/spec-check.ts'],
		rules: {
			// It walks the services' OpenAPI documents, JSON Schema trees of any shape ($ref, allOf, nullable…), and hands
			// the schemas to ajv: a type for every node would be the OpenAPI specification restated.
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unsafe-argument': 'off',
			'@typescript-eslint/no-unsafe-assignment': 'off',
			'@typescript-eslint/no-unsafe-member-access': 'off',
			'@typescript-eslint/no-unsafe-return': 'off',
		},
	},
	{files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked},
);
