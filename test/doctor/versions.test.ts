// Versions that work together, on the lab: a Jellyfin that claims 12.0.0 refuses the legacy header Sonarr and Radarr
// send, though Sonarr 4's own test still passes. Doctor names the combination with its fix, proven by arrwire's own
// call with the same key; the same stack with legacy authorization turned back on gives no such finding. A Seerr 3
// config folder of another owner is named when its container shows it. Each test starts from its own lab.
import assert from 'node:assert/strict';
import {chownSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, it} from 'node:test';
import {Ajv} from 'ajv';
import {runDoctor} from '../../source/commands/doctor.js';
import {diagnose} from '../../source/doctor/diagnose.js';
import {selectLinks} from '../../source/links/all.js';
import {applyLinks} from '../../source/links/engine.js';
import {openWiring, type WiringOptions} from '../../source/links/wiring.js';
import {JellyfinClient} from '../../source/services/jellyfin.js';
import {assertNoSpecViolations} from '../../source/lab/harness.js';
import {startLab, type Lab, type LabOptions} from '../../source/lab/lab.js';
import {capture} from '../helpers.js';

interface JsonFinding {
	id: string;
	severity: string;
	subject: string;
	cause: string;
	evidence: string[];
	fix: string;
}

interface DoctorJson {
	ok: boolean;
	services: Array<{kind: string; version: string | null; state: string}>;
	links: Array<{id: string; state: string; findings: JsonFinding[]}>;
	findings: {services: JsonFinding[]; paths: JsonFinding[]; security: JsonFinding[]};
}

const allFindings = (json: DoctorJson) => [...json.findings.services, ...json.links.flatMap(link => link.findings)];
const link = (json: DoctorJson, id: string) => json.links.find(candidate => candidate.id === id)!;

/** The links that need no Jellyseerr: Jellyseerr 2.7 cannot sign in to a Jellyfin 12 at all (a rule of its own). */
const WITHOUT_JELLYSEERR = selectLinks().filter(candidate => !candidate.id.startsWith('jellyseerr-'));

describe('doctor weighs the versions of the stack', () => {
	let lab: Lab | undefined;
	let state: string | undefined;

	afterEach(async () => {
		if (lab) {
			assertNoSpecViolations(...lab.emulators());
			await lab.stop();
		}
		if (state) {
			rmSync(state, {recursive: true, force: true});
		}
		lab = undefined;
		state = undefined;
	});

	async function wiredLab(options: LabOptions): Promise<{lab: Lab; options: WiringOptions}> {
		lab = await startLab({defaultPorts: false, ...options});
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-versions-'));
		const wiringOptions = lab.arrwireOptions(state);
		const wiring = await openWiring(wiringOptions);
		const result = await applyLinks(WITHOUT_JELLYSEERR, wiring.context, {confirm: async () => true});
		assert.equal(result.failed, undefined, result.failed?.error.message);
		await lab.prowlarr.idle();
		return {lab, options: wiringOptions};
	}

	async function doctor(options: WiringOptions): Promise<{code: number; json: DoctorJson; text: string}> {
		const json = capture();
		const code = await runDoctor({...options, json: true, offerRepairs: false}, json.out);
		const text = capture();
		await runDoctor({...options, offerRepairs: false}, text.out);
		// The findings of the version rules fit the published doctor --json shape.
		const schema = JSON.parse(readFileSync(path.resolve('source/present/schemas/doctor.schema.json'), 'utf8')) as object;
		const validate = new Ajv({allErrors: true, strict: false}).compile(schema);
		const data: unknown = JSON.parse(json.text());
		assert.ok(validate(data), JSON.stringify(validate.errors));
		return {code, json: data as DoctorJson, text: text.text()};
	}

	it('Jellyfin 12 with legacy authorization off and Sonarr 4.0.19 sending X-MediaBrowser-Token: named with its fix, though Sonarr\'s own test passes', async () => {
		const {lab, options} = await wiredLab({jellyfinVersion: '12.0.0'});
		assert.equal(lab.jellyfin.legacyAuthorization, false);
		// What the user would find out later: Sonarr saved and tested the connection, yet every import is refused.
		const show = path.join(lab.paths.tv, 'A Show (2024)');
		assert.deepEqual(await lab.sonarr.notifyImport(show), [401]);
		assert.ok(!lab.jellyfin.mediaUpdates.includes(show));

		const {code, json, text} = await doctor(options);
		assert.equal(code, 1);
		assert.deepEqual(
			Object.fromEntries(json.services.filter(service => ['sonarr', 'radarr', 'jellyfin'].includes(service.kind)).map(service => [service.kind, service.version])),
			{sonarr: '4.0.19.2979', radarr: '5.28.0.10205', jellyfin: '12.0.0'},
		);
		const sonarr = link(json, 'sonarr-jellyfin-refresh');
		assert.equal(sonarr.state, 'fault');
		assert.deepEqual(sonarr.findings.map(finding => finding.id), ['compat.jellyfin-legacy-auth.sonarr-4']);
		const [finding] = sonarr.findings;
		assert.equal(finding!.severity, 'error');
		assert.match(finding!.cause, /Sonarr sends its Jellyfin key as X-MediaBrowser-Token/);
		assert.match(finding!.cause, /passes whatever the key/);
		assert.match(finding!.fix, /<EnableLegacyAuthorization>true<\/EnableLegacyAuthorization>/);
		// The key itself is right: arrwire's own call with it, in the modern header, was accepted.
		assert.ok(finding!.evidence.some(line => /the key it gives Sonarr \("arrwire"\), in the Authorization header: accepted/.test(line)), finding!.evidence.join('\n'));
		assert.ok(finding!.evidence.includes('Jellyfin 12.0.0, EnableLegacyAuthorization off'), finding!.evidence.join('\n'));
		assert.deepEqual(link(json, 'radarr-jellyfin-refresh').findings.map(candidate => candidate.id), ['compat.jellyfin-legacy-auth.radarr']);
		// Jellyseerr 2.7 (not linked here) is named too: its rule says which side to upgrade.
		const jellyseerr = allFindings(json).find(candidate => candidate.id === 'compat.jellyfin-legacy-auth.jellyseerr-2');
		assert.match(jellyseerr?.fix ?? '', /^Move to Seerr 3/, JSON.stringify(allFindings(json).map(candidate => candidate.id)));
		// The text report: the versions under the map, the finding with its fix.
		assert.match(text, /Versions: .*Sonarr 4\.0\.19\.2979/s);
		assert.match(text, /Jellyfin 12\.0\.0/);
		assert.match(text.replace(/\s+/g, ' '), /set <EnableLegacyAuthorization>true<\/EnableLegacyAuthorization> in Jellyfin's system\.xml/);
	});

	it('the same stack with legacy authorization turned back on: the imports reach Jellyfin and no version finding', async () => {
		const {lab, options} = await wiredLab({jellyfinVersion: '12.0.0', jellyfinLegacyAuthorization: true});
		const show = path.join(lab.paths.tv, 'A Show (2024)');
		assert.deepEqual(await lab.sonarr.notifyImport(show), [204]);
		const {json} = await doctor(options);
		assert.equal(link(json, 'sonarr-jellyfin-refresh').state, 'linked', JSON.stringify(link(json, 'sonarr-jellyfin-refresh')));
		assert.equal(link(json, 'radarr-jellyfin-refresh').state, 'linked');
		assert.deepEqual(
			allFindings(json).filter(finding => finding.id.startsWith('compat.')),
			[],
		);
	});

	it('Sonarr of the v5 branch, and Jellyfin upgraded to 12 turning legacy authorization off: its test reads the right key as wrong; doctor says it is the header', async () => {
		const {lab, options} = await wiredLab({jellyfinVersion: '12.0.0', jellyfinLegacyAuthorization: true, sonarrVersion: '5.0.0.3000'});
		assert.equal((await doctor(options)).json.links.find(candidate => candidate.id === 'sonarr-jellyfin-refresh')!.state, 'linked');
		// What Jellyfin 12's DisableLegacyAuthorization migration does.
		lab.jellyfin.legacyAuthorization = false;
		const {json} = await doctor(options);
		const sonarr = link(json, 'sonarr-jellyfin-refresh');
		assert.deepEqual(sonarr.findings.map(finding => finding.id), ['compat.jellyfin-legacy-auth.sonarr-5'], JSON.stringify(sonarr.findings));
		const [finding] = sonarr.findings;
		assert.match(finding!.cause, /Sonarr's test \(GET \/System\/Configuration\) reads the right key as wrong/);
		assert.ok(finding!.evidence.includes("Sonarr's own test: API Key is incorrect"), finding!.evidence.join('\n'));
		assert.ok(finding!.evidence.some(line => /in the Authorization header: accepted/.test(line)), finding!.evidence.join('\n'));
		assert.match(finding!.fix, /EnableLegacyAuthorization/);
	});

	it('a key Jellyfin revoked, on a Jellyfin 10.11 that still takes the legacy header: a wrong key, though Sonarr\'s own test passes', async () => {
		lab = await startLab({defaultPorts: false});
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-versions-'));
		// A key the user made in Jellyfin's dashboard and gave arrwire for this connection.
		const key = lab.jellyfin.addApiKey('mine');
		const options = {...lab.arrwireOptions(state), jellyfinApiKey: key};
		const wiring = await openWiring(options);
		const result = await applyLinks(selectLinks(['sonarr-jellyfin-refresh']), wiring.context, {confirm: async () => true});
		assert.equal(result.failed, undefined, result.failed?.error.message);
		const admin = new JellyfinClient({url: lab.jellyfin.url});
		await admin.authenticateByName(lab.jellyfinAdmin.name, lab.jellyfinAdmin.password);
		await admin.deleteApiKey(key);
		assert.deepEqual(await lab.sonarr.notifyImport(path.join(lab.paths.tv, 'A Show (2024)')), [401]);
		const {json, text} = await doctor(options);
		const sonarr = link(json, 'sonarr-jellyfin-refresh');
		assert.deepEqual(sonarr.findings.map(finding => finding.id), ['link.jellyfin-refresh-key-refused']);
		assert.match(sonarr.findings[0]!.cause, /Jellyfin refuses the key Sonarr holds, even in the modern Authorization header/);
		assert.match(sonarr.findings[0]!.cause, /Sonarr's own test passed, but it does not check the key/);
		assert.ok(!text.includes(key), 'the key is never shown');
	});

	it('Seerr 3 whose container mounts a config folder owned by another user: the chown named; owned by UID 1000, nothing', async () => {
		const {lab, options} = await wiredLab({seerrFlavor: 'seerr'});
		const folder = mkdtempSync(path.join(state!, 'seerr-config-'));
		chownSync(folder, 4321, 4321);
		const wiring = await openWiring(options);
		// What docker inspect shows of a Seerr container (its image runs as node:node).
		const seerr = wiring.stack.services.jellyseerr!;
		seerr.container = {id: 'c0ffee', name: 'seerr', image: 'ghcr.io/seerr-team/seerr', service: 'jellyseerr', running: true, ports: [], mounts: [{type: 'bind', source: folder, destination: '/app/config', rw: true}], env: {}, user: 'node:node', networkMode: 'bridge', networks: []};
		const owner = async () => {
			const report = await diagnose(wiring, WITHOUT_JELLYSEERR);
			return [...report.serviceFindings, ...report.links.flatMap(candidate => candidate.findings)].filter(finding => finding.id === 'compat.seerr-3-config-owner');
		};
		const [finding] = await owner();
		assert.equal(lab.jellyseerr.version, '3.1.0');
		assert.ok(finding, 'the owner of the folder is named');
		assert.ok(finding.evidence!.includes(`${folder} is owned by UID 4321`), finding.evidence!.join('\n'));
		assert.equal(finding.fix, `Give the folder to UID 1000: sudo chown -R 1000:1000 ${folder} (the folder mounted as /app/config).`);
		chownSync(folder, 1000, 1000);
		assert.deepEqual(await owner(), []);
	});

	it('Sonarr claiming the v5 branch: its own test reads the right key as wrong against Jellyfin 12, which accepts the same key in the modern header', async () => {
		// The emulator tests as Sonarr's v5 branch does (GET /System/Configuration with X-MediaBrowser-Token).
		lab = await startLab({defaultPorts: false, jellyfinVersion: '12.0.0', sonarrVersion: '5.0.0.3000'});
		const key = lab.jellyfin.addApiKey('arrwire');
		const template = {host: lab.jellyfin.host, port: lab.jellyfin.port, useSsl: false, urlBase: '', apiKey: key, updateLibrary: true};
		const test = async () => {
			const response = await fetch(`${lab!.sonarr.url}/api/v3/notification/test`, {
				method: 'POST',
				headers: {'x-api-key': lab!.keys.sonarr, 'content-type': 'application/json'},
				body: JSON.stringify({
					name: 'Jellyfin',
					implementation: 'MediaBrowser',
					configContract: 'MediaBrowserSettings',
					onDownload: true,
					fields: Object.entries(template).map(([name, value]) => ({name, value})),
				}),
			});
			return {status: response.status, body: await response.text()};
		};
		const refused = await test();
		assert.equal(refused.status, 400);
		assert.match(refused.body, /API Key is incorrect/);
		// The same key, in the header every Jellyfin accepts, is fine.
		const modern = await fetch(`${lab.jellyfin.url}/System/Configuration`, {headers: {authorization: `MediaBrowser Token="${key}"`}});
		assert.equal(modern.status, 200);
		assert.equal(((await modern.json()) as {EnableLegacyAuthorization: boolean}).EnableLegacyAuthorization, false);
	});
});
