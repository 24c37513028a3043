// The Credentials step's hook: the state (credentials-state.ts) and the intents that change it: type, enter a
// username (with what was typed ahead of the password), submit an answer (checked at once) or skip one.
import {useReducer, useRef} from 'react';
import type {CredentialCheck} from '../discovery/credentials.js';
import {credentialCheckLines, errorLines, MARK} from '../present/text.js';
import type {WizardController} from './controller.js';
import {credentialsReducer, currentItem, initialCredentials, suggestedUsername, type CredentialsState} from './credentials-state.js';
import {typeInto, type KeyPress} from './keys.js';
import {WIDTH} from './layout.js';

export interface Credentials {
	state: CredentialsState;
	type: (field: 'username' | 'secret', value: string) => void;
	submitUsername: (value: string, rest: KeyPress[]) => void;
	submitSecret: (value: string) => void;
}

export function useCredentials(controller: WizardController): Credentials {
	const [state, dispatch] = useReducer(credentialsReducer, undefined, () => initialCredentials(controller.credentials()));
	// Set at once (not at the next render): a second Enter right behind the first does not check twice.
	const submitting = useRef(false);
	const current = currentItem(state);

	const submitSecret = (value: string, user = state.username) => {
		if (!current || state.checking || submitting.current) {
			return;
		}
		if (value === '') {
			controller.skip(current.kind);
			dispatch({type: 'items', items: controller.credentials()});
			return;
		}
		const credential = current.need === 'api-key' ? {apiKey: value} : {username: user || suggestedUsername(current), password: value};
		submitting.current = true;
		dispatch({type: 'checking'});
		controller.submit(current.kind, credential).then(
			(check: CredentialCheck) => {
				submitting.current = false;
				dispatch({type: 'items', items: controller.credentials(), last: credentialCheckLines(check, WIDTH)});
			},
			(error: unknown) => {
				submitting.current = false;
				dispatch({type: 'items', items: controller.credentials(), last: errorLines(error, WIDTH, '', MARK.failed)});
			},
		);
	};

	return {
		state,
		type: (field, value) => dispatch({type: 'typed', field, value}),
		// Type-ahead after the username ("admin\rpassword\r") fills the password; an Enter that only followed the
		// username's own Enter does not skip the login: skipping takes an Enter of its own.
		submitUsername(value, rest) {
			const typed = typeInto({value: state.secret, cursor: state.secret.length}, rest);
			dispatch({type: 'username-entered', secret: typed.value});
			if (typed.submitted && typed.value !== '') {
				submitSecret(typed.value, value);
			}
		},
		submitSecret: value => submitSecret(value),
	};
}
