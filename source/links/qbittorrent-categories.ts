// Link: qBittorrent categories "tv" and "movies", saving where the path checks say Sonarr and Radarr will find them.
import {isServiceError} from '../services/errors.js';
import type {QbittorrentCategory, QbittorrentClient} from '../services/qbittorrent.js';
import type {Finding} from '../checks/findings.js';
import type {Journal} from '../state/journal.js';
import type {Change} from './change.js';
import type {Link} from './link.js';
import {samePath} from './compare.js';
import type {StackServices} from './context.js';
import {unusable} from './unusable.js';

export interface CategoriesContext {
	clients: {qbittorrent?: QbittorrentClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	desired: {categories: {tv: string; movies: string}; downloads: {tv: string; movies: string}};
	journal: Journal;
}

interface Payload {
	name: string;
	savePath: string;
}

const target = (name: string) => `category "${name}"`;

function wanted(context: CategoriesContext): Payload[] {
	return [
		{name: context.desired.categories.tv, savePath: context.desired.downloads.tv},
		{name: context.desired.categories.movies, savePath: context.desired.downloads.movies},
	];
}

export const qbittorrentCategoriesLink: Link<CategoriesContext, Record<string, QbittorrentCategory>, Payload> = {
	id: 'qbittorrent-categories',
	title: 'qBittorrent categories for TV and movies',
	services: ['qBittorrent'],
	needs: {clients: ['qbittorrent']},

	applicable: context => (context.clients.qbittorrent ? true : unusable('qbittorrent', context)),

	read: context => context.clients.qbittorrent!.categories(),

	plan(current, context) {
		const changes: Change<Payload>[] = [];
		for (const category of wanted(context)) {
			const existing = current[category.name];
			if (!existing) {
				changes.push({
					link: this.id,
					service: 'qBittorrent',
					action: 'create',
					target: target(category.name),
					fields: [{name: 'save path', to: category.savePath}],
					handMade: false,
					payload: category,
				});
			} else if (!samePath(existing.savePath, category.savePath)) {
				changes.push({
					link: this.id,
					service: 'qBittorrent',
					action: 'update',
					target: target(category.name),
					fields: [{name: 'save path', from: existing.savePath, to: category.savePath}],
					handMade: !context.journal.createdByArrwire('qBittorrent', target(category.name)),
					payload: category,
				});
			}
		}
		return changes;
	},

	async apply(change, context) {
		const client = context.clients.qbittorrent!;
		const {name, savePath} = change.payload;
		const before = (await client.categories())[name];
		if (change.action === 'create' && !before) {
			try {
				await client.createCategory(name, savePath);
			} catch (error) {
				// 409: it appeared since the plan (another run, or the user); converge by editing it instead.
				if (!(isServiceError(error) && error.status === 409)) {
					throw error;
				}
			}
		}
		const now = (await client.categories())[name];
		if (!now || !samePath(now.savePath, savePath)) {
			await client.editCategory(name, savePath);
		}
		return {entryId: name, before, after: (await client.categories())[name]};
	},

	async verify(context) {
		const findings: Finding[] = [];
		const current = await context.clients.qbittorrent!.categories();
		for (const category of wanted(context)) {
			const existing = current[category.name];
			if (!existing) {
				findings.push({id: 'link.qbittorrent-category-missing', severity: 'error', subject: 'qBittorrent', cause: `qBittorrent has no ${target(category.name)}.`, fix: 'Run arrwire apply to create it.'});
			} else if (!samePath(existing.savePath, category.savePath)) {
				findings.push({
					id: 'link.qbittorrent-category-path',
					severity: 'warning',
					subject: 'qBittorrent',
					cause: `${target(category.name)} saves to ${existing.savePath || '(the default save path)'}, not ${category.savePath}.`,
					fix: `Run arrwire apply to set it to ${category.savePath}, or change it in qBittorrent (right-click the category → Edit).`,
				});
			}
		}
		return findings;
	},

	async undo(entry, context) {
		const client = context.clients.qbittorrent!;
		const name = String(entry.entryId);
		if (entry.action === 'create' && !entry.before) {
			await client.removeCategories([name]);
		} else {
			const before = entry.before as QbittorrentCategory | undefined;
			if (before) {
				await client.editCategory(name, before.savePath);
			}
		}
	},
};
