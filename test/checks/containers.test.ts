// The path checks on real containers: qBittorrent (the real qbittorrent-nox) and two Sonarrs in podman, with real
// bind mounts and PUID/PGID. One Sonarr shares the one /data tree with qBittorrent; the other mounts only its library.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
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
import {execIn, runContainer, startPodmanService, waitForHttp, type ContainerSpec, type PodmanService, type RunningContainer} from '../lab/containers.js';
import {randomKey} from '../../source/lab/harness.js';
import {freePort, linuxserverQbittorrentConf} from '../../source/lab/qbittorrent.js';

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
		containers.push(sonarrContainer(names.shared, sonarrPorts.shared, keys.shared, {mounts: [{source: data, destination: '/data'}]}));
		// The classic mistake: the library mounted alone, the downloads not at all.
		containers.push(sonarrContainer(names.split, sonarrPorts.split, keys.split, {mounts: [{source: path.join(data, 'media', 'tv'), destination: '/tv'}]}));
		await waitForHttp(`http://127.0.0.1:${qbPort}/`, 30_000, names.qbittorrent);
		await waitForHttp(`http://127.0.0.1:${sonarrPorts.shared}/ping`, 30_000, names.shared);
		await waitForHttp(`http://127.0.0.1:${sonarrPorts.split}/ping`, 30_000, names.split);

		const qbittorrent = new QbittorrentClient({url: `http://127.0.0.1:${qbPort}`, username: 'admin', password: 'check-password'});
		await qbittorrent.createCategory('tv', '/data/torrents/tv');
		await new ServarrClient({kind: 'sonarr', url: `http://127.0.0.1:${sonarrPorts.shared}`, apiKey: keys.shared}).addRootFolder('/data/media/tv');
		await new ServarrClient({kind: 'sonarr', url: `http://127.0.0.1:${sonarrPorts.split}`, apiKey: keys.split}).addRootFolder('/tv');

		services = await discoverNamed(Object.values(names));
	});

	/** The lab's Sonarr in a container of its own, as 1000:1000 with PUID/PGID 1000 unless the spec says otherwise. */
	function sonarrContainer(name: string, port: number, apiKey: string, spec: Partial<ContainerSpec>): RunningContainer {
		const config = path.join(root, 'appdata', name);
		mkdirSync(config, {recursive: true});
		const [uid, gid] = (spec.user ?? '1000:1000').split(':').map(Number);
		chownSync(config, uid!, gid!);
		return runContainer({
			name,
			image: 'lscr.io/linuxserver/sonarr:latest',
			publish: [{hostIp: '127.0.0.1', hostPort: port, containerPort: 8989}],
			env: {PUID: '1000', PGID: '1000', UMASK: '002'},
			user: '1000:1000',
			command: ['/usr/bin/node', '/app/dist/source/lab/serve.js', 'sonarr', '--port', '8989', '--api-key', apiKey, '--config-dir', '/config', '--no-spec'],
			...spec,
			mounts: [{source: config, destination: '/config'}, ...(spec.mounts ?? [])],
		});
	}

	/** A Sonarr started for one test, removed after it. */
	async function withSonarr(name: string, spec: Partial<ContainerSpec>, test: (sonarr: {client: ServarrClient; service: DiscoveredService}) => Promise<void>): Promise<void> {
		const port = await freePort();
		const apiKey = randomKey();
		const container = sonarrContainer(name, port, apiKey, spec);
		try {
			await waitForHttp(`http://127.0.0.1:${port}/ping`, 30_000, name);
			const [service] = await discoverNamed([name]);
			assert.ok(service, `${name} was discovered`);
			services.push(service);
			await test({client: new ServarrClient({kind: 'sonarr', url: `http://127.0.0.1:${port}`, apiKey}), service});
		} finally {
			services = services.filter(candidate => candidate.container?.name !== name);
			await container.stop();
		}
	}

	async function discoverNamed(wanted: string[]): Promise<DiscoveredService[]> {
		const listing = await listContainers({clis: cli, env: podman.env});
		return (await discover({localhost: false, docker: listing, nativeConfigFiles: false})).services.filter(service => wanted.includes(service.container?.name ?? ''));
	}

	/**
	 * What the kernel lets Sonarr's process do, asked inside its container as its own user: write a file where
	 * qBittorrent saves (/data/torrents: automatic torrent management is off, so every category lands there), and hardlink a file that qBittorrent's process wrote there into
	 * the library (/data/media/tv), as an import does.
	 */
	function truth(sonarr: string): {write: boolean; hardlink: boolean; detail: string} {
		const made = execIn(names.qbittorrent, 'rm -f /data/torrents/arrwire-source && echo episode > /data/torrents/arrwire-source');
		assert.ok(made.ok, `qBittorrent's process can write its own folder: ${made.output}`);
		const write = execIn(sonarr, 'touch /data/torrents/arrwire-probe && rm /data/torrents/arrwire-probe');
		const hardlink = execIn(sonarr, 'ln /data/torrents/arrwire-source /data/media/tv/arrwire-link && rm /data/media/tv/arrwire-link');
		rmSync(path.join(root, 'data', 'torrents', 'arrwire-source'), {force: true});
		return {write: write.ok, hardlink: hardlink.ok, detail: `write: ${write.output || 'ok'}; hardlink: ${hardlink.output || 'ok'}`};
	}

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
		assert.deepEqual(truth(names.shared), {write: true, hardlink: true, detail: 'write: ok; hardlink: ok'}, 'the kernel agrees');
	});

	it('the data tree mounted read-only in Sonarr (:ro): it can neither write nor hardlink there, and check says so with the rw mount', async () => {
		await withSonarr(`arrwire-check-sonarr-ro-${process.pid}`, {mounts: [{source: path.join(root, 'data'), destination: '/data', readOnly: true}]}, async ({client, service}) => {
			const kernel = truth(service.container!.name);
			assert.equal(kernel.write, false, kernel.detail);
			assert.equal(kernel.hardlink, false, kernel.detail);
			// Sonarr itself refuses a root folder it cannot write to.
			await assert.rejects(client.addRootFolder('/data/media/tv'), /not writable/);
			const report = await check(service.container!.name);
			const finding = report.findings.find(candidate => candidate.id === 'permissions.read-only-mount' && candidate.subject === 'Sonarr');
			assert.ok(finding, `findings: ${report.findings.map(candidate => `${candidate.id} ${candidate.subject}`).join(', ')}`);
			assert.equal(finding.severity, 'error');
			assert.match(finding.fix, new RegExp(`${path.join(root, 'data')}:/data`));
			assert.doesNotMatch(finding.fix, /:\/data:ro/);
		});
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

	for (const layout of [
		{name: 'user', label: '--user 2000:1000 with a stale PUID=3000', spec: {user: '2000:1000', env: {PUID: '3000', PGID: '3000'}}},
		{name: 'groupadd', label: '--user 2000:2000 --group-add 1000', spec: {user: '2000:2000', groupAdd: ['1000']}},
	]) {
		it(`Sonarr as ${layout.label} on a group-writable tree: it can write (the process, not PUID, decides) but cannot hardlink qBittorrent's umask-022 files`, async () => {
			const data = path.join(root, 'data');
			spawnSync('chmod', ['-R', 'g+w', data]);
			try {
				await withSonarr(`arrwire-check-sonarr-${layout.name}-${process.pid}`, {...layout.spec, mounts: [{source: data, destination: '/data'}]}, async ({service}) => {
					const kernel = truth(service.container!.name);
					assert.equal(kernel.write, true, kernel.detail);
					assert.equal(kernel.hardlink, false, kernel.detail);
					const report = await check(service.container!.name);
					assert.equal(report.identities.Sonarr?.uid, 2000, report.identities.Sonarr?.from);
					assert.ok(report.identities.Sonarr.gid === 1000 || report.identities.Sonarr.groups.includes(1000), JSON.stringify(report.identities.Sonarr));
					assert.deepEqual(report.findings.filter(finding => finding.subject === 'Sonarr' && finding.id.startsWith('permissions.')).map(finding => finding.cause), [], 'no false "cannot write"');
					const hardlink = report.findings.find(finding => finding.id === 'permissions.no-hardlink');
					assert.ok(hardlink, `findings: ${report.findings.map(finding => `${finding.id} ${finding.subject}`).join(', ')}`);
					assert.equal(hardlink.severity, 'error');
					assert.match(hardlink.cause, /mode 0644/);
					assert.match(hardlink.fix, /UMASK=002/);
				});
			} finally {
				spawnSync('chmod', ['-R', 'g-w', data]);
			}
		});
	}

	it('POSIX ACLs decide as the kernel does: a named-user rwx grants what the mode bits refuse; a named-user r-x refuses what 0777 grants', async () => {
		const folder = path.join(root, 'data', 'torrents');
		const setfacl = (...args: string[]) => assert.equal(spawnSync('setfacl', args).status, 0, `setfacl ${args.join(' ')}`);
		await withSonarr(`arrwire-check-sonarr-acl-${process.pid}`, {user: '2000:2000', mounts: [{source: path.join(root, 'data'), destination: '/data'}]}, async ({service}) => {
			const name = service.container!.name;
			const sonarrWriteFindings = async () =>
				(await check(name)).findings.filter(finding => finding.subject === 'Sonarr' && finding.id.startsWith('permissions.no-'));
			try {
				// 0755, owned by 1000: only the ACL lets 2000 in.
				setfacl('-m', 'u:2000:rwx', folder);
				const granted = truth(name);
				assert.equal(granted.write, true, granted.detail);
				assert.deepEqual((await sonarrWriteFindings()).map(finding => finding.cause), []);

				// 0777, but the named entry for 2000 comes before "other" and has no w.
				setfacl('-b', folder);
				chmodSync(folder, 0o777);
				setfacl('-m', 'u:2000:r-x', folder);
				const refused = truth(name);
				assert.equal(refused.write, false, refused.detail);
				const findings = await sonarrWriteFindings();
				const finding = findings.find(candidate => candidate.id === 'permissions.no-write');
				assert.ok(finding, `findings: ${findings.map(candidate => candidate.id).join(', ')}`);
				assert.match(finding.fix, new RegExp(`setfacl -R -m u:2000:rwX,d:u:2000:rwX ${folder}`));
			} finally {
				setfacl('-b', folder);
				chmodSync(folder, 0o755);
			}
		});
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
