// Plain terminal prompts for the non-Ink commands: a visible line, and a masked secret (one * per character).

export function canAsk(): boolean {
	return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

export async function askLine(question: string, fallback = ''): Promise<string> {
	const answer = await readInput(question, false);
	return answer.trim() || fallback;
}

export async function askSecret(question: string): Promise<string> {
	return readInput(question, true);
}

export async function askYesNo(question: string, fallback = false): Promise<boolean> {
	const answer = (await askLine(`${question} ${fallback ? '[Y/n]' : '[y/N]'} `)).toLowerCase();
	return answer === '' ? fallback : answer.startsWith('y');
}

function readInput(question: string, masked: boolean): Promise<string> {
	return new Promise((resolve, reject) => {
		const input = process.stdin;
		process.stdout.write(question);
		let value = '';
		const wasRaw = input.isRaw;
		input.setRawMode?.(true);
		input.resume();
		input.setEncoding('utf8');
		const finish = (error?: Error) => {
			input.removeListener('data', onData);
			input.setRawMode?.(wasRaw ?? false);
			input.pause();
			process.stdout.write('\n');
			if (error) {
				reject(error);
			} else {
				resolve(value);
			}
		};
		const onData = (chunk: string) => {
			for (const character of chunk) {
				if (character === '\r' || character === '\n') {
					finish();
					return;
				}
				if (character === '\u0003') {
					finish(new Error('cancelled'));
					return;
				}
				if (character === '\u007f' || character === '\b') {
					if (value.length > 0) {
						value = value.slice(0, -1);
						process.stdout.write('\b \b');
					}
					continue;
				}
				if (character >= ' ') {
					value += character;
					process.stdout.write(masked ? '*' : character);
				}
			}
		};
		input.on('data', onData);
	});
}
