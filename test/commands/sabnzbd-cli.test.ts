// NZBgeek with SABnzbd, through the built CLI as a person runs it: before, doctor names the missing Usenet client and
// the SABnzbd it found; apply --yes gives SABnzbd its tv and movies folders and adds it to Sonarr and Radarr (each
// saved only after the service's own test called SABnzbd with the key from sabnzbd.ini); doctor is then free of the
// protocol fault; a second apply changes nothing; a key Sonarr holds that SABnzbd refuses is repaired; undo removes
// what arrwire created and gives back the folder it changed. No secret appears in any output.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {SabnzbdClient} from '../../source/services/sabnzbd.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {withFields} from '../../source/services/provider.js';
import {startCliLab, type CliLab, type Outcome} from './cli-lab.js';

interface DoctorJson {
	ok: boolean;
	services: Array<{kind: string; state: string}>;
	links: Array<{id: string; state: string}>;
	findings: {services: Array<{id: string; subject: string; cause: string; fix: string; severity: string}>};
}

const SABNZBD_LINKS = ['sabnzbd-categories', 'sonarr-sabnzbd-download-client', 'radarr-sabnzbd-download-client'];

describe('NZBgeek needs a Usenet client: SABnzbd wired by apply --yes, checked by doctor, removed by undo (CLI)', () => {
	let stack: CliLab;
	const outputs: Outcome[] = [];
	const run = async (command: string, ...extra: string[]) => {
		const outcome = await stack.arrwire(command, ...extra);
		outputs.push(outcome);
		return outcome;
	};
	const doctor = async () => {
		const outcome = await run('doctor', '--json');
		return {code: outcome.code, json: JSON.parse(outcome.stdout) as DoctorJson};
	};
	const sabnzbd = () => new SabnzbdClient({url: stack.lab.sabnzbd!.url, apiKey: stack.lab.sabnzbd!.apiKey});
	const servarr = (kind: 'sonarr' | 'radarr') => new ServarrClient({kind, url: stack.lab[kind].url, apiKey: stack.lab.keys[kind]});
	const sabClients = async (kind: 'sonarr' | 'radarr') => (await servarr(kind).downloadClients()).filter(client => client.implementation === 'Sabnzbd');
	const folders = async () => Object.fromEntries((await sabnzbd().categories()).filter(category => ['tv', 'movies'].includes(category.name)).map(category => [category.name, category.dir]));

	before(async () => {
		stack = await startCliLab({sabnzbd: true});
		// A SABnzbd whose "tv" category was removed; "movies" is as SABnzbd ships it, with no folder.
		await sabnzbd().deleteCategory('tv');
		// The stack as it is wired today: NZBgeek in Prowlarr (synced to Sonarr and Radarr) and qBittorrent only.
		const only = ['qbittorrent-categories', 'sonarr-download-client', 'radarr-download-client', 'nzbgeek-indexer', 'prowlarr-sonarr', 'prowlarr-radarr'];
		const wired = await run('apply', '--yes', ...only.flatMap(id => ['--only', id]));
		assert.equal(wired.code, 0, wired.stdout + wired.stderr);
		await stack.lab.prowlarr.idle();
	});
	after(async () => {
		await stack?.stop();
	});

	it('before: doctor exits 1 with the protocol finding, naming the SABnzbd it found', async () => {
		const {code, json} = await doctor();
		assert.equal(code, 1);
		const coverage = json.findings.services.filter(finding => finding.id === 'protocol.no-usenet-client');
		assert.deepEqual(coverage.map(finding => finding.subject).sort(), ['Radarr', 'Sonarr']);
		for (const finding of coverage) {
			assert.ok(finding.fix.includes(`SABnzbd (found at ${stack.lab.sabnzbd!.url})`), finding.fix);
		}
	});

	it('apply --yes gives SABnzbd its folders and adds it to Sonarr and Radarr; doctor then has no protocol fault', async () => {
		const applied = await run('apply', '--yes');
		assert.equal(applied.code, 0, applied.stdout + applied.stderr);
		assert.deepEqual(await folders(), {tv: 'tv', movies: 'movies'});
		const [sonarr] = await sabClients('sonarr');
		const [radarr] = await sabClients('radarr');
		assert.equal(sonarr?.protocol, 'usenet');
		assert.equal(sonarr?.fields.find(field => field.name === 'tvCategory')?.value, 'tv');
		assert.equal(radarr?.fields.find(field => field.name === 'movieCategory')?.value, 'movies');
		const {code, json} = await doctor();
		assert.deepEqual(json.findings.services.filter(finding => finding.id.startsWith('protocol.')), []);
		for (const id of SABNZBD_LINKS) {
			assert.equal(json.links.find(link => link.id === id)?.state, 'linked', id);
		}
		assert.equal(json.ok, true, JSON.stringify(json.findings));
		assert.equal(json.services.find(service => service.kind === 'sabnzbd')?.state, 'ok', JSON.stringify(json.services));
		assert.equal(code, 0);
	});

	it('a second apply changes nothing', async () => {
		const writes = stack.lab.sonarr.writes().length + stack.lab.radarr.writes().length + stack.lab.sabnzbd!.writes().length;
		const again = await run('apply', '--yes');
		assert.equal(again.code, 0, again.stdout + again.stderr);
		assert.equal(stack.lab.sonarr.writes().length + stack.lab.radarr.writes().length + stack.lab.sabnzbd!.writes().length, writes);
	});

	it('a key Sonarr holds that SABnzbd refuses: the link is at fault (Sonarr\'s test gets a 403) and apply puts the right key back', async () => {
		const [client] = await sabClients('sonarr');
		// Saved disabled: Sonarr tests an enabled client on save, and would refuse the wrong key.
		await servarr('sonarr').update('downloadclient', {...withFields(client!, {apiKey: '0'.repeat(32)}), enable: false});
		const {code, json} = await doctor();
		assert.equal(code, 1);
		assert.notEqual(json.links.find(link => link.id === 'sonarr-sabnzbd-download-client')?.state, 'linked');
		// plan only reads (it runs no service test), so it sees the client disabled, not the key refused: apply tests it.
		const plan = await run('plan');
		assert.match(plan.stdout, /Sonarr -> SABnzbd download client[^\n]*:\n\s+Sonarr: update download client "SABnzbd"/, plan.stdout);
		const repaired = await run('apply', '--yes');
		assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
		assert.equal((await doctor()).json.links.find(link => link.id === 'sonarr-sabnzbd-download-client')?.state, 'linked');
	});

	it('undo removes the SABnzbd clients and the category it created, and gives back the folder it changed', async () => {
		// Undo reverses the last run: the repair, then the run that wired SABnzbd.
		for (let time = 0; time < 2; time++) {
			const undone = await run('undo', '--yes');
			assert.equal(undone.code, 0, undone.stdout + undone.stderr);
		}
		assert.deepEqual(await sabClients('sonarr'), []);
		assert.deepEqual(await sabClients('radarr'), []);
		assert.deepEqual(await folders(), {movies: ''});
	});

	it('no secret appears in any output', () => {
		const secrets = [stack.lab.sabnzbd!.apiKey, stack.lab.qbittorrent.password, ...Object.values(stack.lab.keys)];
		for (const outcome of outputs) {
			for (const secret of secrets) {
				assert.ok(!outcome.stdout.includes(secret) && !outcome.stderr.includes(secret), 'a secret appeared in an output');
			}
		}
	});
});
