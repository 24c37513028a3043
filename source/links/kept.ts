// Keeps what a run of the links returns to keep (engine.ts: ApplyResult.kept): a password arrwire set is known to
// nothing else, so it goes into the profile (0600) whatever stopped the run. The one place such values are saved.
import {loadProfile, profilePath, saveProfile, SET_BY_ARRWIRE} from '../state/profile.js';
import type {StackServices} from './context.js';
import type {HandedOn} from './link.js';

/** Saves the values kept; returns the profile file, or undefined when there was nothing to keep. */
export async function keepValues(kept: HandedOn, services: StackServices, file = profilePath()): Promise<string | undefined> {
	const login = kept.qbittorrentLogin;
	const service = services.qbittorrent;
	if (!login || !service) {
		return undefined;
	}
	const profile = await loadProfile(file);
	const entries = (profile?.services ?? []).filter(entry => !(entry.kind === 'qbittorrent' && entry.url === service.url));
	entries.push({kind: 'qbittorrent', url: service.url, source: service.source, username: login.username, credentialFrom: SET_BY_ARRWIRE, secret: login.password});
	// Only this one secret is kept; whether others are is still the user's choice.
	await saveProfile({storeSecrets: profile?.storeSecrets ?? false, hosts: profile?.hosts ?? [], services: entries}, file);
	return file;
}
