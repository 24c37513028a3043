// A one-line text field that takes a chunk as the keys it holds (keys.ts): "admin\r" types admin and submits it,
// a pasted secret with its newline submits once, and whatever follows an Enter is handed on, never typed in.
// Not ink-text-input: it submits only when a whole chunk is exactly "\r" and types every other chunk in as text,
// Enters included, and it reads its value from the last render, so two chunks before a render lose the first.
import {Text} from 'ink';
import {useRef, useState} from 'react';
import {typeInto, type KeyPress} from './keys.js';
import {useKeyChunks} from './typing.js';

export interface TextInputProps {
	value: string;
	onChange: (value: string) => void;
	/** Enter: the value, and the keys that came after the Enter in the same chunk (for the next field, if any). */
	onSubmit: (value: string, rest: KeyPress[]) => void;
	/** Shown instead of each character (a secret is never drawn). */
	mask?: string;
	/** Shown dim while the field is empty: what an empty field stands for (the caller reads '' as this). */
	placeholder?: string;
	focus?: boolean;
}

export function TextInput({value, onChange, onSubmit, mask, placeholder, focus = true}: TextInputProps) {
	const [, setCursor] = useState(value.length);
	// What was typed, ahead of the render that will show it: the next chunk builds on it. A value set from outside
	// (cleared, or given) puts the cursor at its end.
	// The ref is read and written at render on purpose: chunks arrive between renders, and each must build on the last.
	/* eslint-disable react-hooks/refs */
	const field = useRef({value, cursor: value.length});
	if (field.current.value !== value) {
		field.current = {value, cursor: value.length};
	}
	/* eslint-enable react-hooks/refs */

	useKeyChunks(
		keys => {
			const typed = typeInto(field.current, keys);
			const changed = typed.value !== field.current.value;
			field.current = {value: typed.value, cursor: typed.cursor};
			setCursor(typed.cursor);
			if (changed) {
				onChange(typed.value);
			}
			if (typed.submitted) {
				onSubmit(typed.value, typed.rest);
			}
		},
		{isActive: focus},
	);

	const shown = mask === undefined ? value : mask.repeat([...value].length);
	if (value === '' && placeholder) {
		const [first = ' ', ...others] = [...placeholder];
		return (
			<Text dimColor>
				{focus ? <Text inverse>{first}</Text> : first}
				{others.join('')}
			</Text>
		);
	}
	if (!focus) {
		return <Text>{shown}</Text>;
	}
	const characters = [...shown];
	// eslint-disable-next-line react-hooks/refs -- the cursor typed ahead of this render (above)
	const at = [...value.slice(0, field.current.cursor)].length;
	const before = characters.slice(0, at).join('');
	const under = characters[at] ?? ' ';
	const after = characters.slice(at + 1).join('');
	return (
		<Text>
			{before}
			<Text inverse>{under}</Text>
			{after}
		</Text>
	);
}
