import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {after, describe, it} from 'node:test';
import {checkSecurity, isPrivateAddress, listenAddress} from '../../source/checks/security.js';
import {Journal} from '../../source/state/journal.js';
import {JellyfinEmulator} from '../../source/lab/jellyfin.js';
import {startQbittorrent} from '../../source/lab/qbittorrent.js';

const ids = (findings: Array<{id: string}>) => findings.map(finding => finding.id).sort();

describe('security findings', () => {
	it('a Sonarr with no authentication on all interfaces: its key is out, an error with the setting that fixes it', () => {
		const findings = checkSecurity({services: [{name: 'Sonarr', url: 'http://nas:8989', bindAddress: '*', apiKeyExposed: true, authenticationMethod: 'None', authenticationRequired: 'Enabled'}]});
		const exposed = findings.find(finding => finding.id === 'security.initialize-json-exposes-key');
		assert.equal(exposed?.severity, 'error');
		assert.match(exposed?.fix ?? '', /Forms \(Login Page\)/);
		assert.deepEqual(ids(findings), ['security.bound-to-all-interfaces', 'security.initialize-json-exposes-key']);
	});

	it('the same Sonarr bound to loopback: a warning, not an error', () => {
		const findings = checkSecurity({services: [{name: 'Sonarr', url: 'http://127.0.0.1:8989', bindAddress: '127.0.0.1', apiKeyExposed: true, authenticationMethod: 'None'}]});
		assert.deepEqual(findings.map(finding => [finding.id, finding.severity]), [['security.initialize-json-exposes-key', 'warning']]);
	});

	it('authentication disabled for local addresses while listening everywhere; qBittorrent default password and subnet bypass', () => {
		const findings = checkSecurity({
			services: [
				{name: 'Radarr', url: 'http://nas:7878', bindAddress: '0.0.0.0', authenticationMethod: 'Forms', authenticationRequired: 'DisabledForLocalAddresses'},
				{name: 'qBittorrent', url: 'http://nas:8080', bindAddress: '127.0.0.1', defaultPasswordAccepted: true, authBypass: {subnets: '192.168.1.0/24'}},
			],
		});
		assert.deepEqual(ids(findings), ['security.arr-auth-disabled-for-local', 'security.bound-to-all-interfaces', 'security.qbittorrent-auth-bypass', 'security.qbittorrent-default-password']);
	});

	it('plain HTTP is only a finding toward a public address', () => {
		assert.equal(isPrivateAddress('192.168.1.20'), true);
		assert.equal(isPrivateAddress('sonarr'), true);
		assert.equal(isPrivateAddress('100.100.1.1'), true);
		assert.equal(isPrivateAddress('203.0.113.5'), false);
		const findings = checkSecurity({
			services: [],
			plainHttpLinks: [
				{from: 'Jellyseerr', to: 'Sonarr', url: 'http://sonarr:8989'},
				{from: 'Prowlarr', to: 'Radarr', url: 'http://203.0.113.5:7878'},
			],
		});
		assert.deepEqual(findings.map(finding => finding.subject), ['Prowlarr -> Radarr']);
	});

	it('reads the address a real process listens on from the kernel', async () => {
		const qbt = await startQbittorrent({host: '127.0.0.1'});
		try {
			assert.equal(listenAddress(qbt.port), '127.0.0.1');
		} finally {
			await qbt.stop();
		}
	});
});

describe("arrwire's own files, readable by others", () => {
	const run = promisify(execFile);
	const cli = path.resolve('dist/bin/arrwire.js');
	const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-modes-'));
	after(() => rmSync(scratch, {recursive: true, force: true}));

	it('a profile 0644 holding a secret: an error with the exact chmod; 0600 in a 0755 folder: nothing to say', () => {
		const base = {what: 'profile', file: '/home/me/.config/arrwire/profile.json', folder: '/home/me/.config/arrwire', holdsSecrets: true};
		const [finding, ...rest] = checkSecurity({services: [], ownFiles: [{...base, mode: 0o100644, folderMode: 0o40755}]});
		assert.deepEqual(rest, []);
		assert.equal(finding?.id, 'security.profile-readable-by-others');
		assert.equal(finding?.severity, 'error');
		assert.match(finding?.cause ?? '', /profile \/home\/me\/\.config\/arrwire\/profile\.json can be read by other users \(mode 0644\), and it holds credentials/);
		assert.match(finding?.fix ?? '', /^chmod 600 \/home\/me\/\.config\/arrwire\/profile\.json; chmod 700 \/home\/me\/\.config\/arrwire/);
		assert.deepEqual(checkSecurity({services: [], ownFiles: [{...base, mode: 0o100600, folderMode: 0o40755}]}), []);
		assert.equal(checkSecurity({services: [], ownFiles: [{...base, holdsSecrets: false, what: 'journal', mode: 0o100644, folderMode: 0o40700}]})[0]?.severity, 'warning');
	});

	it('doctor --json reports it; the next command that saves the profile makes it 0600 and its folder 0700', async () => {
		const home = path.join(scratch, 'home');
		const state = path.join(home, '.config', 'arrwire');
		mkdirSync(state, {recursive: true, mode: 0o755});
		chmodSync(state, 0o755);
		const file = path.join(state, 'profile.json');
		writeFileSync(
			file,
			JSON.stringify({version: 1, savedAt: new Date().toISOString(), storeSecrets: true, hosts: [], services: [{kind: 'qbittorrent', url: 'http://127.0.0.1:1', source: 'host', username: 'admin', secret: 'kept-password-0123'}]}),
		);
		chmodSync(file, 0o644);
		writeFileSync(path.join(state, 'journal.json'), JSON.stringify({version: 1, runs: []}));
		chmodSync(path.join(state, 'journal.json'), 0o644);
		const env = {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')};
		const doctor = await run(process.execPath, [cli, 'doctor', '--json', '--no-docker'], {env}).then(
			result => result.stdout,
			(failure: {stdout: string}) => failure.stdout,
		);
		const report = JSON.parse(doctor) as {ok: boolean; findings: {security: Array<{id: string; severity: string; fix: string}>}};
		const finding = report.findings.security.find(candidate => candidate.id === 'security.profile-readable-by-others');
		assert.equal(finding?.severity, 'error');
		assert.equal(finding?.fix.split('   ')[0], `chmod 600 ${file}; chmod 700 ${state}`);
		assert.ok(report.findings.security.some(candidate => candidate.id === 'security.journal-readable-by-others'));
		assert.equal(report.ok, false);
		assert.ok(!doctor.includes('kept-password-0123'));

		// Something for discover to find: a discovery that finds nothing saves no profile.
		const jellyfin = new JellyfinEmulator({serverName: 'own-files'});
		await jellyfin.start();
		try {
			await run(process.execPath, [cli, 'discover', '--json', '--no-docker', '--host', new URL(jellyfin.url).host], {env}).catch(() => undefined);
		} finally {
			await jellyfin.stop();
		}
		assert.equal(statSync(file).mode & 0o777, 0o600);
		assert.equal(statSync(state).mode & 0o777, 0o700);
		const journal = await Journal.open(path.join(state, 'journal.json'));
		await journal.record(await journal.startRun('test'), {link: 'test', service: 'Sonarr', action: 'create', target: 'x'});
		assert.equal(statSync(path.join(state, 'journal.json')).mode & 0o777, 0o600);
	});
});
