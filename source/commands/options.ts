// Which options each command takes, and the checks on their values that need no service: one table, so that a
// mistyped or misplaced option is a usage error (exit 2) that names it, before anything is looked for.
import {isIP} from 'node:net';
import type {ParseArgsConfig} from 'node:util';

export const OPTIONS = {
	version: {type: 'boolean', short: 'v'},
	help: {type: 'boolean', short: 'h'},
	json: {type: 'boolean'},
	host: {type: 'string', multiple: true},
	scan: {type: 'string', multiple: true},
	'config-dir': {type: 'string', multiple: true},
	'no-docker': {type: 'boolean'},
	'store-secrets': {type: 'boolean'},
	yes: {type: 'boolean', short: 'y'},
	'yes-hand-made': {type: 'boolean'},
	only: {type: 'string', multiple: true},
	'data-root': {type: 'string'},
	offline: {type: 'boolean'},
	plain: {type: 'boolean'},
	'credentials-from': {type: 'string'},
	'no-canary': {type: 'boolean'},
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export type OptionName = keyof typeof OPTIONS;

/** Where to look for the stack, and the credentials for it: every command that looks at the user's stack takes these. */
const DISCOVERY: OptionName[] = ['host', 'scan', 'config-dir', 'no-docker', 'credentials-from'];

/** The options of each command besides --help and --version (which every command takes). */
export const COMMAND_OPTIONS = {
	wizard: [...DISCOVERY],
	discover: [...DISCOVERY, 'json', 'store-secrets'],
	check: [...DISCOVERY, 'json', 'no-canary'],
	plan: [...DISCOVERY, 'json', 'only', 'data-root'],
	apply: [...DISCOVERY, 'yes', 'yes-hand-made', 'only', 'data-root'],
	undo: [...DISCOVERY, 'yes'],
	doctor: [...DISCOVERY, 'json', 'data-root', 'offline', 'no-canary'],
	// The demo and the lab start a stack of their own on loopback: there is nothing to look for.
	demo: ['plain'],
	lab: [],
	help: [],
} as const satisfies Record<string, readonly OptionName[]>;

export type Command = keyof typeof COMMAND_OPTIONS;

export type OptionValues = Partial<Record<OptionName, string | boolean | string[] | undefined>>;

export function isCommand(name: string): name is Command {
	return Object.hasOwn(COMMAND_OPTIONS, name);
}

function shown(command: Command): string {
	return command === 'wizard' ? 'arrwire' : `arrwire ${command}`;
}

function takes(command: Command): string {
	const options: readonly string[] = COMMAND_OPTIONS[command];
	return options.length === 0 ? `${shown(command)} takes no options` : `${shown(command)} takes ${options.map(option => `--${option}`).join(', ')}`;
}

function list(value: unknown): string[] {
	if (Array.isArray(value)) {
		return value.filter((item): item is string => typeof item === 'string');
	}
	return typeof value === 'string' ? [value] : [];
}

/**
 * What is wrong with these arguments for this command, as a message that names the option (or argument), what was
 * wrong and how to put it right; undefined when nothing is. Values are checked here as far as they can be without
 * looking at a service; a value is never echoed with a user name or password in it.
 */
export async function usageProblem(command: Command, values: OptionValues, extra: string[]): Promise<string | undefined> {
	if (extra.length > 0) {
		return `${shown(command)}: unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map(argument => `'${argument}'`).join(' ')}; ${shown(command)} takes options only (arrwire --help lists them).`;
	}
	const allowed: readonly string[] = COMMAND_OPTIONS[command];
	for (const [name, value] of Object.entries(values)) {
		if (value === undefined || name === 'help' || name === 'version' || allowed.includes(name)) {
			continue;
		}
		return `${shown(command)}: --${name} does not apply here; ${takes(command)} (arrwire --help lists what each command takes).`;
	}
	if (values.scan !== undefined) {
		const {expandCidr} = await import('../discovery/discover.js');
		for (const network of list(values.scan)) {
			try {
				expandCidr(network);
			} catch (error) {
				return `${shown(command)}: --scan ${(error as Error).message}`;
			}
		}
	}
	if (values.host !== undefined) {
		const {parseHostArgument} = await import('../discovery/discover.js');
		for (const given of list(values.host)) {
			let host: string;
			try {
				host = parseHostArgument(given).host;
			} catch (error) {
				return `${shown(command)}: --host ${(error as Error).message}`;
			}
			// An address, or a name as DNS and Docker spell them (container names may hold `_`).
			if (isIP(host) === 0 && !/^[a-z0-9](?:[a-z0-9_.-]*[a-z0-9])?$/i.test(host)) {
				return `${shown(command)}: --host "${given}" is not a host name or address; write NAME or NAME:PORT (for example nas.local:8989 or 192.168.1.10).`;
			}
		}
	}
	if (values.only !== undefined) {
		const {selectLinks} = await import('../links/all.js');
		try {
			selectLinks(list(values.only));
		} catch (error) {
			return `${shown(command)}: --only: ${(error as Error).message}`;
		}
	}
	if (typeof values['data-root'] === 'string') {
		const {dataRootProblem} = await import('../links/desired.js');
		const problem = dataRootProblem(values['data-root']);
		if (problem) {
			return `${shown(command)}: ${problem}`;
		}
	}
	return undefined;
}
