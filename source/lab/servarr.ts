// Sonarr v4 and Radarr v5 (Sonarr src/Sonarr.Api.V3/, Radarr src/Radarr.Api.V3/): root folders, quality profiles, remote path mappings, and the provider
// resources the wizard writes: download clients (whose test logs into the real qBittorrent), indexers (whose test
// calls the indexer — Prowlarr — back) and the Emby/Jellyfin connection (whose test calls Jellyfin).
import {existsSync, rmSync, statSync, statfsSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {LabRequest, LabResponse} from './emulator.js';
import type {SpecChecker} from './spec-check.js';
import {
	bodyText,
	call,
	failure,
	fieldOf,
	invalid,
	ServarrCore,
	templateField,
	textOf,
	type AuthenticationMethod,
	type AuthenticationRequired,
	type ProviderResource,
	type ValidationFailure,
	compareVersions,
	describeError,
} from './servarr-core.js';
import {lookupContents} from './servarr-filesystem.js';
import {sabnzbdTemplate, testSabnzbd, validateSabnzbd} from './servarr-sabnzbd.js';

export type ServarrKind = 'sonarr' | 'radarr';

export interface ServarrEmulatorOptions {
	kind: ServarrKind;
	apiKey: string;
	host?: string;
	port?: number;
	urlBase?: string;
	version?: string;
	authenticationMethod?: AuthenticationMethod;
	authenticationRequired?: AuthenticationRequired;
	configDir?: string;
	spec?: SpecChecker | false;
	/** The user the service runs as, for the "writable by user" rule (default: this process's). */
	runAs?: {uid: number; gid: number; name?: string};
	/** See ServarrCore.echoSecrets. */
	echoSecrets?: boolean;
}

interface RootFolder {
	id: number;
	path: string;
}

interface RemotePathMapping {
	id: number;
	host: string;
	remotePath: string;
	localPath: string;
}

const QUALITY_PROFILES = ['Any', 'SD', 'HD-720p', 'HD-1080p', 'Ultra-HD', 'HD - 720p/1080p'];

export class ServarrEmulator extends ServarrCore {
	readonly kind: ServarrKind;
	readonly rootFolders: RootFolder[] = [];
	readonly remotePathMappings: RemotePathMapping[] = [];
	readonly qualityProfiles: Array<{id: number; name: string}>;
	/** Commands received (name), e.g. a library refresh. */
	readonly commands: string[] = [];
	private readonly runAs?: {uid: number; gid: number; name?: string};
	/** qBittorrent sessions per baseUrl:user:password, as QBittorrentProxyV2 caches them. */
	private readonly qbCookies = new Map<string, string>();

	constructor(options: ServarrEmulatorOptions) {
		const sonarr = options.kind === 'sonarr';
		super({
			appName: sonarr ? 'Sonarr' : 'Radarr',
			apiVersion: 'v3',
			apiKey: options.apiKey,
			version: options.version ?? (sonarr ? '4.0.19.2979' : '5.28.0.10205'),
			host: options.host,
			port: options.port,
			urlBase: options.urlBase,
			authenticationMethod: options.authenticationMethod,
			authenticationRequired: options.authenticationRequired,
			configDir: options.configDir,
			spec: options.spec,
			echoSecrets: options.echoSecrets,
		});
		this.kind = options.kind;
		this.runAs = options.runAs;
		this.qualityProfiles = QUALITY_PROFILES.map((name, index) => ({id: index + 1, name}));

		this.api('GET', '/api/v3/rootfolder', () => ({status: 200, body: this.rootFolders.map(folder => this.rootFolderResource(folder))}));
		this.api('GET', '/api/v3/rootfolder/{id}', request => {
			const folder = this.rootFolders.find(candidate => candidate.id === Number(request.params.id));
			return folder ? {status: 200, body: this.rootFolderResource(folder)} : {status: 404, body: {message: 'NotFound'}};
		});
		this.api('POST', '/api/v3/rootfolder', request => this.addRootFolder(request));
		this.api('DELETE', '/api/v3/rootfolder/{id}', request => removeById(this.rootFolders, Number(request.params.id)));

		this.api('GET', '/api/v3/filesystem', request => {
			const flag = (name: string) => request.query.get(name)?.toLowerCase() === 'true';
			return {status: 200, body: lookupContents(request.query.get('path') ?? '', flag('includeFiles'), flag('allowFoldersWithoutTrailingSlashes'))};
		});

		this.api('GET', '/api/v3/qualityprofile', () => ({status: 200, body: this.qualityProfiles.map(profile => this.qualityProfileResource(profile))}));

		this.api('GET', '/api/v3/remotepathmapping', () => ({status: 200, body: this.remotePathMappings}));
		this.api('POST', '/api/v3/remotepathmapping', request => this.saveMapping(request, undefined));
		this.api('PUT', '/api/v3/remotepathmapping/{id}', request => this.saveMapping(request, Number(request.params.id)));
		this.api('DELETE', '/api/v3/remotepathmapping/{id}', request => removeById(this.remotePathMappings, Number(request.params.id)));

		this.api('POST', '/api/v3/command', request => {
			const name = bodyText(request.body, 'name');
			this.commands.push(name);
			const now = new Date().toISOString();
			return {status: 201, body: {id: this.nextId('command'), name, commandName: name, status: 'completed', queued: now, started: now, ended: now, trigger: 'manual', priority: 'normal'}};
		});

		this.provider({
			resource: 'downloadclient',
			templates: () => [this.qbittorrentTemplate(), this.nzbgetTemplate(), sabnzbdTemplate(this.kind), transmissionTemplate()],
			enabled: resource => resource.enable === true,
			validate: resource => this.validateDownloadClient(resource),
			test: async resource =>
				resource.implementation === 'QBittorrent'
					? this.echoed(resource, await this.testQbittorrent(resource))
					: resource.implementation === 'Nzbget'
						? this.echoed(resource, await this.testNzbget(resource))
						: resource.implementation === 'Sabnzbd'
							? this.echoed(resource, await testSabnzbd(this.kind, resource))
							: [failure('Host', 'Unable to connect')],
		});
		this.provider({
			resource: 'indexer',
			templates: () => [this.newznabTemplate('Newznab'), this.newznabTemplate('Torznab')],
			enabled: resource => resource.enableRss === true || resource.enableAutomaticSearch === true || resource.enableInteractiveSearch === true,
			validate: resource => (fieldOf(resource, 'baseUrl') ? [] : [failure('BaseUrl', "'Base Url' must not be empty.")]),
			test: resource => this.testIndexer(resource),
		});
		this.provider({
			resource: 'notification',
			templates: () => [this.mediaBrowserTemplate()],
			enabled: resource => Object.entries(resource).some(([key, value]) => /^on[A-Z]/.test(key) && value === true),
			validate: resource => {
				const failures: ValidationFailure[] = [];
				if (!fieldOf(resource, 'host')) {
					failures.push(failure('Host', "'Host' must not be empty."));
				}
				if (!fieldOf(resource, 'apiKey')) {
					failures.push(failure('ApiKey', "'API Key' must not be empty."));
				}
				return failures;
			},
			test: resource => this.testMediaBrowser(resource),
		});
	}

	/** A restart empties the in-memory caches, as a real process restart does (the qBittorrent sessions). */
	override async restart(): Promise<void> {
		this.qbCookies.clear();
		await super.restart();
	}

	private rootFolderResource(folder: RootFolder): Record<string, unknown> {
		const accessible = existsSync(folder.path);
		let freeSpace = 0;
		try {
			const stats = statfsSync(folder.path);
			freeSpace = stats.bavail * stats.bsize;
		} catch {
			// Not accessible: freeSpace stays 0.
		}
		return {id: folder.id, path: folder.path, accessible, freeSpace, unmappedFolders: []};
	}

	/** The validation chain of RootFolderController, first failure only (Sonarr src/Sonarr.Api.V3/RootFolders/RootFolderController.cs). */
	private addRootFolder(request: LabRequest): LabResponse {
		const folderPath = bodyText(request.body, 'path');
		const fail = (message: string) => invalid([failure('Path', message, {attemptedValue: folderPath})]);
		if (!path.isAbsolute(folderPath)) {
			return fail('Invalid Path');
		}
		const normalized = folderPath.replace(/\/+$/, '') || '/';
		if (this.rootFolders.some(folder => folder.path.replace(/\/+$/, '') === normalized)) {
			return fail(`Path '${folderPath}' is already configured as a root folder`);
		}
		if (!existsSync(folderPath)) {
			return fail(`Path '${folderPath}' does not exist`);
		}
		if (!this.writable(folderPath)) {
			return fail(`Folder '${folderPath}' is not writable by user '${this.runAs?.name ?? (this.runAs ? String(this.runAs.uid) : 'root')}'`);
		}
		const folder = {id: this.nextId('rootfolder'), path: folderPath};
		this.rootFolders.push(folder);
		return {status: 201, body: this.rootFolderResource(folder)};
	}

	private writable(target: string): boolean {
		const user = this.runAs ?? {uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0};
		if (user.uid === (process.getuid?.() ?? 0)) {
			// Sonarr writes a probe file (src/NzbDrone.Common/Disk/DiskProviderBase.cs, FolderWritable): the kernel decides, with read-only
			// mounts, ACLs and supplementary groups.
			const probe = path.join(target, `${this.kind}_write_test.txt`);
			try {
				writeFileSync(probe, 'test');
				rmSync(probe, {force: true});
				return true;
			} catch {
				return false;
			}
		}
		if (user.uid === 0) {
			return true;
		}
		const stats = statSync(target);
		const mode = stats.mode;
		if (stats.uid === user.uid) {
			return (mode & 0o300) === 0o300;
		}
		if (stats.gid === user.gid) {
			return (mode & 0o030) === 0o030;
		}
		return (mode & 0o003) === 0o003;
	}

	private qualityProfileResource(profile: {id: number; name: string}): Record<string, unknown> {
		return {
			id: profile.id,
			name: profile.name,
			upgradeAllowed: false,
			cutoff: 1,
			items: [],
			minFormatScore: 0,
			cutoffFormatScore: 0,
			minUpgradeFormatScore: 1,
			formatItems: [],
			...(this.kind === 'radarr' ? {language: {id: 1, name: 'English'}} : {}),
		};
	}

	private saveMapping(request: LabRequest, id: number | undefined): LabResponse {
		const body = (request.body ?? {}) as Partial<RemotePathMapping>;
		const failures: ValidationFailure[] = [];
		if (!body.host) {
			failures.push(failure('Host', "'Host' must not be empty."));
		}
		if (!body.remotePath) {
			failures.push(failure('RemotePath', "'Remote Path' must not be empty."));
		}
		if (!body.localPath || !path.isAbsolute(body.localPath)) {
			failures.push(failure('LocalPath', 'Invalid Path', {attemptedValue: body.localPath}));
		} else if (!existsSync(body.localPath)) {
			failures.push(failure('LocalPath', `Path '${body.localPath}' does not exist`, {attemptedValue: body.localPath}));
		}
		if (failures.length > 0) {
			return invalid(failures);
		}
		const remotePath = withSlash(body.remotePath!);
		const localPath = withSlash(body.localPath!);
		// RemotePathMappingService.ValidateMapping throws plain exceptions: 500 {message}.
		if (this.remotePathMappings.some(mapping => mapping.id !== id && mapping.host === body.host && mapping.remotePath === remotePath)) {
			return {status: 500, body: {message: 'RemotePath already configured.', description: ''}};
		}
		if (id === undefined) {
			const mapping = {id: this.nextId('remotepathmapping'), host: body.host!, remotePath, localPath};
			this.remotePathMappings.push(mapping);
			return {status: 201, body: mapping};
		}
		const existing = this.remotePathMappings.find(mapping => mapping.id === id);
		if (!existing) {
			return {status: 404, body: {message: 'NotFound'}};
		}
		Object.assign(existing, {host: body.host!, remotePath, localPath});
		return {status: 202, body: existing};
	}

	protected override health(): Array<{source: string; type: string; message: string; wikiUrl: string}> {
		const checks = [];
		if (this.rootFolders.length === 0) {
			checks.push({source: 'RootFolderCheck', type: 'warning', message: 'No root folders are configured', wikiUrl: 'https://wiki.servarr.com'});
		}
		for (const folder of this.rootFolders.filter(candidate => !existsSync(candidate.path))) {
			checks.push({source: 'RootFolderCheck', type: 'error', message: `Missing root folder: ${folder.path}`, wikiUrl: 'https://wiki.servarr.com'});
		}
		if (!this.providers.get('downloadclient')?.some(resource => resource.enable === true)) {
			checks.push({source: 'DownloadClientCheck', type: 'warning', message: 'No download client is available', wikiUrl: 'https://wiki.servarr.com'});
		}
		if (!this.providers.get('indexer')?.length) {
			checks.push({source: 'IndexerRssCheck', type: 'warning', message: 'No indexers available with RSS sync enabled', wikiUrl: 'https://wiki.servarr.com'});
		}
		return checks;
	}

	private qbittorrentTemplate(): ProviderResource {
		const sonarr = this.kind === 'sonarr';
		const category = sonarr ? 'tv' : 'movie';
		const Category = sonarr ? 'Tv' : 'Movie';
		const priority = [
			{value: 0, name: 'Last', order: 0},
			{value: 1, name: 'First', order: 1},
		];
		const fields = [
			templateField(0, 'host', 'Host', 'localhost'),
			templateField(1, 'port', 'Port', 8080),
			templateField(2, 'useSsl', 'Use SSL', false),
			templateField(3, 'urlBase', 'URL Base', undefined, {advanced: true}),
			...(sonarr ? [templateField(4, 'apiKey', 'API Key', undefined, {privacy: 'apiKey', type: 'password'})] : []),
			templateField(5, 'username', 'Username', undefined, {privacy: 'userName'}),
			templateField(6, 'password', 'Password', undefined, {privacy: 'password', type: 'password'}),
			templateField(7, `${category}Category`, 'Category', sonarr ? 'tv-sonarr' : 'radarr'),
			templateField(8, `${category}ImportedCategory`, 'Post-Import Category', undefined, {advanced: true}),
			templateField(9, `recent${Category}Priority`, `Recent Priority`, 0, {type: 'select', selectOptions: priority}),
			templateField(10, `older${Category}Priority`, `Older Priority`, 0, {type: 'select', selectOptions: priority}),
			templateField(11, 'initialState', 'Initial State', 0, {type: 'select'}),
			templateField(12, 'sequentialOrder', 'Sequential Order', false),
			templateField(13, 'firstAndLast', 'First and Last First', false),
			templateField(14, 'contentLayout', 'Content Layout', 0, {type: 'select'}),
		];
		return {
			enable: true,
			protocol: 'torrent',
			priority: 1,
			removeCompletedDownloads: true,
			removeFailedDownloads: true,
			name: '',
			fields,
			implementationName: 'qBittorrent',
			implementation: 'QBittorrent',
			configContract: 'QBittorrentSettings',
			infoLink: `https://wiki.servarr.com/${this.kind}/supported#qbittorrent`,
			tags: [],
			presets: [],
		};
	}

	private validateDownloadClient(resource: ProviderResource): ValidationFailure[] {
		if (resource.implementation === 'Sabnzbd') {
			return validateSabnzbd(this.kind, resource);
		}
		if (resource.implementation !== 'QBittorrent') {
			return [];
		}
		const failures: ValidationFailure[] = [];
		const host = textOf(resource, 'host');
		if (!host || /[\s/]/.test(host)) {
			failures.push(failure('Host', 'Invalid Host', {attemptedValue: host}));
		}
		const port = Number(fieldOf(resource, 'port'));
		if (!Number.isInteger(port) || port < 1 || port > 65535) {
			failures.push(failure('Port', "'Port' must be between 1 and 65535.", {attemptedValue: port}));
		}
		const categoryName = this.kind === 'sonarr' ? 'tvCategory' : 'movieCategory';
		for (const name of [categoryName, this.kind === 'sonarr' ? 'tvImportedCategory' : 'movieImportedCategory']) {
			const value = fieldOf(resource, name);
			if (typeof value === 'string' && value && (value.includes('\\') || value.includes('//') || value.startsWith('/') || value.endsWith('/'))) {
				failures.push(failure(capitalize(name), "Can not contain '\\', '//', or start/end with '/'", {attemptedValue: value}));
			}
		}
		if (this.kind === 'sonarr' && fieldOf(resource, 'apiKey') && (fieldOf(resource, 'username') || fieldOf(resource, 'password'))) {
			failures.push(failure('Username', 'Username and Password must be empty when using an API Key'));
		}
		return failures;
	}

	/** With echoSecrets on, each failure of a download-client test quotes the connection it tried, password included. */
	private echoed(resource: ProviderResource, failures: ValidationFailure[]): ValidationFailure[] {
		if (!this.echoSecrets) {
			return failures;
		}
		const tried = `${textOf(resource, 'username')} with password ${textOf(resource, 'password')} at ${textOf(resource, 'host')}:${textOf(resource, 'port')}`;
		return failures.map(item => (item.isWarning ? item : {...item, errorMessage: `${item.errorMessage} (tried ${tried})`, attemptedValue: fieldOf(resource, 'password')}));
	}

	/** QBittorrent.Test() against the real qBittorrent (Sonarr src/NzbDrone.Core/Download/Clients/QBittorrent/QBittorrent.cs). */
	/** Sonarr src/NzbDrone.Core/Download/Clients/Nzbget/NzbgetSettings.cs (Radarr: movieCategory "movies"). */
	private nzbgetTemplate(): ProviderResource {
		const sonarr = this.kind === 'sonarr';
		const [category, Category] = sonarr ? ['tv', 'Tv'] : ['movie', 'Movie'];
		return {
			enable: true,
			protocol: 'usenet',
			priority: 1,
			removeCompletedDownloads: true,
			removeFailedDownloads: true,
			name: '',
			fields: [
				templateField(0, 'host', 'Host', 'localhost'),
				templateField(1, 'port', 'Port', 6789),
				templateField(2, 'useSsl', 'Use SSL', false),
				templateField(3, 'urlBase', 'URL Base', undefined, {advanced: true}),
				templateField(4, 'username', 'Username', undefined, {privacy: 'userName'}),
				templateField(5, 'password', 'Password', undefined, {privacy: 'password', type: 'password'}),
				templateField(6, `${category}Category`, 'Category', sonarr ? 'tv' : 'movies'),
				templateField(7, `recent${Category}Priority`, 'Recent Priority', 0, {type: 'select'}),
				templateField(8, `older${Category}Priority`, 'Older Priority', 0, {type: 'select'}),
				templateField(9, 'addPaused', 'Add Paused', false),
			],
			implementationName: 'NZBGet',
			implementation: 'Nzbget',
			configContract: 'NzbgetSettings',
			infoLink: `https://wiki.servarr.com/${this.kind}/supported#nzbget`,
			tags: [],
			presets: [],
		};
	}

	/**
	 * Sonarr's Nzbget.Test (src/NzbDrone.Core/Download/Clients/Nzbget/Nzbget.cs): TestConnection (JSON-RPC `version`
	 * with basic auth; a 401 is "Authentication failed" on Username, anything else "Unable to connect to NZBGet" on
	 * Host; below 12.0 too old), then TestCategory (the category must be one of NZBGet's Category<N>.Name).
	 */
	private async testNzbget(resource: ProviderResource): Promise<ValidationFailure[]> {
		const scheme = fieldOf(resource, 'useSsl') === true ? 'https' : 'http';
		const urlBase = textOf(resource, 'urlBase').replace(/^\/+|\/+$/g, '');
		const url = `${scheme}://${textOf(resource, 'host')}:${textOf(resource, 'port')}${urlBase ? `/${urlBase}` : ''}/jsonrpc`;
		const authorization = `Basic ${Buffer.from(`${textOf(resource, 'username')}:${textOf(resource, 'password')}`).toString('base64')}`;
		const rpc = async (method: string): Promise<{status: number; result?: unknown}> => {
			const send = () => call(url, {method: 'POST', headers: {authorization, 'content-type': 'application/json'}, body: JSON.stringify({method, params: [], id: 1})});
			// NZBGet drops some connections after answering; a pooled one can fail on reuse (.NET's handler retries too).
			const response = await send().catch(() => send());
			const text = await response.text();
			return {status: response.status, result: response.status === 200 ? (JSON.parse(text) as {result?: unknown}).result : undefined};
		};
		try {
			const version = await rpc('version');
			if (version.status === 401) {
				return [failure('Username', 'Authentication failed')];
			}
			if (version.status !== 200 || typeof version.result !== 'string') {
				return [failure('Host', 'Unable to connect to NZBGet')];
			}
			if (compareVersions(version.result.split('-')[0]!, '12.0') < 0) {
				return [failure('', 'Nzbget version too low, need 12.0 or higher')];
			}
			const categoryField = this.kind === 'sonarr' ? 'tvCategory' : 'movieCategory';
			const category = textOf(resource, categoryField);
			const config = (await rpc('config')).result as Array<{Name: string; Value: string}> | undefined;
			const names = (config ?? []).filter(option => /^Category\d+\.Name$/i.test(option.Name)).map(option => option.Value);
			if (category.trim() !== '' && !names.includes(category)) {
				return [failure(categoryField, 'Category does not exist', {detailedDescription: 'The category you entered doesn\'t exist in NZBGet. Go to NZBGet to create it.'})];
			}
			return [];
		} catch (error) {
			return [failure('Host', `Unable to connect to NZBGet (${describeError(error)})`)];
		}
	}

	private async testQbittorrent(resource: ProviderResource): Promise<ValidationFailure[]> {
		const scheme = fieldOf(resource, 'useSsl') === true ? 'https' : 'http';
		const urlBase = textOf(resource, 'urlBase').replace(/^\/+|\/+$/g, '');
		const base = `${scheme}://${textOf(resource, 'host')}:${textOf(resource, 'port')}${urlBase ? `/${urlBase}` : ''}`;
		const username = textOf(resource, 'username');
		const password = textOf(resource, 'password');
		const apiKey = this.kind === 'sonarr' ? textOf(resource, 'apiKey') : '';
		const categoryName = this.kind === 'sonarr' ? 'tvCategory' : 'movieCategory';
		const category = textOf(resource, categoryName);
		const cookieKey = `${base}:${username}:${password}`;
		const connectFailure = (detail: string) => [failure('Host', `Unable to connect to qBittorrent. ${detail}`.trim())];

		const send = async (method: string, apiPath: string, form?: Record<string, string>): Promise<Response> => {
			const headers: Record<string, string> = {};
			if (apiKey) {
				headers.authorization = `Bearer ${apiKey}`;
			}
			const cookie = this.qbCookies.get(cookieKey);
			if (cookie && !apiKey) {
				headers.cookie = cookie;
			}
			return call(`${base}${apiPath}`, {method, headers, body: form ? new URLSearchParams(form) : undefined});
		};
		const login = async (): Promise<ValidationFailure[] | undefined> => {
			if (apiKey || !username || !password) {
				return undefined;
			}
			const response = await call(`${base}/api/v2/auth/login`, {method: 'POST', body: new URLSearchParams({username, password})});
			const text = await response.text();
			if (response.status === 401 || response.status === 403 || (text !== '' && text !== 'Ok.')) {
				return [failure('Username', 'Authentication failure', {detailedDescription: 'Check your username and password.'})];
			}
			const cookie = response.headers.get('set-cookie')?.split(';')[0];
			if (cookie) {
				this.qbCookies.set(cookieKey, cookie);
			}
			return undefined;
		};
		/** Any 403 triggers one re-login. */
		const authed = async (method: string, apiPath: string, form?: Record<string, string>): Promise<Response> => {
			let response = await send(method, apiPath, form);
			if (response.status === 403) {
				await response.text();
				const refused = await login();
				if (refused) {
					throw new QbFailure(refused);
				}
				response = await send(method, apiPath, form);
			}
			return response;
		};

		try {
			const detect = await call(`${base}/api/v2/app/webapiVersion`);
			await detect.text();
			if (detect.status === 401) {
				return connectFailure('Failed to connect to qBittorrent, please check your qBittorrent configuration.');
			}
			if (detect.status === 404) {
				return connectFailure('qBittorrent API v1 is not supported.');
			}
			if (!this.qbCookies.has(cookieKey)) {
				const refused = await login();
				if (refused) {
					return refused;
				}
			}
			const versionResponse = await authed('GET', '/api/v2/app/webapiVersion');
			if (versionResponse.status === 403) {
				return [failure('Username', 'Authentication failure')];
			}
			const version = (await versionResponse.text()).trim();
			if (compareVersions(version, '1.5') < 0) {
				return [failure('Host', 'Old qBittorrent version not supported', {detailedDescription: 'Version 3.2.4 or higher is required.'})];
			}
			const preferences = (await (await authed('GET', '/api/v2/app/preferences')).json()) as Record<string, unknown>;
			const removes =
				(preferences.max_ratio_enabled === true || (preferences.max_seeding_time_enabled === true && Number(preferences.max_seeding_time) < 20160)) &&
				(preferences.max_ratio_act === 1 || preferences.max_ratio_act === 3);
			if (removes) {
				return [failure('', 'qBittorrent is configured to remove torrents when they reach their Share Ratio Limit')];
			}
			const failures: ValidationFailure[] = [];
			if (!category) {
				failures.push(failure(capitalize(categoryName), 'A category is recommended', {warning: true}));
			} else {
				const categories = (await (await authed('GET', '/api/v2/torrents/categories')).json()) as Record<string, unknown>;
				if (!(category in categories)) {
					const created = await authed('POST', '/api/v2/torrents/createCategory', {category});
					await created.text();
					const again = (await (await authed('GET', '/api/v2/torrents/categories')).json()) as Record<string, unknown>;
					if (!(category in again)) {
						return [failure(capitalize(categoryName), 'Configuration of label failed', {detailedDescription: 'qBittorrent did not create the category.'})];
					}
				}
			}
			const recentName = this.kind === 'sonarr' ? 'recentTvPriority' : 'recentMoviePriority';
			const olderName = this.kind === 'sonarr' ? 'olderTvPriority' : 'olderMoviePriority';
			if ((fieldOf(resource, recentName) !== 0 || fieldOf(resource, olderName) !== 0) && preferences.queueing_enabled !== true) {
				failures.push(failure(capitalize(recentName), 'Queueing not enabled'));
			}
			const torrents = await authed('GET', `/api/v2/torrents/info?category=${encodeURIComponent(category)}`);
			await torrents.text();
			if (!torrents.ok) {
				failures.push(failure('', `Failed to get the list of torrents: ${torrents.status}`));
			}
			return failures;
		} catch (error) {
			if (error instanceof QbFailure) {
				return error.failures;
			}
			return connectFailure(`Connection refused (${describeError(error)})`);
		}
	}

	private newznabTemplate(implementation: 'Newznab' | 'Torznab'): ProviderResource {
		const fields = [
			templateField(0, 'baseUrl', 'URL', undefined),
			templateField(1, 'apiPath', 'API Path', '/api', {advanced: true}),
			templateField(2, 'apiKey', 'API Key', undefined, {privacy: 'apiKey', type: 'textbox'}),
			templateField(3, 'categories', 'Categories', this.kind === 'sonarr' ? [5030, 5040] : [2000, 2010, 2020, 2030, 2040, 2045, 2050, 2060], {type: 'select'}),
			...(this.kind === 'sonarr'
				? [templateField(4, 'animeCategories', 'Anime Categories', [], {type: 'select'}), templateField(5, 'animeStandardFormatSearch', 'Anime Standard Format Search', false)]
				: []),
			templateField(6, 'additionalParameters', 'Additional Parameters', undefined, {advanced: true}),
			templateField(7, 'multiLanguages', 'Multi Languages', [], {type: 'select', advanced: true}),
			templateField(8, 'failDownloads', 'Fail Downloads', [], {type: 'select', advanced: true}),
			...(implementation === 'Torznab'
				? [
						templateField(9, 'minimumSeeders', 'Minimum Seeders', 1),
						templateField(10, 'seedCriteria.seedRatio', 'Seed Ratio', undefined),
						templateField(11, 'seedCriteria.seedTime', 'Seed Time', undefined),
						...(this.kind === 'sonarr' ? [templateField(12, 'seedCriteria.seasonPackSeedTime', 'Season-Pack Seed Time', undefined)] : []),
						templateField(13, 'rejectBlocklistedTorrentHashesWhileGrabbing', 'Reject Blocklisted Torrent Hashes While Grabbing', false),
					]
				: []),
		];
		return {
			enableRss: true,
			enableAutomaticSearch: true,
			enableInteractiveSearch: true,
			supportsRss: true,
			supportsSearch: true,
			protocol: implementation === 'Newznab' ? 'usenet' : 'torrent',
			priority: 25,
			...(this.kind === 'sonarr' ? {seasonSearchMaximumSingleEpisodeAge: 0} : {}),
			downloadClientId: 0,
			name: '',
			fields,
			implementationName: implementation,
			implementation,
			configContract: `${implementation}Settings`,
			infoLink: `https://wiki.servarr.com/${this.kind}/supported#${implementation.toLowerCase()}`,
			tags: [],
			presets: [],
		};
	}

	/** Newznab.Test(): caps, then a first RSS page that must hold releases (Sonarr src/NzbDrone.Core/Indexers/HttpIndexerBase.cs). */
	private async testIndexer(resource: ProviderResource): Promise<ValidationFailure[]> {
		const baseUrl = textOf(resource, 'baseUrl').replace(/\/+$/, '');
		const apiPath = textOf(resource, 'apiPath', '/api');
		const apiKey = textOf(resource, 'apiKey');
		const categories = (fieldOf(resource, 'categories') as number[] | undefined) ?? [];
		const url = (query: Record<string, string>) => `${baseUrl}${apiPath}?${new URLSearchParams({...query, ...(apiKey ? {apikey: apiKey} : {})}).toString()}`;
		try {
			const caps = await call(url({t: 'caps'}));
			const capsText = await caps.text();
			if (caps.status === 401 || /<error code="10[01]"/.test(capsText)) {
				return [failure('ApiKey', 'Invalid API Key')];
			}
			if (!caps.ok || !capsText.includes('<caps')) {
				return [failure('', `Unable to connect to indexer: ${caps.status}`)];
			}
			const search = this.kind === 'sonarr' ? 'tvsearch' : 'movie';
			const page = await call(url({t: search, cat: categories.join(','), extended: '1', offset: '0', limit: '100'}));
			const pageText = await page.text();
			if (!page.ok) {
				return [failure('', `Unable to connect to indexer: ${page.status}`)];
			}
			if (!/<item[\s>]/.test(pageText)) {
				return [failure('', 'No results were returned from your indexer, please check your settings.')];
			}
			return [];
		} catch (error) {
			return [failure('', `Unable to connect to indexer, check the log above the ValidationFailure for more details (${describeError(error)})`)];
		}
	}

	private mediaBrowserTemplate(): ProviderResource {
		const sonarr = this.kind === 'sonarr';
		const triggers = sonarr
			? ['onGrab', 'onDownload', 'onUpgrade', 'onImportComplete', 'onRename', 'onSeriesAdd', 'onSeriesDelete', 'onEpisodeFileDelete', 'onEpisodeFileDeleteForUpgrade', 'onHealthIssue', 'includeHealthWarnings', 'onHealthRestored', 'onApplicationUpdate', 'onManualInteractionRequired']
			: ['onGrab', 'onDownload', 'onUpgrade', 'onRename', 'onMovieAdded', 'onMovieDelete', 'onMovieFileDelete', 'onMovieFileDeleteForUpgrade', 'onHealthIssue', 'includeHealthWarnings', 'onHealthRestored', 'onApplicationUpdate', 'onManualInteractionRequired'];
		return {
			...Object.fromEntries(triggers.map(trigger => [trigger, false])),
			name: '',
			fields: [
				templateField(0, 'host', 'Host', undefined),
				templateField(1, 'port', 'Port', 8096),
				templateField(2, 'useSsl', 'Use SSL', false),
				templateField(3, 'urlBase', 'URL Base', undefined, {advanced: true}),
				templateField(4, 'apiKey', 'API Key', undefined, {privacy: 'apiKey'}),
				templateField(5, 'notify', 'Send Notifications', false),
				templateField(6, 'updateLibrary', 'Update Library', true),
				templateField(7, 'mapFrom', 'Map Paths From', undefined, {advanced: true}),
				templateField(8, 'mapTo', 'Map Paths To', undefined, {advanced: true}),
			],
			implementationName: 'Emby / Jellyfin',
			implementation: 'MediaBrowser',
			configContract: 'MediaBrowserSettings',
			infoLink: `https://wiki.servarr.com/${this.kind}/supported#mediabrowser`,
			tags: [],
			presets: [],
		};
	}

	/**
	 * MediaBrowserService.Test(): up to Sonarr 4.0.x (tag v4.0.19.2979) and in every Radarr, POST /Notifications/Admin,
	 * a 404 (Jellyfin) swallowed; Sonarr's v5 branch (commit 8b7f9daab) first reads GET /System/Configuration.
	 */
	private async testMediaBrowser(resource: ProviderResource): Promise<ValidationFailure[]> {
		const scheme = fieldOf(resource, 'useSsl') === true ? 'https' : 'http';
		const urlBase = textOf(resource, 'urlBase').replace(/\/+$/, '');
		const base = `${scheme}://${textOf(resource, 'host')}:${textOf(resource, 'port')}${urlBase}`;
		if (this.kind === 'sonarr' && compareVersions(this.version, '5') >= 0) {
			return this.testMediaBrowserConnection(base, resource);
		}
		try {
			const response = await call(`${base}/Notifications/Admin`, {
				method: 'POST',
				headers: {'X-MediaBrowser-Token': textOf(resource, 'apiKey'), 'content-type': 'application/json'},
				body: JSON.stringify({Name: 'Test from Sonarr', Description: 'Success! MediaBrowser has been successfully configured!', ImageUrl: ''}),
			});
			await response.text();
			if (response.status === 401) {
				return [failure('ApiKey', 'API Key is incorrect')];
			}
			if (response.ok || response.status === 404) {
				return [];
			}
			return [failure('Host', `Unable to send test message: ${response.status}`)];
		} catch (error) {
			return [failure('Host', `Unable to send test message: ${describeError(error)}`)];
		}
	}

	/** Sonarr v5's TestConnection (MediaBrowserProxy.cs): the key in X-MediaBrowser-Token; 401 reads as a wrong key. */
	private async testMediaBrowserConnection(base: string, resource: ProviderResource): Promise<ValidationFailure[]> {
		try {
			const response = await call(`${base}/System/Configuration`, {headers: {'X-MediaBrowser-Token': textOf(resource, 'apiKey')}});
			await response.text();
			if (response.status === 401) {
				return [failure('ApiKey', 'API Key is incorrect')];
			}
			if (!response.ok) {
				return [failure('Host', `Unable to send test message: ${response.status}`)];
			}
		} catch (error) {
			return [failure('Host', `Unable to send test message: ${describeError(error)}`)];
		}
		if (fieldOf(resource, 'notify') === true) {
			const response = await call(`${base}/Notifications/Admin`, {method: 'POST', headers: {'X-MediaBrowser-Token': textOf(resource, 'apiKey'), 'content-type': 'application/json'}, body: JSON.stringify({Name: 'Test from Sonarr', Description: 'Success! MediaBrowser has been successfully configured!', ImageUrl: ''})});
			await response.text();
			if (response.status === 404) {
				return [failure('Notify', "Unable to send notification to Emby. If you're using Jellyfin disable 'Send Notifications'")];
			}
		}
		return [];
	}

	/** What Sonarr would do on import: ask Jellyfin to rescan the item's path (for the notification link's tests). */
	async notifyImport(itemPath: string): Promise<number[]> {
		const statuses: number[] = [];
		for (const resource of this.providers.get('notification') ?? []) {
			if (fieldOf(resource, 'updateLibrary') !== true || resource.onDownload !== true) {
				continue;
			}
			const scheme = fieldOf(resource, 'useSsl') === true ? 'https' : 'http';
			const base = `${scheme}://${textOf(resource, 'host')}:${textOf(resource, 'port')}${textOf(resource, 'urlBase')}`;
			const from = fieldOf(resource, 'mapFrom');
			const to = fieldOf(resource, 'mapTo');
			const mapped = typeof from === 'string' && typeof to === 'string' && from && itemPath.startsWith(from) ? to + itemPath.slice(from.length) : itemPath;
			const response = await call(`${base}/Library/Media/Updated`, {
				method: 'POST',
				headers: {'X-MediaBrowser-Token': textOf(resource, 'apiKey'), 'content-type': 'application/json'},
				body: JSON.stringify({Updates: [{Path: mapped, UpdateType: 'Created'}]}),
			});
			await response.text();
			statuses.push(response.status);
		}
		return statuses;
	}
}

class QbFailure extends Error {
	constructor(readonly failures: ValidationFailure[]) {
		super('qBittorrent test failed');
	}
}

function transmissionTemplate(): ProviderResource {
	return {
		enable: true,
		protocol: 'torrent',
		priority: 1,
		removeCompletedDownloads: true,
		removeFailedDownloads: true,
		name: '',
		fields: [templateField(0, 'host', 'Host', 'localhost'), templateField(1, 'port', 'Port', 9091), templateField(2, 'password', 'Password', undefined, {privacy: 'password'})],
		implementationName: 'Transmission',
		implementation: 'Transmission',
		configContract: 'TransmissionSettings',
		tags: [],
		presets: [],
	};
}

/** DELETE /{resource}/{id}: 200 with an empty object, or 404 (RestController). */
function removeById(list: Array<{id: number}>, id: number): LabResponse {
	const index = list.findIndex(candidate => candidate.id === id);
	if (index < 0) {
		return {status: 404, body: {message: 'NotFound'}};
	}
	list.splice(index, 1);
	return {status: 200, body: {}};
}

function withSlash(value: string): string {
	return value.endsWith('/') || value.endsWith('\\') ? value : `${value}/`;
}

function capitalize(name: string): string {
	return name.charAt(0).toUpperCase() + name.slice(1);
}
