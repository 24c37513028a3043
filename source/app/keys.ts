// Keys as people type them. A terminal hands the program chunks, not keys: a paste, type-ahead, a quick double
// Enter or a laggy SSH link arrive as one chunk ("admin\r", "\r\r", "secret\n"). Ink passes such a text chunk on
// whole (it only splits out escape sequences), so each chunk is split here into the keys it holds, in order.
import type {Key} from 'ink';

export interface KeyPress {
	/** The character typed ('' for a key that is not text). */
	input: string;
	key: Key;
}

const NONE: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

const press = (input: string, key: Partial<Key> = {}): KeyPress => ({input, key: {...NONE, ...key}});

// The sequences xterm, tmux and the Linux console send (CSI and SS3 forms).
const SEQUENCES: Record<string, keyof Key> = {
	A: 'upArrow',
	B: 'downArrow',
	C: 'rightArrow',
	D: 'leftArrow',
	H: 'home',
	F: 'end',
	'1~': 'home',
	'7~': 'home',
	'4~': 'end',
	'8~': 'end',
	'3~': 'delete',
	'5~': 'pageUp',
	'6~': 'pageDown',
};

function escapeSequence(sequence: string): KeyPress {
	if (sequence === '\u001B' || sequence === '\u001B\u001B') {
		return press('', {escape: true, meta: true});
	}
	if (sequence === '\u001B[Z') {
		return press('', {tab: true, shift: true});
	}
	// ESC [ 1 ; modifier X  (modifier - 1: bit 1 shift, bit 2 alt, bit 4 ctrl)
	const match = /^\u001B(?:\[|O)(?:(\d+)(?:;(\d+))?)?([A-Z~])$/.exec(sequence);
	if (match) {
		const [, number, modifier, final] = match;
		const name = SEQUENCES[final === '~' ? `${number}~` : final!];
		const bits = modifier ? Number(modifier) - 1 : 0;
		if (name) {
			return press('', {[name]: true, shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0});
		}
		return press('', {meta: true});
	}
	// Alt + a character arrives as ESC followed by it.
	if (sequence.length === 2) {
		return press(sequence.slice(1), {meta: true});
	}
	return press('', {meta: true});
}

function singleKey(character: string): KeyPress {
	const code = character.codePointAt(0)!;
	if (character === '\r' || character === '\n') {
		return press('', {return: true});
	}
	if (character === '\t') {
		return press('', {tab: true});
	}
	if (character === '\u007F' || character === '\b') {
		return press('', {backspace: true});
	}
	if (code < 0x20) {
		// Ctrl + a letter: ^A is 1 … ^Z is 26.
		return press(String.fromCodePoint(code + 96), {ctrl: true});
	}
	return press(character, {shift: character !== character.toLowerCase()});
}

/**
 * The keys one input event holds, in order. An escape sequence is one key; text is one key per character, and
 * "\r\n" (the end of a line pasted from Windows) is one Enter.
 */
export function splitKeys(chunk: string): KeyPress[] {
	if (chunk.startsWith('\u001B')) {
		return [escapeSequence(chunk)];
	}
	const keys: KeyPress[] = [];
	const characters = [...chunk];
	for (let index = 0; index < characters.length; index++) {
		const character = characters[index]!;
		if (character === '\r' && characters[index + 1] === '\n') {
			index++;
		}
		keys.push(singleKey(character));
	}
	return keys;
}

export interface Field {
	value: string;
	/** Where the next character goes: 0 … value.length. */
	cursor: number;
}

export interface Typed extends Field {
	/** Enter was pressed: the value is given. */
	submitted: boolean;
	/** The keys that came after that Enter in the same chunk. */
	rest: KeyPress[];
}

/**
 * Types keys into a text field. Characters go in at the cursor, backspace and delete remove, the arrows move; the
 * first Enter submits and ends the typing: what follows it belongs to whatever comes next, never to this value.
 * Other keys (tab, escape, ctrl) do not change the value.
 */
export function typeInto(field: Field, keys: KeyPress[]): Typed {
	let {value, cursor} = field;
	for (const [index, {input, key}] of keys.entries()) {
		if (key.return) {
			return {value, cursor, submitted: true, rest: keys.slice(index + 1)};
		}
		if (key.backspace) {
			if (cursor > 0) {
				const before = [...value.slice(0, cursor)];
				before.pop();
				value = before.join('') + value.slice(cursor);
				cursor = before.join('').length;
			}
		} else if (key.delete) {
			if (cursor < value.length) {
				value = value.slice(0, cursor) + value.slice(cursor + [...value.slice(cursor)][0]!.length);
			}
		} else if (key.leftArrow) {
			cursor = cursor > 0 ? [...value.slice(0, cursor)].slice(0, -1).join('').length : 0;
		} else if (key.rightArrow) {
			cursor = cursor < value.length ? cursor + [...value.slice(cursor)][0]!.length : cursor;
		} else if (key.home) {
			cursor = 0;
		} else if (key.end) {
			cursor = value.length;
		} else if (input && !key.ctrl && !key.meta) {
			value = value.slice(0, cursor) + input + value.slice(cursor);
			cursor += input.length;
		}
	}
	return {value, cursor, submitted: false, rest: []};
}
