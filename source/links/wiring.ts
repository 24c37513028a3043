// Everything plan, apply, undo, doctor and the wizard start from: the stack (discovery + accepted credentials),
// the paths each service sees, the desired state, and the journal.
import {collectPaths, runChecks, type CheckReport} from '../checks/collect.js';
import {clientsFor, openStack, type OpenStackOptions, type Stack} from '../discovery/stack.js';
import {Journal} from '../state/journal.js';
import {loadProfile, profilePath, saveProfile, SET_BY_ARRWIRE} from '../state/profile.js';
import type {LinkContext} from './context.js';
import {desiredState, type DesiredOptions} from './desired.js';

export interface WiringOptions extends Omit<OpenStackOptions, 'beforeCredentials'>, DesiredOptions {
	journalFile?: string;
	/** Run the path and permission checks too (plan shows their errors). */
	checks?: boolean;
}

export interface Wiring {
	stack: Stack;
	context: LinkContext;
	notes: string[];
	report?: CheckReport;
}

export async function openWiring(options: WiringOptions = {}): Promise<Wiring> {
	return wiringFromStack(await openStack(options), options);
}

/**
 * Builds clients from the stack's accepted credentials (after any typed in), reads the paths, and works out the
 * desired state. The stack given is left as it was: the wiring holds its own, with the clients.
 */
export async function wiringFromStack(given: Stack, options: Pick<WiringOptions, 'journalFile' | 'checks' | keyof DesiredOptions> = {}): Promise<Wiring> {
	// A Jellyfin administrator's password was checked by signing in: that session's token is the client's.
	const stack: Stack = {...given, ...clientsFor(given.credentials)};
	const report = options.checks ? await runChecks({services: stack.services, clients: stack.clients}) : undefined;
	const paths = report?.stack ?? (await collectPaths({services: stack.services, clients: stack.clients}));
	const {desired, notes} = desiredState(stack.services, stack.credentials, paths, options);
	const journal = await Journal.open(options.journalFile);
	return {stack, context: {clients: stack.clients, services: stack.services, desired, journal}, notes, report};
}

/**
 * A password arrwire changed (qBittorrent's, through the qbittorrent-password link) is kept in the profile (0600),
 * since nothing else knows it now. Returns the profile file, or undefined when nothing changed.
 */
export async function rememberNewPasswords(wiring: Wiring, before: string | undefined, file = profilePath()): Promise<string | undefined> {
	const login = wiring.context.desired.qbittorrent;
	const service = wiring.stack.services.qbittorrent;
	if (!login || !service || login.password === before) {
		return undefined;
	}
	const profile = await loadProfile(file);
	const services = (profile?.services ?? []).filter(entry => !(entry.kind === 'qbittorrent' && entry.url === service.url));
	services.push({kind: 'qbittorrent', url: service.url, source: service.source, username: login.username, credentialFrom: SET_BY_ARRWIRE, secret: login.password});
	// Only this one secret is kept; whether others are is still the user's choice.
	await saveProfile({storeSecrets: profile?.storeSecrets ?? false, hosts: profile?.hosts ?? [], services}, file);
	return file;
}
