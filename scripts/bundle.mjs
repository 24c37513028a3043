// Builds what the `arrwire` command runs: source/cli.tsx and everything it loads, bundled by esbuild into
// dist/bin/arrwire.js and the chunks it loads on demand (each command's modules, Ink for the wizard, execa for
// containers). One file per chunk instead of hundreds of modules: the command starts faster, and the package needs
// no dependency installed beside it. The notices of the bundled packages go to dist/bin/THIRD-PARTY-NOTICES.txt.
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

/** How the command is built; the bench builds each bundled package alone the same way, to weigh it. */
export const bundleOptions = {
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20.5',
	// Whitespace and syntax only: the names stay, so that a stack trace in a bug report still reads.
	minifyWhitespace: true,
	minifySyntax: true,
	// React and its reconciler choose their production build by NODE_ENV; the development one is never shipped.
	define: {'process.env.NODE_ENV': '"production"'},
	// Ink loads React's devtools only when DEV=true, from a package it does not depend on.
	external: ['react-devtools-core'],
	// The packages written for CommonJS call require(); an ES module has none of its own.
	banner: {js: "import {createRequire as __arrwireRequire} from 'node:module'; const require = __arrwireRequire(import.meta.url);"},
	legalComments: 'none',
	metafile: true,
	logLevel: 'warning',
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	await bundle();
}

async function bundle() {
	const outdir = 'dist/bin';
	rmSync(outdir, {recursive: true, force: true});
	const result = await build({...bundleOptions, entryPoints: {arrwire: 'source/cli.tsx'}, outdir, chunkNames: 'chunks/[name]-[hash]'});

	// Every package whose code is in the bundle, with its licence text (MIT and ISC ask for the notice to go along).
	const packages = new Map();
	for (const input of Object.keys(result.metafile.inputs)) {
		const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
		if (match && !packages.has(match[1])) {
			packages.set(match[1], JSON.parse(readFileSync(path.join(match[1], 'package.json'), 'utf8')));
		}
	}
	const notices = [...packages].sort(([, a], [, b]) => a.name.localeCompare(b.name)).map(([folder, manifest]) => {
		const file = ['LICENSE', 'LICENSE.md', 'license', 'license.md', 'LICENSE.txt', 'LICENCE'].map(name => path.join(folder, name)).find(candidate => existsSync(candidate));
		const text = file ? readFileSync(file, 'utf8').trim() : `${manifest.license ?? 'see the package'}`;
		return `${manifest.name} ${manifest.version} (${manifest.license ?? 'unknown licence'})\n\n${text}\n`;
	});
	// Which packages each file of the bundle holds (outside the package): the tests check what a run loads with it.
	const holds = {};
	for (const [file, output] of Object.entries(result.metafile.outputs)) {
		holds[path.relative(outdir, file)] = [...new Set(Object.keys(output.inputs).flatMap(input => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []))].sort();
	}
	writeFileSync('dist/bundle-contents.json', `${JSON.stringify(holds, null, '\t')}\n`);
	writeFileSync(path.join(outdir, 'THIRD-PARTY-NOTICES.txt'), `arrwire bundles the code of these packages:\n\n${notices.join(`\n${'-'.repeat(78)}\n\n`)}`);
}
