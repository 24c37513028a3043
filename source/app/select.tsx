// A vertical menu: up/down move, enter picks. Used for every "what next" choice.
// Not @inkjs/ui's Select: it reads keys through Ink's useInput, one call per chunk, so a chunk that holds more than
// one key ("\r\r", a quick double Enter or type-ahead over SSH) is no Enter to it and picks nothing. This one takes
// its keys as every screen does (keys.ts, typing.ts): the first key of a chunk acts, and it takes none while the
// quit question is shown.
import {Box, Text} from 'ink';
import {useState} from 'react';
import {color, MARK} from './theme.js';
import {useKeys} from './typing.js';

export interface SelectItem<Value extends string> {
	value: Value;
	label: string;
}

export function Select<Value extends string>({items, onSelect, active = true}: {items: Array<SelectItem<Value>>; onSelect: (value: Value) => void; active?: boolean}) {
	const [index, setIndex] = useState(0);
	useKeys(
		(_input, key) => {
			if (key.downArrow) {
				setIndex(previous => (previous + 1) % items.length);
			} else if (key.upArrow) {
				setIndex(previous => (previous - 1 + items.length) % items.length);
			} else if (key.return) {
				const item = items[index];
				if (item) {
					onSelect(item.value);
				}
			}
		},
		{isActive: active},
	);
	return (
		<Box flexDirection="column">
			{items.map((item, position) => (
				<Text key={item.value} color={position === index ? color('accent') : undefined} bold={position === index}>
					{position === index ? MARK.pointer : ' '} {item.label}
				</Text>
			))}
		</Box>
	);
}
