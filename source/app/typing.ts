// Screens with a text field tell the app, so that typing "q" or "y" is text and not a command. Every screen takes
// its keys through the hooks here, which split what the terminal sends into keys (keys.ts).
import {useStdin} from 'ink';
import {createContext, useContext, useLayoutEffect, useRef} from 'react';
import {splitKeys, type KeyPress} from './keys.js';

export const TypingContext = createContext<(typing: boolean) => void>(() => undefined);

export function useTyping(typing: boolean): void {
	const setTyping = useContext(TypingContext);
	// Before the frame is read: a "q" typed as a text field appears (or just after it goes) is taken the right way.
	useLayoutEffect(() => {
		setTyping(typing);
		return () => setTyping(false);
	}, [setTyping, typing]);
}

/** True while the quit question is shown: the screen underneath stays mounted but takes no keys. */
export const PausedContext = createContext(false);

/**
 * Every key of every chunk the terminal sends, in order, one call per chunk. Listens from the moment the screen
 * is drawn (a layout effect, not Ink's useInput whose passive effect runs later): a key typed just as a screen
 * appears is not lost, and a test that sees a frame may type into it.
 */
export function useKeyChunks(handler: (keys: KeyPress[]) => void, options: {isActive?: boolean} = {}): void {
	const paused = useContext(PausedContext);
	const {internal_eventEmitter: events, setRawMode} = useStdin();
	// The newest handler, set at render: a key that arrives before the effects run still sees the state on screen.
	const latest = useRef(handler);
	// eslint-disable-next-line react-hooks/refs -- written at render on purpose (above); read only by the listener
	latest.current = handler;
	const active = (options.isActive ?? true) && !paused;
	useLayoutEffect(() => {
		if (!active) {
			return;
		}
		let live = true;
		const listener = (chunk: string) => {
			// A screen that stopped listening while this chunk was being handed round takes no part of it.
			if (live) {
				latest.current(splitKeys(chunk));
			}
		};
		setRawMode(true);
		events.on('input', listener);
		return () => {
			live = false;
			events.removeListener('input', listener);
			setRawMode(false);
		};
	}, [active, events, setRawMode]);
}

/**
 * A command key per chunk: the first key of a chunk acts and the rest of it is dropped. What a second key means
 * depends on the screen the first one leads to, which the user has not seen yet: "\r\r" confirms one screen,
 * never two, and "y\r" answers one question.
 */
export function useKeys(handler: (input: string, key: KeyPress['key']) => void, options: {isActive?: boolean} = {}): void {
	useKeyChunks(keys => {
		const first = keys[0];
		if (first) {
			handler(first.input, first.key);
		}
	}, options);
}
