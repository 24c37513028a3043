// The Credentials step's state without Ink: which credential is asked for next, with fresh fields, and what a
// refused answer leaves.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {CredentialItem} from '../../source/app/controller.js';
import {credentialsReducer, credentialStatus, currentItem, initialCredentials} from '../../source/app/credentials-state.js';

const sonarr: CredentialItem = {kind: 'sonarr', name: 'Sonarr', need: 'api-key', where: 'Settings → General'};
const jellyfin: CredentialItem = {kind: 'jellyfin', name: 'Jellyfin', need: 'username-password', where: 'Dashboard → Users', given: {username: 'root', password: 'given-pass'}};

describe('the credentials step', () => {
	it('asks for the first credential still needed, with the fields its kind needs', () => {
		const state = initialCredentials([{...sonarr, check: {ok: true, kind: 'sonarr', detail: 'ok'}}, jellyfin]);
		assert.equal(currentItem(state)?.kind, 'jellyfin');
		assert.deepEqual([state.field, state.username, state.secret], ['username', '', 'given-pass']);
	});

	it('a refused API key is asked again with an empty field; an accepted one moves on to the next, fields afresh', () => {
		let state = initialCredentials([sonarr, jellyfin]);
		state = credentialsReducer(state, {type: 'typed', field: 'secret', value: 'bad-key'});
		state = credentialsReducer(state, {type: 'checking'});
		const refused = {...sonarr, check: {ok: false as const, kind: 'sonarr' as const, reason: 'refused' as const, message: 'refused', fix: 'find it'}};
		state = credentialsReducer(state, {type: 'items', items: [refused, jellyfin], last: [{text: '✖ refused'}]});
		assert.deepEqual([currentItem(state)?.kind, state.secret, state.checking, state.field], ['sonarr', '', false, 'secret']);
		state = credentialsReducer(state, {type: 'items', items: [{...sonarr, check: {ok: true, kind: 'sonarr', detail: 'ok'}}, jellyfin]});
		assert.deepEqual([currentItem(state)?.kind, state.field, state.secret], ['jellyfin', 'username', 'given-pass']);
	});

	it('a typed password refused: asked again from the login given for this run, as the screen says', () => {
		let state = initialCredentials([jellyfin]);
		state = credentialsReducer(state, {type: 'typed', field: 'secret', value: 'wrongpass'});
		const refused = {...jellyfin, check: {ok: false as const, kind: 'jellyfin' as const, reason: 'refused' as const, message: 'refused', fix: 'find it'}};
		state = credentialsReducer(state, {type: 'items', items: [refused]});
		assert.equal(currentItem(state)?.kind, 'jellyfin');
		assert.equal(state.secret, 'given-pass');
	});

	it('a qBittorrent that refused once is not asked again, and says so', () => {
		const qbittorrent: CredentialItem = {kind: 'qbittorrent', name: 'qBittorrent', need: 'username-password', where: 'WebUI', check: {ok: false, kind: 'qbittorrent', reason: 'refused', message: 'refused', fix: 'reset', stopAsking: true}};
		assert.equal(currentItem(initialCredentials([qbittorrent])), undefined);
		assert.equal(credentialStatus(qbittorrent).text, 'refused; not asked again');
	});
});
