// Credentials for scripts, where nobody can type: ARRWIRE_* environment variables, or a file or stdin named with
// `--credentials-from FILE|-` (JSON, or NAME=value lines with the variables' names). Never the command line (any user
// can read another's arguments in ps). Each problem is a message that names the variable, file or line, what is wrong
// and the fix; a value is never part of it.
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';
import {serviceInfo, type ServiceKind} from './catalogue.js';
import {credentialNeeded, type Credential, type CredentialCheck} from './credentials.js';

/** A credential given for a run, for one kind of service: sent only to the one service of that kind found, or to the one at `url`. */
export interface GivenCredential extends Credential {
	/** The service it belongs to, when several of its kind are found. */
	url?: string;
	/** Where it came from, as the output and the profile say it ("the environment (ARRWIRE_SONARR_API_KEY)"). */
	from: string;
	/** Told what became of it: checked against its service, or not sent (and why). */
	report?: (outcome: GivenOutcome) => void;
}

export type GivenOutcome = {sent: true; url: string; check: CredentialCheck} | {sent: false; why: string};

export type GivenCredentials = Partial<Record<ServiceKind, GivenCredential>>;

export interface ScriptCredentials {
	services: GivenCredentials;
	/** The NZBgeek API key (ARRWIRE_NZBGEEK_API_KEY), which belongs to no service found. */
	nzbgeekApiKey?: string;
}

/** A credential that could not be taken: the whole message names where, what and the fix. */
export class CredentialsInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialsInputError';
	}
}

const KINDS: ServiceKind[] = ['prowlarr', 'sonarr', 'radarr', 'qbittorrent', 'jellyfin', 'jellyseerr', 'nzbget', 'sabnzbd'];
type Field = 'username' | 'password' | 'apiKey' | 'url';
const FIELDS: Record<Field, string> = {username: 'USERNAME', password: 'PASSWORD', apiKey: 'API_KEY', url: 'URL'};
/** The most a credentials file may hold: a few lines of keys. */
const MAX_BYTES = 64 * 1024;

export function variableName(kind: ServiceKind | 'nzbgeek', field: Field): string {
	return `ARRWIRE_${kind.toUpperCase()}_${FIELDS[field]}`;
}

/** The variables a script gives this kind's credential in, in words ("ARRWIRE_QBITTORRENT_USERNAME and ARRWIRE_QBITTORRENT_PASSWORD"). */
export function scriptVariables(kind: ServiceKind): string {
	return describeFields(kind, field => variableName(kind, field));
}

/** How to give arrwire a credential it lacks, in a terminal and in a script (for a link's or a check's reason). */
export function howToGive(kind: ServiceKind): string {
	return `type it in arrwire discover in a terminal; in a script, give ${scriptVariables(kind)} or --credentials-from FILE`;
}

/** The fields a kind takes: an API key, or a username and password (Jellyfin: either). */
function fieldsOf(kind: ServiceKind): Field[] {
	if (kind === 'jellyfin') {
		return ['username', 'password', 'apiKey', 'url'];
	}
	return credentialNeeded(kind) === 'api-key' ? ['apiKey', 'url'] : ['username', 'password', 'url'];
}

function describeFields(kind: ServiceKind, name: (field: Field) => string): string {
	const fields = fieldsOf(kind);
	const login = fields.includes('username') ? `${name('username')} and ${name('password')}` : undefined;
	const key = fields.includes('apiKey') ? name('apiKey') : undefined;
	return [login, key].filter(Boolean).join(', or ');
}

/** Where one value was given, for messages: the variable, or the file and its key or line. */
interface Place {
	name: (kind: ServiceKind | 'nzbgeek', field: Field) => string;
	/** "the environment", "the file /x", "stdin". */
	source: string;
	/** The value's own name there, for where a credential came from ("ARRWIRE_SONARR_API_KEY", "sonarr.apiKey"). */
	label: (kind: ServiceKind | 'nzbgeek', field: Field) => string;
}

function checkUrl(value: string, where: string): string {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new CredentialsInputError(`${where} is not a URL; give the service's address as arrwire discover shows it (for example http://192.168.1.10:8989).`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new CredentialsInputError(`${where} is not an http or https URL; give the service's address as arrwire discover shows it (for example http://192.168.1.10:8989).`);
	}
	if (url.username || url.password) {
		throw new CredentialsInputError(`${where} holds a user name or password; give the address alone and the login in its own fields.`);
	}
	return value;
}

/** The credential of one kind from its fields, or the problem with them. */
function credentialOf(kind: ServiceKind, values: Partial<Record<Field, string>>, place: Place): GivenCredential {
	const name = (field: Field) => place.name(kind, field);
	const {name: serviceName} = serviceInfo(kind);
	for (const [field, value] of Object.entries(values) as Array<[Field, string]>) {
		if (!fieldsOf(kind).includes(field)) {
			throw new CredentialsInputError(`${name(field)}: ${serviceName} takes ${describeFields(kind, name)}, not that; remove it.`);
		}
		if (value.trim() === '') {
			throw new CredentialsInputError(`${name(field)} is empty; give its value, or remove it.`);
		}
	}
	const hasLogin = values.username !== undefined || values.password !== undefined;
	if (hasLogin && (values.username === undefined || values.password === undefined)) {
		const missing = values.username === undefined ? 'username' : 'password';
		throw new CredentialsInputError(`${name(missing)} is missing: ${serviceName} takes ${name('username')} and ${name('password')} together; give both.`);
	}
	if (hasLogin && values.apiKey !== undefined) {
		throw new CredentialsInputError(`${serviceName} was given both ${name('apiKey')} and a login; give one of them.`);
	}
	if (!hasLogin && values.apiKey === undefined) {
		throw new CredentialsInputError(`${name('url')} names a ${serviceName} but gives no credential for it; add ${describeFields(kind, name)}.`);
	}
	const from = `${place.source} (${place.label(kind, values.apiKey !== undefined ? 'apiKey' : 'password')})`;
	return {
		...(values.apiKey !== undefined ? {apiKey: values.apiKey} : {username: values.username, password: values.password}),
		...(values.url !== undefined ? {url: checkUrl(values.url, name('url'))} : {}),
		from,
	};
}

/** A variable-style name split into its service and field ("ARRWIRE_QBITTORRENT_PASSWORD" → qbittorrent, password). */
function splitName(name: string): {kind: ServiceKind | 'nzbgeek'; field: Field} | {unknown: string} | undefined {
	const match = /^ARRWIRE_([A-Z0-9]+)_(USERNAME|PASSWORD|API_KEY|URL)$/.exec(name);
	if (!match) {
		return undefined;
	}
	const kind = match[1]!.toLowerCase();
	const field = (Object.keys(FIELDS) as Field[]).find(candidate => FIELDS[candidate] === match[2])!;
	if (kind === 'nzbgeek' || (KINDS as string[]).includes(kind)) {
		return {kind: kind as ServiceKind | 'nzbgeek', field};
	}
	return {unknown: kind};
}

function knownServices(): string {
	return `${KINDS.map(kind => kind.toUpperCase()).join(', ')} or NZBGEEK`;
}

/** Values grouped by service, to credentials (one per kind) and the NZBgeek key. */
function collect(grouped: Map<ServiceKind | 'nzbgeek', Partial<Record<Field, string>>>, place: Place): ScriptCredentials {
	const result: ScriptCredentials = {services: {}};
	for (const [kind, values] of grouped) {
		if (kind === 'nzbgeek') {
			const extra = (Object.keys(values) as Field[]).find(field => field !== 'apiKey');
			if (extra) {
				throw new CredentialsInputError(`${place.name('nzbgeek', extra)}: NZBgeek takes ${place.name('nzbgeek', 'apiKey')} only; remove it.`);
			}
			if (values.apiKey?.trim() === '') {
				throw new CredentialsInputError(`${place.name('nzbgeek', 'apiKey')} is empty; give its value, or remove it.`);
			}
			result.nzbgeekApiKey = values.apiKey;
		} else {
			result.services[kind] = credentialOf(kind, values, place);
		}
	}
	return result;
}

/** The credentials in the ARRWIRE_* variables of `env` (ARRWIRE_NZBGEEK_API_KEY among them). */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): ScriptCredentials {
	const grouped = new Map<ServiceKind | 'nzbgeek', Partial<Record<Field, string>>>();
	for (const [name, value] of Object.entries(env)) {
		const split = splitName(name);
		// An empty variable is an unset one, as shells and CI systems make them.
		if (!split || value === undefined || value === '') {
			continue;
		}
		if ('unknown' in split) {
			throw new CredentialsInputError(`the environment variable ${name} names no service arrwire knows; the services are ${knownServices()} (ARRWIRE_QBITTORRENT_PASSWORD, for example). Unset it or fix its name.`);
		}
		grouped.set(split.kind, {...grouped.get(split.kind), [split.field]: value});
	}
	return collect(grouped, {source: 'the environment', name: variableName, label: variableName});
}

/** Reads `--credentials-from`: a file (0600 or tighter, regular, not a link) or, for `-`, stdin. */
export async function readCredentialsInput(given: string, stdin: NodeJS.ReadStream = process.stdin): Promise<{text: string; source: string}> {
	if (given === '-') {
		if (stdin.isTTY) {
			throw new CredentialsInputError('--credentials-from - reads the credentials from stdin, but stdin is a terminal; pipe them in (arrwire … --credentials-from - < FILE) or name a file.');
		}
		let text = '';
		for await (const chunk of stdin) {
			text += String(chunk);
			if (text.length > MAX_BYTES) {
				throw new CredentialsInputError(`--credentials-from -: stdin gave more than the ${MAX_BYTES / 1024} KiB arrwire reads; give only the credentials.`);
			}
		}
		return {text, source: 'stdin'};
	}
	let handle;
	try {
		// O_NOFOLLOW: a link could make arrwire read a file the user did not mean; O_NONBLOCK: a FIFO does not hang the open.
		handle = await open(given, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'ENOENT' || code === 'ENOTDIR'
				? 'there is no such file; give the path of the credentials file'
				: code === 'ELOOP'
					? 'it is a symbolic link, and arrwire does not follow links to credentials; name the file itself'
					: code === 'EACCES' || code === 'EPERM'
						? 'this user cannot read it; run arrwire as its owner or give it to this user (mode 0600)'
						: `it could not be opened (${code ?? 'error'})`;
		throw new CredentialsInputError(`--credentials-from ${given}: ${why}.`);
	}
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) {
			throw new CredentialsInputError(`--credentials-from ${given}: it is not a regular file; name a file, or use - and pipe the credentials in.`);
		}
		// As for the profile: a file of secrets that other users can read is refused, not used.
		if ((stats.mode & 0o077) !== 0) {
			throw new CredentialsInputError(
				`--credentials-from ${given}: other users can read or change it (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')}); make it yours alone with chmod 600 ${given}, and check that nobody copied it.`,
			);
		}
		if (stats.size > MAX_BYTES) {
			throw new CredentialsInputError(`--credentials-from ${given}: it is more than the ${MAX_BYTES / 1024} KiB arrwire reads; give only the credentials.`);
		}
		const text = await handle.readFile({encoding: 'utf8'});
		return {text, source: `the file ${given}`};
	} finally {
		await handle.close();
	}
}

/** The credentials in a file's text: JSON (`{"qbittorrent": {"username": …, "password": …}}`) or NAME=value lines. */
export function parseCredentials(text: string, source: string): ScriptCredentials {
	return text.trimStart().startsWith('{') ? parseJson(text, source) : parseLines(text, source);
}

const JSON_FIELDS: Record<string, Field> = {username: 'username', password: 'password', apiKey: 'apiKey', api_key: 'apiKey', url: 'url'};

function parseJson(text: string, source: string): ScriptCredentials {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		// JSON.parse's message quotes the text around the mistake: it could be a secret, so it is not shown.
		throw new CredentialsInputError(`${source} is not valid JSON; write {"qbittorrent": {"username": "…", "password": "…"}, …} or NAME=value lines (ARRWIRE_QBITTORRENT_PASSWORD=…).`);
	}
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new CredentialsInputError(`${source} is not a JSON object; write {"qbittorrent": {"username": "…", "password": "…"}, …}.`);
	}
	const grouped = new Map<ServiceKind | 'nzbgeek', Partial<Record<Field, string>>>();
	for (const [service, entry] of Object.entries(data as Record<string, unknown>)) {
		const kind = service.toLowerCase();
		if (kind !== 'nzbgeek' && !(KINDS as string[]).includes(kind)) {
			throw new CredentialsInputError(`${source}: "${service}" is no service arrwire knows; the services are ${[...KINDS, 'nzbgeek'].join(', ')}.`);
		}
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw new CredentialsInputError(`${source}: "${service}" is not an object; write "${kind}": {${kind === 'nzbgeek' || credentialNeeded(kind as ServiceKind) === 'api-key' ? '"apiKey": "…"' : '"username": "…", "password": "…"'}}.`);
		}
		const values: Partial<Record<Field, string>> = {};
		for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
			const field = JSON_FIELDS[key];
			if (!field) {
				throw new CredentialsInputError(`${source}: "${service}.${key}" is no field arrwire knows; the fields are username, password, apiKey and url.`);
			}
			if (typeof value !== 'string') {
				throw new CredentialsInputError(`${source}: "${service}.${key}" is not a string; write it in quotes.`);
			}
			values[field] = value;
		}
		grouped.set(kind as ServiceKind | 'nzbgeek', values);
	}
	const jsonLabel = (kind: ServiceKind | 'nzbgeek', field: Field) => `"${kind}.${field}"`;
	return collect(grouped, {source, name: (kind, field) => `${source}: ${jsonLabel(kind, field)}`, label: jsonLabel});
}

function parseLines(text: string, source: string): ScriptCredentials {
	const grouped = new Map<ServiceKind | 'nzbgeek', Partial<Record<Field, string>>>();
	const lineOf = new Map<string, number>();
	for (const [index, raw] of text.split(/\r?\n/).entries()) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) {
			continue;
		}
		// The line itself is never shown: it may hold a secret.
		const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
		if (!match) {
			throw new CredentialsInputError(`${source}, line ${index + 1}: not NAME=value; write one credential a line (ARRWIRE_QBITTORRENT_PASSWORD=…), or # for a comment.`);
		}
		const name = match[1]!;
		const split = splitName(name);
		if (!split || 'unknown' in split) {
			throw new CredentialsInputError(`${source}, line ${index + 1}: ${name} is no credential arrwire knows; the names are ARRWIRE_<SERVICE>_USERNAME, _PASSWORD, _API_KEY or _URL, for ${knownServices()}.`);
		}
		if (lineOf.has(name)) {
			throw new CredentialsInputError(`${source}, line ${index + 1}: ${name} is given twice (line ${lineOf.get(name)} too); keep one.`);
		}
		lineOf.set(name, index + 1);
		let value = match[2]!.trim();
		// As in shell and .env files: one pair of quotes around the value is not part of it.
		if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
			value = value.slice(1, -1);
		}
		grouped.set(split.kind, {...grouped.get(split.kind), [split.field]: value});
	}
	return collect(grouped, {source, name: (kind, field) => `${source}: ${variableName(kind, field)}`, label: variableName});
}

/** The environment's credentials and the file's, the file's winning for a service both give. */
export function mergeCredentials(fromEnvironment: ScriptCredentials, fromFile: ScriptCredentials | undefined): ScriptCredentials {
	return {
		services: {...fromEnvironment.services, ...fromFile?.services},
		nzbgeekApiKey: fromFile?.nzbgeekApiKey ?? fromEnvironment.nzbgeekApiKey,
	};
}

/** What to tell a script about a credential it gave, when it was not taken: where it came from, why, and the fix. */
export function givenOutcomeText(kind: ServiceKind, credential: GivenCredential, outcome: GivenOutcome): string | undefined {
	if (outcome.sent) {
		return outcome.check.ok ? undefined : `${credential.from}: ${outcome.check.message}\n  fix: ${outcome.check.fix}`;
	}
	const {name} = serviceInfo(kind);
	const fix = outcome.why.includes('does not say which')
		? `name the one it belongs to with ${variableName(kind, 'url')} (or "url" in the credentials file).`
		: outcome.why.startsWith('no ')
			? `point arrwire at the ${name} it belongs to (--host NAME[:PORT]), or remove it.`
			: undefined;
	return fix ? `${credential.from} was not used: ${outcome.why}.\n  fix: ${fix}` : undefined;
}
