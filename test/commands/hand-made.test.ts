// Entries made by hand through the CLI: `apply --yes` shows the change it would make to one and leaves it alone;
// `apply --yes --yes-hand-made` makes it.
import assert from 'node:assert/strict';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {fieldValue, withFields} from '../../source/services/provider.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {startCliLab, type CliLab} from './cli-lab.js';

describe('arrwire apply and a download client made by hand', () => {
	let stack: CliLab;
	let sonarr: ServarrClient;
	const category = async () => fieldValue((await sonarr.downloadClients())[0]!, 'tvCategory');

	beforeEach(async () => {
		stack = await startCliLab();
		const {lab} = stack;
		sonarr = new ServarrClient({kind: 'sonarr', url: lab.sonarr.url, apiKey: lab.keys.sonarr});
		// What a person adds in Sonarr's UI: qBittorrent, working, but filing under a category of their own.
		const template = (await sonarr.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent')!;
		await sonarr.create('downloadclient', {
			...withFields(template, {host: lab.qbittorrent.host, port: lab.qbittorrent.port, username: lab.qbittorrent.username, password: lab.qbittorrent.password, tvCategory: 'sonarr-by-hand'}),
			name: 'qBittorrent',
			enable: true,
		});
	});
	afterEach(async () => {
		await stack?.stop();
	});

	it('apply --yes shows the change as made by hand and leaves the entry alone', async () => {
		const {code, stdout, stderr} = await stack.arrwire('apply', '--yes');
		// Not everything is linked: the hand-made entry is left as it is, and the exit code says so (README, exit codes).
		assert.equal(code, 3, stdout + stderr);
		assert.match(stdout, /To change them too: arrwire apply --yes --yes-hand-made --only /);
		const lines = stdout.split('\n');
		const head = lines.findIndex(line => line === 'Sonarr: update download client "qBittorrent"  (made by hand, not by arrwire)');
		assert.ok(head >= 0, stdout);
		assert.equal(lines[head + 1], '    tvCategory: "sonarr-by-hand" -> "tv"');
		// Said as the wizard says it (present/text's applyEventLines), then why it was not asked.
		const after = lines.slice(head + 1).findIndex(line => /^(✔ |- left alone: )/.test(line)) + head + 1;
		assert.deepEqual(lines.slice(after, after + 2), [
			'- left alone: Sonarr: update download client "qBittorrent"  (made by hand, not by arrwire)',
			'  why: this entry was made by hand (use --yes-hand-made to change it anyway)',
		]);
		assert.match(stdout, /\b1 left alone\b/);
		assert.equal(await category(), 'sonarr-by-hand');
		assert.equal((await sonarr.downloadClients()).length, 1, 'no second client beside it');
	});

	it('apply --yes --yes-hand-made changes it', async () => {
		const {code, stdout, stderr} = await stack.arrwire('apply', '--yes', '--yes-hand-made');
		assert.equal(code, 0, stdout + stderr);
		const lines = stdout.split('\n');
		const head = lines.findIndex(line => line === 'Sonarr: update download client "qBittorrent"  (made by hand, not by arrwire)');
		assert.ok(head >= 0, stdout);
		assert.equal(lines.slice(head + 1).find(line => /^(✔ |- left alone: )/.test(line)), '✔ Sonarr: update download client "qBittorrent"  (made by hand, not by arrwire)');
		assert.match(stdout, /\b0 left alone\b/);
		assert.equal(await category(), 'tv');
		assert.equal((await sonarr.downloadClients()).length, 1);
	});
});
