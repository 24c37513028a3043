// The Apply step's state: a reducer over what the run reports (the engine's events, a question asked and answered,
// the end of the run), so that the log, the progress and the outcome can be tested without Ink.
import type {Finding} from '../checks/findings.js';
import type {Change} from '../links/change.js';
import type {ApplyEvent, ApplyResult} from '../links/engine.js';
import type {RunOutcome} from '../present/stack-map.js';
import {applyEventLines, changeTitle, errorLines, errorMessage, MARK, type Line} from '../present/text.js';
import {WIDTH} from './layout.js';

export interface Question {
	change: Change;
	question: string;
	/** The answer Enter alone gives. */
	byDefault: boolean;
}

export interface ApplyState {
	titles: Record<string, string>;
	/** What has happened, as lines, oldest first. */
	lines: Line[];
	/** Changes made so far. */
	made: number;
	/** What is being done now ('' when nothing is). */
	working: string;
	question?: Question;
	/** Links with a change the user said no to: their check is expected to fail, and is not a failure. */
	declinedLinks: string[];
	verified: Record<string, Finding[]>;
	/** Set when the run is over. */
	outcome?: RunOutcome;
}

export type ApplyAction =
	| {type: 'event'; event: ApplyEvent}
	| ({type: 'asked'} & Question)
	| {type: 'answered'}
	| {type: 'finished'; result: ApplyResult}
	| {type: 'crashed'; error: unknown};

export function initialApply(titles: Record<string, string> = {}): ApplyState {
	return {titles, lines: [], made: 0, working: 'Reading each link again just before it runs…', declinedLinks: [], verified: {}};
}

export function applyReducer(state: ApplyState, action: ApplyAction): ApplyState {
	switch (action.type) {
		case 'event': {
			const {event} = action;
			const declinedLinks = event.type === 'declined' ? [...state.declinedLinks, event.change.link] : state.declinedLinks;
			const lines = applyEventLines(event, {title: link => state.titles[link] ?? link, declined: link => declinedLinks.includes(link)}, WIDTH);
			return {
				...state,
				declinedLinks,
				lines: [...state.lines, ...lines],
				made: state.made + (event.type === 'applied' ? 1 : 0),
				working: event.type === 'applying' ? changeTitle(event.change) : state.working,
				verified: event.type === 'verified' ? {...state.verified, [event.link]: event.findings} : state.verified,
			};
		}
		case 'asked':
			return {...state, question: {change: action.change, question: action.question, byDefault: action.byDefault}};
		case 'answered':
			return {...state, question: undefined};
		case 'finished': {
			const {result} = action;
			return {
				...state,
				working: '',
				outcome: {
					applied: result.applied,
					declined: result.declined,
					failed: result.failed ? {change: result.failed.change, error: result.failed.error.message} : undefined,
					verified: state.verified,
				},
			};
		}
		case 'crashed':
			// The run itself stopped (not one change): no change is named, the error says what happened.
			return {
				...state,
				working: '',
				lines: [...state.lines, ...errorLines(action.error, WIDTH, '', MARK.failed)],
				outcome: {applied: [], declined: [], failed: {error: errorMessage(action.error)}, verified: state.verified},
			};
	}
}
