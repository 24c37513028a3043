// A small spinner: a frame every 80 ms while something is in flight.
import {Text} from 'ink';
import {useEffect, useState} from 'react';
import {color} from './theme.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner({label}: {label: string}) {
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => setFrame(previous => (previous + 1) % FRAMES.length), 80);
		return () => clearInterval(timer);
	}, []);
	return (
		<Text>
			<Text color={color('accent')}>{FRAMES[frame]}</Text> {label}
		</Text>
	);
}
