// Who listens on a service's address and port: two programs on one port, each on its own loopback address (as two
// stacks on one machine do), are each named for their own address — never the other one, never a guess.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {after, describe, it} from 'node:test';
import {portOwner, processIdentityForPort} from '../../source/checks/permissions.js';

/** The name the kernel gives the process (node, or MainThread on Node 24, which names its main thread). */
function nameOf(pid: number): string {
	return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
}

const NOBODY = 65534;
const children: ChildProcess[] = [];

after(async () => {
	await Promise.all(
		children.map(child =>
			child.exitCode === null && child.signalCode === null ? new Promise(resolve => {
				child.once('exit', resolve);
				child.kill();
			}) : Promise.resolve(),
		),
	);
});

/** A program that listens on host:port (0: any free port), run as `uid` when given; resolves with its pid and port. */
async function listener(host: string, port: number, uid?: number): Promise<{pid: number; port: number}> {
	const script = `const server = require('node:net').createServer().listen(${port}, ${JSON.stringify(host)}, () => console.log(server.address().port));`;
	const command = uid === undefined ? [process.execPath, '-e', script] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', process.execPath, '-e', script];
	const child = spawn(command[0]!, command.slice(1), {stdio: ['ignore', 'pipe', 'pipe']});
	children.push(child);
	return new Promise((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('\n')) {
				resolve({pid: child.pid!, port: Number(output.trim())});
			}
		});
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.once('exit', code => reject(new Error(`the listener on ${host}:${port} exited (${code}): ${output}`)));
	});
}

describe('the owner of a listening port is matched on address and port', () => {
	it('two programs on one port on 127.0.0.2 and 127.0.0.3: each address names its own process and user', async () => {
		assert.equal(spawnSync('setpriv', ['--version']).status, 0, 'setpriv (util-linux) runs the second program as nobody');
		const first = await listener('127.0.0.2', 0);
		const second = await listener('127.0.0.3', first.port, NOBODY);

		const owner2 = portOwner('127.0.0.2', first.port);
		assert.equal(owner2.identity?.from, `process ${first.pid} (${nameOf(first.pid)})`, owner2.unknown);
		assert.equal(owner2.identity?.uid, process.getuid?.());
		const owner3 = portOwner('127.0.0.3', first.port);
		assert.equal(owner3.identity?.from, `process ${second.pid} (${nameOf(second.pid)})`, owner3.unknown);
		assert.equal(owner3.identity?.uid, NOBODY);
		assert.equal(owner3.identity?.gid, NOBODY);
		assert.deepEqual(owner3.identity?.groups, [], 'no supplementary groups (not the next line of /proc/PID/status)');

		// On an address where neither listens, neither is named.
		const elsewhere = portOwner('127.0.0.4', first.port);
		assert.equal(elsewhere.identity, undefined);
		assert.match(elsewhere.unknown ?? '', /the process behind 127\.0\.0\.4:\d+ could not be identified: nothing on this machine listens there/);
		// Asked with no address, a port two programs share names neither.
		assert.equal(processIdentityForPort(first.port), undefined);
		assert.equal(processIdentityForPort(first.port, '127.0.0.3')?.uid, NOBODY);
	});

	it('a program listening on all addresses (0.0.0.0 or ::) is the one behind any loopback address', async () => {
		const any4 = await listener('0.0.0.0', 0, NOBODY);
		assert.equal(portOwner('127.0.0.5', any4.port).identity?.from, `process ${any4.pid} (${nameOf(any4.pid)})`);
		assert.equal(portOwner('localhost', any4.port).identity?.uid, NOBODY);
		const any6 = await listener('::', 0);
		assert.equal(portOwner('127.0.0.6', any6.port).identity?.from, `process ${any6.pid} (${nameOf(any6.pid)})`, 'a dual-stack socket takes IPv4 too');
		assert.equal(portOwner('::1', any6.port).identity?.from, `process ${any6.pid} (${nameOf(any6.pid)})`);
	});

	it('"localhost" is 127.0.0.1 and ::1 (/proc/net/tcp6): one program there is named; two of different users are not guessed at', async () => {
		const six = await listener('::1', 0, NOBODY);
		assert.equal(portOwner('localhost', six.port).identity?.from, `process ${six.pid} (${nameOf(six.pid)})`);
		assert.equal(portOwner('[::1]', six.port).identity?.uid, NOBODY);
		assert.equal(portOwner('127.0.0.1', six.port).identity, undefined, 'an IPv6-only socket is not behind 127.0.0.1');

		const four = await listener('127.0.0.1', six.port);
		assert.equal(portOwner('127.0.0.1', six.port).identity?.from, `process ${four.pid} (${nameOf(four.pid)})`);
		const both = portOwner('localhost', six.port);
		assert.equal(both.identity, undefined);
		assert.match(both.unknown ?? '', /the process behind localhost:\d+ could not be identified: several processes of different users listen there/);
	});
});
