// What each kind of run of the built command loads: a command that looks at no container loads no execa, and only the
// wizard loads Ink and React. A resolve hook writes every file the process resolves; the bundle's own record
// (dist/bundle-contents.json, written by scripts/bundle.mjs) says which packages each of its files holds.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {after, describe, it} from 'node:test';
import {cli} from './cli-lab.js';

const contents = JSON.parse(readFileSync(path.resolve('dist/bundle-contents.json'), 'utf8')) as Record<string, string[]>;

const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-modules-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// The hooks run on a thread of their own: they append to the file directly.
const hooks = path.join(scratch, 'hooks.mjs');
writeFileSync(hooks, `import {appendFileSync} from 'node:fs';
export async function resolve(specifier, context, next) {
	const resolved = await next(specifier, context);
	if (process.env.ARRWIRE_MODULES_FILE) appendFileSync(process.env.ARRWIRE_MODULES_FILE, resolved.url + '\\n');
	return resolved;
}
`);
const preload = path.join(scratch, 'preload.mjs');
writeFileSync(preload, `import {register} from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);

/** A loopback address nothing listens on: discovery finds nothing, at once. */
const quiet = `127.65.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 2}`;

/** The packages a run of the CLI with these arguments loads (from node_modules, or inside a file of the bundle). */
function packagesLoaded(name: string, args: string[]): Promise<Set<string>> {
	const file = path.join(scratch, `${name}.txt`);
	writeFileSync(file, '');
	const env = {...process.env, ARRWIRE_MODULES_FILE: file, XDG_CONFIG_HOME: path.join(scratch, name), NO_COLOR: '1'};
	return new Promise((resolve, reject) => {
		execFile(process.execPath, ['--import', pathToFileURL(preload).href, cli, ...args], {env}, error => {
			// An exit code is the command's verdict (nothing found is 3); a process that could not run is a failure.
			if (error && typeof error.code !== 'number') {
				reject(new Error(`arrwire ${args.join(' ')} did not run: ${error.message}`));
				return;
			}
			const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
			const bundled = urls.flatMap(url => (url.startsWith('file:') ? (contents[path.relative(path.dirname(cli), fileURLToPath(url))] ?? []) : []));
			resolve(new Set([...urls.flatMap(url => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []), ...bundled]));
		});
	});
}

describe('what a run loads', () => {
	it('--version loads no package at all', async () => {
		assert.deepEqual([...(await packagesLoaded('version', ['--version']))], []);
	});

	it('discover --no-docker loads neither execa nor Ink nor React', async () => {
		const loaded = await packagesLoaded('discover', ['discover', '--json', '--no-docker', '--host', quiet]);
		assert.ok(loaded.has('zod'), `the hook saw the command's modules: ${[...loaded].join(', ')}`);
		for (const heavy of ['execa', 'ink', 'react']) {
			assert.ok(!loaded.has(heavy), `${heavy} was loaded: ${[...loaded].join(', ')}`);
		}
	});

	it('discover looking at containers loads execa (where there is no docker or podman, it says so)', async () => {
		const loaded = await packagesLoaded('containers', ['discover', '--json', '--host', quiet]);
		assert.ok(loaded.has('execa'), [...loaded].join(', '));
	});
});
