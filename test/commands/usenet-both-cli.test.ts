// A stack with both Usenet clients, NZBGet and SABnzbd: each is offered as its own optional link, and apply --yes
// wires both (Sonarr and Radarr then use either); the user who wants one skips the other's links. doctor is clean
// and a second run plans nothing.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {ServarrClient} from '../../source/services/servarr.js';
import {startCliLab, type CliLab} from './cli-lab.js';

describe('NZBGet and SABnzbd both found: each offered, both wired by apply --yes', () => {
	let stack: CliLab;
	before(async () => {
		stack = await startCliLab({nzbget: true, sabnzbd: true});
	});
	after(async () => {
		await stack?.stop();
	});

	it('plan offers both as optional links, apply --yes wires both, doctor is clean, and plan then has nothing to change', async () => {
		const planned = await stack.arrwire('plan', '--json');
		assert.equal(planned.code, 0, planned.stderr);
		const links = (JSON.parse(planned.stdout) as {links: Array<{id: string; state: string; optional: boolean}>}).links;
		for (const id of ['nzbget-categories', 'sonarr-usenet-download-client', 'sabnzbd-categories', 'sonarr-sabnzbd-download-client']) {
			const link = links.find(candidate => candidate.id === id);
			assert.equal(link?.optional, true, id);
			assert.notEqual(link?.state, 'skipped', id);
		}
		const applied = await stack.arrwire('apply', '--yes');
		assert.equal(applied.code, 0, applied.stdout + applied.stderr);
		await stack.lab.prowlarr.idle();
		for (const kind of ['sonarr', 'radarr'] as const) {
			const clients = await new ServarrClient({kind, url: stack.lab[kind].url, apiKey: stack.lab.keys[kind]}).downloadClients();
			assert.deepEqual(clients.map(client => client.implementation).sort(), ['Nzbget', 'QBittorrent', 'Sabnzbd'], kind);
		}
		const doctor = await stack.arrwire('doctor', '--json');
		const json = JSON.parse(doctor.stdout) as {ok: boolean; findings: {services: Array<{id: string; severity: string}>}};
		assert.deepEqual(json.findings.services.filter(finding => finding.severity === 'error'), []);
		assert.equal(doctor.code, 0, doctor.stdout);
		const again = await stack.arrwire('plan');
		assert.match(again.stdout, /Everything is linked: apply would change nothing/);
	});
});
