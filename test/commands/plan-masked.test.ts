// arrwire plan on a stack not wired yet, where every change that carries a secret is pending (the download clients'
// qBittorrent password, the API keys Prowlarr's applications and Jellyseerr's servers get, the NZBgeek key, the
// Jellyfin password Jellyseerr signs in with): no secret of the lab appears, and each secret field shows as masked.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {startCliLab, labSecrets, type CliLab} from './cli-lab.js';

interface PlanJson {
	changes: number;
	links: Array<{id: string; changes: Array<{service: string; action: string; fields: Array<{name: string; from: unknown; to: unknown; secret: boolean}>}>}>;
}

// Link id and field: every secret a first wiring writes.
const SECRET_FIELDS = [
	'sonarr-download-client password',
	'radarr-download-client password',
	'nzbgeek-indexer apiKey',
	'prowlarr-sonarr apiKey',
	'prowlarr-radarr apiKey',
	'jellyseerr-jellyfin password',
	'jellyseerr-sonarr apiKey',
	'jellyseerr-radarr apiKey',
];

describe('arrwire plan masks every secret of a stack not wired yet', () => {
	let stack: CliLab;
	before(async () => {
		stack = await startCliLab();
	});
	after(async () => {
		await stack?.stop();
	});

	it('plan --json: no secret, and every secret field is "********" marked secret', async () => {
		const {code, stdout, stderr} = await stack.arrwire('plan', '--json');
		assert.equal(code, 0, stderr);
		for (const secret of labSecrets(stack.lab)) {
			assert.ok(!stdout.includes(secret), 'a secret of the lab appears in plan --json');
		}
		const plan = JSON.parse(stdout) as PlanJson;
		const secretFields = plan.links.flatMap(link => link.changes.flatMap(change => change.fields.filter(field => field.secret).map(field => ({link: link.id, field}))));
		assert.deepEqual(secretFields.map(({link, field}) => `${link} ${field.name}`).sort(), [...SECRET_FIELDS].sort());
		for (const {link, field} of secretFields) {
			assert.equal(field.to, '********', `${link} ${field.name}`);
			assert.equal(field.from, null, `${link} ${field.name}: created, so nothing before`);
		}
	});

	it('plan (text): no secret, and each secret field is printed as ********', async () => {
		const {code, stdout, stderr} = await stack.arrwire('plan');
		assert.equal(code, 0, stderr);
		for (const secret of labSecrets(stack.lab)) {
			assert.ok(!stdout.includes(secret), 'a secret of the lab appears in plan');
		}
		const masked = stdout.split('\n').filter(line => /^\s+(password|apiKey): \*{8}$/.test(line));
		assert.equal(masked.length, SECRET_FIELDS.length, stdout);
		// No other line names a password or an API key with a value.
		const named = stdout.split('\n').filter(line => /^\s+(password|apiKey): /.test(line) && !masked.includes(line));
		assert.deepEqual(named, [
			'        apiKey: "a new Jellyfin API key \\"arrwire\\""',
			'        apiKey: "a new Jellyfin API key \\"arrwire\\""',
		]);
	});
});
