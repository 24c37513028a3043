// Link: SABnzbd categories "tv" and "movies", each filed in its own folder under complete_dir (the TRaSH layout:
// /data/usenet/complete/{tv,movies}, beside /data/torrents on the one tree). Sonarr's and Radarr's own SABnzbd test
// refuses a category SABnzbd does not have, and one whose folder ends in '*' (job folders off) (Sonarr
// src/NzbDrone.Core/Download/Clients/Sabnzbd/Sabnzbd.cs, TestCategory), so these come before the download clients.
// A new SABnzbd already has both, with no folder (sabnzbd/config.py get_categories): giving them one is an update shown
// in the plan, not a change to a choice of the user's; a folder the user chose is theirs and kept, and a '*' on it
// (which Sonarr refuses) is only dropped when the user says yes. The folder is relative to complete_dir (ConfigCat dir), so
// arrwire writes no absolute path it would have to guess.
import type {Finding} from '../checks/findings.js';
import type {SabnzbdCategory, SabnzbdClient} from '../services/sabnzbd.js';
import type {Journal} from '../state/journal.js';
import type {Change} from './change.js';
import type {Link} from './link.js';
import type {StackServices} from './context.js';
import {unusable} from './unusable.js';

export interface SabnzbdCategoriesContext {
	clients: {sabnzbd?: SabnzbdClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	desired: {categories: {tv: string; movies: string}};
	journal: Journal;
}

interface Payload {
	name: string;
	dir: string;
}

const SERVICE = 'SABnzbd';
const target = (name: string) => `category "${name}"`;
/** SABnzbd keeps category names in lower case (api.handle_cat_api). */
const named = (categories: SabnzbdCategory[], name: string) => categories.find(category => category.name === name.toLowerCase());
/** No folder files downloads loose in complete_dir; a trailing '*' turns job folders off, which Sonarr refuses. */
const folderToSet = (category: SabnzbdCategory) => category.dir.trim() === '' || category.dir.endsWith('*');

export const sabnzbdCategoriesLink: Link<SabnzbdCategoriesContext, SabnzbdCategory[], Payload> = {
	id: 'sabnzbd-categories',
	title: 'SABnzbd categories for TV and movies (folders under complete_dir)',
	services: [SERVICE],
	needs: {clients: ['sabnzbd']},
	// A stack may take NZBGet or torrent indexers instead: the protocol coverage check is what insists on a client.
	optional: true,

	applicable: context => (context.clients.sabnzbd ? true : unusable('sabnzbd', context)),

	read: context => context.clients.sabnzbd!.categories(),

	plan(current, context) {
		const changes: Array<Change<Payload>> = [];
		for (const wanted of [context.desired.categories.tv, context.desired.categories.movies]) {
			const name = wanted.toLowerCase();
			const existing = named(current, name);
			if (!existing) {
				changes.push({link: this.id, service: SERVICE, action: 'create', target: target(name), fields: [{name: 'name', to: name}, {name: 'dir', to: name}], handMade: false, payload: {name, dir: name}});
			} else if (folderToSet(existing)) {
				const dir = existing.dir.trim() === '' ? name : existing.dir.replace(/\*+$/, '');
				const handMade = existing.dir.trim() !== '' && !context.journal.createdByArrwire(SERVICE, target(name), name);
				changes.push({
					link: this.id,
					service: SERVICE,
					action: 'update',
					target: target(name),
					fields: [{name: 'dir', from: existing.dir, to: dir}],
					handMade,
					reason: existing.dir.trim() === '' ? `without a folder, SABnzbd files ${name} downloads loose in complete_dir` : "a folder ending in '*' turns job folders off, which Sonarr and Radarr refuse",
					payload: {name, dir},
				});
			}
		}
		return changes;
	},

	async apply(change, context) {
		const sabnzbd = context.clients.sabnzbd!;
		const {name, dir} = change.payload;
		const before = named(await sabnzbd.categories(), name);
		const after = await sabnzbd.saveCategory({name, dir});
		// A category that appeared since the plan (a re-run after an interrupted one) is an update: undo restores it.
		return {entryId: name, ...(before ? {before: {dir: before.dir}} : {}), after: {dir: after.dir}};
	},

	async verify(context) {
		const current = await this.read(context);
		const findings: Finding[] = [];
		for (const name of [context.desired.categories.tv, context.desired.categories.movies]) {
			const category = named(current, name);
			if (!category) {
				findings.push({
					id: 'link.sabnzbd-category-missing',
					severity: 'error',
					subject: SERVICE,
					cause: `SABnzbd has no category "${name}", so Sonarr's or Radarr's SABnzbd client cannot file downloads under it.`,
					fix: 'Run arrwire apply to add it (or SABnzbd → Config → Categories).',
				});
			} else if (category.dir.endsWith('*')) {
				findings.push({
					id: 'link.sabnzbd-category-job-folders',
					severity: 'error',
					subject: SERVICE,
					cause: `SABnzbd's category "${name}" has job folders off (its folder ends in '*'): Sonarr and Radarr cannot tell one download from another.`,
					fix: "Run arrwire apply to drop the '*' (or SABnzbd → Config → Categories).",
				});
			}
		}
		return findings;
	},

	async undo(entry, context) {
		const sabnzbd = context.clients.sabnzbd!;
		const name = String(entry.entryId);
		const before = entry.before as {dir?: string} | undefined;
		if (entry.action === 'create' && !before) {
			await sabnzbd.deleteCategory(name);
			return;
		}
		if (named(await sabnzbd.categories(), name)) {
			await sabnzbd.saveCategory({name, dir: before?.dir ?? ''});
		}
	},
};
