// The Apply step's state without Ink: events in, the log lines, the progress, the question and the outcome out.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {applyReducer, initialApply, type ApplyAction} from '../../source/app/apply-state.js';
import {ServiceError} from '../../source/services/errors.js';
import {change} from './fake-controller.js';

const made = change('sonarr-download-client', 'download client "qBittorrent"');
const tag = change('sonarr-download-client', 'tag "tv"');
const run = (...actions: ApplyAction[]) => actions.reduce(applyReducer, initialApply({'sonarr-download-client': 'Sonarr -> qBittorrent'}));

describe('the apply step', () => {
	it('counts the changes made, shows what runs now, and logs each change as text (no secret)', () => {
		const state = run({type: 'event', event: {type: 'applying', change: made}}, {type: 'event', event: {type: 'applied', change: made}});
		assert.equal(state.made, 1);
		assert.equal(state.working, 'Sonarr: create download client "qBittorrent"');
		assert.deepEqual(
			state.lines.map(line => line.text),
			['✔ Sonarr: create download client "qBittorrent"'],
		);
		assert.ok(state.lines.every(line => !line.text.includes('hunter2')), 'the password is never in the log');
	});

	it('a change the user said no to: its link\'s check is "skipped by you", not a failure', () => {
		const state = run(
			{type: 'asked', change: tag, question: 'Make this change?', byDefault: true},
			{type: 'answered'},
			{type: 'event', event: {type: 'declined', change: tag}},
			{type: 'event', event: {type: 'verified', link: 'sonarr-download-client', findings: [{id: 'x', severity: 'error', subject: 's', cause: 'not linked', fix: 'apply'}]}},
		);
		assert.equal(state.question, undefined);
		assert.deepEqual(
			state.lines.map(line => line.text),
			['- left alone: Sonarr: create tag "tv"', '  ○ skipped by you: Sonarr -> qBittorrent (not checked)'],
		);
	});

	it('a link\'s check after its changes: each finding whole, its fix included, wrapped to the width', () => {
		const cause = 'Sonarr cannot see /srv/storage/pool-one/media/television, where qBittorrent saves what it downloads for Sonarr.';
		const state = run({type: 'event', event: {type: 'verified', link: 'sonarr-download-client', findings: [{id: 'x', severity: 'error', subject: 'Sonarr', cause, fix: 'Mount /srv/storage at /data in both containers.'}]}});
		const text = state.lines.map(line => line.text);
		assert.ok(text.every(line => [...line].length <= 78), text.join('\n'));
		assert.match(text.join('\n'), /fix: Mount \/srv\/storage at \/data in both containers\./);
	});

	it('a failed change shows the service\'s message and its fix', () => {
		const error = new ServiceError({service: 'Sonarr', kind: 'server-error', url: 'http://127.0.0.1:8989/api/v3/downloadclient', method: 'POST', status: 500, fix: 'Look at Sonarr\'s log.'});
		const state = run({type: 'event', event: {type: 'failed', change: made, error}}, {type: 'finished', result: {applied: [], declined: [], failed: {change: made, error}, findings: [], kept: {}}});
		const text = state.lines.map(line => line.text).join('\n');
		assert.match(text, /✖ Sonarr: create download client "qBittorrent"\n {2}Sonarr failed with a server error \(HTTP 500\)/);
		assert.match(text, /fix: Look at Sonarr's log\./);
		assert.equal(state.outcome?.failed?.change, made);
	});

	it('a run that stops before any change names no change it did not make, and says why', () => {
		const state = run({type: 'crashed', error: new Error('the journal is locked by another arrwire')});
		assert.equal(state.outcome?.failed?.change, undefined);
		assert.equal(state.outcome?.failed?.error, 'the journal is locked by another arrwire');
		assert.equal(state.working, '');
		assert.deepEqual(
			state.lines.map(line => line.text),
			['✖ the journal is locked by another arrwire'],
		);
	});
});
