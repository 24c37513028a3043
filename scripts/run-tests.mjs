// Runs every compiled test file with node's test runner (Node 20 has no glob support in --test).
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {spawnSync} from 'node:child_process';

const root = path.resolve('dist/test');
const filter = process.argv.slice(2);

function collect(directory) {
	return readdirSync(directory).flatMap(name => {
		const full = path.join(directory, name);
		if (statSync(full).isDirectory()) {
			return collect(full);
		}
		return /\.test\.js$/.test(name) ? [full] : [];
	});
}

const files = collect(root)
	.filter(file => filter.length === 0 || filter.some(part => file.includes(part)))
	.sort();
if (files.length === 0) {
	console.error('No test files found under dist/test (did the build run?)');
	process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], {stdio: 'inherit'});
process.exit(result.status ?? 1);
