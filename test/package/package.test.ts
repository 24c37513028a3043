// `npm pack` on a clean clone gives the package people install: it builds itself (prepack), ships the CLI and exactly
// the modules it loads, a LICENSE, the README's images, and no tests or source maps; installed from the tarball into an
// empty prefix, its `arrwire` runs on the Node.js that runs this test (.ci/run runs the tests on 20, 22 and 24).
import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';

const root = path.resolve('.');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}).version;

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

function run(command: string, args: string[], options: {cwd: string; env?: NodeJS.ProcessEnv}): Promise<Run> {
	return new Promise(resolve => {
		execFile(command, args, {...options, maxBuffer: 64 * 1024 * 1024}, (error, stdout, stderr) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr});
		});
	});
}

/** The files a clone has: what git tracks (and new files not ignored), or, outside git, all but what .gitignore names. */
function copyClone(target: string): void {
	const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {cwd: root, encoding: 'utf8'});
	if (listed.status === 0) {
		for (const file of listed.stdout.split('\0').filter(Boolean)) {
			if (existsSync(path.join(root, file))) {
				mkdirSync(path.dirname(path.join(target, file)), {recursive: true});
				cpSync(path.join(root, file), path.join(target, file));
			}
		}
		return;
	}
	const ignored = new Set(['node_modules', 'dist', '.git', '.lab']);
	cpSync(root, target, {recursive: true, filter: source => !ignored.has(path.relative(root, source).split(path.sep)[0]!) && !source.endsWith('.log')});
}

/** The compiled modules a module loads (static and dynamic imports of relative paths), followed to the end. */
function importClosure(entry: string): Set<string> {
	const seen = new Set<string>();
	const pending = [entry];
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (seen.has(file)) {
			continue;
		}
		seen.add(file);
		const text = readFileSync(file, 'utf8');
		for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
			pending.push(path.resolve(path.dirname(file), match[1]!));
		}
	}
	return seen;
}

describe('the npm package', {timeout: 20 * 60_000}, () => {
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-package-'));
	const clone = path.join(scratch, 'clone');
	const prefix = path.join(scratch, 'prefix');
	let tarball = '';
	let packed: string[] = [];

	before(async () => {
		copyClone(clone);
		assert.ok(!existsSync(path.join(clone, 'dist')), 'the clone has no build');
		// The clone's dependencies are the checkout's (npm ci already ran); prepack needs only the TypeScript compiler.
		symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(clone, 'node_modules'));
		const pack = await run('npm', ['pack', '--json', '--pack-destination', scratch], {cwd: clone});
		assert.equal(pack.code, 0, pack.stderr);
		const [report] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{filename: string; files: Array<{path: string}>}>;
		tarball = path.join(scratch, report!.filename);
		packed = report!.files.map(file => file.path).sort();
	});

	after(() => rmSync(scratch, {recursive: true, force: true}));

	it('ships the CLI, the LICENSE and the README', () => {
		const manifest = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as {bin: Record<string, string>};
		for (const file of ['package.json', 'README.md', 'LICENSE', manifest.bin.arrwire!]) {
			assert.ok(packed.includes(file), `${file} is in the package`);
		}
		assert.match(readFileSync(path.join(clone, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} arrwire contributors\n/);
	});

	it('ships the bundle: exactly the files the CLI loads, the notices of the packages in it, no tests, no source maps', () => {
		const shipped = packed.filter(file => file.startsWith('dist/'));
		assert.deepEqual(shipped.filter(file => !file.endsWith('.js')), ['dist/bin/THIRD-PARTY-NOTICES.txt'], 'only the bundle and its notices under dist/');
		const closure = [...importClosure(path.join(clone, 'dist/bin/arrwire.js'))].map(file => path.relative(clone, file)).sort();
		const modules = shipped.filter(file => file.endsWith('.js'));
		assert.deepEqual(closure.filter(file => !modules.includes(file)), [], 'every file the CLI loads is shipped');
		assert.deepEqual(modules.filter(file => !closure.includes(file)), [], 'every file shipped is loaded');
		for (const file of modules) {
			const text = readFileSync(path.join(clone, file), 'utf8');
			assert.doesNotMatch(text, /sourceMappingURL/, `${file} points at no source map`);
			assert.doesNotMatch(text, /node:test|ink-testing-library/, `${file} holds no test code`);
		}
		// The package needs nothing installed beside it: every package it uses is in the bundle, with its notice.
		const manifest = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as {dependencies?: Record<string, string>};
		assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
		const notices = readFileSync(path.join(clone, 'dist/bin/THIRD-PARTY-NOTICES.txt'), 'utf8');
		for (const bundled of ['ink', 'react', 'ky', 'zod', 'execa', '@inkjs/ui']) {
			assert.ok(new RegExp(`^${bundled.replace('/', '\\/')} \\d+\\.\\d+\\.\\d+ \\(MIT\\)$`, 'm').test(notices), `${bundled}'s notice is shipped`);
		}
	});

	it("the README's images are shipped, by the relative paths that show them in the repository", () => {
		const readme = readFileSync(path.join(clone, 'README.md'), 'utf8');
		const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map(match => match[1]!);
		assert.ok(images.length > 0);
		for (const image of images) {
			// Relative, never an address outside the project: a CDN address for an unpublished version would show
			// nothing, or whatever a package of the same name holds. The registry's page resolves relative paths through
			// package.json's "repository" field once the project is published with one.
			assert.match(image, /^media\/[\w.-]+\.svg$/, `${image} is a file of the package`);
			assert.ok(packed.includes(image), `${image} is in the package`);
			assert.ok(existsSync(path.join(root, image)), `${image} is in the repository`);
		}
	});

	it(`installs into an empty prefix and runs on Node.js ${process.versions.node}`, async () => {
		mkdirSync(prefix);
		const install = await run('npm', ['install', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], {cwd: prefix});
		assert.equal(install.code, 0, install.stderr);
		const arrwire = path.join(prefix, 'node_modules', '.bin', 'arrwire');
		// The shim's `#!/usr/bin/env node` finds the Node.js running this test; nothing points back at the checkout.
		const {ARRWIRE_SPECS: _specs, ...rest} = process.env;
		const env = {...rest, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: path.join(scratch, 'config'), NO_COLOR: '1'};
		const node = await run('node', ['--version'], {cwd: prefix, env});
		assert.equal(node.stdout.trim(), process.version);

		const shown = await run(arrwire, ['--version'], {cwd: prefix, env});
		assert.equal(shown.code, 0, shown.stderr);
		assert.equal(shown.stdout.trim(), version);

		const help = await run(arrwire, ['--help'], {cwd: prefix, env});
		assert.equal(help.code, 0, help.stderr);
		assert.match(help.stdout, /^Usage$/m);

		const demo = await run(arrwire, ['demo', '--plain'], {cwd: prefix, env});
		assert.equal(demo.code, 0, `${demo.stdout}\n${demo.stderr}`);
		assert.match(demo.stdout, /The demo stack is wired\./);
	});
});
