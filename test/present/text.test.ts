// Findings, errors with their fix and found services as lines: the one way each is said.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {errorLines, findingLines, foundLine} from '../../source/present/text.js';
import {servicesLine} from '../../source/present/stack-map.js';
import {ServiceError} from '../../source/services/errors.js';
import {service, UNKNOWN} from '../app/fake-controller.js';

describe('text lines', () => {
	it('a finding: mark, subject and cause in its tone, then the fix, each wrapped to the width', () => {
		const lines = findingLines({id: 'x', severity: 'error', subject: 'Sonarr', cause: 'Sonarr cannot see /data/torrents/tv, where qBittorrent saves what it downloads.', fix: 'Mount /srv/data at /data.'}, 40);
		assert.deepEqual(
			lines.map(line => [line.text, line.tone]),
			[
				['✖ Sonarr: Sonarr cannot see', 'failed'],
				['  /data/torrents/tv, where qBittorrent', 'failed'],
				['  saves what it downloads.', 'failed'],
				['  fix: Mount /srv/data at /data.', undefined],
			],
		);
		assert.ok(lines.every(line => line.text.length <= 40));
	});

	it('what was seen is shown when asked for, between the cause and the fix', () => {
		const finding = {id: 'x', severity: 'warning' as const, subject: 'qBittorrent', cause: 'Saves outside /data.', evidence: ['save path: /downloads'], fix: 'Set the save path to /data/torrents.'};
		assert.deepEqual(
			findingLines(finding, 80, '', {evidence: true}).map(line => line.text),
			['! qBittorrent: Saves outside /data.', '  seen: save path: /downloads', '  fix: Set the save path to /data/torrents.'],
		);
		assert.equal(findingLines(finding, 80).length, 2);
	});

	it('an error: its message, and the fix a service error carries; a plain error has no made-up fix', () => {
		const error = new ServiceError({service: 'Radarr', kind: 'unauthorized', url: 'http://127.0.0.1:7878/api/v3/system/status', method: 'GET', status: 401, fix: 'Give Radarr\'s API key again.'});
		assert.deepEqual(
			errorLines(error, 200).map(line => line.text),
			['Radarr refused the credentials (HTTP 401): GET http://127.0.0.1:7878/api/v3/system/status', '  fix: Give Radarr\'s API key again.'],
		);
		assert.deepEqual(
			errorLines(new Error('disk full'), 80).map(line => line.text),
			['disk full'],
		);
	});

	it('a found service and a stranger on a port', () => {
		assert.equal(foundLine({...service('sonarr', 'Sonarr', 8989), version: '4.0'}).text, '✔ Sonarr      4.0        http://10.0.0.5:8989');
		// A list with a longer version lines its addresses up after it.
		assert.equal(foundLine({...service('sonarr', 'Sonarr', 8989), version: '4.0'}, 12).text, '✔ Sonarr      4.0          http://10.0.0.5:8989');
		assert.equal(foundLine(UNKNOWN).text, '? 10.0.0.5:8081 answers, but is not qBittorrent: nginx welcome page');
	});

	it('seven services fit one 78-column line: one space apart when two do not fit', () => {
		const names = ['Prowlarr', 'Sonarr', 'Radarr', 'qBittorrent', 'Jellyfin', 'Jellyseerr', 'NZBGet'];
		const line = servicesLine(
			names.map(name => ({name, state: name === 'NZBGet' ? 'missing' : 'ready'})),
			78,
		);
		assert.equal(line.text, '✔ Prowlarr ✔ Sonarr ✔ Radarr ✔ qBittorrent ✔ Jellyfin ✔ Jellyseerr ○ NZBGet');
		assert.equal(servicesLine([{name: 'Sonarr', state: 'ready'}, {name: 'Radarr', state: 'no-credential'}], 78).text, '✔ Sonarr  ! Radarr');
	});
});
