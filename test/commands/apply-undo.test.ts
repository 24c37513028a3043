// Through the CLI, on a lab of its own per test: `apply --yes` then `plan` plans nothing, link by link; and
// `apply --yes` then `undo --yes` gives the lab back the state it had (but what cannot be undone: Jellyseerr's
// sign-in to Jellyfin, which makes the Jellyfin administrator its owner).
import assert from 'node:assert/strict';
import {afterEach, beforeEach, describe, it} from 'node:test';
import {ALL_LINKS} from '../../source/links/all.js';
import {callApi} from '../helpers.js';
import type {Lab} from '../../source/lab/lab.js';
import {qbittorrentCategories, startCliLab, type CliLab} from './cli-lab.js';

/** What arrwire may change in the lab, read through each service's API as a person would see it. */
async function snapshot(lab: Lab): Promise<Record<string, unknown>> {
	const list = async (base: string, apiPath: string, key: string, pick: (entry: Record<string, unknown>) => unknown) => {
		const answer = await callApi(base, 'GET', apiPath, key);
		assert.equal(answer.status, 200, `${base}${apiPath}`);
		return (answer.json as Array<Record<string, unknown>>).map(pick);
	};
	const named = (entry: Record<string, unknown>) => `${String(entry.implementation)} ${String(entry.name)}`;
	const categories = await qbittorrentCategories(lab);
	return {
		'qBittorrent categories': Object.keys(categories).sort(),
		'Sonarr download clients': await list(lab.sonarr.url, '/api/v3/downloadclient', lab.keys.sonarr, named),
		'Radarr download clients': await list(lab.radarr.url, '/api/v3/downloadclient', lab.keys.radarr, named),
		'Sonarr root folders': await list(lab.sonarr.url, '/api/v3/rootfolder', lab.keys.sonarr, entry => entry.path),
		'Radarr root folders': await list(lab.radarr.url, '/api/v3/rootfolder', lab.keys.radarr, entry => entry.path),
		'Sonarr connections': await list(lab.sonarr.url, '/api/v3/notification', lab.keys.sonarr, named),
		'Radarr connections': await list(lab.radarr.url, '/api/v3/notification', lab.keys.radarr, named),
		'Prowlarr indexers': await list(lab.prowlarr.url, '/api/v1/indexer', lab.keys.prowlarr, named),
		'Prowlarr applications': await list(lab.prowlarr.url, '/api/v1/applications', lab.keys.prowlarr, named),
		// Jellyseerr takes its API key only once signed in to Jellyfin: its state as stored.
		'Jellyseerr Sonarr servers': lab.jellyseerr.settings.sonarr.map(server => server.name),
		'Jellyseerr Radarr servers': lab.jellyseerr.settings.radarr.map(server => server.name),
		'Jellyfin libraries': lab.jellyfin.folders().map(folder => folder.name).sort(),
	};
}

describe('arrwire apply, then plan or undo, through the CLI', () => {
	let stack: CliLab;
	beforeEach(async () => {
		stack = await startCliLab();
	});
	afterEach(async () => {
		await stack?.stop();
	});

	it('apply --yes, then plan: every link linked (the NZBGet links, offered, skipped without NZBGet), zero changes', async () => {
		const applied = await stack.arrwire('apply', '--yes');
		assert.equal(applied.code, 0, applied.stdout + applied.stderr);
		await stack.lab.prowlarr.idle();
		const planned = await stack.arrwire('plan', '--json');
		assert.equal(planned.code, 0, planned.stderr);
		const plan = JSON.parse(planned.stdout) as {changes: number; links: Array<{id: string; state: string}>};
		const expected = ALL_LINKS.filter(link => !link.onRequest).map(link => [link.id, /nzbget|usenet|sabnzbd/.test(link.id) ? 'skipped' : 'ok']);
		assert.deepEqual(expected.map(([id]) => id), [
			'qbittorrent-categories',
			'sonarr-root-folder',
			'radarr-root-folder',
			'sonarr-remote-path-mapping',
			'radarr-remote-path-mapping',
			'sonarr-download-client',
			'radarr-download-client',
			'nzbget-categories',
			'sonarr-usenet-download-client',
			'radarr-usenet-download-client',
			'sabnzbd-categories',
			'sonarr-sabnzbd-download-client',
			'radarr-sabnzbd-download-client',
			'nzbgeek-indexer',
			'prowlarr-sonarr',
			'prowlarr-radarr',
			'jellyfin-libraries',
			'jellyseerr-jellyfin',
			'jellyseerr-sonarr',
			'jellyseerr-radarr',
			'sonarr-jellyfin-refresh',
			'radarr-jellyfin-refresh',
		]);
		assert.deepEqual(plan.links.map(link => [link.id, link.state]), expected);
		assert.equal(plan.changes, 0);
		const text = await stack.arrwire('plan');
		assert.match(text.stdout, /\nEverything is linked: apply would change nothing\.\n$/);
	});

	it('apply --yes, then undo --yes: the lab is as it was, and a second undo has nothing left', async () => {
		const before = await snapshot(stack.lab);
		const applied = await stack.arrwire('apply', '--yes');
		assert.equal(applied.code, 0, applied.stdout + applied.stderr);
		const made = Number(/^(\d+) change\(s\) made, 0 left alone/m.exec(applied.stdout)?.[1]);
		assert.equal(made, 16, applied.stdout);
		await stack.lab.prowlarr.idle();
		assert.notDeepEqual(await snapshot(stack.lab), before, 'apply changed the lab');

		// Without a terminal and without --yes, undo lists what it would reverse and asks for --yes.
		const asked = await stack.arrwire('undo');
		assert.equal(asked.code, 2);
		assert.match(asked.stdout, /^The last run \(apply, [^)]+\) made 16 change\(s\):$/m);
		// The hint is for the person, on stderr: stdout holds only what undo would reverse.
		assert.match(asked.stderr, /Run arrwire undo --yes to reverse them\./);
		assert.doesNotMatch(asked.stdout, /Run arrwire undo --yes/);
		assert.notDeepEqual(await snapshot(stack.lab), before, 'nothing was reversed without --yes');

		const undone = await stack.arrwire('undo', '--yes');
		assert.equal(undone.code, 0, undone.stdout + undone.stderr);
		assert.equal(undone.stdout.split('\n').filter(line => line.startsWith('  ✔ reversed: ')).length, 16, undone.stdout);
		assert.match(undone.stdout, /^16 change\(s\) reversed\.$/m);
		await stack.lab.prowlarr.idle();
		assert.deepEqual(await snapshot(stack.lab), before);

		const again = await stack.arrwire('undo', '--yes');
		assert.equal(again.code, 0);
		assert.equal(again.stdout, 'Nothing to undo: the journal holds no change that is not undone yet.\n');
	});
});
