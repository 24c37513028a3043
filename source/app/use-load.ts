// What a screen asks of the controller when it appears (discover, checks, plan): loading, then the value or the
// error's message. An answer that arrives after the screen is gone (the user went back) is dropped.
import {useEffect, useState} from 'react';
import {errorMessage} from '../present/text.js';

export type Loaded<T> = {state: 'loading'} | {state: 'done'; value: T} | {state: 'failed'; error: string};

/** Runs `load` once, when the screen appears; with `known` (the step was done before), shows it and runs nothing. */
export function useLoad<T>(load: () => Promise<T>, known?: T): Loaded<T> {
	const [loaded, setLoaded] = useState<Loaded<T>>(known === undefined ? {state: 'loading'} : {state: 'done', value: known});
	useEffect(() => {
		if (known !== undefined) {
			return;
		}
		let live = true;
		load().then(
			value => live && setLoaded({state: 'done', value}),
			(error: unknown) => live && setLoaded({state: 'failed', error: errorMessage(error)}),
		);
		return () => {
			live = false;
		};
		// Once, when the screen appears (above): screens pass a new `load` closure at every render.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);
	return loaded;
}

/** The value, once loaded. */
export function valueOf<T>(loaded: Loaded<T>): T | undefined {
	return loaded.state === 'done' ? loaded.value : undefined;
}
