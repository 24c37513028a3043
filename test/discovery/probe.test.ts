// The sweep's building blocks: a bound on work at once, and open ports told as they are found.
import assert from 'node:assert/strict';
import net from 'node:net';
import {describe, it} from 'node:test';
import {sweep} from '../../source/discovery/discover.js';
import {limiter} from '../../source/discovery/probe.js';
import {findLabHost} from '../../source/lab/lab.js';

/** A promise with its resolve at hand. */
function deferred(): {promise: Promise<void>; resolve: () => void} {
	let resolve!: () => void;
	const promise = new Promise<void>(done => (resolve = done));
	return {promise, resolve};
}

describe('limiter', () => {
	it('runs at most `limit` tasks at once, starts them in the order given, and gives each its own result', async () => {
		const limit = limiter(2);
		const gates = Array.from({length: 5}, deferred);
		const started: number[] = [];
		let running = 0;
		let most = 0;
		const results = gates.map((gate, index) =>
			limit(async () => {
				started.push(index);
				running++;
				most = Math.max(most, running);
				await gate.promise;
				running--;
				return index * 10;
			}),
		);
		await new Promise(resolve => setImmediate(resolve));
		assert.deepEqual(started, [0, 1], 'two at once; the rest wait');
		// A task given now waits behind the three already waiting, even though a place frees at once.
		const late = limit(async () => {
			started.push(99);
			return 990;
		});
		gates[1]!.resolve();
		await results[1];
		await new Promise(resolve => setImmediate(resolve));
		assert.deepEqual(started, [0, 1, 2]);
		for (const gate of gates) {
			gate.resolve();
		}
		assert.deepEqual(await Promise.all([...results, late]), [0, 10, 20, 30, 40, 990]);
		assert.deepEqual(started, [0, 1, 2, 3, 4, 99]);
		assert.equal(most, 2);
	});

	it('a task that fails frees its place and fails only its own call', async () => {
		const limit = limiter(1);
		const failed = limit(async () => {
			throw new Error('this task fails');
		});
		const next = limit(async () => 'ran');
		await assert.rejects(failed, /this task fails/);
		assert.equal(await next, 'ran');
	});
});

describe('sweep', () => {
	it('tells each open port as it is found, and only the open ones', async () => {
		const host = (await findLabHost([7878, 8989])) ?? '127.0.0.1';
		const servers = await Promise.all(
			[7878, 8989].map(
				port =>
					new Promise<net.Server>((resolve, reject) => {
						const server = net.createServer(socket => socket.destroy());
						server.once('error', reject);
						server.listen(port, host, () => resolve(server));
					}),
			),
		);
		try {
			const told: string[] = [];
			const open = await sweep([host], [7878, 8989, 9696, 5055], {concurrency: 2, timeoutMs: 2000, onOpen: target => told.push(`${target.host}:${target.port}`)});
			assert.deepEqual(told.sort(), [`${host}:7878`, `${host}:8989`]);
			assert.deepEqual(
				open.map(target => `${target.host}:${target.port}`),
				[`${host}:7878`, `${host}:8989`],
			);
		} finally {
			await Promise.all(servers.map(server => new Promise(resolve => server.close(resolve))));
		}
	});
});
