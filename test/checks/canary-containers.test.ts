// The canary proof where arrwire cannot look inside: the real qBittorrent on this machine, the lab's Sonarr in a
// podman container, and arrwire with no Docker access at all (--no-docker), so the path checks see no mounts. With
// the data tree mounted at the same path the proof passes; with only the media mounted, Sonarr itself says it does
// not see qBittorrent's downloads, and the fix is the mount.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {CANARY_PREFIX} from '../../source/checks/canary.js';
import {runChecks} from '../../source/checks/collect.js';
import {openWiring} from '../../source/links/wiring.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {randomKey} from '../../source/lab/harness.js';
import {specsDirectory} from '../../source/lab/spec-check.js';
import {freePort, startQbittorrent, type RunningQbittorrent} from '../../source/lab/qbittorrent.js';
import {assertPodman, runContainer, waitForHttp, type RunningContainer} from '../lab/containers.js';

describe('the canary proof with Sonarr in a container arrwire cannot inspect', () => {
	let root: string;
	let qbittorrent: RunningQbittorrent;
	const containers: RunningContainer[] = [];
	let count = 0;

	before(async () => {
		assertPodman();
		root = mkdtempSync(path.join(tmpdir(), 'arrwire-canary-podman-'));
		for (const folder of ['data/torrents', 'data/media/tv', 'other-tv', 'state']) {
			mkdirSync(path.join(root, folder), {recursive: true});
		}
		spawnSync('chown', ['-R', '1000:1000', path.join(root, 'data'), path.join(root, 'other-tv')]);
		qbittorrent = await startQbittorrent({host: '127.0.0.1', savePath: path.join(root, 'data', 'torrents')});
	});
	after(async () => {
		for (const container of containers) {
			await container.stop();
		}
		await qbittorrent?.stop();
		rmSync(root, {recursive: true, force: true});
	});

	/** Sonarr in a container with these mounts: host folders under the test's root, at the same path inside unless given. */
	async function sonarrWith(folders: Array<string | [string, string]>): Promise<{url: string; apiKey: string}> {
		const name = `arrwire-canary-sonarr-${process.pid}-${++count}`;
		const port = await freePort();
		const apiKey = randomKey();
		const config = path.join(root, `sonarr-config-${count}`);
		// Every request checked against the OpenAPI file inside the container too.
		const specs = specsDirectory();
		assert.ok(specs, 'the OpenAPI specs (../shared/specs or $ARRWIRE_SPECS)');
		mkdirSync(config);
		spawnSync('chown', ['1000:1000', config]);
		containers.push(
			runContainer({
				name,
				image: 'lscr.io/linuxserver/sonarr:latest',
				publish: [{hostIp: '127.0.0.1', hostPort: port, containerPort: 8989}],
				mounts: [{source: config, destination: '/config'}, {source: specs, destination: '/specs', readOnly: true}, ...folders.map((folder): [string, string] => (typeof folder === 'string' ? [folder, folder] : folder)).map(([source, destination]) => ({source: path.join(root, source), destination: path.join(root, destination)}))],
				env: {PUID: '1000', PGID: '1000', ARRWIRE_SPECS: '/specs'},
				user: '1000:1000',
				command: ['/usr/bin/node', '/app/dist/source/lab/serve.js', 'sonarr', '--port', '8989', '--api-key', apiKey, '--config-dir', '/config'],
			}),
		);
		const url = `http://127.0.0.1:${port}`;
		await waitForHttp(`${url}/ping`, 30_000, name);
		await new ServarrClient({kind: 'sonarr', url, apiKey}).addRootFolder(path.join(root, 'data', 'media', 'tv'));
		return {url, apiKey};
	}

	async function check(sonarr: {url: string; apiKey: string}) {
		const {stack} = await openWiring({
			localhost: false,
			hosts: [`127.0.0.1:${qbittorrent.port}`, new URL(sonarr.url).host],
			docker: false,
			nativeConfigFiles: false,
			profileFile: path.join(root, 'state', 'profile.json'),
			journalFile: path.join(root, 'state', 'journal.json'),
			credentials: {qbittorrent: {username: qbittorrent.username, password: qbittorrent.password}, sonarr: {apiKey: sonarr.apiKey}},
		});
		assert.ok(stack.clients.sonarr && stack.clients.qbittorrent, 'both services found with their credentials');
		return runChecks({services: stack.services, clients: stack.clients, canary: true});
	}

	const canariesLeft = () => readdirSync(path.join(root, 'data'), {recursive: true, encoding: 'utf8'}).filter(entry => path.basename(entry).startsWith(CANARY_PREFIX));

	it('the data tree mounted at the same path: Sonarr sees the file where it imports from, and the import is a hardlink', async () => {
		const report = await check(await sonarrWith(['data']));
		assert.deepEqual(
			report.findings.filter(finding => finding.id.startsWith('canary.')),
			[],
		);
		const proven = report.canary!.proven.join('\n');
		assert.match(proven, new RegExp(`Sonarr sees qBittorrent's "tv" downloads at ${path.join(root, 'data', 'torrents')}, where it imports from`));
		assert.match(proven, /link count 2/);
		assert.match(proven, new RegExp(`Sonarr sees its root folder ${path.join(root, 'data', 'media', 'tv')}`));
		assert.deepEqual(canariesLeft(), []);
	});

	it('only the media mounted: the path checks cannot tell, Sonarr itself says it does not see the downloads, and the fix is the data tree mount', async () => {
		const report = await check(await sonarrWith(['data/media']));
		// Without Docker, the path checks take Sonarr to see the host as it is: they find nothing wrong here.
		assert.ok(!report.findings.some(finding => finding.id === 'paths.download-not-visible'));
		const notSeen = report.findings.filter(finding => finding.id === 'canary.download-not-seen');
		assert.equal(notSeen.length, 1, JSON.stringify(report.findings, null, 1));
		const [finding] = notSeen;
		const downloads = path.join(root, 'data', 'torrents');
		assert.equal(finding!.severity, 'error');
		assert.equal(finding!.subject, 'Sonarr -> qBittorrent');
		assert.match(finding!.cause, new RegExp(`and Sonarr, asked for ${downloads}, does not see it`));
		assert.deepEqual(finding!.evidence, [`Sonarr lists nothing in ${downloads} (for it the folder is missing, empty or unreadable)`]);
		const data = path.join(root, 'data');
		assert.equal(finding!.fix, `Mount qBittorrent's download folder into Sonarr's container (or machine) where it looks for it: compose \`volumes: ["${data}:${data}"]\` (docker run -v the same), then restart it.`);
		// The library is mounted: Sonarr sees the hardlink there.
		assert.match(report.canary!.proven.join('\n'), /Sonarr sees its root folder/);
		assert.deepEqual(canariesLeft(), []);
	});

	it('the library mounted from another host folder at the path of the one here: Sonarr does not see the file in its root folder, so the hardlink into it is not proven (a warning: without its mounts, arrwire cannot say which folder it is)', async () => {
		const report = await check(await sonarrWith(['data/torrents', ['other-tv', 'data/media/tv']]));
		const tv = path.join(root, 'data', 'media', 'tv');
		const elsewhere = report.findings.filter(finding => finding.id === 'canary.root-folder-elsewhere');
		assert.equal(elsewhere.length, 1, JSON.stringify(report.findings, null, 1));
		assert.equal(elsewhere[0]!.severity, 'warning');
		assert.match(elsewhere[0]!.cause, new RegExp(`Sonarr's root folder ${tv} is not the folder ${tv} on this machine`));
		assert.deepEqual(elsewhere[0]!.evidence, [`Sonarr lists nothing in ${tv} (for it the folder is missing, empty or unreadable)`]);
		// The downloads are mounted where qBittorrent has them: that part is proven.
		assert.match(report.canary!.proven.join('\n'), /Sonarr sees qBittorrent's "tv" downloads/);
		assert.deepEqual(canariesLeft(), []);
		assert.deepEqual(readdirSync(path.join(root, 'other-tv')), []);
	});
});
