// Docker discovery against real containers: podman runs them, and the docker CLI (or podman's) lists them
// through podman's Docker API, as it would list Docker's.
import assert from 'node:assert/strict';
import {chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {spawnSync} from 'node:child_process';
import {checkKnownCredentials} from '../../source/discovery/collect.js';
import {discover} from '../../source/discovery/discover.js';
import {listContainers, type ContainerListing} from '../../source/discovery/docker.js';
import {runContainer, startPodmanService, waitForHttp, type PodmanService, type RunningContainer} from '../lab/containers.js';
import {randomKey} from '../../source/lab/harness.js';
import {freePort, linuxserverQbittorrentConf} from '../../source/lab/qbittorrent.js';
import {specsDirectory} from '../../source/lab/spec-check.js';

const hasDocker = spawnSync('docker', ['--version']).status === 0;
const cli: Array<'docker' | 'podman'> = hasDocker ? ['docker'] : ['podman'];

describe(`containers found through the ${cli[0]} CLI`, () => {
	let podman: PodmanService;
	let container: RunningContainer;
	let root: string;
	let port: number;
	const name = `arrwire-test-qbittorrent-${process.pid}`;

	before(async () => {
		podman = await startPodmanService();
		root = mkdtempSync(path.join(tmpdir(), 'arrwire-docker-'));
		const config = path.join(root, 'appdata', 'qbittorrent');
		const data = path.join(root, 'data');
		mkdirSync(path.join(config, 'qBittorrent'), {recursive: true});
		mkdirSync(path.join(data, 'torrents'), {recursive: true});
		port = await freePort();
		// The linuxserver layout: /config/qBittorrent/qBittorrent.conf, WebUI on WEBUI_PORT, run as PUID:PGID.
		writeFileSync(path.join(config, 'qBittorrent', 'qBittorrent.conf'), linuxserverQbittorrentConf({port, password: 'container-password', address: '*'}));
		for (const directory of [root, path.join(root, 'appdata'), config, path.join(config, 'qBittorrent'), data, path.join(data, 'torrents')]) {
			chownSync(directory, 1000, 1000);
		}
		chownSync(path.join(config, 'qBittorrent', 'qBittorrent.conf'), 1000, 1000);
		container = runContainer({
			name,
			image: 'lscr.io/linuxserver/qbittorrent:latest',
			publish: [{hostIp: '127.0.0.1', hostPort: port, containerPort: port}],
			mounts: [
				{source: config, destination: '/config'},
				{source: data, destination: '/data'},
			],
			env: {PUID: '1000', PGID: '1000', UMASK: '002', WEBUI_PORT: String(port), XDG_CONFIG_HOME: '/config', XDG_DATA_HOME: '/config', HOME: '/config'},
			user: '1000:1000',
			command: ['/usr/bin/qbittorrent-nox', `--webui-port=${port}`],
		});
		await waitForHttp(`http://127.0.0.1:${port}/`, 30_000, name);
	});

	after(async () => {
		await container?.stop();
		await podman?.stop();
		if (root) {
			rmSync(root, {recursive: true, force: true});
		}
	});

	it('lists the running container with its image, published port, bind mounts and PUID/PGID/UMASK', async () => {
		const listing = await listContainers({clis: cli, env: podman.env});
		assert.equal(listing.runtime, cli[0], `the CLI answered: ${'reason' in listing ? listing.reason : ''}`);
		const found = (listing as ContainerListing).containers.find(candidate => candidate.name === name);
		assert.ok(found, 'the container is listed');
		assert.equal(found.service, 'qbittorrent');
		assert.equal(found.image, 'lscr.io/linuxserver/qbittorrent:latest');
		assert.deepEqual(found.ports, [{containerPort: port, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port}]);
		const mounts = Object.fromEntries(found.mounts.map(mount => [mount.destination, mount.source]));
		assert.equal(mounts['/config'], path.join(root, 'appdata', 'qbittorrent'));
		assert.equal(mounts['/data'], path.join(root, 'data'));
		assert.deepEqual({PUID: found.env.PUID, PGID: found.env.PGID, UMASK: found.env.UMASK}, {PUID: '1000', PGID: '1000', UMASK: '002'});
		assert.equal(found.user, '1000:1000');
	});

	it('discovery finds qBittorrent through its container, and reads its conf through the /config mount', async () => {
		const listing = await listContainers({clis: cli, env: podman.env});
		const discovery = await discover({localhost: false, docker: listing, nativeConfigFiles: false});
		const qbittorrent = discovery.services.find(service => service.kind === 'qbittorrent' && service.port === port);
		assert.ok(qbittorrent, `qBittorrent found (got ${discovery.services.map(service => service.url).join(', ') || 'nothing'})`);
		assert.equal(qbittorrent.source, 'docker');
		assert.equal(qbittorrent.container?.name, name);
		assert.equal(qbittorrent.configFile?.file, path.join(root, 'appdata', 'qbittorrent', 'qBittorrent', 'qBittorrent.conf'));
		assert.equal(qbittorrent.configFile?.qbittorrent?.username, 'admin');
		assert.equal(qbittorrent.configFile?.qbittorrent?.savePath, '/data/torrents');
		assert.match(qbittorrent.configFile?.origin ?? '', new RegExp(`/config mount of container ${name}`));
	});

	it('no container CLI on this machine: discovery says so and goes on without containers', async () => {
		const listing = await listContainers({clis: ['docker', 'podman'], env: {PATH: '/nonexistent'}});
		assert.equal(listing.runtime, undefined);
		assert.equal('reason' in listing ? listing.reason : '', 'docker: not installed; podman: not installed');
		const discovery = await discover({localhost: false, docker: listing, nativeConfigFiles: false});
		assert.deepEqual(discovery.services, []);
		assert.equal(discovery.containers, listing);
	});
});

describe('a Sonarr in a container, published on another port than it listens on', () => {
	let podman: PodmanService;
	let container: RunningContainer;
	let root: string;
	let hostPort: number;
	const apiKey = randomKey();
	const name = `arrwire-test-sonarr-${process.pid}`;

	before(async () => {
		podman = await startPodmanService();
		root = mkdtempSync(path.join(tmpdir(), 'arrwire-docker-'));
		const config = path.join(root, 'appdata', 'sonarr');
		const media = path.join(root, 'data', 'media', 'tv');
		mkdirSync(config, {recursive: true});
		mkdirSync(media, {recursive: true});
		for (const directory of [config, media]) {
			chownSync(directory, 1000, 1000);
		}
		hostPort = await freePort();
		const specs = specsDirectory();
		assert.ok(specs, 'the OpenAPI specs are beside the repository');
		// The linuxserver layout: -data=/config, PUID/PGID, the one /data tree; the emulator writes /config/config.xml.
		container = runContainer({
			name,
			image: 'lscr.io/linuxserver/sonarr:latest',
			publish: [{hostIp: '127.0.0.1', hostPort, containerPort: 8989}],
			mounts: [
				{source: config, destination: '/config'},
				{source: path.join(root, 'data'), destination: '/data'},
				{source: specs, destination: '/shared/specs', readOnly: true},
			],
			env: {PUID: '1000', PGID: '1000', UMASK: '002', TZ: 'Etc/UTC'},
			user: '1000:1000',
			command: ['/usr/bin/node', '/app/dist/source/lab/serve.js', 'sonarr', '--port', '8989', '--api-key', apiKey, '--config-dir', '/config'],
		});
		await waitForHttp(`http://127.0.0.1:${hostPort}/ping`, 30_000, name);
	});

	after(async () => {
		await container?.stop();
		await podman?.stop();
		if (root) {
			rmSync(root, {recursive: true, force: true});
		}
	});

	it('is found at its published port, with its mounts and PUID/PGID, and its key is read from the /config mount and accepted', async () => {
		const listing = await listContainers({clis: cli, env: podman.env});
		const discovery = await discover({localhost: false, docker: listing, nativeConfigFiles: false});
		const sonarr = discovery.services.find(service => service.container?.name === name);
		assert.ok(sonarr, `Sonarr found (got ${discovery.services.map(service => service.url).join(', ') || 'nothing'})`);
		assert.equal(sonarr.kind, 'sonarr');
		assert.equal(sonarr.url, `http://127.0.0.1:${hostPort}`);
		assert.equal(sonarr.source, 'docker');
		const mounts = Object.fromEntries(sonarr.container!.mounts.map(mount => [mount.destination, mount.source]));
		assert.equal(mounts['/config'], path.join(root, 'appdata', 'sonarr'));
		assert.equal(mounts['/data'], path.join(root, 'data'));
		assert.deepEqual({PUID: sonarr.container!.env.PUID, PGID: sonarr.container!.env.PGID}, {PUID: '1000', PGID: '1000'});
		assert.equal(sonarr.configFile?.file, path.join(root, 'appdata', 'sonarr', 'config.xml'));
		assert.equal(sonarr.configFile?.servarr?.port, 8989, 'the file holds the port inside the container');
		assert.equal(sonarr.key?.value, apiKey);
		assert.match(sonarr.key?.from ?? '', new RegExp(`/config mount of container ${name}`));
		const [state] = await checkKnownCredentials([sonarr]);
		assert.equal(state!.check?.ok, true, JSON.stringify(state!.check));
	});
});
