// A credential a script gives names a kind of service, not an address: it goes to the one service of that kind that
// was found, or to the one at the URL given with it, and never to each of several look-alikes.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {withGiven, type CredentialState} from '../../source/discovery/collect.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import type {GivenOutcome} from '../../source/discovery/given-credentials.js';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';

const admin = {name: 'boss', password: 'given-password-41d2'};

function found(url: string): DiscoveredService {
	const parsed = new URL(url);
	return {found: 'service', kind: 'jellyfin', name: 'Jellyfin', url, host: parsed.hostname, port: Number(parsed.port), tls: false, urlBase: '', identifiedBy: '/System/Info/Public', notes: [], source: 'host'};
}

describe('credentials given by kind', () => {
	const jellyfins = [new JellyfinEmulator({admin, serverName: 'one'}), new JellyfinEmulator({admin, serverName: 'two'})];
	let states: CredentialState[];
	before(async () => {
		await Promise.all(jellyfins.map(jellyfin => jellyfin.start()));
		states = jellyfins.map(jellyfin => ({service: found(jellyfin.url)}));
	});
	after(async () => {
		await Promise.all(jellyfins.map(jellyfin => jellyfin.stop()));
	});

	it('two Jellyfins and no URL: sent to neither, and the report says why', async () => {
		const outcomes: GivenOutcome[] = [];
		const next = await withGiven(states, {jellyfin: {username: admin.name, password: admin.password, from: 'the environment', report: outcome => outcomes.push(outcome)}});
		assert.ok(next.every(state => state.check === undefined));
		assert.deepEqual(jellyfins.map(jellyfin => jellyfin.sessionTokens().length), [0, 0], 'nobody signed in anywhere');
		assert.equal(outcomes.length, 1);
		assert.ok(!outcomes[0]!.sent && /2 Jellyfin services were found .* does not say which one/.test(outcomes[0]!.why), JSON.stringify(outcomes));
	});

	it('with the URL of the second: sent to it alone, checked live', async () => {
		const outcomes: GivenOutcome[] = [];
		const next = await withGiven(states, {jellyfin: {username: admin.name, password: admin.password, url: `${jellyfins[1]!.url}/`, from: 'the environment', report: outcome => outcomes.push(outcome)}});
		assert.equal(next[0]!.check, undefined);
		assert.equal(next[1]!.check?.ok, true, JSON.stringify(next[1]!.check));
		assert.equal(next[1]!.from, 'the environment');
		assert.deepEqual(next[1]!.credential, {username: admin.name, password: admin.password}, 'the URL and the report are not part of the credential kept');
		assert.deepEqual(jellyfins.map(jellyfin => jellyfin.sessionTokens().length), [0, 1]);
		assert.equal(outcomes.length, 1);
		assert.ok(outcomes[0]!.sent && outcomes[0]!.url === jellyfins[1]!.url && outcomes[0]!.check.ok);
	});
});
