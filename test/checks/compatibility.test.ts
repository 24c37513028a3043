// The versions that work together: each rule of the matrix fires only where every side it names is known and in
// range, with the source of its fact and the fix; the Jellyfin connection of Sonarr/Radarr told apart by arrwire's
// own call with the key.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {COMPATIBILITY_RULES, compareVersions, compatibilityFindings, inRange, jellyfinConnectionFindings, jellyfinRefusesLegacy, type CompatibilityFacts} from '../../source/checks/compatibility.js';

const ids = (facts: CompatibilityFacts) => compatibilityFindings(facts).map(finding => finding.id);

describe('the compatibility matrix', () => {
	it('every rule names the link it breaks, a cause, a fix and where the fact comes from upstream', () => {
		const seen = new Set<string>();
		for (const rule of COMPATIBILITY_RULES) {
			assert.ok(!seen.has(rule.id), `${rule.id} twice`);
			seen.add(rule.id);
			assert.ok(rule.link && rule.cause && rule.fix, rule.id);
			assert.ok(rule.source.length > 0 && rule.source.every(source => /\S+\.(cs|ts)\b|Dockerfile|commit [0-9a-f]{7}/.test(source)), `${rule.id}: ${rule.source.join('; ')}`);
		}
	});

	it('compares versions by number, with qBittorrent\'s "v" and a suffix', () => {
		assert.equal(compareVersions('4.0.9.2342', '4.0.16.2942'), -1);
		assert.equal(compareVersions('v5.2.0', '5.2'), 0);
		assert.equal(compareVersions('12.0.0', '12'), 0);
		assert.equal(compareVersions('10.11.11', '12'), -1);
		assert.equal(compareVersions('3.1.0-beta', '3'), 1);
		assert.ok(inRange('4.0.19.2979', {below: '5'}));
		assert.ok(!inRange('5.0.0.1', {below: '5'}));
		assert.ok(inRange('5.0.0.1', {from: '5'}));
	});

	it('Jellyfin refuses legacy headers: the setting when read wins over the default of its version', () => {
		assert.equal(jellyfinRefusesLegacy({versions: {jellyfin: '12.0.0'}}), true);
		assert.equal(jellyfinRefusesLegacy({versions: {jellyfin: '12.0.0'}, jellyfinLegacyAuthorization: true}), false);
		assert.equal(jellyfinRefusesLegacy({versions: {jellyfin: '10.11.11'}}), false);
		assert.equal(jellyfinRefusesLegacy({versions: {jellyfin: '10.11.11'}, jellyfinLegacyAuthorization: false}), true);
		assert.equal(jellyfinRefusesLegacy({versions: {}}), undefined);
	});

	it('Jellyfin 12 with legacy authorization off: Sonarr 4, Sonarr 5, Radarr and Jellyseerr 2 each named; Seerr 3 is not', () => {
		const jellyfin12 = {jellyfin: '12.0.0'};
		assert.deepEqual(ids({versions: {...jellyfin12, sonarr: '4.0.19.2979', radarr: '6.0.3.10276', jellyseerr: '2.7.3'}, jellyfinLegacyAuthorization: false}), [
			'compat.jellyfin-legacy-auth.sonarr-4',
			'compat.jellyfin-legacy-auth.radarr',
			'compat.jellyfin-legacy-auth.jellyseerr-2',
		]);
		assert.deepEqual(ids({versions: {...jellyfin12, sonarr: '5.0.0.3000', jellyseerr: '3.1.0'}}), ['compat.jellyfin-legacy-auth.sonarr-5']);
		const [finding] = compatibilityFindings({versions: {...jellyfin12, sonarr: '4.0.19.2979'}, jellyfinLegacyAuthorization: false});
		assert.equal(finding!.subject, 'Sonarr -> Jellyfin');
		assert.match(finding!.cause, /X-MediaBrowser-Token/);
		assert.match(finding!.cause, /passes whatever the key/);
		assert.match(finding!.fix, /EnableLegacyAuthorization>true</);
		assert.ok(finding!.evidence!.includes('Sonarr 4.0.19.2979'));
		assert.ok(finding!.evidence!.includes('Jellyfin 12.0.0, EnableLegacyAuthorization off'));
		assert.deepEqual(finding!.evidence, ['Sonarr 4.0.19.2979', 'Jellyfin 12.0.0, EnableLegacyAuthorization off']);
		// The Jellyseerr rule says which side to upgrade.
		assert.match(compatibilityFindings({versions: {...jellyfin12, jellyseerr: '2.7.3'}})[0]!.fix, /^Move to Seerr 3/);
	});

	it('the same versions with legacy authorization turned back on, or Jellyfin 10.11: no finding; unknown versions: none either', () => {
		assert.deepEqual(ids({versions: {jellyfin: '12.0.0', sonarr: '4.0.19.2979', radarr: '6.0.3.10276', jellyseerr: '2.7.3'}, jellyfinLegacyAuthorization: true}), []);
		assert.deepEqual(ids({versions: {jellyfin: '10.11.11', sonarr: '4.0.19.2979', radarr: '5.28.0.10205', jellyseerr: '2.7.3'}}), []);
		assert.deepEqual(ids({versions: {sonarr: '4.0.19.2979'}}), [], 'Jellyfin not known: nothing claimed');
	});

	it('qBittorrent 5.2 with a Sonarr or Radarr too old for its login answer: the upgrade named; newer ones pass', () => {
		assert.deepEqual(ids({versions: {qbittorrent: 'v5.2.0', sonarr: '4.0.15.2941', radarr: '5.28.0.10205'}}), ['compat.qbittorrent-5.2-login.sonarr', 'compat.qbittorrent-5.2-login.radarr']);
		const [sonarr] = compatibilityFindings({versions: {qbittorrent: 'v5.2.0', sonarr: '4.0.15.2941'}});
		assert.equal(sonarr!.fix, 'Upgrade Sonarr to 4.0.16.2942 or later.');
		assert.equal(sonarr!.subject, 'Sonarr -> qBittorrent');
		assert.deepEqual(ids({versions: {qbittorrent: 'v5.2.0', sonarr: '4.0.16.2942', radarr: '6.0.4.10300'}}), []);
		assert.deepEqual(ids({versions: {qbittorrent: 'v5.1.2', sonarr: '4.0.15.2941'}}), [], 'qBittorrent 5.1 still answers "Ok."');
	});

	it('qBittorrent 5.0 with a Sonarr or Radarr that still sends "paused": a warning (it works, not as set) and the upgrade', () => {
		const findings = compatibilityFindings({versions: {qbittorrent: 'v5.0.4', sonarr: '4.0.9.2513', radarr: '5.11.0.9244'}});
		assert.deepEqual(findings.map(finding => [finding.id, finding.severity, finding.fix]), [
			['compat.qbittorrent-5.0-stopped.sonarr', 'warning', 'Upgrade Sonarr to 4.0.10.2579 or later.'],
			['compat.qbittorrent-5.0-stopped.radarr', 'warning', 'Upgrade Radarr to 5.14.0.9383 or later.'],
		]);
		assert.deepEqual(ids({versions: {qbittorrent: 'v4.6.7', sonarr: '4.0.9.2513'}}), [], 'qBittorrent 4 still takes "paused"');
		assert.deepEqual(ids({versions: {qbittorrent: 'v5.0.4', sonarr: '4.0.10.2579', radarr: '5.14.0.9383'}}), []);
	});

	it('Seerr 3 with its config folder owned by another user: the chown of that folder; owned by 1000, or run as another user, nothing', () => {
		const seerr = {versions: {jellyseerr: '3.1.0'}};
		const [finding] = compatibilityFindings({...seerr, seerrConfig: {path: '/srv/seerr', uid: 0, containerUser: 'node:node'}});
		assert.equal(finding!.id, 'compat.seerr-3-config-owner');
		assert.equal(finding!.fix, 'Give the folder to UID 1000: sudo chown -R 1000:1000 /srv/seerr (the folder mounted as /app/config).');
		assert.deepEqual(ids({...seerr, seerrConfig: {path: '/srv/seerr', uid: 1000}}), []);
		assert.deepEqual(ids({...seerr, seerrConfig: {path: '/srv/seerr', uid: 0, containerUser: '0:0'}}), []);
		assert.deepEqual(ids({versions: {jellyseerr: '2.7.3'}, seerrConfig: {path: '/srv/seerr', uid: 0}}), [], 'Jellyseerr 2 runs as root');
		assert.deepEqual(ids(seerr), [], 'folder not seen: not claimed');
	});
});

describe('the Sonarr/Radarr -> Jellyfin connection, told apart', () => {
	const jellyfin12: CompatibilityFacts = {versions: {jellyfin: '12.0.0', sonarr: '4.0.19.2979'}, jellyfinLegacyAuthorization: false};

	it('a key Jellyfin refuses even in the modern header: a wrong key, whatever the versions, and Sonarr 4\'s passing test is not trusted', () => {
		const findings = jellyfinConnectionFindings({kind: 'sonarr', facts: jellyfin12, ownCall: 'refused'});
		assert.deepEqual(findings.map(finding => finding.id), ['link.jellyfin-refresh-key-refused']);
		assert.match(findings[0]!.cause, /the key is wrong or was revoked/);
		assert.match(findings[0]!.cause, /does not check the key/);
	});

	it('the right key, Jellyfin 12 refusing the legacy header: the header named with its fix, and the accepted own call as evidence', () => {
		const findings = jellyfinConnectionFindings({kind: 'sonarr', facts: jellyfin12, ownCall: 'accepted'});
		assert.deepEqual(findings.map(finding => finding.id), ['compat.jellyfin-legacy-auth.sonarr-4']);
		assert.match(findings[0]!.evidence![0]!, /the key it gives Sonarr \("arrwire"\), in the Authorization header: accepted/);
	});

	it('Sonarr 5\'s test reads the right key as wrong: the header, not the key, and not "cannot reach"', () => {
		const facts = {...jellyfin12, versions: {jellyfin: '12.0.0', sonarr: '5.0.0.3000'}};
		const findings = jellyfinConnectionFindings({kind: 'sonarr', facts, ownCall: 'accepted', ownTest: {field: 'ApiKey', message: 'API Key is incorrect'}});
		assert.deepEqual(findings.map(finding => finding.id), ['compat.jellyfin-legacy-auth.sonarr-5']);
		assert.ok(findings[0]!.evidence!.includes("Sonarr's own test: API Key is incorrect"));
	});

	it('versions that work together and Sonarr\'s test refusing the key: a wrong key, not an address to change', () => {
		const facts = {versions: {jellyfin: '10.11.11', sonarr: '5.0.0.3000'}, jellyfinLegacyAuthorization: true};
		const findings = jellyfinConnectionFindings({kind: 'sonarr', facts, ownCall: 'not-made', ownTest: {field: 'ApiKey', message: 'API Key is incorrect'}});
		assert.deepEqual(findings.map(finding => [finding.id, finding.cause]), [['link.jellyfin-refresh-key-refused', "Jellyfin refuses the key Sonarr holds: Sonarr's own test says: API Key is incorrect."]]);
	});

	it('versions that work together: a failed own test is about reaching Jellyfin; a passing one is no finding', () => {
		const facts = {versions: {jellyfin: '10.11.11', radarr: '5.28.0.10205'}, jellyfinLegacyAuthorization: true};
		assert.deepEqual(jellyfinConnectionFindings({kind: 'radarr', facts, ownCall: 'accepted'}), []);
		const findings = jellyfinConnectionFindings({kind: 'radarr', facts, ownCall: 'not-made', ownTest: {field: 'Host', message: 'Unable to send test message: Connection refused'}});
		assert.deepEqual(findings.map(finding => [finding.id, finding.cause]), [['link.jellyfin-refresh-unreachable', 'Radarr cannot reach Jellyfin: Unable to send test message: Connection refused']]);
	});
});
