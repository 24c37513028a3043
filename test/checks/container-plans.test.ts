// check and plan on real containers, for layouts where they used to disagree: qBittorrent (the real qbittorrent-nox)
// and the lab's Sonarr in podman, each with its own bind mounts. After apply, check must be clean (or still name
// what only the user can do), and what check proposes must be what plan would make.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runChecks} from '../../source/checks/collect.js';
import type {Finding} from '../../source/checks/findings.js';
import {listContainers, type ContainerListing} from '../../source/discovery/docker.js';
import {selectLinks} from '../../source/links/all.js';
import {applyLinks, planLinks} from '../../source/links/engine.js';
import {openWiring, type Wiring} from '../../source/links/wiring.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {execIn, runContainer, startPodmanService, waitForHttp, type PodmanService, type RunningContainer} from '../lab/containers.js';
import {randomKey} from '../../source/lab/harness.js';
import {freePort, linuxserverQbittorrentConf} from '../../source/lab/qbittorrent.js';

const cli: Array<'docker' | 'podman'> = spawnSync('docker', ['--version']).status === 0 ? ['docker'] : ['podman'];
const PASSWORD = 'plan-password';

interface Layout {
	/** Host folders to create, relative to the test's root. */
	folders: string[];
	/** qBittorrent's mounts (host path relative to the root -> container path), besides /config. */
	qbittorrent: Array<[string, string]>;
	sonarr: Array<[string, string]>;
	/** qBittorrent's default save path (inside its container). */
	savePath: string;
	autoTmm?: boolean;
	/** Categories made by the user before arrwire runs. */
	categories?: Record<string, string>;
	/** Root folders made by the user before arrwire runs. */
	rootFolders?: string[];
	/** uid:gid per service (default 1000:1000 for both). */
	users?: {qbittorrent?: string; sonarr?: string};
}

interface Stack {
	root: string;
	names: {qbittorrent: string; sonarr: string};
	qbittorrent: QbittorrentClient;
	sonarr: ServarrClient;
	wiring(): Promise<Wiring>;
	/** Re-creates Sonarr (same name, port and key) with this user and these mounts, and a fresh config. */
	startSonarr(user: string, mounts: Array<[string, string]>): Promise<void>;
	check(): Promise<Finding[]>;
	stop(): Promise<void>;
}

describe('check and plan agree on real containers', () => {
	let podman: PodmanService;
	let count = 0;

	before(async () => {
		podman = await startPodmanService();
	});
	after(async () => {
		await podman?.stop();
	});

	async function startStack(layout: Layout): Promise<Stack> {
		const id = `${process.pid}-${++count}`;
		const root = mkdtempSync(path.join(tmpdir(), 'arrwire-plan-'));
		const names = {qbittorrent: `arrwire-plan-qbt-${id}`, sonarr: `arrwire-plan-sonarr-${id}`};
		const containers: RunningContainer[] = [];
		const users = {qbittorrent: layout.users?.qbittorrent ?? '1000:1000', sonarr: layout.users?.sonarr ?? '1000:1000'};
		const stop = async () => {
			for (const container of containers) {
				await container.stop();
			}
			rmSync(root, {recursive: true, force: true});
		};
		try {
			for (const folder of ['appdata/qbittorrent/qBittorrent', 'home', ...layout.folders]) {
				mkdirSync(path.join(root, folder), {recursive: true});
			}
			const qbPort = await freePort();
			const sonarrPort = await freePort();
			const apiKey = randomKey();
			writeFileSync(
				path.join(root, 'appdata', 'qbittorrent', 'qBittorrent', 'qBittorrent.conf'),
				linuxserverQbittorrentConf({port: qbPort, password: PASSWORD}).replace('Session\\DefaultSavePath=/data/torrents', `Session\\DefaultSavePath=${layout.savePath}`),
			);
			spawnSync('chown', ['-R', '1000:1000', root]);
			const [qbUid, qbGid] = users.qbittorrent.split(':').map(Number);
			spawnSync('chown', ['-R', `${qbUid}:${qbGid}`, path.join(root, 'appdata', 'qbittorrent')]);
			const mounts = (list: Array<[string, string]>) => list.map(([source, destination]) => ({source: path.join(root, source), destination}));
			containers.push(
				runContainer({
					name: names.qbittorrent,
					image: 'lscr.io/linuxserver/qbittorrent:latest',
					publish: [{hostIp: '127.0.0.1', hostPort: qbPort, containerPort: qbPort}],
					mounts: [{source: path.join(root, 'appdata', 'qbittorrent'), destination: '/config'}, ...mounts(layout.qbittorrent)],
					env: {PUID: String(qbUid), PGID: String(qbGid), UMASK: '002', WEBUI_PORT: String(qbPort), HOME: '/config', XDG_CONFIG_HOME: '/config', XDG_DATA_HOME: '/config'},
					user: users.qbittorrent,
					command: ['/usr/bin/qbittorrent-nox', `--webui-port=${qbPort}`],
				}),
			);
			let starts = 0;
			// Sonarr can be re-created with other mounts or another user, as a user following a fix would.
			const startSonarr = async (user: string, sonarrMounts: Array<[string, string]>) => {
				const [uid, gid] = user.split(':').map(Number);
				const config = path.join(root, 'appdata', `sonarr-${++starts}`);
				mkdirSync(config, {recursive: true});
				chownSync(config, uid!, gid!);
				const index = containers.findIndex(container => container.name === names.sonarr);
				if (index >= 0) {
					await containers.splice(index, 1)[0]!.stop();
				}
				containers.push(
					runContainer({
						name: names.sonarr,
						image: 'lscr.io/linuxserver/sonarr:latest',
						publish: [{hostIp: '127.0.0.1', hostPort: sonarrPort, containerPort: 8989}],
						mounts: [{source: config, destination: '/config'}, ...mounts(sonarrMounts)],
						env: {PUID: String(uid), PGID: String(gid), UMASK: '002'},
						user,
						command: ['/usr/bin/node', '/app/dist/source/lab/serve.js', 'sonarr', '--port', '8989', '--api-key', apiKey, '--config-dir', '/config', '--no-spec'],
					}),
				);
				await waitForHttp(`http://127.0.0.1:${sonarrPort}/ping`, 30_000, names.sonarr);
			};
			await startSonarr(users.sonarr, layout.sonarr);
			await waitForHttp(`http://127.0.0.1:${qbPort}/`, 30_000, names.qbittorrent);
			const qbittorrent = new QbittorrentClient({url: `http://127.0.0.1:${qbPort}`, username: 'admin', password: PASSWORD});
			const sonarr = new ServarrClient({kind: 'sonarr', url: `http://127.0.0.1:${sonarrPort}`, apiKey});
			if (layout.autoTmm) {
				await qbittorrent.setPreferences({auto_tmm_enabled: true});
			}
			for (const [name, savePath] of Object.entries(layout.categories ?? {})) {
				await qbittorrent.createCategory(name, savePath);
			}
			for (const folder of layout.rootFolders ?? []) {
				await sonarr.addRootFolder(folder);
			}
			// Only this stack's containers: other stacks may run on the same machine.
			const listing = async (): Promise<ContainerListing> => {
				const all = await listContainers({clis: cli, env: podman.env});
				assert.ok(all.runtime, `containers listed: ${'reason' in all ? all.reason : ''}`);
				return {...all, containers: all.containers.filter(container => Object.values(names).includes(container.name))};
			};
			const options = async () => ({
				localhost: false,
				docker: await listing(),
				nativeConfigFiles: false,
				profileFile: path.join(root, 'home', 'profile.json'),
				journalFile: path.join(root, 'home', 'journal.json'),
				credentials: {qbittorrent: {username: 'admin', password: PASSWORD}},
			});
			const wiring = async () => openWiring({...(await options()), checks: true});
			return {
				root,
				names,
				qbittorrent,
				sonarr,
				wiring,
				startSonarr,
				async check() {
					const opened = await wiring();
					return (await runChecks({services: opened.stack.services, clients: opened.stack.clients})).findings;
				},
				stop,
			};
		} catch (error) {
			await stop();
			throw error;
		}
	}

	/** Plans and applies every change (hand-made ones too, as `apply --yes --yes-hand-made` does). */
	async function applyAll(stack: Stack) {
		const wiring = await stack.wiring();
		const plans = await planLinks(selectLinks(), wiring.context);
		const result = await applyLinks(selectLinks(), wiring.context, {confirm: async () => true});
		return {plans, wiring, result};
	}

	const errors = (findings: Finding[]) => findings.filter(finding => finding.severity === 'error').map(finding => `${finding.id} ${finding.subject}: ${finding.cause} | fix: ${finding.fix}`);

	/** The remote path mapping change the plan makes for Sonarr, as "host remote -> local". */
	function plannedMappings(plans: Awaited<ReturnType<typeof applyAll>>['plans']): string[] {
		const plan = plans.find(candidate => candidate.link.id === 'sonarr-remote-path-mapping');
		return (plan?.changes ?? []).filter(change => change.action !== 'delete').map(change => {
			const field = (name: string) => change.fields.find(candidate => candidate.name === name)?.to;
			return `${String(field('host'))} ${String(field('remote path'))} -> ${String(field('local path'))}`;
		});
	}

	it('the "tv" category saved in a second mount of qBittorrent (/tv-downloads), which Sonarr mounts elsewhere: plan keeps that path and maps it; after apply, check is clean', async () => {
		const stack = await startStack({
			folders: ['data/torrents', 'data/media/tv', 'tv-downloads'],
			qbittorrent: [
				['data', '/data'],
				['tv-downloads', '/tv-downloads'],
			],
			sonarr: [
				['data', '/data'],
				['tv-downloads', '/downloads/tv'],
			],
			savePath: '/data/torrents',
			autoTmm: true,
			categories: {tv: '/tv-downloads'},
			rootFolders: ['/data/media/tv'],
		});
		try {
			const before = (await stack.check()).filter(finding => finding.severity === 'error');
			assert.deepEqual(before.map(finding => finding.id), ['paths.remote-path-mapping-needed'], errors(before).join('\n'));
			const {plans, result, wiring} = await applyAll(stack);
			const categories = plans.find(plan => plan.link.id === 'qbittorrent-categories')!.changes;
			assert.deepEqual(categories.map(change => `${change.action} ${change.target}`), ['create category "movies"'], 'the user\'s "tv" category stays where it is');
			// Nothing of the user's is changed, so apply --yes alone makes every change.
			assert.deepEqual(plans.flatMap(plan => plan.changes).filter(change => change.handMade).map(change => change.target), []);
			const address = wiring.context.desired.addresses['sonarr->qbittorrent']!.host;
			assert.deepEqual(plannedMappings(plans), [`${address} /tv-downloads/ -> /downloads/tv/`]);
			assert.match(before[0]!.fix, new RegExp(`host ${address}, remote /tv-downloads/, local /downloads/tv/`), 'check proposes the mapping plan makes');
			assert.equal(result.failed, undefined, result.failed?.error.message);
			const afterApply = await stack.check();
			assert.deepEqual(errors(afterApply), [], 'after apply, check is clean');
			// Still true, and said: the category lies outside the tree with the media, so imports from it are copies.
			const separate = afterApply.find(finding => finding.id === 'paths.separate-mounts');
			assert.ok(separate, afterApply.map(finding => finding.id).join(', '));
			assert.match(separate.fix, /Save the "tv" category inside the tree that holds the media .* \/data\/torrents\/tv\)/);
			// What Sonarr will do: its mapping turns qBittorrent's folder into one its process can write to.
			assert.equal((await stack.qbittorrent.categories()).tv?.savePath, '/tv-downloads');
			const write = execIn(stack.names.sonarr, 'touch /downloads/tv/arrwire-probe && rm /downloads/tv/arrwire-probe');
			assert.ok(write.ok, write.output);
		} finally {
			await stack.stop();
		}
	});

	it('qBittorrent mounts the downloads folder at /downloads, Sonarr its parent at /data: check proposes the mapping plan makes (host as Sonarr reaches qBittorrent, /downloads/ -> /data/downloads/), and after apply check is clean', async () => {
		const stack = await startStack({
			folders: ['data/downloads/tv', 'data/media/tv'],
			qbittorrent: [['data/downloads', '/downloads']],
			sonarr: [['data', '/data']],
			savePath: '/downloads',
			autoTmm: true,
			rootFolders: ['/data/media/tv'],
		});
		try {
			const before = (await stack.check()).filter(finding => finding.severity === 'error');
			assert.deepEqual(before.map(finding => finding.id), ['paths.remote-path-mapping-needed'], errors(before).join('\n'));
			const wiring = await stack.wiring();
			const plans = await planLinks(selectLinks(), wiring.context);
			const address = wiring.context.desired.addresses['sonarr->qbittorrent']!.host;
			assert.doesNotMatch(address, /^127\./, 'Sonarr reaches qBittorrent through its network, not the published loopback port');
			assert.deepEqual(plannedMappings(plans), [`${address} /downloads/ -> /data/downloads/`]);
			// What plan shows above its changes (the path errors) gives the same mapping, not / -> /data/ for 127.0.0.1.
			const shown = wiring.report!.findings.filter(finding => finding.id === 'paths.remote-path-mapping-needed');
			assert.equal(shown.length, 1);
			assert.match(shown[0]!.fix, new RegExp(`host ${address.replaceAll('.', '\\.')}, remote /downloads/, local /data/downloads/`));
			const result = await applyLinks(selectLinks(), wiring.context, {confirm: async () => true});
			assert.equal(result.failed, undefined, result.failed?.error.message);
			assert.deepEqual(errors(await stack.check()), [], 'after apply, check is clean');
			assert.deepEqual((await stack.sonarr.remotePathMappings()).map(mapping => `${mapping.host} ${mapping.remotePath} -> ${mapping.localPath}`), [`${address} /downloads/ -> /data/downloads/`]);
		} finally {
			await stack.stop();
		}
	});

	/**
	 * What the kernel lets each process do, asked inside the containers: qBittorrent writes where it saves, Sonarr
	 * writes there and hardlinks qBittorrent's file into its library.
	 */
	function truth(stack: Stack): string[] {
		const failed: string[] = [];
		const made = execIn(stack.names.qbittorrent, 'rm -f /data/torrents/arrwire-source && echo episode > /data/torrents/arrwire-source');
		if (!made.ok) {
			failed.push(`qBittorrent cannot write /data/torrents: ${made.output}`);
		}
		const write = execIn(stack.names.sonarr, 'touch /data/torrents/arrwire-probe && rm /data/torrents/arrwire-probe');
		if (!write.ok) {
			failed.push(`Sonarr cannot write /data/torrents: ${write.output}`);
		}
		const link = execIn(stack.names.sonarr, 'ln /data/torrents/arrwire-source /data/media/tv/arrwire-link && rm /data/media/tv/arrwire-link');
		if (!link.ok) {
			failed.push(`Sonarr cannot hardlink into /data/media/tv: ${link.output}`);
		}
		rmSync(path.join(stack.root, 'data', 'torrents', 'arrwire-source'), {force: true});
		return failed;
	}

	it('qBittorrent as 1000:1000 and Sonarr as 2000:2000 on one tree: every permission fix is the one for the stack (one PUID/PGID, UMASK 002, one chown of the tree), and following it leaves check clean and both processes able to write and hardlink', async () => {
		const stack = await startStack({
			folders: ['data/torrents', 'data/media/tv'],
			qbittorrent: [['data', '/data']],
			sonarr: [['data', '/data']],
			savePath: '/data/torrents',
			users: {sonarr: '2000:2000'},
		});
		try {
			assert.ok(truth(stack).some(line => line.startsWith('Sonarr cannot write')), 'the kernel refuses Sonarr');
			const tree = path.join(stack.root, 'data');
			const permissions = (await stack.check()).filter(finding => finding.severity === 'error' && finding.id.startsWith('permissions.'));
			assert.ok(permissions.some(finding => finding.subject === 'Sonarr' && finding.id === 'permissions.no-write'), errors(permissions).join('\n'));
			for (const finding of permissions) {
				// A chown for Sonarr alone would lock qBittorrent out of its own downloads (and the next check would ask to chown back).
				assert.doesNotMatch(finding.fix, /chown -R 2000:2000/, finding.fix);
				assert.match(finding.fix, /PUID=1000 PGID=1000 UMASK=002/, finding.fix);
				assert.match(finding.fix, new RegExp(`${stack.names.sonarr}`), finding.fix);
				assert.match(finding.fix, new RegExp(`chown -R 1000:1000 ${tree} `), finding.fix);
			}
			// Following it: Sonarr re-created with the stack's user, the tree given to that user.
			assert.equal(spawnSync('chown', ['-R', '1000:1000', tree]).status, 0);
			assert.equal(spawnSync('chmod', ['-R', 'u+rwX,g+rwX', tree]).status, 0);
			await stack.startSonarr('1000:1000', [['data', '/data']]);
			await stack.sonarr.addRootFolder('/data/media/tv');
			assert.deepEqual(errors(await stack.check()), []);
			assert.deepEqual(truth(stack), []);
		} finally {
			await stack.stop();
		}
	});

	it('downloads not mounted in Sonarr (only its library, at /tv): the fix mounts the data tree that holds both, in compose and -v form, and following it leaves check without a path finding', async () => {
		const stack = await startStack({
			folders: ['data/torrents/tv', 'data/media/tv'],
			qbittorrent: [['data', '/data']],
			sonarr: [['data/media/tv', '/tv']],
			savePath: '/data/torrents',
			rootFolders: ['/tv'],
		});
		try {
			const tree = path.join(stack.root, 'data');
			const findings = await stack.check();
			const missing = findings.find(finding => finding.id === 'paths.download-not-visible');
			assert.ok(missing, errors(findings).join('\n'));
			assert.match(missing.fix, new RegExp(`volumes: \\["${tree}:/data"\\]`), missing.fix);
			assert.match(missing.fix, new RegExp(`-v ${tree}:/data(?![\\w/])`), missing.fix);
			assert.doesNotMatch(missing.fix, /torrents:/, 'not the download folder alone');
			await stack.startSonarr('1000:1000', [['data', '/data']]);
			await stack.sonarr.addRootFolder('/data/media/tv');
			assert.deepEqual(
				(await stack.check()).filter(finding => finding.id.startsWith('paths.') && finding.severity !== 'info').map(finding => `${finding.id}: ${finding.cause}`),
				[],
			);
		} finally {
			await stack.stop();
		}
	});
});
