// Wraps plain text to a width, so scrolling lists count real rows (an 80x24 terminal over SSH).

/** Splits text into lines of at most `width` characters, breaking at spaces; later lines get `indent`. */
export function wrapText(text: string, width: number, indent = ''): string[] {
	const lines: string[] = [];
	for (const paragraph of text.split('\n')) {
		// Leading spaces are kept: they indent the first line.
		const lead = /^ */.exec(paragraph)![0];
		let line = lead;
		for (const word of paragraph.slice(lead.length).split(' ')) {
			const prefix = lines.length === 0 && line === '' ? '' : line === '' ? indent : '';
			const candidate = line.trim() === '' ? line + prefix + word : `${line} ${word}`;
			if (candidate.length > width && line.trim() !== '') {
				lines.push(line);
				line = indent + word;
			} else {
				line = candidate;
			}
			while (line.length > width) {
				lines.push(line.slice(0, width));
				line = indent + line.slice(width);
			}
		}
		lines.push(line);
	}
	return lines;
}
