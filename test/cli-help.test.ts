// arrwire --help fits an 80-column terminal.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {it} from 'node:test';

it('every line of --help is at most 80 columns wide', () => {
	const result = spawnSync(process.execPath, [path.resolve('dist/bin/arrwire.js'), '--help'], {encoding: 'utf8'});
	assert.equal(result.status, 0);
	assert.match(result.stdout, /arrwire demo/);
	const wide = result.stdout.split('\n').filter(line => [...line].length > 80);
	assert.deepEqual(wide, []);
});
