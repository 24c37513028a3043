// Doctor's report as lines, the same for `arrwire doctor` and the wizard's "Run doctor": the map in the shared states,
// each fault under its section with what was seen and its fix, the repairs, and a verdict that counts only what was checked.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Finding} from '../../source/checks/findings.js';
import type {DoctorReport} from '../../source/doctor/diagnose.js';
import {reportLines, verdictLines} from '../../source/present/doctor-report.js';
import {findingLines} from '../../source/present/text.js';

const refused: Finding = {
	id: 'link.download-client-test-failed',
	severity: 'error',
	subject: 'Sonarr -> qBittorrent',
	cause: 'Sonarr cannot log in to qBittorrent.',
	evidence: ['HTTP 403'],
	fix: 'Run arrwire apply to store the new password.',
};

function report(overrides: Partial<DoctorReport> = {}): DoctorReport {
	return {
		ok: false,
		outcome: 'faults',
		notChecked: [],
		services: [
			{kind: 'sonarr', name: 'Sonarr', state: 'ready'},
			{kind: 'qbittorrent', name: 'qBittorrent', state: 'ready'},
			{kind: 'jellyfin', name: 'Jellyfin', state: 'missing'},
		],
		links: [
			{id: 'sonarr-download-client', title: 'Sonarr -> qBittorrent', optional: false, state: 'failed', findings: [refused], repairs: []},
			{id: 'sonarr-root-folder', title: 'Sonarr root folder', optional: false, state: 'linked', findings: [], repairs: []},
		],
		serviceFindings: [],
		pathFindings: [],
		securityFindings: [],
		...overrides,
	};
}

describe('a doctor report as lines', () => {
	it('a link at fault: "failed" on the map, its finding under the link with what was seen and the fix, then the verdict', () => {
		const text = reportLines(report(), Number.POSITIVE_INFINITY).map(line => line.text);
		assert.equal(text[0], '✔ Sonarr  ✔ qBittorrent  ○ Jellyfin');
		assert.ok(text.some(line => /Sonarr ──downloads \(tv\)──▶\s+qBittorrent\s+✖ failed$/.test(line)), text.join('\n'));
		const section = text.indexOf('Link: Sonarr -> qBittorrent');
		assert.ok(section > 0, text.join('\n'));
		// The same lines as present/text says a finding anywhere else, indented under the section.
		assert.deepEqual(
			text.slice(section + 1, section + 4),
			findingLines(refused, Number.POSITIVE_INFINITY, '  ', {evidence: true}).map(line => line.text),
		);
		assert.deepEqual(text.slice(section + 1, section + 4), ['  ✖ Sonarr -> qBittorrent: Sonarr cannot log in to qBittorrent.', '    seen: HTTP 403', '    fix: Run arrwire apply to store the new password.']);
		assert.equal(text.at(-1), '✖ Not all is well: 1 link(s) at fault; the fixes are above.');
	});

	it('nothing at fault but a service not found: not "all is well", and the missing service is named', () => {
		const lines = verdictLines(report({ok: false, outcome: 'incomplete', links: [], services: [{kind: 'jellyfin', name: 'Jellyfin', state: 'missing'}]})).map(line => line.text);
		assert.match(lines[0]!, /^! No fault in what was tested, but not everything could be tested\.$/);
		assert.match(lines[1]!, /Not found: Jellyfin/);
	});
});
