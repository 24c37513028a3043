// The Sabnzbd download client of the Sonarr/Radarr emulators: its schema (Sonarr
// src/NzbDrone.Core/Download/Clients/Sabnzbd/SabnzbdSettings.cs; Radarr's names movieCategory "movies"), its settings
// validator, and its Test() (Sabnzbd.cs, SabnzbdProxy.cs) run against whatever answers at the address, the lab's
// SABnzbd among others, with the same requests and the same reading of the answers.
import {call, failure, fieldOf, scalarText, templateField, textOf, type ProviderResource, type ValidationFailure} from './servarr-core.js';
import {errorMessage} from '../services/errors.js';

type Kind = 'sonarr' | 'radarr';

/** SabnzbdPriority.cs: Default -100, Paused -2, Low -1, Normal 0, High 1, Force 2. */
const PRIORITIES = [
	{value: -100, name: 'Default', order: 0},
	{value: -2, name: 'Paused', order: 1},
	{value: -1, name: 'Low', order: 2},
	{value: 0, name: 'Normal', order: 3},
	{value: 1, name: 'High', order: 4},
	{value: 2, name: 'Force', order: 5},
];

function names(kind: Kind) {
	const sonarr = kind === 'sonarr';
	return {
		category: sonarr ? 'tvCategory' : 'movieCategory',
		/** The property name Sonarr's NzbDroneValidationFailure gives (PascalCase, as in the C# source). */
		categoryProperty: sonarr ? 'TvCategory' : 'MovieCategory',
		recent: sonarr ? 'recentTvPriority' : 'recentMoviePriority',
		older: sonarr ? 'olderTvPriority' : 'olderMoviePriority',
		sorting: sonarr ? 'Disable TV Sorting' : 'Disable Movie Sorting',
	};
}

export function sabnzbdTemplate(kind: Kind): ProviderResource {
	const field = names(kind);
	return {
		enable: true,
		protocol: 'usenet',
		priority: 1,
		removeCompletedDownloads: true,
		removeFailedDownloads: true,
		name: '',
		fields: [
			templateField(0, 'host', 'Host', 'localhost'),
			templateField(1, 'port', 'Port', 8080),
			templateField(2, 'useSsl', 'Use SSL', false),
			templateField(3, 'urlBase', 'URL Base', undefined, {advanced: true}),
			templateField(4, 'apiKey', 'API Key', undefined, {privacy: 'apiKey', type: 'password'}),
			templateField(5, 'username', 'Username', undefined, {privacy: 'userName'}),
			templateField(6, 'password', 'Password', undefined, {privacy: 'password', type: 'password'}),
			templateField(7, field.category, 'Category', kind === 'sonarr' ? 'tv' : 'movies'),
			templateField(8, field.recent, 'Recent Priority', -100, {type: 'select', selectOptions: PRIORITIES}),
			templateField(9, field.older, 'Older Priority', -100, {type: 'select', selectOptions: PRIORITIES}),
		],
		implementationName: 'SABnzbd',
		implementation: 'Sabnzbd',
		configContract: 'SabnzbdSettings',
		infoLink: `https://wiki.servarr.com/${kind}/supported#sabnzbd`,
		tags: [],
		presets: [],
	};
}

/** SabnzbdSettingsValidator: a key, or a username and password; a category is only recommended. */
export function validateSabnzbd(kind: Kind, resource: ProviderResource): ValidationFailure[] {
	const failures: ValidationFailure[] = [];
	const text = (name: string) => textOf(resource, name).trim();
	const host = text('host');
	if (!host || /[\s/]/.test(host)) {
		failures.push(failure('Host', 'Invalid Host', {attemptedValue: host}));
	}
	const port = Number(fieldOf(resource, 'port'));
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		failures.push(failure('Port', "'Port' must be between 1 and 65535.", {attemptedValue: port}));
	}
	if (!text('apiKey') && !text('username')) {
		failures.push(failure('ApiKey', 'API Key is required when username/password are not configured'));
	}
	if (!text('apiKey') && !text('username')) {
		failures.push(failure('Username', 'Username is required when API key is not configured'));
	}
	if (!text('apiKey') && !text('password')) {
		failures.push(failure('Password', 'Password is required when API key is not configured'));
	}
	if (!text(names(kind).category)) {
		failures.push(failure(names(kind).categoryProperty, 'A category is recommended', {warning: true}));
	}
	return failures;
}

/** .NET's HttpStatusCode names, as Sonarr's HttpException prints them. */
const STATUS_NAMES: Record<number, string> = {400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable'};

/**
 * Sabnzbd.Test: TestConnectionAndVersion, TestAuthentication, TestGlobalConfig, TestCategory, in that order and all
 * of them (a failure does not stop the next); an exception none of them catches aborts the test
 * (DownloadClientBase.Test: "Test was aborted due to an error: …").
 *
 * SABnzbd 4 refuses a wrong key with a 403, which Sonarr's HTTP client throws on before reading the body, so the
 * "API Key Incorrect" branch of TestAuthentication (written for the old 200 "error: API Key Incorrect") does not
 * fire: the test aborts with the HTTP failure, the request URL (key included) in its message.
 */
export async function testSabnzbd(kind: Kind, resource: ProviderResource): Promise<ValidationFailure[]> {
	const scheme = fieldOf(resource, 'useSsl') === true ? 'https' : 'http';
	const urlBase = textOf(resource, 'urlBase').replace(/^\/+|\/+$/g, '');
	const base = `${scheme}://${textOf(resource, 'host')}:${textOf(resource, 'port')}${urlBase ? `/${urlBase}` : ''}/api`;
	const apiKey = textOf(resource, 'apiKey').trim();
	const field = names(kind);
	const category = textOf(resource, field.category);

	/** SabnzbdProxy.BuildRequest + ProcessRequest + CheckForError. */
	const request = async (mode: string, extra: Record<string, string> = {}): Promise<Record<string, unknown>> => {
		const url = new URL(base);
		url.searchParams.set('mode', mode);
		for (const [key, value] of Object.entries(extra)) {
			url.searchParams.set(key, value);
		}
		if (apiKey) {
			url.searchParams.set('apikey', apiKey);
		} else {
			url.searchParams.set('ma_username', textOf(resource, 'username'));
			url.searchParams.set('ma_password', textOf(resource, 'password'));
		}
		url.searchParams.set('output', 'json');
		let response: Response;
		try {
			response = await call(url.toString(), {headers: {accept: 'application/json'}});
		} catch (error) {
			throw new Error(`Unable to connect to SABnzbd, ${errorMessage(error)}`);
		}
		const text = await response.text();
		if (response.status < 200 || response.status >= 300) {
			throw new Error(`Unable to connect to SABnzbd, HTTP request failed: [${response.status}:${STATUS_NAMES[response.status] ?? response.status}] [GET] at [${url.toString()}]`);
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			if (/^error/i.test(text)) {
				throw new Error(`Error response received from SABnzbd: ${text.replace('error: ', '')}`);
			}
			return {};
		}
		const answer = (parsed ?? {}) as Record<string, unknown>;
		if (scalarText(answer.status).toLowerCase() === 'false') {
			throw new Error(`Error response received from SABnzbd: ${scalarText(answer.error)}`);
		}
		return answer;
	};
	const config = async () => (await request('get_config')).config as {misc?: Record<string, unknown>; categories?: Array<{name: string; dir: string}>; sorters?: Array<{is_active?: unknown; sort_cats?: string[]}>};

	const failures: ValidationFailure[] = [];
	try {
		// TestConnectionAndVersion
		try {
			const raw = scalarText((await request('version')).version);
			const parsed = /(\d+)\.(\d+)\.(\d+|x)/.exec(raw);
			if (!parsed && raw.toLowerCase() !== 'develop') {
				failures.push(failure('Version', `Unknown Version: ${raw}`));
			} else if (raw.toLowerCase() === 'develop') {
				failures.push(failure('Version', 'Sabnzbd develop version, assuming version 3.0.0 or higher.', {warning: true}));
			} else if (Number(parsed![1]) < 1 && Number(parsed![2]) < 7) {
				failures.push(failure('Version', `SABnzbd version should be at least 0.7.0. Version reported is ${parsed![1]}.${parsed![2]}.${parsed![3]}`));
			}
		} catch (error) {
			failures.push(failure('Host', 'Unable to connect to SABnzbd', {detailedDescription: errorMessage(error)}));
		}
		// TestAuthentication
		try {
			await config();
		} catch (error) {
			const message = errorMessage(error);
			if (/API Key Incorrect/i.test(message)) {
				failures.push(failure('APIKey', 'API Key Incorrect'));
			} else if (/API Key Required/i.test(message)) {
				failures.push(failure('APIKey', 'API Key Required'));
			} else {
				throw error;
			}
		}
		// TestGlobalConfig: only SABnzbd before 1.1 minds pre_check; nothing to check on the versions the lab claims.
		await config();
		// TestCategory: the category must exist, its folder not end in '*' (job folders off), no sorting on it.
		const current = await config();
		if (current.categories?.length && !scalarText(current.misc?.complete_dir).startsWith('/')) {
			// GetCategories: a relative complete_dir is resolved by SABnzbd (fullstatus, from 2.0 on).
			await request('version');
			await request('fullstatus', {skip_dashboard: '1'});
		}
		const found = (current.categories ?? []).find(entry => entry.name === category);
		if (found && String(found.dir ?? '').endsWith('*')) {
			return [...failures, failure(field.categoryProperty, 'Enable Job folders', {detailedDescription: `${kind === 'sonarr' ? 'Sonarr' : 'Radarr'} prefers each download to have a separate folder. With * appended to the Folder/Path Sabnzbd will not create these job folders. Go to Sabnzbd to fix it.`})];
		}
		if (!found && category.trim() !== '') {
			return [...failures, failure(field.categoryProperty, 'Category does not exist', {detailedDescription: "The category you entered doesn't exist in SABnzbd. Create it in SABnzbd first."})];
		}
		const applies = (list: string[] | undefined) => !list || list.length === 0 || list.includes(category.trim() === '' ? 'Default' : category);
		if ((current.sorters ?? []).some(sorter => Boolean(sorter.is_active) && applies(sorter.sort_cats))) {
			return [...failures, failure(field.categoryProperty, field.sorting)];
		}
		return failures;
	} catch (error) {
		return [...failures, failure('', `Test was aborted due to an error: ${errorMessage(error)}`)];
	}
}
