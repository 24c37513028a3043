// Where discovery looks besides the default ports on this machine: one rule for the wizard and every command.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {hostsToProbe} from '../../source/discovery/stack.js';
import type {Profile} from '../../source/state/profile.js';

const profile = (hosts: string[], urls: string[]): Profile => ({
	version: 1,
	savedAt: '',
	storeSecrets: false,
	hosts,
	services: urls.map(url => ({kind: 'sonarr' as const, url, source: 'host' as const})),
});

describe('the hosts discovery probes', () => {
	it('the hosts given now, then the ones the profile keeps, each once', () => {
		assert.deepEqual(hostsToProbe(['nas', 'box:8989'], profile(['nas', 'media'], [])), ['nas', 'box:8989', 'media']);
	});

	it('a saved service at an address the default-port probe would miss is looked for there again', () => {
		const saved = profile([], ['http://127.0.0.1:8989', 'http://127.0.0.1:18989', 'https://nas.local/sonarr', 'http://10.0.0.5:8989']);
		assert.deepEqual(hostsToProbe([], saved), ['127.0.0.1:18989', 'nas.local:443', '10.0.0.5:8989']);
	});

	it('NZBGet on its default port on this machine is found by the probe itself', () => {
		assert.deepEqual(hostsToProbe([], profile([], ['http://127.0.0.1:6789'])), []);
	});

	it('no profile: only the hosts given', () => {
		assert.deepEqual(hostsToProbe(['nas']), ['nas']);
		assert.deepEqual(hostsToProbe(), []);
	});
});
