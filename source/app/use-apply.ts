// The Apply step's hook: starts the run when the screen appears, feeds its events to the reducer (apply-state.ts),
// asks before a change as the one rule says (present/apply-rules.ts), and takes the keys that answer.
// Not @inkjs/ui's ConfirmInput for the y/n question: it reads keys through Ink's useInput, one call per chunk, so "y\r"
// typed ahead answers nothing (chunks.test.tsx); here, as on every screen, the first key of a chunk answers.
import {useEffect, useReducer, useRef} from 'react';
import type {Change} from '../links/change.js';
import {beforeChange} from '../present/apply-rules.js';
import type {RunOutcome} from '../present/stack-map.js';
import {applyReducer, initialApply, type ApplyState} from './apply-state.js';
import type {WizardController} from './controller.js';
import type {ApplyMode} from './flow.js';
import {useKeys} from './typing.js';

export interface UseApplyOptions {
	controller: WizardController;
	links: string[];
	mode: ApplyMode;
	titles?: Record<string, string>;
	onDone: (outcome: RunOutcome) => void;
}

export function useApply({controller, links, mode, titles, onDone}: UseApplyOptions): ApplyState {
	const [state, dispatch] = useReducer(applyReducer, titles, initialApply);
	// The answer the run waits for; set while a question is shown.
	const answer = useRef<((yes: boolean) => void) | undefined>(undefined);

	useEffect(() => {
		const confirm = async (change: Change): Promise<boolean> => {
			const next = beforeChange(change, {yes: mode === 'all', canAsk: true});
			if (next.do !== 'ask') {
				return next.do === 'make';
			}
			return new Promise<boolean>(resolve => {
				answer.current = yes => {
					answer.current = undefined;
					dispatch({type: 'answered'});
					resolve(yes);
				};
				dispatch({type: 'asked', change, question: next.question, byDefault: next.byDefault});
			});
		};
		controller.apply({links, confirm}, event => dispatch({type: 'event', event})).then(
			result => dispatch({type: 'finished', result}),
			(error: unknown) => dispatch({type: 'crashed', error}),
		);
		// Once, when the screen appears: a second run would ask and apply the same changes again.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);

	const {question, outcome} = state;
	useKeys(
		(input, key) => {
			const lower = input.toLowerCase();
			if (lower === 'y' || lower === 'n') {
				answer.current?.(lower === 'y');
			} else if (key.return && question) {
				answer.current?.(question.byDefault);
			}
		},
		{isActive: question !== undefined},
	);
	useKeys(
		(_input, key) => {
			if (key.return && outcome) {
				onDone(outcome);
			}
		},
		{isActive: outcome !== undefined},
	);
	return state;
}
