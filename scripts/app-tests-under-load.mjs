// Runs the app tests N times in a row beside CPU burners (two busy processes by default), to show they wait for
// what they expect and not for time. Build first (npx tsc -p tsconfig.json).
// Usage: node scripts/app-tests-under-load.mjs [runs=10] [burners=2] [filter=test/app ...]
import {spawn} from 'node:child_process';

const runs = Number(process.argv[2] ?? 10);
const burnerCount = Number(process.argv[3] ?? 2);
const filters = process.argv.length > 4 ? process.argv.slice(4) : ['test/app'];

const burners = Array.from({length: burnerCount}, () => spawn(process.execPath, ['-e', 'for(;;){}'], {stdio: 'ignore'}));
let current;
const stop = () => {
	for (const burner of burners) {
		burner.kill('SIGKILL');
	}
	// The test run stops its labs on SIGINT, as it does for Ctrl-C.
	current?.kill('SIGINT');
};
process.on('exit', stop);
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => process.exit(130));
}

/** One run of the tests, waited for without blocking (so a signal stops the burners at once). */
function runTests() {
	return new Promise(resolve => {
		current = spawn(process.execPath, ['scripts/run-tests.mjs', ...filters], {stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		current.stdout.on('data', chunk => (stdout += chunk));
		current.stderr.on('data', chunk => (stderr += chunk));
		current.on('close', status => {
			current = undefined;
			resolve({status, stdout, stderr});
		});
	});
}

const results = [];
for (let run = 1; run <= runs; run++) {
	const started = Date.now();
	const result = await runTests();
	const summary = /(\d+) passed, (\d+) failed/.exec(result.stdout ?? '');
	const line = `run ${run}/${runs}: ${summary ? summary[0] : 'no summary'} in ${((Date.now() - started) / 1000).toFixed(0)} s`;
	results.push({ok: result.status === 0, line});
	console.log(line);
	if (result.status !== 0) {
		// The failing tests, for the record.
		const failures = (result.stdout ?? '').split('\n✖ failing tests:')[1] ?? result.stderr ?? '';
		console.log(failures.split('\n').slice(0, 40).join('\n'));
	}
}
stop();
const failed = results.filter(result => !result.ok).length;
console.log(`${runs - failed} of ${runs} runs passed beside ${burnerCount} CPU burner(s).`);
process.exit(failed === 0 ? 0 : 1);
