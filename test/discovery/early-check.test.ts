// A login no file holds (Jellyfin's administrator, qBittorrent's user) is checked the moment its service is found,
// while the rest of discovery goes on; never before a hook that must run first (a certificate to trust).
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {openStack} from '../../source/discovery/stack.js';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';
import {findLabHost} from '../../source/lab/lab.js';
import {writeProfile} from '../helpers.js';

const SIGN_IN = '/Users/AuthenticateByName';

describe('a login no file holds is checked as soon as its service is found', () => {
	let host: string;
	let jellyfin: JellyfinEmulator;
	let home: string;
	const admin = {name: 'admin', password: 'a-password-of-the-test'};
	before(async () => {
		host = (await findLabHost([8096, 8989])) ?? '127.0.0.1';
		jellyfin = new JellyfinEmulator({host, port: 8096, admin, spec: false});
		await jellyfin.start();
		home = mkdtempSync(path.join(tmpdir(), 'arrwire-early-'));
		writeProfile(home, [host], [{kind: 'jellyfin', url: jellyfin.url, username: admin.name, secret: admin.password}]);
	});
	after(async () => {
		await jellyfin.stop();
		rmSync(home, {recursive: true, force: true});
	});

	const signedIn = () => jellyfin.log.some(entry => entry.path.endsWith(SIGN_IN));

	/** Something on Sonarr's port that answers only once Jellyfin was signed in to (or when the asker gives up). */
	async function withSlowNeighbour(run: (heldUntilSignIn: () => boolean[]) => Promise<void>): Promise<void> {
		const released: boolean[] = [];
		const server = http.createServer((request, response) => {
			let answered = false;
			const answer = (bySignIn: boolean) => {
				if (!answered) {
					answered = true;
					clearInterval(poll);
					released.push(bySignIn);
					response.writeHead(404).end();
				}
			};
			// Waits for a request that has arrived (checked as the log grows), never for a fixed time.
			const poll = setInterval(() => signedIn() && answer(true), 5);
			request.on('close', () => answer(false));
			response.on('close', () => answer(false));
		});
		await new Promise<void>(resolve => server.listen(8989, host, resolve));
		try {
			await run(() => released);
		} finally {
			server.closeAllConnections();
			await new Promise(resolve => server.close(resolve));
		}
	}

	it('signs in to Jellyfin while another port has not answered yet', async () => {
		await withSlowNeighbour(async released => {
			const stack = await openStack({localhost: false, hosts: [host], docker: false, nativeConfigFiles: false, profileFile: path.join(home, 'arrwire', 'profile.json'), requestTimeoutMs: 4000});
			const state = stack.credentials.find(candidate => candidate.service.kind === 'jellyfin');
			assert.equal(state?.check?.ok, true, 'the saved administrator is accepted');
			assert.match(state?.from ?? '', /saved profile/);
			assert.equal(state?.service, stack.services.jellyfin, 'the state holds the service as discovery left it');
			assert.ok(released().length > 0, 'the port was probed');
			assert.deepEqual(
				released().filter(bySignIn => !bySignIn),
				[],
				'every probe of the slow port was still waiting when the sign-in came: it did not wait for the end of discovery',
			);
		});
		assert.equal(jellyfin.log.filter(entry => entry.path.endsWith(SIGN_IN)).length, 1, 'one sign-in');
	});

	it('sends nothing before the hook that must run first', async () => {
		const signInsBefore = jellyfin.log.filter(entry => entry.path.endsWith(SIGN_IN)).length;
		let signInsAtHook: number | undefined;
		const stack = await openStack({
			localhost: false,
			hosts: [host],
			docker: false,
			nativeConfigFiles: false,
			profileFile: path.join(home, 'arrwire', 'profile.json'),
			beforeCredentials: async () => {
				signInsAtHook = jellyfin.log.filter(entry => entry.path.endsWith(SIGN_IN)).length;
			},
		});
		assert.equal(signInsAtHook, signInsBefore, 'no sign-in before the hook');
		assert.equal(stack.credentials.find(candidate => candidate.service.kind === 'jellyfin')?.check?.ok, true, 'and one after it');
		assert.equal(jellyfin.log.filter(entry => entry.path.endsWith(SIGN_IN)).length, signInsBefore + 1);
	});
});
