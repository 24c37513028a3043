// Accepting a credential, whoever gave it: the service's new state is returned, and a port-guessed *arr takes the
// kind its key's answer names, without the service first found being changed under anyone who holds it.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {acceptCredential} from '../../source/discovery/collect.js';
import type {DiscoveredService} from '../../source/discovery/discover.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

describe('accepting a credential', () => {
	let lab: Lab;
	before(async () => {
		lab = await startLab();
	});
	after(async () => {
		await lab?.stop();
	});

	/** A Radarr that discovery could tell only as "a Sonarr, Radarr or Prowlarr", taken for Sonarr by its port. */
	const guessed = (): DiscoveredService => ({
		found: 'service',
		kind: 'sonarr',
		name: 'Sonarr',
		url: lab.radarr.url,
		host: new URL(lab.radarr.url).hostname,
		port: Number(new URL(lab.radarr.url).port),
		tls: false,
		urlBase: '',
		identifiedBy: '/ping (a Sonarr/Radarr/Prowlarr); Sonarr by its port until its API key confirms it',
		notes: ['Which of Sonarr, Radarr or Prowlarr this is will be confirmed with its API key.'],
		source: 'host',
	});

	it('the key settles which *arr it is: a new service named Radarr, the one found left as it was', async () => {
		const service = guessed();
		const state = {service};
		const next = await acceptCredential(state, {apiKey: lab.keys.radarr}, 'typed in');
		assert.equal(next.check?.ok, true, JSON.stringify(next.check));
		assert.equal(next.from, 'typed in');
		assert.equal(next.service.kind, 'radarr');
		assert.equal(next.service.name, 'Radarr');
		assert.deepEqual(next.service.notes, []);
		assert.equal(next.service.url, service.url);
		assert.deepEqual(service, guessed(), 'the service found is not changed');
		assert.deepEqual(state, {service}, 'nor the state it was in');
	});

	it('a refused key: the state says so, the service keeps its guessed kind', async () => {
		const service = guessed();
		const next = await acceptCredential({service}, {apiKey: 'f'.repeat(32)}, 'typed in');
		assert.equal(next.check?.ok, false);
		assert.equal(next.check?.ok === false && next.check.reason, 'refused');
		assert.equal(next.service, service);
	});
});
