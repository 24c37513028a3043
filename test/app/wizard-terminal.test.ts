// The wizard in a real terminal (tmux, 80x24), keys sent several at once as a paste, type-ahead or a laggy link
// sends them: the logins succeed, a secret never shows, and no login is tried with a broken answer.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {promisify} from 'node:util';
import {startLab} from '../../source/lab/lab.js';
import {Terminal} from '../tty.js';

const cli = path.resolve('dist/bin/arrwire.js');

const tmux = promisify(execFile);

// Asynchronous tmux calls: the lab of the second test runs in this process, and must answer while the test waits.

/** Several keys in one tmux command (tmux names: Enter, Escape; other words are typed). */
async function keys(terminal: Terminal, ...names: string[]): Promise<void> {
	await tmux('tmux', ['send-keys', '-t', terminal.session, ...names]);
}

/** Text with its Enters (\r) in one chunk, as a paste. */
async function paste(terminal: Terminal, text: string): Promise<void> {
	await tmux('tmux', ['send-keys', '-t', terminal.session, '-l', '--', text]);
}

async function screenOf(terminal: Terminal): Promise<string> {
	return (await tmux('tmux', ['capture-pane', '-p', '-J', '-S', '-200', '-t', terminal.session])).stdout;
}

/** Waits until the screen matches, and returns it; fails with the screen when it does not in time. */
async function waitFor(terminal: Terminal, pattern: RegExp, timeoutMs = 180_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let screen = '';
	while (Date.now() < deadline) {
		screen = await screenOf(terminal);
		if (pattern.test(screen)) {
			return screen;
		}
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	throw new Error(`the terminal never showed ${pattern}; it shows:\n${screen}`);
}

/** The widest line the wizard drew (from its title line on: capture-pane -J joins a line the terminal wrapped). */
function widest(screen: string): number {
	const wizard = screen.slice(Math.max(0, screen.indexOf('arrwire  ')));
	return Math.max(...wizard.split('\n').map(line => [...line.trimEnd()].length));
}

describe('the wizard in a terminal takes several keys at once', () => {
	it('the demo: Enter Enter at the given qBittorrent login, "admin" Enter Enter at Jellyfin: both accepted, nothing shown', async () => {
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		// CI=true as many shells and CI machines set it: Ink would then draw nothing until the wizard ends.
		const terminal = new Terminal([process.execPath, cli, 'demo'], {env: {XDG_CONFIG_HOME: home, CI: 'true'}, width: 80, height: 24});
		try {
			// The demo runs the real NZBGet too: NZBgeek's Usenet releases have a client.
			const found = await waitFor(terminal, /Found 7 of 7 services/);
			assert.match(found, /Usenet client : NZBGet/);
			await keys(terminal, 'Enter');
			await waitFor(terminal, /qBittorrent is next/);
			await keys(terminal, 'Enter', 'Enter');
			let screen = await waitFor(terminal, /Jellyfin is next/);
			assert.match(screen, /qBittorrent v?[\d.]+ accepted the login of admin/);
			assert.doesNotMatch(screen, /sername: admin.*sername|refused/);
			await keys(terminal, 'admin', 'Enter', 'Enter');
			screen = await waitFor(terminal, /credentials accepted\.\s*\n/);
			assert.match(screen, /Jellyfin\s+Jellyfin [\d.]+ accepted/);
			assert.doesNotMatch(screen, /401|refused/);
			assert.ok(widest(screen) <= 80, screen);
			await keys(terminal, 'q');
			await waitFor(terminal, /Quit arrwire\?/);
			await keys(terminal, 'y');
			await waitFor(terminal, /\[exit 130\]/);
		} finally {
			terminal.close();
			rmSync(home, {recursive: true, force: true});
		}
	});

	it('typed logins: "\\r\\r" keeps the suggested username, a pasted password with its Enter logs in once, type-ahead fills both fields', async () => {
		const lab = await startLab();
		const home = mkdtempSync(path.join(tmpdir(), 'arrwire-home-'));
		const terminal = new Terminal([process.execPath, cli, '--no-docker', '--host', lab.host, '--config-dir', path.join(lab.paths.root, 'config')], {env: {XDG_CONFIG_HOME: home}, width: 80, height: 24});
		const seen: string[] = [];
		const waitAndKeep = async (pattern: RegExp) => {
			const screen = await waitFor(terminal, pattern);
			seen.push(screen);
			return screen;
		};
		try {
			await waitAndKeep(/Found 6 of 6 services/);
			await keys(terminal, 'Enter');
			await waitAndKeep(/qBittorrent is next/);
			await paste(terminal, '\r\r');
			seen.push(await screenOf(terminal));
			await waitAndKeep(/Password:/);
			await paste(terminal, `${lab.qbittorrent.password}\r`);
			let screen = await waitAndKeep(/Jellyfin is next/);
			assert.match(screen, /qBittorrent v?[\d.]+ accepted the login of admin/);
			await paste(terminal, `${lab.jellyfinAdmin.name}\r${lab.jellyfinAdmin.password}\r`);
			seen.push(await screenOf(terminal));
			screen = await waitAndKeep(/NZBgeek is next/);
			assert.match(screen, /Jellyfin\s+Jellyfin [\d.]+ accepted/);
			await paste(terminal, `${lab.keys.nzbgeek}\r\n`);
			screen = await waitAndKeep(/7 of 7 credentials accepted/);
			assert.doesNotMatch(screen, /401|refused/);
			for (const secret of [lab.qbittorrent.password, lab.jellyfinAdmin.password, ...Object.values(lab.keys)]) {
				assert.ok(!seen.some(candidate => candidate.includes(secret)), 'no secret on screen');
			}
			assert.ok(seen.every(candidate => widest(candidate) <= 80));
			await keys(terminal, 'q');
			await waitAndKeep(/Quit arrwire\?/);
			await keys(terminal, 'y');
			await waitAndKeep(/\[exit 130\]/);
		} finally {
			terminal.close();
			await lab.stop();
			rmSync(home, {recursive: true, force: true});
		}
	});
});
