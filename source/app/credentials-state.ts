// The Credentials step's state: the credentials the wizard has and still needs, the one it asks for now and the
// fields typed so far, and what the last answer gave. A reducer, tested without Ink.
import type {Line, Tone} from '../present/text.js';
import {MARK} from '../present/text.js';
import type {CredentialItem} from './controller.js';

/** Still to ask: not accepted, not skipped, and not a qBittorrent that already refused once. */
export function askable(item: CredentialItem): boolean {
	return !item.check?.ok && !item.skipped && !(item.check && !item.check.ok && item.check.stopAsking);
}

export interface CredentialsState {
	items: CredentialItem[];
	/** The kind asked for now; its fields below. */
	asking?: CredentialItem['kind'];
	field: 'username' | 'secret';
	username: string;
	secret: string;
	/** The answer is being checked with the service. */
	checking: boolean;
	/** What the last answer gave: the service's check, or the error that kept it from being checked. */
	last?: Line[];
}

export type CredentialsAction =
	| {type: 'typed'; field: 'username' | 'secret'; value: string}
	/** The username was entered; what came after its Enter is typed into the password. */
	| {type: 'username-entered'; secret: string}
	| {type: 'checking'}
	/** The controller's list changed (an answer checked, or a credential skipped). */
	| {type: 'items'; items: CredentialItem[]; last?: Line[]};

/**
 * The item to ask for now. A new one starts with fresh fields, at once (not on the next render) so that keys typed
 * as it appears go to the right field. The suggested username (given, known, or "admin") is taken by enter and
 * replaced by typing: typing "admin" over a suggested "admin" gives "admin", not "adminadmin".
 */
function ask(state: CredentialsState): CredentialsState {
	const current = state.items.find(askable);
	if (!current || current.kind === state.asking) {
		return state;
	}
	return {...state, asking: current.kind, username: '', secret: current.given?.password ?? '', field: current.need === 'username-password' ? 'username' : 'secret'};
}

export function initialCredentials(items: CredentialItem[]): CredentialsState {
	return ask({items, field: 'secret', username: '', secret: '', checking: false});
}

export function credentialsReducer(state: CredentialsState, action: CredentialsAction): CredentialsState {
	switch (action.type) {
		case 'typed':
			return action.field === 'username' ? {...state, username: action.value} : {...state, secret: action.value};
		case 'username-entered':
			return {...state, field: 'secret', secret: action.secret};
		case 'checking':
			return {...state, checking: true};
		case 'items': {
			// Asked again (a typed answer was refused): the field starts from the answer given for this run, if any,
			// as the screen says ("press enter to use it"), never from what was typed.
			const again = action.items.find(askable);
			return ask({...state, items: action.items, last: action.last, secret: again?.kind === state.asking ? (again?.given?.password ?? '') : '', checking: false});
		}
	}
}

/** The item asked for now, if any. */
export function currentItem(state: CredentialsState): CredentialItem | undefined {
	return state.items.find(askable);
}

/** The username an empty field stands for. */
export function suggestedUsername(item: CredentialItem | undefined): string {
	return item?.given?.username ?? item?.username ?? 'admin';
}

/** One credential's state as the list shows it. */
export function credentialStatus(item: CredentialItem): {mark: string; tone: Tone; text: string} {
	if (item.check?.ok) {
		return {mark: MARK.ok, tone: 'ok', text: `${item.check.detail}${item.from ? `; from ${item.from}` : ''}`};
	}
	if (item.skipped) {
		return {mark: '-', tone: 'dim', text: item.optional ? 'not given (optional)' : 'skipped: its links will be skipped'};
	}
	if (item.check && !item.check.ok) {
		return {mark: MARK.failed, tone: 'failed', text: item.check.stopAsking ? `refused; not asked again` : `refused${item.from ? ` (from ${item.from})` : ''}`};
	}
	return {mark: '·', tone: 'warning', text: item.need === 'api-key' ? `needs its API key${item.optional ? ' (optional)' : ''}` : 'needs a username and password'};
}
