// The saved stack profile: what discovery found, so a re-run starts from it (and re-checks it).
// It lives in the user's config dir (XDG), mode 0600; secrets are in it only when the user agreed.
import {homedir} from 'node:os';
import path from 'node:path';
import * as z from '../services/schema.js';
import {trustCertificate} from '../services/tls.js';
import {readOwnFile, writeOwnFile} from './own-file.js';
import {MiB} from './regular-file.js';

export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), '.config');
	return path.join(base, 'arrwire');
}

const serviceEntry = z.object({
	kind: z.enum(['prowlarr', 'sonarr', 'radarr', 'qbittorrent', 'jellyfin', 'jellyseerr', 'nzbget', 'sabnzbd']),
	url: z.string(),
	version: z.optional(z.string()),
	source: z.enum(['localhost', 'host', 'scan', 'docker', 'profile']),
	container: z.optional(z.string()),
	/** Where the credential came from (a file, "typed in"…), never the credential itself. */
	credentialFrom: z.optional(z.string()),
	username: z.optional(z.string()),
	/** Present only when the user agreed to store secrets. */
	secret: z.optional(z.string()),
});
export type ProfileService = z.infer<typeof serviceEntry>;

const profileSchema = z.object({
	version: z.literal(1),
	savedAt: z.string(),
	storeSecrets: z.boolean(),
	hosts: z._default(z.array(z.string()), []),
	services: z.array(serviceEntry),
	/** Certificates the user chose to trust, by origin (https://host:port): SHA-256 fingerprints. */
	certificates: z.optional(z.record(z.string(), z.string())),
});
export type Profile = z.infer<typeof profileSchema>;

export function profilePath(env?: NodeJS.ProcessEnv): string {
	return path.join(configDirectory(env), 'profile.json');
}

export async function loadProfile(file = profilePath()): Promise<Profile | undefined> {
	const text = await readOwnFile(file, MiB);
	if (text === undefined) {
		return undefined;
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		throw new Error(`The saved profile ${file} is not valid JSON. Move it away and run arrwire again.`);
	}
	const parsed = profileSchema.safeParse(data);
	if (!parsed.success) {
		throw new Error(`The saved profile ${file} is not one arrwire can read (${parsed.error.issues[0]?.message}). Move it away and run arrwire again.`);
	}
	for (const [origin, fingerprint] of Object.entries(parsed.data.certificates ?? {})) {
		trustCertificate(origin, fingerprint);
	}
	return parsed.data;
}

/** A password arrwire itself set (nobody else knows it): kept even in a profile that keeps no other secret. */
export const SET_BY_ARRWIRE = 'set by arrwire';

/** Writes atomically with mode 0600 (the folder 0700); drops every secret unless `storeSecrets` (or arrwire set it). */
export async function saveProfile(profile: Omit<Profile, 'version' | 'savedAt'>, file = profilePath()): Promise<Profile> {
	const saved: Profile = {
		version: 1,
		savedAt: new Date().toISOString(),
		storeSecrets: profile.storeSecrets,
		hosts: profile.hosts,
		services: profile.services.map(service => (profile.storeSecrets || service.credentialFrom === SET_BY_ARRWIRE ? service : {...service, secret: undefined})),
		// A save that does not name the trusted certificates keeps those of the profile it replaces.
		certificates: profile.certificates ?? (await loadProfile(file).catch(() => undefined))?.certificates,
	};
	await writeOwnFile(file, JSON.stringify(saved, null, '\t') + '\n');
	return saved;
}
