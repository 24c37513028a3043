// The path checks on real containers: qBittorrent (the real qbittorrent-nox) and two Sonarrs in podman, with real
// bind mounts and PUID/PGID. One Sonarr shares the one /data tree with qBittorrent; the other mounts only its library.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runChecks} from '../../source/checks/collect.js';
import {checkKnownCredentials} from '../../source/discovery/collect.js';
import {discover, type DiscoveredService} from '../../source/discovery/discover.js';
import {listContainers} from '../../source/discovery/docker.js';
import {clientsFor} from '../../source/discovery/stack.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {runContainer, startPodmanService, waitForHttp, type PodmanService, type RunningContainer} from '../lab/containers.js';
import {randomKey} from '../lab/harness.js';
import {freePort, linuxserverQbittorrentConf} from '../lab/qbittorrent.js';

const cli: Array<'docker' | 'podman'> = spawnSync('docker', ['--version']).status === 0 ? ['docker'] : ['podman'];

describe('path checks on real containers with bind mounts', () => {
	let podman: PodmanService;
	const containers: RunningContainer[] = [];
	let root: string;
	let services: DiscoveredService[];
	const keys = {shared: randomKey(), split: randomKey()};
	const names = {qbittorrent: `arrwire-check-qbt-${process.pid}`, shared: `arrwire-check-sonarr-${process.pid}`, split: `arrwire-check-sonarr-split-${process.pid}`};

	before(async () => {
		podman = await startPodmanService();
		root = mkdtempSync(path.join(tmpdir(), 'arrwire-check-'));
		const data = path.join(root, 'data');
		const folders = [
			path.join(root, 'appdata', 'qbittorrent', 'qBittorrent'),
			path.join(root, 'appdata', 'sonarr'),
			path.join(root, 'appdata', 'sonarr-split'),
			path.join(data, 'torrents', 'tv'),
			path.join(data, 'media', 'tv'),
		];
		for (const folder of folders) {
			mkdirSync(folder, {recursive: true});
		}
		const qbPort = await freePort();
		writeFileSync(path.join(root, 'appdata', 'qbittorrent', 'qBittorrent', 'qBittorrent.conf'), linuxserverQbittorrentConf({port: qbPort, password: 'check-password'}));
		spawnSync('chown', ['-R', '1000:1000', root]);
		chownSync(root, 1000, 1000);

		const env = {PUID: '1000', PGID: '1000', UMASK: '002'};
		containers.push(
			runContainer({
				name: names.qbittorrent,
				image: 'lscr.io/linuxserver/qbittorrent:latest',
				publish: [{hostIp: '127.0.0.1', hostPort: qbPort, containerPort: qbPort}],
				mounts: [
					{source: path.join(root, 'appdata', 'qbittorrent'), destination: '/config'},
					{source: data, destination: '/data'},
				],
				env: {...env, WEBUI_PORT: String(qbPort), HOME: '/config', XDG_CONFIG_HOME: '/config', XDG_DATA_HOME: '/config'},
				user: '1000:1000',
				command: ['/usr/bin/qbittorrent-nox', `--webui-port=${qbPort}`],
			}),
		);
		const sonarrPorts = {shared: await freePort(), split: await freePort()};
		const sonarr = (which: 'shared' | 'split', mounts: Array<{source: string; destination: string}>) =>
			runContainer({
				name: names[which],
				image: 'lscr.io/linuxserver/sonarr:latest',
				publish: [{hostIp: '127.0.0.1', hostPort: sonarrPorts[which], containerPort: 8989}],
				mounts: [{source: path.join(root, 'appdata', which === 'shared' ? 'sonarr' : 'sonarr-split'), destination: '/config'}, ...mounts],
				env,
				user: '1000:1000',
				command: ['/usr/bin/node', '/app/dist/test/lab/serve.js', 'sonarr', '--port', '8989', '--api-key', keys[which], '--config-dir', '/config', '--no-spec'],
			});
		containers.push(sonarr('shared', [{source: data, destination: '/data'}]));
		// The classic mistake: the library mounted alone, the downloads not at all.
		containers.push(sonarr('split', [{source: path.join(data, 'media', 'tv'), destination: '/tv'}]));
		await waitForHttp(`http://127.0.0.1:${qbPort}/`, 30_000, names.qbittorrent);
		await waitForHttp(`http://127.0.0.1:${sonarrPorts.shared}/ping`, 30_000, names.shared);
		await waitForHttp(`http://127.0.0.1:${sonarrPorts.split}/ping`, 30_000, names.split);

		const qbittorrent = new QbittorrentClient({url: `http://127.0.0.1:${qbPort}`, username: 'admin', password: 'check-password'});
		await qbittorrent.createCategory('tv', '/data/torrents/tv');
		await new ServarrClient({kind: 'sonarr', url: `http://127.0.0.1:${sonarrPorts.shared}`, apiKey: keys.shared}).addRootFolder('/data/media/tv');
		await new ServarrClient({kind: 'sonarr', url: `http://127.0.0.1:${sonarrPorts.split}`, apiKey: keys.split}).addRootFolder('/tv');

		const listing = await listContainers({clis: cli, env: podman.env});
		services = (await discover({localhost: false, docker: listing, nativeConfigFiles: false})).services.filter(service => Object.values(names).includes(service.container?.name ?? ''));
	});

	after(async () => {
		for (const container of containers) {
			await container.stop();
		}
		await podman?.stop();
		if (root) {
			rmSync(root, {recursive: true, force: true});
		}
	});

	async function check(sonarrName: string) {
		const qbService = services.find(service => service.kind === 'qbittorrent')!;
		const sonarrService = services.find(service => service.container?.name === sonarrName)!;
		assert.ok(qbService && sonarrService, `found ${services.map(service => service.container?.name).join(', ')}`);
		const states = await checkKnownCredentials([sonarrService]);
		const {clients} = clientsFor([...states, {service: qbService, credential: {username: 'admin', password: 'check-password'}, check: {ok: true, kind: 'qbittorrent', detail: ''}}]);
		return runChecks({services: {qbittorrent: qbService, sonarr: sonarrService}, clients});
	}

	it('the one /data tree shared by both containers: no path, hardlink or permission finding', async () => {
		const report = await check(names.shared);
		assert.deepEqual(
			report.findings.filter(finding => finding.severity !== 'info').map(finding => `${finding.id}: ${finding.cause}`),
			[],
		);
		assert.equal(report.identities.Sonarr?.uid, 1000, 'Sonarr runs as the PUID of its container');
		assert.equal(report.identities.qBittorrent?.uid, 1000);
	});

	it('downloads not mounted in Sonarr: the classic import failure, with the shared-mount fix', async () => {
		const report = await check(names.split);
		const finding = report.findings.find(candidate => candidate.id === 'paths.download-not-mounted' || candidate.id === 'paths.download-not-visible');
		assert.ok(finding, `findings: ${report.findings.map(candidate => candidate.id).join(', ')}`);
		assert.equal(finding.severity, 'error');
		// Automatic torrent management is off (qBittorrent's default), so "tv" downloads land in the default save path.
		assert.match(finding.cause, /\/data\/torrents/);
		assert.match(finding.fix, /\/data/);
	});

	it('a download folder owned by another user: says who cannot write and gives the chown', async () => {
		const folder = path.join(root, 'data', 'torrents');
		chownSync(folder, 0, 0);
		try {
			const report = await check(names.shared);
			const finding = report.findings.find(candidate => candidate.id.startsWith('permissions.') && candidate.subject === 'qBittorrent');
			assert.ok(finding, `findings: ${report.findings.map(candidate => `${candidate.id} ${candidate.subject}`).join(', ')}`);
			assert.match(finding.fix, /chown/);
			assert.match(finding.fix, /1000:1000/);
		} finally {
			chownSync(folder, 1000, 1000);
		}
	});
});
