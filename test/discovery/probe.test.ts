// The sweep's building blocks: a bound on work at once, and open ports told as they are found.
import assert from 'node:assert/strict';
import net from 'node:net';
import {describe, it} from 'node:test';
import {limiter, sweep} from '../../source/discovery/probe.js';
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

	it('a connect that waits steps aside: the sweep goes on past an address that does not answer', async () => {
		const tried: string[] = [];
		let answeredBy: 'the others' | 'its timeout' | undefined;
		let releaseSilent!: () => void;
		const hosts = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];
		const open = await sweep(hosts, [8989], {
			concurrency: 4,
			fresh: 1,
			slowAfterMs: 5,
			timeoutMs: 3000,
			// Nothing is sent anywhere: the connects are the test's own.
			connect: async (host, _port, timeoutMs) => {
				tried.push(host);
				if (host === '10.0.0.1') {
					// Silent until every other address was tried, or until its own timeout.
					return new Promise<boolean>(resolve => {
						const timer = setTimeout(() => {
							answeredBy ??= 'its timeout';
							resolve(false);
						}, timeoutMs);
						releaseSilent = () => {
							clearTimeout(timer);
							answeredBy ??= 'the others';
							resolve(false);
						};
					});
				}
				if (tried.length === hosts.length) {
					releaseSilent();
				}
				return host === '10.0.0.3';
			},
		});
		assert.equal(answeredBy, 'the others', 'the others were tried while the first waited');
		assert.deepEqual(tried, hosts);
		assert.deepEqual(open, [{host: '10.0.0.3', port: 8989}]);
	});

	/** A sweep of nine whose connects all wait until `release` says so, then all end: the most that were out at once. */
	async function mostAtOnce(options: {concurrency: number; fresh: number; slowAfterMs: number}, release: (running: number, tried: number) => boolean): Promise<{most: number; tried: string[]}> {
		let running = 0;
		let most = 0;
		const waiting: Array<() => void> = [];
		const tried: string[] = [];
		const hosts = Array.from({length: 9}, (_unused, index) => `10.0.1.${index + 1}`);
		await sweep(hosts, [7878], {
			...options,
			timeoutMs: 2000,
			connect: async (host, _port, timeoutMs) => {
				tried.push(host);
				running++;
				most = Math.max(most, running);
				await new Promise<void>(resolve => {
					// A connect that is never released ends at its timeout, as a real one would: a broken sweep fails, not hangs.
					const timer = setTimeout(resolve, timeoutMs);
					waiting.push(() => {
						clearTimeout(timer);
						resolve();
					});
					// Released after the sweep had its turn to start more (a macrotask later), if it may.
					setImmediate(() => {
						if (waiting.length > 0 && release(running, tried.length)) {
							for (const go of waiting.splice(0)) {
								go();
							}
						}
					});
				});
				running--;
				return false;
			},
		});
		assert.deepEqual(tried, hosts, 'every address tried, in order');
		return {most, tried};
	}

	it('never more young connects at once than `fresh`', async () => {
		// Nothing grows old here: two at a time, however long they wait.
		const {most} = await mostAtOnce({concurrency: 3, fresh: 2, slowAfterMs: 60_000}, running => running === 2 || running === 1);
		assert.equal(most, 2);
	});

	it('old connects step aside for new ones, up to `concurrency` at once and never more', async () => {
		const {most} = await mostAtOnce({concurrency: 3, fresh: 2, slowAfterMs: 5}, (running, tried) => running === 3 || tried === 9);
		assert.equal(most, 3);
	});
});
