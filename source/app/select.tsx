// A vertical menu: up/down move, enter picks. Used for every "what next" choice.
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
