// Everything plan, apply, undo, doctor and the wizard start from: the stack (discovery + accepted credentials),
// the paths each service sees, the desired state, and the journal.
import {collectPaths, runChecks, type CheckReport} from '../checks/collect.js';
import {clientsFor, openStack, type OpenStackOptions, type Stack, type StackClients} from '../discovery/stack.js';
import {RequestMemo, type HttpClient} from '../services/http.js';
import {Journal} from '../state/journal.js';
import type {LinkContext} from './context.js';
import {desiredState, type DesiredOptions} from './desired.js';

export interface WiringOptions extends Omit<OpenStackOptions, 'beforeCredentials'>, DesiredOptions {
	journalFile?: string;
	/** Run the path and permission checks too (plan shows their errors). */
	checks?: boolean;
	/** No service test that reaches beyond the stack (LinkContext.offline). */
	offline?: boolean;
	/** With the checks, the canary proof too (it writes and removes a test file in the stack's folders): check and doctor. */
	canary?: boolean;
}

export interface Wiring {
	stack: Stack;
	context: LinkContext;
	notes: string[];
	report?: CheckReport;
}

export async function openWiring(options: WiringOptions = {}): Promise<Wiring> {
	const stack = await openStack(options);
	return wiringFromStack(stack, {...options, memo: stack.memo});
}

/**
 * Builds clients from the stack's accepted credentials (after any typed in), reads the paths, and works out the
 * desired state. The stack given is left as it was: the wiring holds its own, with the clients.
 */
export async function wiringFromStack(given: Stack, options: Pick<WiringOptions, 'journalFile' | 'checks' | 'offline' | 'canary' | keyof DesiredOptions> & {memo?: RequestMemo} = {}): Promise<Wiring> {
	// A Jellyfin administrator's password was checked by signing in: that session's token is the client's.
	const stack: Stack = {...given, ...clientsFor(given.credentials)};
	// One memo for the command: the same read or service test asked twice goes on the wire once (RequestMemo). The
	// credential checks' memo when the command opened the stack just now: what they read is not read again.
	const memo = options.memo ?? new RequestMemo();
	const clients: Partial<Record<keyof StackClients, {http: HttpClient}>> = stack.clients;
	for (const client of Object.values(clients)) {
		if (client) {
			client.http.memo = memo;
		}
	}
	const report = options.checks ? await runChecks({services: stack.services, clients: stack.clients, canary: options.canary}) : undefined;
	const paths = report?.stack ?? (await collectPaths({services: stack.services, clients: stack.clients}));
	const {desired, notes} = desiredState(stack.services, stack.credentials, paths, options);
	const journal = await Journal.open(options.journalFile);
	const versions = Object.fromEntries(stack.credentials.flatMap(state => (state.check?.ok && state.check.version ? [[state.service.kind, state.check.version]] : [])));
	return {stack, context: {clients: stack.clients, services: stack.services, desired, journal, versions, offline: options.offline}, notes, report};
}
