// Every --json output keeps its documented shape: the real outputs of discover, check, plan and doctor on the lab
// validate against the JSON Schemas that ship in source/present/schemas (every documented key present, null when
// unknown), and so do the outputs when nothing is found.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {Ajv} from 'ajv';
import {startLab, type Lab} from '../../source/lab/lab.js';
import {runArrwire} from './cli-lab.js';
import {writeProfile} from '../helpers.js';

const schemaFolder = path.resolve('source/present/schemas');


function validator(command: string) {
	const schema = JSON.parse(readFileSync(path.join(schemaFolder, `${command}.schema.json`), 'utf8')) as object;
	return new Ajv({allErrors: true, strict: false}).compile(schema);
}

function assertShape(command: string, stdout: string): void {
	const validate = validator(command);
	const data: unknown = JSON.parse(stdout);
	assert.ok(validate(data), `${command} --json does not match its schema: ${JSON.stringify(validate.errors, null, 1)}`);
}

describe('the --json outputs match their published schemas', () => {
	let lab: Lab;
	let home: string;
	let env: NodeJS.ProcessEnv;
	before(async () => {
		lab = await startLab();
		home = mkdtempSync(path.join(tmpdir(), 'arrwire-schemas-'));
		env = {...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config')};
		writeProfile(path.join(home, '.config'), [lab.host], [
			{kind: 'qbittorrent', url: lab.qbittorrent.url, username: lab.qbittorrent.username, secret: lab.qbittorrent.password},
			{kind: 'jellyfin', url: lab.jellyfin.url, username: lab.jellyfinAdmin.name, secret: lab.jellyfinAdmin.password},
		]);
	});
	after(async () => {
		await lab?.stop();
		rmSync(home, {recursive: true, force: true});
	});

	for (const command of ['discover', 'check', 'plan', 'doctor']) {
		it(`${command} --json on the lab`, async () => {
			const {stdout} = await runArrwire([command, '--json', '--no-docker', '--config-dir', path.join(lab.paths.root, 'config')], env);
			assertShape(command, stdout);
			if (command === 'discover') {
				const services = (JSON.parse(stdout) as {services: Array<{kind: string; version: unknown}>}).services;
				for (const kind of ['prowlarr', 'sonarr', 'radarr', 'qbittorrent']) {
					assert.equal(typeof services.find(service => service.kind === kind)?.version, 'string', `the version of ${kind} is known once its key is accepted`);
				}
			}
		});
	}

	it('the same shapes when nothing is found', async () => {
		const nowhere = ['--json', '--no-docker', '--host', `127.65.${Math.floor(Math.random() * 250) + 1}.9`];
		for (const command of ['discover', 'check', 'plan', 'doctor']) {
			const {stdout} = await runArrwire([command, ...nowhere], {...env, XDG_CONFIG_HOME: path.join(home, 'empty')});
			assertShape(command, stdout);
		}
	});
});
