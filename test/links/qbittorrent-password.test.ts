// The on-request qBittorrent password link: only when asked for, a new strong password that Sonarr and Radarr get in
// the same run, kept in the profile even when a later step of the run fails, and never shown.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {runApply} from '../../source/commands/apply.js';
import {ALL_LINKS, selectLinks} from '../../source/links/all.js';
import {linkOrderProblem, runLinks} from '../../source/links/engine.js';
import {keepValues} from '../../source/links/kept.js';
import {isWeakPassword} from '../../source/links/qbittorrent-password.js';
import {openWiring} from '../../source/links/wiring.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {capture} from '../helpers.js';
import {startLab, type Lab} from '../../source/lab/lab.js';

describe('link: a strong qBittorrent password, on request', () => {
	let lab: Lab;
	let state: string;
	before(async () => {
		lab = await startLab({defaultPorts: false});
		state = mkdtempSync(path.join(tmpdir(), 'arrwire-password-'));
		await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).setPreferences({web_ui_password: 'adminadmin'});
	});
	after(async () => {
		await lab?.stop();
		rmSync(state, {recursive: true, force: true});
	});

	it('is never part of a plain apply', () => {
		assert.ok(!selectLinks().some(link => link.id === 'qbittorrent-password'));
		assert.ok(selectLinks(['qbittorrent-password']).some(link => link.id === 'qbittorrent-password'));
		assert.equal(isWeakPassword('adminadmin'), true);
		assert.equal(isWeakPassword('short'), true);
		assert.equal(isWeakPassword('a-long-enough-password'), false);
		assert.equal(linkOrderProblem(ALL_LINKS), undefined, 'every link runs after the ones it needs');
		assert.match(linkOrderProblem(selectLinks(['sonarr-download-client', 'qbittorrent-password']).reverse()) ?? '', /sonarr-download-client must run after qbittorrent-password/);
	});

	it('the engine returns the password it set to keep, though the next link fails, and hands it on without changing the shared state', async () => {
		const options = {...lab.arrwireOptions(state), credentials: {...lab.arrwireOptions(state).credentials, qbittorrent: {username: 'admin', password: 'adminadmin'}}};
		const wiring = await openWiring(options);
		const accepted = structuredClone(wiring.context.desired.qbittorrent);
		// Sonarr refuses to create its download client, after qBittorrent has the new password.
		lab.sonarr.inject({method: 'POST', path: '/api/v3/downloadclient', status: 500, times: 1});
		const result = await runLinks(selectLinks(['qbittorrent-password', 'sonarr-download-client']), wiring.context, {confirm: async () => true});
		assert.equal(result.failed?.change.link, 'sonarr-download-client', 'the run stopped at the injected failure');
		const kept = result.kept.qbittorrentLogin;
		assert.equal(kept?.username, 'admin');
		assert.equal(kept?.password.length, 24);
		await new QbittorrentClient({url: lab.qbittorrent.url, username: 'admin', password: kept.password}).login();
		// Sonarr's change carried the new password: it was handed on, not read from a changed desired state.
		assert.equal((result.failed.change.payload as {values: {password?: string}}).values.password, kept.password);
		assert.deepEqual(wiring.context.desired.qbittorrent, accepted, 'the desired state is as it was built');
		// Kept in one place, by the caller.
		const file = await keepValues(result.kept, wiring.stack.services, options.profileFile);
		const profile = JSON.parse(readFileSync(file!, 'utf8')) as {storeSecrets: boolean; services: Array<{kind: string; secret?: string; credentialFrom?: string}>};
		assert.deepEqual(
			profile.services.filter(service => service.kind === 'qbittorrent').map(service => [service.credentialFrom, service.secret === kept.password]),
			[['set by arrwire', true]],
		);
		assert.equal(profile.storeSecrets, false);
		assert.equal(await keepValues({}, wiring.stack.services, options.profileFile), undefined, 'nothing to keep, nothing written');
		// As it was, for the next test.
		await new QbittorrentClient({url: lab.qbittorrent.url, username: 'admin', password: kept.password}).setPreferences({web_ui_password: 'adminadmin'});
		rmSync(file!);
	});

	it('keeps the new password in the profile although a later step fails, and shows it nowhere', async () => {
		const options = {...lab.arrwireOptions(state), credentials: {...lab.arrwireOptions(state).credentials, qbittorrent: {username: 'admin', password: 'adminadmin'}}};
		// Sonarr refuses to create its download client, after qBittorrent has the new password. (A failed read is not
		// used here: how often the checks read the list before the link does is not this test's business.)
		lab.sonarr.inject({method: 'POST', path: '/api/v3/downloadclient', status: 500, times: 1});
		const output = capture();
		const code = await runApply({...options, yes: true, only: ['qbittorrent-password', 'sonarr-download-client', 'radarr-download-client']}, output.out);
		assert.equal(code, 1, 'the run stopped at the injected failure');
		const profile = JSON.parse(readFileSync(options.profileFile, 'utf8')) as {storeSecrets: boolean; services: Array<{kind: string; secret?: string; credentialFrom?: string}>};
		const saved = profile.services.find(service => service.kind === 'qbittorrent');
		assert.equal(saved?.credentialFrom, 'set by arrwire');
		assert.equal(saved?.secret?.length, 24);
		assert.equal(profile.storeSecrets, false, 'keeping this one password does not make the profile keep the others');
		assert.ok(!output.text().includes(saved.secret), 'the new password is not shown');
		await new QbittorrentClient({url: lab.qbittorrent.url, username: 'admin', password: saved.secret}).login();
		assert.match(output.text(), /kept in .*profile\.json/);
	});
});
