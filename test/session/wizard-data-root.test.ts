// The wizard honours --data-root as plan and apply do: with qBittorrent's login not given, the data tree is known
// only from it, and the root folders are planned inside it instead of being left unplanned.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {createController} from '../../source/app/controller.js';
import {startLab} from '../../source/lab/lab.js';

describe('the wizard with --data-root', () => {
	it('plans the root folders in the data folder given, where without it they could not be planned', async () => {
		const lab = await startLab();
		const scratch = mkdtempSync(path.join(tmpdir(), 'arrwire-data-root-'));
		try {
			const dataRoot = path.join(scratch, 'data');
			mkdirSync(dataRoot);
			const {credentials: _given, ...pointed} = lab.arrwireOptions(scratch);

			const without = createController(pointed);
			await without.discover(() => undefined);
			const unplanned = (await without.plan()).find(plan => plan.id === 'sonarr-root-folder')!;
			assert.match(unplanned.skipped ?? '', /the data folder is not known/);

			const given = createController({...pointed, dataRoot});
			await given.discover(() => undefined);
			const planned = (await given.plan()).find(plan => plan.id === 'sonarr-root-folder')!;
			assert.equal(planned.skipped, undefined);
			assert.deepEqual(
				planned.changes.map(change => change.target),
				[`root folder ${path.join(dataRoot, 'media', 'tv')}`],
			);
		} finally {
			await lab.stop();
			rmSync(scratch, {recursive: true, force: true});
		}
	});
});
