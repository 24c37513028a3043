// Small helpers the tests share: the ServiceError a call must end in, secrets that must not leak, captured output,
// and the profile a person leaves behind with `discover --store-secrets`.
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {isServiceError, type ServiceError} from '../source/services/errors.js';

export async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(isServiceError(error), `expected a ServiceError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the call to fail');
}

/** Fails when any secret appears in what the error shows or serializes. */
export function assertNoSecret(error: ServiceError, ...secrets: string[]): void {
	const texts = [error.message, error.fix, error.url, error.serviceMessage ?? '', JSON.stringify(error.toJSON())];
	for (const secret of secrets) {
		for (const text of texts) {
			assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
		}
	}
}

/** An output stream that keeps what is written. */
export function capture(): {out: NodeJS.WritableStream; text: () => string} {
	const chunks: string[] = [];
	return {out: {write: (chunk: string) => chunks.push(chunk) > 0} as unknown as NodeJS.WritableStream, text: () => chunks.join('')};
}

export interface SavedLogin {
	kind: 'qbittorrent' | 'jellyfin';
	url: string;
	username: string;
	secret: string;
}

/** Writes $XDG_CONFIG_HOME/arrwire/profile.json (0600) with the hosts and the logins that live in no file. */
export function writeProfile(configHome: string, hosts: string[], logins: SavedLogin[]): void {
	mkdirSync(path.join(configHome, 'arrwire'), {recursive: true});
	writeFileSync(
		path.join(configHome, 'arrwire', 'profile.json'),
		JSON.stringify({
			version: 1,
			savedAt: new Date().toISOString(),
			storeSecrets: true,
			hosts,
			services: logins.map(login => ({kind: login.kind, url: login.url, source: 'host', username: login.username, secret: login.secret})),
		}),
		{mode: 0o600},
	);
}

type Json = any;

/** One call to an emulated *arr's API as a raw HTTP client sees it (no redirect followed, the body parsed when JSON). */
export async function callApi(base: string, method: string, apiPath: string, key: string | undefined, body?: unknown): Promise<{status: number; json: Json; headers: Headers; text: string}> {
	const headers: Record<string, string> = {'content-type': 'application/json'};
	if (key) {
		headers['X-Api-Key'] = key;
	}
	const response = await fetch(base + apiPath, {method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual'});
	const text = await response.text();
	let json: Json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return {status: response.status, json, headers: response.headers, text};
}
