// `arrwire discover [--json]`: what runs where, where each key came from, and whether the service accepted it.
import {serviceInfo, SERVICES} from '../discovery/catalogue.js';
import type {CredentialState} from '../discovery/collect.js';
import {credentialNeeded, type Credential} from '../discovery/credentials.js';
import {describeSkipped} from '../discovery/config-files.js';
import type {DiscoverOptions, Discovery} from '../discovery/discover.js';
import {normalizeFingerprint, peerCertificate, trustCertificate, trustedFingerprint} from '../services/tls.js';
import {openSession, type Session} from '../session/session.js';
import {profilePath} from '../state/profile.js';
import {askLine, askSecret, askYesNo, canAsk} from './ask.js';
import {credentialCheckLines, errorMessage, MARK, outWidth, writeLines} from '../present/text.js';
import {EXIT_CODES} from '../present/verdict.js';

export interface DiscoverCommandOptions extends DiscoverOptions {
	json?: boolean;
	/** Ask for missing credentials (default: when stdin and stdout are a terminal and not --json). */
	ask?: boolean;
	/** Save the profile (default true). */
	save?: boolean;
	/** Store the secrets in the profile (default: ask; false when not asking). */
	storeSecrets?: boolean;
	profileFile?: string;
}

export async function runDiscover(options: DiscoverCommandOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
	const session = openSession(options);
	const interactive = options.ask ?? (canAsk() && !options.json);
	// Before any credential goes to a service behind TLS, its certificate must be one this machine or the user trusts.
	let trusted: Record<string, string> = {};
	const {discovery, profile, profileFile} = await session.discover({
		beforeCredentials: interactive
			? async found => {
					trusted = await offerTrust(found, out);
				}
			: undefined,
	});
	const file = profileFile ?? profilePath();

	if (interactive) {
		printDiscovery(discovery, session.stack()!.credentials, out);
		for (const state of session.stack()!.credentials.filter(candidate => !candidate.check?.ok)) {
			await askFor(session, state, out);
		}
	}
	const states = session.stack()!.credentials;

	// A profile that already keeps secrets (the user agreed before) goes on keeping them.
	let storeSecrets = options.storeSecrets ?? profile?.storeSecrets ?? false;
	if (options.storeSecrets === undefined && !storeSecrets && interactive && states.some(state => state.check?.ok && state.from === 'typed in')) {
		storeSecrets = await askYesNo(`Store the credentials you typed in ${file} (readable only by you)?`);
	}
	// A save that fails is said after the results: what was found is never hidden by it.
	let notSaved: Error | undefined;
	// Nothing found, nothing to keep: a profile of nothing would only hide that the look found nothing.
	const save = options.save !== false && discovery.services.length > 0;
	if (save) {
		await session.saveProfile({storeSecrets, certificates: trusted}).catch((error: unknown) => (notSaved = error instanceof Error ? error : new Error(errorMessage(error))));
	}

	const found = session.stack()!.discovery;
	if (options.json) {
		out.write(JSON.stringify(discoveryJson(found, states), null, 2) + '\n');
	} else {
		if (!interactive) {
			printDiscovery(found, states, out);
		} else {
			printCredentials(states, out);
		}
		if (save && notSaved === undefined) {
			out.write(`\nSaved to ${file}${storeSecrets ? ' (with the credentials you typed)' : ' (no secrets)'}.\n`);
		}
	}
	if (notSaved !== undefined) {
		throw notSaved;
	}
	// Nothing found is not a fault, nor "all is well": the outcome of its own (README, exit codes).
	return found.services.length > 0 ? EXIT_CODES.ok : EXIT_CODES.incomplete;
}

/**
 * For each service behind TLS whose certificate this machine does not trust and the user has not trusted yet: shows
 * the certificate's SHA-256 fingerprint and asks whether to trust exactly that certificate for that address.
 */
async function offerTrust(discovery: Discovery, out: NodeJS.WritableStream): Promise<Record<string, string>> {
	const trusted: Record<string, string> = {};
	for (const service of discovery.services.filter(candidate => candidate.url.startsWith('https:'))) {
		const origin = new URL(service.url).origin;
		const peer = await peerCertificate(origin);
		if (!peer?.problem || trustedFingerprint(origin) === normalizeFingerprint(peer.fingerprint256)) {
			continue;
		}
		const what = peer.selfSigned ? 'self-signed' : peer.problem;
		out.write(`\n${service.name} at ${origin} uses a certificate this machine does not trust (${what}${peer.subject ? `, for "${peer.subject}"` : ''}).\n`);
		out.write(`  Its SHA-256 fingerprint is ${peer.fingerprint256}\n  Compare it with the one ${service.name} (or its proxy) shows. arrwire will trust this exact certificate for this address only.\n`);
		if (await askYesNo(`Trust this certificate (fingerprint ${peer.fingerprint256.slice(0, 23)}…)?`)) {
			trustCertificate(origin, peer.fingerprint256);
			trusted[origin] = normalizeFingerprint(peer.fingerprint256);
		}
	}
	return trusted;
}

async function askFor(session: Session, state: CredentialState, out: NodeJS.WritableStream): Promise<void> {
	const {service} = state;
	const info = serviceInfo(service.kind);
	if (state.check && !state.check.ok) {
		out.write('\n');
		writeLines(out, credentialCheckLines(state.check, outWidth(out)));
		if (state.check.stopAsking) {
			// qBittorrent: a second wrong password moves toward a ban; the user fixes it and runs arrwire again.
			return;
		}
	}
	out.write(`\n${service.name} at ${service.url} needs ${credentialNeeded(service.kind) === 'api-key' ? 'its API key' : 'a username and password'}: ${info.credential.where}.\n`);
	for (const reason of service.keyWithheld ?? []) {
		out.write(`  (asked because ${reason})\n`);
	}
	for (let attempt = 0; attempt < 3; attempt++) {
		const credential: Credential = {};
		if (credentialNeeded(service.kind) === 'api-key') {
			credential.apiKey = await askSecret(`${service.name} API key (empty to skip): `);
			if (!credential.apiKey) {
				return;
			}
		} else {
			credential.username = await askLine(`${service.name} username [admin]: `, 'admin');
			credential.password = await askSecret(`${service.name} password (empty to skip): `);
			if (!credential.password) {
				return;
			}
		}
		const {check} = await session.submitCredential(service.url, credential, 'typed in');
		writeLines(out, credentialCheckLines(check, outWidth(out) - 2).map(line => ({text: `  ${line.text}`})));
		if (check.ok || check.stopAsking) {
			return;
		}
	}
}

function credentialLine(state: CredentialState): string {
	if (!state.check) {
		return `needs ${credentialNeeded(state.service.kind) === 'api-key' ? 'its API key' : 'a login'}`;
	}
	return state.check.ok ? `${state.check.detail}; from ${state.from}` : `${state.check.message} fix: ${state.check.fix}`;
}

export function printDiscovery(discovery: Discovery, states: CredentialState[], out: NodeJS.WritableStream): void {
	const containers = discovery.containers.runtime
		? `${discovery.containers.containers.length} container(s) via ${discovery.containers.runtime}`
		: `no containers (${discovery.containers.reason})`;
	out.write(`Found ${discovery.services.length} service(s) in ${Math.round(discovery.elapsedMs)} ms; ${containers}.\n\n`);
	for (const state of states) {
		const service = state.service;
		const mark = state.check?.ok ? MARK.ok : state.check ? MARK.failed : MARK.bullet;
		const version = (state.check?.ok ? state.check.version : undefined) ?? service.version ?? '';
		out.write(`${mark} ${service.name.padEnd(11)} ${version.padEnd(13)} ${service.url}${service.container ? `  (container ${service.container.name})` : ''}\n`);
		out.write(`    identified by ${service.identifiedBy}\n`);
		out.write(`    ${credentialLine(state)}\n`);
		for (const reason of service.keyWithheld ?? []) {
			out.write(`    key not sent: ${reason}\n`);
		}
		for (const note of service.notes) {
			out.write(`    note: ${note}\n`);
		}
	}
	for (const unknown of discovery.unknown) {
		out.write(`? ${unknown.host}:${unknown.port} answers, but ${unknown.expected ? `it is not ${unknown.expected}` : 'it is none of the six services'}: ${unknown.description}\n`);
	}
	if (discovery.skippedFiles.length) {
		out.write(`\nSkipped ${discovery.skippedFiles.length} file(s) where a service keeps its config:\n`);
		for (const skipped of discovery.skippedFiles) {
			out.write(`  ${describeSkipped(skipped)}\n`);
		}
	}
	const absent = SERVICES.filter(info => !info.optional && !discovery.services.some(service => service.kind === info.kind));
	if (absent.length) {
		out.write(`\nNot found: ${absent.map(info => info.name).join(', ')}. Name other machines with --host NAME[:PORT] or --scan 192.168.1.0/24.\n`);
	}
}

function printCredentials(states: CredentialState[], out: NodeJS.WritableStream): void {
	out.write('\nCredentials:\n');
	for (const state of states) {
		out.write(`  ${state.check?.ok ? MARK.ok : MARK.failed} ${state.service.name.padEnd(11)} ${credentialLine(state)}\n`);
	}
}

/** The documented --json shape: no secret in it, only where each came from. */
export function discoveryJson(discovery: Discovery, states: CredentialState[]) {
	return {
		elapsedMs: Math.round(discovery.elapsedMs),
		services: states.map(({service, check, from}) => ({
			kind: service.kind,
			name: service.name,
			url: service.url,
			host: service.host,
			port: service.port,
			tls: service.tls,
			urlBase: service.urlBase ?? null,
			// Every documented key is always there, null when unknown; an *arr tells its version once its key is accepted.
			version: (check?.ok ? check.version : undefined) ?? service.version ?? null,
			authRequired: service.authRequired ?? null,
			authMethod: service.authMethod ?? null,
			setupComplete: service.setupComplete ?? null,
			identifiedBy: service.identifiedBy ?? null,
			source: service.source,
			apiKeyExposed: service.exposedApiKey !== undefined,
			notes: service.notes ?? [],
			container: service.container ? {
				name: service.container.name,
				image: service.container.image,
				ports: service.container.ports,
				mounts: service.container.mounts,
				env: service.container.env,
				user: service.container.user ?? null,
			} : null,
			configFile: service.configFile?.file ?? null,
			/** Keys found on disk that belong to another service, and why they were not sent to this one. */
			keyWithheld: service.keyWithheld ?? [],
			credential: {
				from: from ?? null,
				accepted: check?.ok ?? null,
				problem: check && !check.ok ? {message: check.message, fix: check.fix} : null,
			},
		})),
		unknown: discovery.unknown,
		skippedFiles: discovery.skippedFiles.map(skipped => ({file: skipped.file, kind: skipped.kind, origin: skipped.origin, reason: skipped.reason})),
		containers: discovery.containers.runtime
			? {runtime: discovery.containers.runtime, count: discovery.containers.containers.length}
			: {runtime: null, reason: discovery.containers.reason},
	};
}
