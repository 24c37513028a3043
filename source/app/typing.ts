// Screens with a text field tell the app, so that typing "q" or "y" is text and not a command.
import {useInput} from 'ink';
import {createContext, useContext, useEffect, useRef} from 'react';

export const TypingContext = createContext<(typing: boolean) => void>(() => undefined);

export function useTyping(typing: boolean): void {
	const setTyping = useContext(TypingContext);
	useEffect(() => {
		setTyping(typing);
		return () => setTyping(false);
	}, [typing]);
}

/** True while the quit question is shown: the screen underneath stays mounted but takes no keys. */
export const PausedContext = createContext(false);

/** useInput that goes quiet while the app asks whether to quit. */
export function useKeys(handler: Parameters<typeof useInput>[0], options: {isActive?: boolean} = {}): void {
	const paused = useContext(PausedContext);
	// The newest handler, set at render: a key that arrives before the effects run still sees the state on screen.
	const latest = useRef(handler);
	latest.current = handler;
	useInput((input, key) => latest.current(input, key), {isActive: (options.isActive ?? true) && !paused});
}
