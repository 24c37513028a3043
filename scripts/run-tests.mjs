// Runs every compiled test file with node's test runner (Node 20 has no glob support in --test), and ends with
// one line CI can read: "N passed, N failed".
import {existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
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

// Only the compiled tests whose source is still there: a test file moved or deleted leaves its old output in dist/.
const hasSource = file => ['.ts', '.tsx'].some(extension => existsSync(path.join('test', path.relative(root, file)).replace(/\.js$/, extension)));
const files = collect(root)
	.filter(hasSource)
	.filter(file => filter.length === 0 || filter.some(part => file.includes(part)))
	.sort();
if (files.length === 0) {
	console.error('No test files found under dist/test (did the build run?)');
	console.log('0 passed, 1 failed');
	process.exit(1);
}
const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-tests-'));
const tap = path.join(scratch, 'results.tap');
const result = spawnSync(
	process.execPath,
	['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
	{stdio: 'inherit'},
);
let passed = 0;
let failed = 0;
try {
	const summary = readFileSync(tap, 'utf8');
	passed = Number(/^# pass (\d+)/m.exec(summary)?.[1] ?? 0);
	failed = Number(/^# fail (\d+)/m.exec(summary)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(summary)?.[1] ?? 0);
} catch {
	failed = Math.max(failed, 1);
}
rmSync(scratch, {recursive: true, force: true});
if (result.status !== 0 && failed === 0) {
	failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && result.status === 0 ? 0 : 1);
