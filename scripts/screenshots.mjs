#!/usr/bin/env node
// Makes the README's screenshots from the real wizard: starts the lab, runs the wizard in tmux (80x24), drives it
// with send-keys, captures each step with `tmux capture-pane -e -p`, and renders the ANSI text to SVG in media/.
// Run after a build: npm run build && node scripts/screenshots.mjs
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const {startLab} = await import(path.join(root, 'dist/source/lab/lab.js'));

const COLS = 80;
const ROWS = 24;
const session = `arrwire-shots-${process.pid}`;
// A server of its own: other tmux users on this machine neither see nor stop it.
const socket = ['-L', session];

function tmux(...args) {
	const result = spawnSync('tmux', [...socket, ...args], {encoding: 'utf8'});
	if (result.status !== 0) {
		throw new Error(`tmux ${args[0]} failed: ${result.stderr}`);
	}
	return result.stdout;
}

const screen = () => tmux('capture-pane', '-e', '-p', '-t', session);
const plain = text => text.replace(/\u001B\[[0-9;]*m/g, '');

async function waitFor(pattern, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	let text = '';
	while (Date.now() < deadline) {
		text = screen();
		if (pattern.test(plain(text))) {
			await sleep(250); // let the spinner and the last frame settle
			return screen();
		}
		await sleep(100);
	}
	throw new Error(`the wizard never showed ${pattern}; it shows:\n${plain(text)}`);
}

async function keys(...names) {
	for (const name of names) {
		tmux('send-keys', '-t', session, name);
		await sleep(150);
	}
}

async function typeText(text) {
	tmux('send-keys', '-t', session, '-l', text);
	await sleep(250);
}

// ---- ANSI to SVG ---------------------------------------------------------------------------------------------

const PALETTE = ['#1e1e2e', '#f38ba8', '#a6e3a1', '#f9e2af', '#89b4fa', '#f5c2e7', '#94e2d5', '#bac2de', '#585b70', '#f38ba8', '#a6e3a1', '#f9e2af', '#89b4fa', '#f5c2e7', '#94e2d5', '#a6adc8'];
const FOREGROUND = '#cdd6f4';
const BACKGROUND = '#1e1e2e';

function color256(n) {
	if (n < 16) {
		return PALETTE[n];
	}
	if (n >= 232) {
		const level = 8 + (n - 232) * 10;
		return `rgb(${level},${level},${level})`;
	}
	const index = n - 16;
	const step = value => (value === 0 ? 0 : 55 + value * 40);
	return `rgb(${step(Math.floor(index / 36))},${step(Math.floor(index / 6) % 6)},${step(index % 6)})`;
}

function applySgr(state, codes) {
	const list = codes === '' ? [0] : codes.split(';').map(Number);
	for (let i = 0; i < list.length; i++) {
		const code = list[i];
		if (code === 0) {
			Object.assign(state, {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false});
		} else if (code === 1) {
			state.bold = true;
		} else if (code === 2) {
			state.dim = true;
		} else if (code === 22) {
			state.bold = false;
			state.dim = false;
		} else if (code === 7) {
			state.inverse = true;
		} else if (code === 27) {
			state.inverse = false;
		} else if (code >= 30 && code <= 37) {
			state.fg = PALETTE[code - 30];
		} else if (code >= 90 && code <= 97) {
			state.fg = PALETTE[code - 90 + 8];
		} else if (code === 39) {
			state.fg = undefined;
		} else if (code >= 40 && code <= 47) {
			state.bg = PALETTE[code - 40];
		} else if (code === 49) {
			state.bg = undefined;
		} else if ((code === 38 || code === 48) && list[i + 1] === 5) {
			state[code === 38 ? 'fg' : 'bg'] = color256(list[i + 2]);
			i += 2;
		} else if ((code === 38 || code === 48) && list[i + 1] === 2) {
			state[code === 38 ? 'fg' : 'bg'] = `rgb(${list[i + 2]},${list[i + 3]},${list[i + 4]})`;
			i += 4;
		}
	}
}

const escapeXml = text => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function ansiToSvg(text, {cols = COLS, rows = ROWS, title = 'arrwire'} = {}) {
	const cellWidth = 8.4;
	const lineHeight = 18;
	const pad = 14;
	const bar = 26;
	const width = Math.ceil(cols * cellWidth + pad * 2);
	const height = Math.ceil(rows * lineHeight + pad * 2 + bar);
	const out = [];
	const state = {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false};
	const lines = text.replace(/\n$/, '').split('\n').slice(0, rows);
	lines.forEach((line, row) => {
		let column = 0;
		const y = pad + bar + row * lineHeight;
		const parts = line.split(/(\u001B\[[0-9;]*m)/);
		for (const part of parts) {
			const sgr = /^\u001B\[([0-9;]*)m$/.exec(part);
			if (sgr) {
				applySgr(state, sgr[1]);
				continue;
			}
			if (!part) {
				continue;
			}
			const chars = [...part];
			let fg = state.fg ?? FOREGROUND;
			let bg = state.bg;
			if (state.inverse) {
				[fg, bg] = [bg ?? BACKGROUND, fg];
			}
			const x = pad + column * cellWidth;
			if (bg) {
				out.push(`<rect x="${x.toFixed(1)}" y="${y}" width="${(chars.length * cellWidth).toFixed(1)}" height="${lineHeight}" fill="${bg}"/>`);
			}
			if (part.trim()) {
				const weight = state.bold ? ' font-weight="bold"' : '';
				const opacity = state.dim ? ' opacity="0.6"' : '';
				out.push(`<text x="${x.toFixed(1)}" y="${y + 13}" fill="${fg}"${weight}${opacity} textLength="${(chars.length * cellWidth).toFixed(1)}" lengthAdjust="spacingAndGlyphs" xml:space="preserve">${escapeXml(part)}</text>`);
			}
			column += chars.length;
		}
	});
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace" font-size="14">`,
		`<title>${escapeXml(title)}</title>`,
		`<rect width="${width}" height="${height}" rx="8" fill="${BACKGROUND}"/>`,
		`<circle cx="20" cy="16" r="5" fill="#f38ba8"/><circle cx="38" cy="16" r="5" fill="#f9e2af"/><circle cx="56" cy="16" r="5" fill="#a6e3a1"/>`,
		...out,
		'</svg>',
		'',
	].join('\n');
}

// ---- the run -------------------------------------------------------------------------------------------------

const lab = await startLab();
const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-shots-'));
const secrets = [lab.qbittorrent.password, lab.jellyfinAdmin.password, ...Object.values(lab.keys)];
const shots = [];
const shoot = async (name, pattern, timeoutMs) => {
	const text = await waitFor(pattern, timeoutMs);
	for (const secret of secrets) {
		if (text.includes(secret)) {
			throw new Error(`${name} shows a secret; no screenshot written`);
		}
	}
	shots.push({name, text});
};

try {
	const options = {
		localhost: false,
		hosts: [lab.host],
		docker: false,
		nativeConfigFiles: false,
		configFolders: [path.join(lab.paths.root, 'config')],
		profileFile: path.join(scratch, 'profile.json'),
		journalFile: path.join(scratch, 'journal.json'),
	};
	writeFileSync(path.join(scratch, 'options.json'), JSON.stringify(options));
	const runner = path.join(scratch, 'run.mjs');
	writeFileSync(
		runner,
		`import {readFileSync} from 'node:fs';\nimport {runWizard} from ${JSON.stringify(path.join(root, 'dist/source/app/run.js'))};\n` +
			`process.exitCode = await runWizard(JSON.parse(readFileSync(${JSON.stringify(path.join(scratch, 'options.json'))}, 'utf8')));\n`,
	);
	tmux('new-session', '-d', '-s', session, '-x', String(COLS), '-y', String(ROWS), `env TERM=xterm-256color COLORTERM= FORCE_COLOR=1 node ${runner}; sleep 30`);

	await shoot('01-discover', /Found 6 of 6 services/);
	await keys('Enter');
	await waitFor(/qBittorrent is next/);
	await keys('Enter');
	await typeText(lab.qbittorrent.password);
	await keys('Enter');
	await waitFor(/Jellyfin is next/);
	await keys('Enter');
	await typeText(lab.jellyfinAdmin.password);
	await shoot('02-credentials', /Password: \*+/);
	await keys('Enter');
	await waitFor(/NZBgeek is next/);
	await typeText(lab.keys.nzbgeek);
	await keys('Enter');
	await waitFor(/7 of 7 credentials accepted/);
	await keys('Enter');
	await shoot('03-checks', /Next: the plan/);
	await keys('Enter');
	await shoot('04-plan', /apply all kept/);
	await keys('Enter');
	await shoot('05-apply', /Next: the stack map/, 90_000);
	await keys('Enter');
	await shoot('06-summary', /linked \d+ +◆ changed/);
	await keys('Enter');

	mkdirSync(path.join(root, 'media'), {recursive: true});
	for (const shot of shots) {
		const file = path.join(root, 'media', `${shot.name}.svg`);
		writeFileSync(file, ansiToSvg(shot.text, {title: `arrwire: ${shot.name.slice(3)}`}));
		console.log(`wrote ${path.relative(root, file)}`);
	}
} finally {
	spawnSync('tmux', [...socket, 'kill-server']);
	await lab.stop();
	rmSync(scratch, {recursive: true, force: true});
}
