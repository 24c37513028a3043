// arrwire doctor in a terminal offers the repairs it found: "y" makes them (each shown first), "n" changes nothing,
// and a repair of an entry made by hand is asked about on its own. Each test on a wired lab of its own.
import assert from 'node:assert/strict';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {ALL_LINKS} from '../../source/links/all.js';
import {fieldValue, withFields} from '../../source/services/provider.js';
import {ServarrClient} from '../../source/services/servarr.js';
import {startCliLab, type CliLab} from '../commands/cli-lab.js';
import {Terminal} from '../tty.js';

describe('arrwire doctor offers its repairs in a terminal', () => {
	let stack: CliLab;
	let terminal: Terminal | undefined;
	let sonarr: ServarrClient;
	const port = async () => fieldValue((await sonarr.downloadClients())[0]!, 'port');

	beforeEach(async () => {
		stack = await startCliLab();
		sonarr = new ServarrClient({kind: 'sonarr', url: stack.lab.sonarr.url, apiKey: stack.lab.keys.sonarr});
	});
	afterEach(async () => {
		terminal?.close();
		terminal = undefined;
		await stack?.stop();
	});

	async function wire(...only: string[]): Promise<void> {
		const wired = await stack.arrwire('apply', '--yes', ...only.flatMap(id => ['--only', id]));
		assert.equal(wired.code, 0, wired.stdout + wired.stderr);
		await stack.lab.prowlarr.idle();
	}

	function doctorInTerminal(): Terminal {
		const env = {XDG_CONFIG_HOME: stack.home, ARRWIRE_NZBGEEK_API_KEY: stack.lab.keys.nzbgeek, NO_COLOR: '1'};
		terminal = new Terminal([process.execPath, ...stack.args('doctor')], {env, width: 120, height: 50});
		return terminal;
	}

	/** qBittorrent "moved" as Sonarr sees it (Sonarr's API would refuse the change: its test fails). */
	function moveQbittorrentInSonarr(): void {
		stack.lab.sonarr.providers.get('downloadclient')![0]!.fields.find(field => field.name === 'port')!.value = 1;
	}

	it('answered "y": the repair is shown, made, and doctor finds the link linked again', async () => {
		await wire();
		moveQbittorrentInSonarr();
		const tty = doctorInTerminal();
		await tty.waitFor(/Make the 1 repair\(s\) now \(each is shown first\)\? \[y\/N\]/);
		tty.type('y');
		const screen = await tty.waitFor(/\[exit \d+\]/);
		assert.match(screen, /Sonarr: update download client "qBittorrent"\n\s+port: 1 -> \d+/);
		assert.match(screen, /1 repair\(s\) made\. Run arrwire doctor again to check\./);
		assert.match(screen, /\[exit 1\]/, 'the exit code is that of the diagnosis, made before the repair');
		assert.equal(await port(), stack.lab.qbittorrent.port);
		const after = await stack.arrwire('doctor', '--json');
		// The link is linked again; what is left is the lab's one known fault, NZBgeek with no Usenet client.
		const report = JSON.parse(after.stdout) as {links: Array<{id: string; state: string}>; findings: {services: Array<{id: string; severity: string}>}};
		assert.equal(report.links.find(candidate => candidate.id === 'sonarr-download-client')?.state, 'linked');
		assert.deepEqual(report.findings.services.filter(finding => finding.severity === 'error').map(finding => finding.id), ['protocol.no-usenet-client', 'protocol.no-usenet-client']);
		assert.equal(after.code, 1, after.stdout);
	});

	it('answered "n": nothing is changed', async () => {
		await wire();
		moveQbittorrentInSonarr();
		const tty = doctorInTerminal();
		await tty.waitFor(/Make the 1 repair\(s\) now/);
		tty.type('n');
		const screen = await tty.waitFor(/\[exit \d+\]/);
		assert.doesNotMatch(screen, /repair\(s\) made/);
		assert.match(screen, /\[exit 1\]/);
		assert.equal(await port(), 1);
	});

	it('a repair of an entry made by hand is asked about on its own; "n" leaves it', async () => {
		// arrwire wired all but Sonarr's download client, which the user made, filing under a category of their own.
		const {lab} = stack;
		const template = (await sonarr.downloadClientSchema()).find(entry => entry.implementation === 'QBittorrent')!;
		await sonarr.create('downloadclient', {
			...withFields(template, {host: lab.qbittorrent.host, port: lab.qbittorrent.port, username: lab.qbittorrent.username, password: lab.qbittorrent.password, tvCategory: 'sonarr-by-hand'}),
			name: 'qBittorrent',
			enable: true,
		});
		await wire(...ALL_LINKS.filter(link => !link.onRequest && link.id !== 'sonarr-download-client').map(link => link.id));
		const tty = doctorInTerminal();
		await tty.waitFor(/Make the 1 repair\(s\) now/);
		tty.type('y');
		const asked = await tty.waitFor(/This entry was made by hand, not by arrwire\. Change it\? \[y\/N\]/);
		assert.match(asked, /Sonarr: update download client "qBittorrent" {2}\(made by hand, not by arrwire\)\n\s+tvCategory: "sonarr-by-hand" -> "tv"/);
		tty.type('n');
		const screen = await tty.waitFor(/\[exit \d+\]/);
		assert.match(screen, /0 repair\(s\) made/);
		assert.equal(fieldValue((await sonarr.downloadClients())[0]!, 'tvCategory'), 'sonarr-by-hand');
	});
});
