// The whole lab comes up on one loopback address with the six default ports, as a real stack would, and goes away.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {DEFAULT_PORTS, startLab, type Lab} from '../../source/lab/lab.js';

describe('the lab', () => {
	let lab: Lab;
	before(async () => {
		lab = await startLab();
	});
	after(async () => {
		await lab?.stop();
	});

	it('runs all six services on the default ports of one 127.x.y.1 address', () => {
		assert.match(lab.host, /^127\.\d+\.\d+\.1$/);
		const ports = {
			prowlarr: lab.prowlarr.port,
			sonarr: lab.sonarr.port,
			radarr: lab.radarr.port,
			qbittorrent: lab.qbittorrent.port,
			jellyfin: lab.jellyfin.port,
			jellyseerr: lab.jellyseerr.port,
		};
		assert.deepEqual(ports, {...DEFAULT_PORTS});
	});

	it('answers each service anonymously, the way discovery will see it', async () => {
		const ping = async (url: string) => (await fetch(url)).status;
		assert.equal(await ping(`${lab.sonarr.url}/ping`), 200);
		assert.equal(await ping(`${lab.radarr.url}/ping`), 200);
		assert.equal(await ping(`${lab.prowlarr.url}/ping`), 200);
		assert.match(await (await fetch(lab.qbittorrent.url)).text(), /<title>qBittorrent/);
		assert.equal(((await (await fetch(`${lab.jellyfin.url}/System/Info/Public`)).json()) as {StartupWizardCompleted: boolean}).StartupWizardCompleted, true);
		assert.match(((await (await fetch(`${lab.jellyseerr.url}/api/v1`)).json()) as {api: string}).api, /Jellyseerr API/);
	});

	it('lists every service with its address and credential, and keeps the config files where discovery reads them', () => {
		const services = lab.services();
		assert.deepEqual(
			services.map(service => service.name),
			['Prowlarr', 'Sonarr', 'Radarr', 'qBittorrent', 'Jellyfin', 'Jellyseerr', 'NZBgeek (stand-in)'],
		);
		for (const service of services.filter(candidate => candidate.configFile)) {
			assert.ok(existsSync(service.configFile!), `${service.name}: ${service.configFile} exists`);
		}
	});

	it('removes its data tree when it stops', async () => {
		const other = await startLab({defaultPorts: false});
		const root = other.paths.root;
		assert.ok(existsSync(root));
		await other.stop();
		assert.equal(existsSync(root), false);
	});

	it('refuses to start without the OpenAPI files (no test runs unchecked), unless asked to check only when they are there', async () => {
		const empty = mkdtempSync(path.join(tmpdir(), 'arrwire-no-specs-'));
		const saved = process.env.ARRWIRE_SPECS;
		process.env.ARRWIRE_SPECS = empty;
		try {
			await assert.rejects(startLab({defaultPorts: false}), /OpenAPI files.*were not found/);
			// What the demo and `arrwire lab` do for someone without the specs.
			const unchecked = await startLab({defaultPorts: false, checkSpecs: 'when-available'});
			await unchecked.stop();
		} finally {
			if (saved === undefined) {
				delete process.env.ARRWIRE_SPECS;
			} else {
				process.env.ARRWIRE_SPECS = saved;
			}
			rmSync(empty, {recursive: true, force: true});
		}
	});
});
