// Link: NZBGet categories "tv" and "movies". Sonarr's and Radarr's own NZBGet test refuses a category NZBGet does not
// have (Sonarr src/NzbDrone.Core/Download/Clients/Nzbget/Nzbget.cs, TestCategory), so these come before the download
// clients. Category<N>.DestDir stays empty: NZBGet then files each under its DestDir/<name> (AppendCategoryDir), on
// the same tree as its other downloads — arrwire writes no path it would have to guess.
import type {Finding} from '../checks/findings.js';
import {categoriesOf, type NzbgetCategory, type NzbgetClient, type NzbgetOption} from '../services/nzbget.js';
import type {Journal} from '../state/journal.js';
import type {Change} from './change.js';
import type {Link} from './link.js';
import type {StackServices} from './context.js';
import {unusable} from './unusable.js';

export interface NzbgetCategoriesContext {
	clients: {nzbget?: NzbgetClient};
	/** What was found: why a link cannot run names the service missing, or the credential. */
	services?: StackServices;
	desired: {categories: {tv: string; movies: string}};
	journal: Journal;
}

interface Payload {
	name: string;
}

const SERVICE = 'NZBGet';
const target = (name: string) => `category "${name}"`;

/**
 * Saves nzbget.conf with `change` made to its options, reloads NZBGet, and waits until it runs with them: the old
 * server may still answer right after `reload`, then goes away while the new one starts.
 */
async function rewrite(nzbget: NzbgetClient, change: (options: NzbgetOption[]) => NzbgetOption[], done: (running: NzbgetCategory[]) => boolean): Promise<void> {
	await nzbget.saveConfig(change(await nzbget.loadConfig()));
	await nzbget.reload();
	let lastError: unknown;
	for (let attempt = 0; attempt < 150; attempt++) {
		try {
			if (done(await nzbget.categories())) {
				return;
			}
		} catch (error) {
			lastError = error;
		}
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	throw lastError instanceof Error ? lastError : new Error('NZBGet did not come back with the saved categories after its reload; check NZBGet → Settings → Categories.');
}

export const nzbgetCategoriesLink: Link<NzbgetCategoriesContext, NzbgetCategory[], Payload> = {
	id: 'nzbget-categories',
	title: 'NZBGet categories for TV and movies',
	services: [SERVICE],
	needs: {clients: ['nzbget']},
	// A stack may take SABnzbd or torrent indexers instead: the protocol coverage check is what insists on a client.
	optional: true,

	applicable: context => (context.clients.nzbget ? true : unusable('nzbget', context)),

	read: context => context.clients.nzbget!.categories(),

	plan(current, context) {
		return [context.desired.categories.tv, context.desired.categories.movies]
			.filter(name => !current.some(category => category.name.toLowerCase() === name.toLowerCase()))
			.map(name => ({link: this.id, service: SERVICE, action: 'create', target: target(name), fields: [{name: 'name', to: name}], handMade: false, payload: {name}}) satisfies Change<Payload>);
	},

	async apply(change, context) {
		const nzbget = context.clients.nzbget!;
		const {name} = change.payload;
		let index = 0;
		await rewrite(nzbget, options => {
			const existing = categoriesOf(options);
			if (existing.some(category => category.name.toLowerCase() === name.toLowerCase())) {
				return options;
			}
			index = Math.max(0, ...options.map(option => Number(/^Category(\d+)\./i.exec(option.Name)?.[1] ?? 0))) + 1;
			return [...options, {Name: `Category${index}.Name`, Value: name}];
		}, running => running.some(category => category.name.toLowerCase() === name.toLowerCase()));
		return {entryId: name, after: {name, index}};
	},

	async verify(context) {
		const current = await this.read(context);
		const findings: Finding[] = [];
		for (const name of [context.desired.categories.tv, context.desired.categories.movies]) {
			if (!current.some(category => category.name.toLowerCase() === name.toLowerCase())) {
				findings.push({
					id: 'link.nzbget-category-missing',
					severity: 'error',
					subject: SERVICE,
					cause: `NZBGet has no category "${name}", so Sonarr's or Radarr's NZBGet client cannot file downloads under it.`,
					fix: 'Run arrwire apply to add it (or NZBGet → Settings → Categories).',
				});
			}
		}
		return findings;
	},

	async undo(entry, context) {
		const name = String(entry.entryId);
		// Removes that category's options and renumbers the later ones: NZBGet stops reading at the first gap.
		await rewrite(context.clients.nzbget!, options => {
			const category = categoriesOf(options).find(candidate => candidate.name === name);
			if (!category) {
				return options;
			}
			return options
				.filter(option => !new RegExp(`^Category${category.index}\\.`, 'i').test(option.Name))
				.map(option => {
					const match = /^Category(\d+)\.(.*)$/i.exec(option.Name);
					return match && Number(match[1]) > category.index ? {...option, Name: `Category${Number(match[1]) - 1}.${match[2]}`} : option;
				});
		}, running => !running.some(category => category.name === name));
	},
};
