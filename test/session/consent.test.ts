// When the user is asked before a change: the one rule the apply command, doctor's repairs and the wizard follow.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Change} from '../../source/links/change.js';
import {needsAsking} from '../../source/session/session.js';

const change = (handMade: boolean): Change => ({link: 'sonarr-download-client', service: 'Sonarr', action: 'update', target: 'qBittorrent', fields: [], handMade, payload: undefined});

describe('asking before a change', () => {
	it('without consent up front, every change is asked about', () => {
		assert.equal(needsAsking(change(false), {}), true);
		assert.equal(needsAsking(change(true), {}), true);
	});

	it('"yes to all" makes arrwire\'s own changes without asking, but still asks about an entry made by hand', () => {
		assert.equal(needsAsking(change(false), {all: true}), false);
		assert.equal(needsAsking(change(true), {all: true}), true);
	});

	it('entries made by hand are made without asking only when the user agreed to those too', () => {
		assert.equal(needsAsking(change(true), {all: true, handMade: true}), false);
		// Agreeing to hand-made entries alone is not "yes to all".
		assert.equal(needsAsking(change(true), {handMade: true}), true);
	});
});
