// One stack map for the wizard's summary and doctor: the same edges, states and marks.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {reportMapLines} from '../../source/present/doctor-report.js';
import type {DoctorReport} from '../../source/doctor/diagnose.js';
import {edgeLines, legendLine, linkStates, emptyOutcome} from '../../source/present/stack-map.js';

describe('the stack map', () => {
	it('doctor draws the same rows as the summary, in the same states: a link at fault is "failed", a drift "drifted", each edge as bad as its worst link', () => {
		const report = {
			ok: false,
			outcome: 'faults',
			notChecked: [],
			services: [
				{kind: 'prowlarr', name: 'Prowlarr', state: 'ready'},
				{kind: 'sonarr', name: 'Sonarr', state: 'fault'},
				{kind: 'jellyseerr', name: 'Jellyseerr', state: 'missing'},
			],
			links: [
				{id: 'prowlarr-sonarr', title: 'Prowlarr -> Sonarr', optional: false, state: 'linked', findings: [], repairs: []},
				{id: 'sonarr-download-client', title: 'Sonarr -> qBittorrent', optional: false, state: 'drift', findings: [], repairs: []},
				{id: 'qbittorrent-categories', title: 'categories', optional: false, state: 'failed', findings: [], repairs: []},
				{id: 'jellyseerr-sonarr', title: 'Jellyseerr -> Sonarr', optional: false, state: 'skipped', findings: [], repairs: []},
			],
			serviceFindings: [],
			pathFindings: [],
			securityFindings: [],
		} satisfies DoctorReport;
		const lines = reportMapLines(report).map(line => line.text);
		assert.equal(lines[0], '✔ Prowlarr  ✖ Sonarr  ○ Jellyseerr');
		assert.match(lines[1]!, /^ {5}Prowlarr ──indexer sync──▶\s+Sonarr\s+● linked$/);
		assert.match(lines[2]!, /Sonarr ──downloads \(tv\)──▶\s+qBittorrent\s+✖ failed$/);
		assert.match(lines[3]!, /Jellyseerr ──requests──▶\s+Sonarr\s+○ skipped$/);
		assert.equal(lines.at(-1), '● linked 1  ~ drifted 1  ✖ failed 1  ○ skipped 1');
		assert.ok(lines.every(line => [...line].length <= 80));
	});

	it('the summary: a link with changes never made is skipped, one applied is changed', () => {
		const plans = [
			{id: 'prowlarr-sonarr', changes: [1]},
			{id: 'prowlarr-radarr', changes: [1]},
		];
		const states = linkStates(plans, {...emptyOutcome(), applied: [{link: 'prowlarr-sonarr', service: 'Prowlarr', action: 'create', target: 't', fields: [], handMade: false, payload: {}}]}, new Set());
		assert.deepEqual(states, {'prowlarr-sonarr': 'changed', 'prowlarr-radarr': 'skipped'});
		assert.equal(edgeLines(states).length, 2);
		assert.equal(legendLine(states).text, '● linked 0  ◆ changed 1  ✖ failed 0  ○ skipped 1');
	});
});
