// A session that gave qBittorrent a new password goes on with it: the password is kept in the profile, said as an
// event, and what the session checks next (doctor's diagnosis) logs in with the new one, never the old.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {ALL_LINKS} from '../../source/links/all.js';
import {QbittorrentClient} from '../../source/services/qbittorrent.js';
import {openSession, type SessionEvent} from '../../source/session/session.js';
import {startLab} from '../../source/lab/lab.js';

describe('a password the session set', () => {
	it('is kept, and the diagnosis after the apply logs in with it', async () => {
		const lab = await startLab();
		const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-new-password-'));
		try {
			await new QbittorrentClient({url: lab.qbittorrent.url, username: lab.qbittorrent.username, password: lab.qbittorrent.password}).setPreferences({web_ui_password: 'adminadmin'});
			const options = lab.arrwireOptions(scratch);
			const events: SessionEvent[] = [];
			const session = openSession({...options, credentials: {...options.credentials, qbittorrent: {username: 'admin', password: 'adminadmin'}}}, event => events.push(event));

			const result = await session.apply(ALL_LINKS.filter(link => link.id === 'qbittorrent-password'), {confirm: async () => true});
			assert.equal(result.failed, undefined, result.failed?.error.message);
			assert.equal(result.passwordKeptIn, options.profileFile);
			assert.deepEqual(
				events.filter(event => event.type === 'password-kept'),
				[{type: 'password-kept', file: options.profileFile}],
			);
			const profile = JSON.parse(readFileSync(options.profileFile, 'utf8')) as {services: Array<{kind: string; secret?: string}>};
			const kept = profile.services.find(service => service.kind === 'qbittorrent')?.secret;
			assert.equal(kept?.length, 24);

			// The diagnosis reads qBittorrent again: with the old password that read would be refused (a fault).
			const report = await session.diagnose();
			const categories = report.links.find(link => link.id === 'qbittorrent-categories')!;
			// Read, and found as a stack not wired yet has them: no category yet, both planned.
			assert.deepEqual(
				categories.findings.map(finding => finding.id),
				['link.qbittorrent-category-missing', 'link.qbittorrent-category-missing'],
				JSON.stringify(categories.findings),
			);
			assert.equal(categories.repairs.length, 2);
			assert.equal(session.stack()?.credentials.find(state => state.service.kind === 'qbittorrent')?.credential?.password, kept);
		} finally {
			await lab.stop();
			rmSync(scratch, {recursive: true, force: true});
		}
	});
});
