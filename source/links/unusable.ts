// Why a link cannot use a service: not found, or found without an accepted credential. The reason says which, and
// how to give what is missing, in a terminal and in a script.
import {serviceInfo, type ServiceKind} from '../discovery/catalogue.js';
import {howToGive} from '../discovery/given-credentials.js';
import type {StackServices} from './context.js';

export function unusable(kind: ServiceKind & keyof StackServices, context: {services?: StackServices}): string {
	const {name, credential} = serviceInfo(kind);
	const what = credential.kind === 'api-key' ? 'API key' : kind === 'jellyfin' ? 'administrator login' : 'login';
	if (!context.services) {
		return `${name} was not found, or has no accepted ${what} (${howToGive(kind)})`;
	}
	const found = context.services[kind];
	if (!found) {
		return `${name} was not found`;
	}
	return `${name} at ${found.url} has no accepted ${what} (${howToGive(kind)})`;
}
