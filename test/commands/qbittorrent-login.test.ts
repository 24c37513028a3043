// One failed qBittorrent login per command, never two: qBittorrent bans the address for an hour after 5 failures,
// so each command that is given a wrong password tries it once and says so. Counted by the real qBittorrent itself
// (its own log), on a lab of its own per command.
import assert from 'node:assert/strict';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {qbittorrentLoginFailures, startCliLab, type CliLab} from './cli-lab.js';

const WRONG = 'not-the-qbittorrent-password';

describe('a wrong qBittorrent password is tried once per command', () => {
	let stack: CliLab;
	beforeEach(async () => {
		// The profile keeps a password that qBittorrent no longer takes.
		stack = await startCliLab({qbittorrentPassword: WRONG});
	});
	afterEach(async () => {
		await stack?.stop();
	});

	for (const command of [['discover', '--json'], ['check', '--json'], ['plan', '--json'], ['apply', '--yes'], ['doctor', '--json']]) {
		it(`arrwire ${command.join(' ')}`, async () => {
			assert.deepEqual(await qbittorrentLoginFailures(stack.lab), [], 'no failure before');
			const {stdout, stderr} = await stack.arrwire(command[0]!, ...command.slice(1));
			const failures = await qbittorrentLoginFailures(stack.lab);
			assert.equal(failures.length, 1, `${failures.join('\n')}\n${stdout}${stderr}`);
			assert.match(failures[0]!, /attempt count: 1\b/);
			assert.ok(!(stdout + stderr).includes(WRONG), 'the password is not shown');
		});
	}
});
