import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {checkSecurity, isPrivateAddress, listenAddress} from '../../source/checks/security.js';
import {startQbittorrent} from '../lab/qbittorrent.js';

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
