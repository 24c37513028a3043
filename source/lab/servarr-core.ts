// What Sonarr, Radarr and Prowlarr share (Sonarr src/Sonarr.Http/, Prowlarr src/Prowlarr.Http/): anonymous /ping, /initialize.json under the
// UI policy, the URL-base 307, API keys in three places, X-Application-Version, config.xml, the 400 validation
// array, and provider resources (schema, masked secrets, test-on-save, forceSave, unique names).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {Emulator, header, type Handler, type LabRequest, type LabResponse, type RouteOptions} from './emulator.js';
import type {SpecChecker, SpecName} from './spec-check.js';
import {SpecChecker as Checker} from './spec-check.js';

export type AuthenticationMethod = 'none' | 'basic' | 'forms' | 'external';
export type AuthenticationRequired = 'enabled' | 'disabledForLocalAddresses';

export interface ServarrCoreOptions {
	appName: 'Sonarr' | 'Radarr' | 'Prowlarr';
	apiVersion: 'v3' | 'v1';
	apiKey: string;
	version: string;
	host?: string;
	port?: number;
	urlBase?: string;
	authenticationMethod?: AuthenticationMethod;
	authenticationRequired?: AuthenticationRequired;
	/** Where config.xml is written (what discovery reads), as in -data=<dir>. */
	configDir?: string;
	/** The spec to check requests against; undefined loads the service's own, false checks nothing. */
	spec?: SpecChecker | false;
	/** See ServarrCore.echoSecrets. */
	echoSecrets?: boolean;
}

export interface Field {
	order?: number;
	name: string;
	label?: string;
	value?: unknown;
	type?: string;
	advanced?: boolean;
	privacy?: 'normal' | 'password' | 'apiKey' | 'userName';
	helpText?: string;
	hidden?: string;
	selectOptions?: Array<{value: number; name: string; order: number}>;
	[key: string]: unknown;
}

export interface ProviderResource {
	id?: number;
	name?: string;
	fields: Field[];
	implementation: string;
	implementationName?: string;
	configContract: string;
	infoLink?: string;
	tags?: number[];
	presets?: ProviderResource[];
	[key: string]: unknown;
}

export interface ValidationFailure {
	propertyName: string;
	errorMessage: string;
	attemptedValue?: unknown;
	severity: 'error' | 'warning';
	errorCode?: string;
	isWarning: boolean;
	detailedDescription?: string | null;
	infoLink?: string | null;
}

export const MASK = '********';

export function failure(propertyName: string, errorMessage: string, extra: {warning?: boolean; attemptedValue?: unknown; detailedDescription?: string} = {}): ValidationFailure {
	return {
		propertyName,
		errorMessage,
		attemptedValue: extra.attemptedValue,
		severity: extra.warning ? 'warning' : 'error',
		errorCode: extra.warning ? undefined : 'PredicateValidator',
		isWarning: extra.warning ?? false,
		detailedDescription: extra.detailedDescription ?? null,
		infoLink: null,
	};
}

export function fieldOf(resource: {fields?: Field[]}, name: string): unknown {
	return resource.fields?.find(field => field.name.toLowerCase() === name.toLowerCase())?.value;
}

/** A JSON value as text, as a string property bound from it holds it; a missing value, null or an object reads as the fallback. */
export function scalarText(value: unknown, fallback = ''): string {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : fallback;
}

/** A provider field's value as text (scalarText). */
export function textOf(resource: {fields?: Field[]}, name: string, fallback = ''): string {
	return scalarText(fieldOf(resource, name), fallback);
}

/** A property of a request's JSON body as text (scalarText); a body that is no object has none. */
export function bodyText(body: unknown, name: string): string {
	return typeof body === 'object' && body !== null ? scalarText((body as Record<string, unknown>)[name]) : '';
}

export function setField(resource: {fields: Field[]}, name: string, value: unknown): void {
	const field = resource.fields.find(candidate => candidate.name === name);
	if (field) {
		field.value = value;
	} else {
		resource.fields.push({name, value});
	}
}

/** A 400 with the validation array (SonarrErrorPipeline). */
export function invalid(failures: ValidationFailure[]): LabResponse {
	return {status: 400, body: failures};
}

export function clone<T>(value: T): T {
	return structuredClone(value);
}

/** Fetch with a deadline, as the services' own HTTP clients have. Never throws for HTTP statuses. */
export async function call(url: string, init: RequestInit & {timeoutMs?: number} = {}): Promise<Response> {
	return fetch(url, {...init, redirect: init.redirect ?? 'follow', signal: AbortSignal.timeout(init.timeoutMs ?? 5000)});
}

export interface ProviderKind {
	/** The resource path under the API, e.g. 'downloadclient'. */
	resource: string;
	/** One template per implementation, as GET /schema returns them. */
	templates: () => ProviderResource[];
	/** Whether the definition counts as enabled (and so is tested on save). */
	enabled: (resource: ProviderResource) => boolean;
	/** The provider's live Test(); failures (errors and warnings). */
	test?: (resource: ProviderResource) => Promise<ValidationFailure[]>;
	/** Extra validation of the resource (settings validators). */
	validate?: (resource: ProviderResource) => ValidationFailure[];
	/** Called after a definition was saved or deleted. */
	changed?: (event: 'added' | 'updated' | 'deleted', resource: ProviderResource) => Promise<void> | void;
	/** Whether PUT re-tests an unchanged definition (Prowlarr does, Sonarr/Radarr do not). */
	retestUnchanged?: boolean;
}

export abstract class ServarrCore extends Emulator {
	readonly appName: 'Sonarr' | 'Radarr' | 'Prowlarr';
	readonly version: string;
	apiKey: string;
	authenticationMethod: AuthenticationMethod;
	authenticationRequired: AuthenticationRequired;
	readonly configDir?: string;
	protected readonly apiRoot: string;
	/** Stored provider definitions per resource path, with secrets in clear. */
	readonly providers = new Map<string, ProviderResource[]>();
	private readonly kinds = new Map<string, ProviderKind>();
	private nextIds = new Map<string, number>();
	tags: Array<{id: number; label: string}> = [];
	/**
	 * Off by default. On, a failed live test quotes the values it was given (a password, a key in a URL), as real
	 * services do in some errors (a FluentValidation AttemptedValue, an HttpException message carrying the request
	 * URL with its apikey=): what arrwire shows of such an answer must still hold no secret.
	 */
	echoSecrets: boolean;
	private starting = false;

	constructor(options: ServarrCoreOptions) {
		const specName = options.appName.toLowerCase() as SpecName;
		super({
			name: options.appName,
			host: options.host,
			port: options.port,
			urlBase: options.urlBase,
			spec: options.spec === false ? undefined : (options.spec ?? Checker.load(specName)),
		});
		this.appName = options.appName;
		this.version = options.version;
		this.apiKey = options.apiKey;
		this.authenticationMethod = options.authenticationMethod ?? 'forms';
		this.authenticationRequired = options.authenticationRequired ?? 'enabled';
		this.configDir = options.configDir;
		this.echoSecrets = options.echoSecrets ?? false;
		this.apiRoot = `/api/${options.apiVersion}`;

		this.route('GET', '/ping', () => (this.starting ? this.startingUp() : {status: 200, body: {status: 'OK'}}), {anonymous: true});
		this.route('GET', '/initialize.json', request => this.initializeJson(request), {anonymous: true, outsideApi: true});
		this.route('GET', '/login', () => ({status: 200, body: loginPage(this.appName), headers: {'content-type': 'text/html; charset=utf-8'}}), {anonymous: true, outsideApi: true});
		this.route('GET', '/', () => ({status: 302, body: '', headers: {location: `${this.urlBase}/login?returnUrl=%2F`}}), {anonymous: true, outsideApi: true});
		this.api('GET', '/api', () => ({status: 200, body: {current: options.apiVersion, deprecated: []}}));
		this.api('GET', `${this.apiRoot}/system/status`, () => ({status: 200, body: this.systemStatus()}));
		this.api('GET', `${this.apiRoot}/health`, () => ({status: 200, body: this.health()}));
		this.api('GET', `${this.apiRoot}/config/host`, () => ({status: 200, body: this.hostConfig()}));
		this.api('GET', `${this.apiRoot}/tag`, () => ({status: 200, body: this.tags}));
		this.api('POST', `${this.apiRoot}/tag`, request => {
			const label = bodyText(request.body, 'label');
			const existing = this.tags.find(tag => tag.label === label);
			if (existing) {
				return {status: 201, body: existing};
			}
			const tag = {id: this.nextId('tag'), label: label.toLowerCase()};
			this.tags.push(tag);
			return {status: 201, body: tag};
		});
	}

	/** Registers an authenticated API route whose answers carry X-Application-Version (VersionMiddleware). */
	protected api(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): void {
		this.route(
			method,
			pattern,
			async request => {
				const response = await handler(request);
				return {...response, headers: {...response.headers, 'X-Application-Version': this.version}};
			},
			options,
		);
	}

	protected nextId(kind: string): number {
		const id = this.nextIds.get(kind) ?? 1;
		this.nextIds.set(kind, id + 1);
		return id;
	}

	/** API key from ?apikey=, X-Api-Key, or Authorization: Bearer (Sonarr src/Sonarr.Http/Authentication/ApiKeyAuthenticationHandler.cs); 401 with no body otherwise. */
	protected authenticate(request: LabRequest): LabResponse | undefined {
		if (this.starting) {
			return this.startingUp();
		}
		const bearer = header(request, 'authorization');
		const given = request.query.get('apikey') ?? header(request, 'x-api-key') ?? (bearer?.startsWith('Bearer ') ? bearer.slice(7) : undefined);
		return given === this.apiKey ? undefined : {status: 401, body: ''};
	}

	/** UrlBaseMiddleware: a request without the URL base gets a 307 to the same path under it. */
	protected override onMissingUrlBase(request: LabRequest): LabResponse {
		const query = request.query.toString();
		return {status: 307, body: '', headers: {location: `${this.urlBase}${request.rawPath}${query ? `?${query}` : ''}`}};
	}

	/** While booting, every request gets 503 (StartingUpMiddleware). */
	setStarting(starting: boolean): void {
		this.starting = starting;
	}

	private startingUp(): LabResponse {
		return {status: 503, body: {ErrorMessage: `${this.appName} is starting up, please try again later`}};
	}

	private initializeJson(request: LabRequest): LabResponse {
		const local = /^(::ffff:)?(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)|^::1$/.test(request.remoteAddress);
		const open =
			this.authenticationMethod === 'none' || this.authenticationMethod === 'external' || (this.authenticationRequired === 'disabledForLocalAddresses' && local);
		if (!open) {
			if (this.authenticationMethod === 'basic') {
				return {status: 401, body: '', headers: {'WWW-Authenticate': `Basic realm="${this.appName}"`}};
			}
			return {status: 302, body: '', headers: {location: `${this.urlBase}/login?ReturnUrl=${encodeURIComponent(`${this.urlBase}/initialize.json`)}`}};
		}
		return {
			status: 200,
			body: {
				apiRoot: `${this.urlBase}${this.apiRoot}`,
				apiKey: this.apiKey,
				release: `${this.version}-main`,
				version: this.version,
				instanceName: this.appName,
				theme: 'auto',
				branch: this.appName === 'Prowlarr' ? 'master' : 'main',
				analytics: false,
				userHash: 'a1b2c3d4',
				urlBase: this.urlBase,
				isProduction: true,
			},
		};
	}

	systemStatus(): Record<string, unknown> {
		return {
			appName: this.appName,
			instanceName: this.appName,
			version: this.version,
			buildTime: '2025-11-01T00:00:00Z',
			isDebug: false,
			isProduction: true,
			isAdmin: false,
			isUserInteractive: false,
			startupPath: `/app/${this.appName.toLowerCase()}/bin`,
			appData: this.configDir ?? '/config',
			osName: 'debian',
			osVersion: '12',
			isNetCore: true,
			isLinux: true,
			isOsx: false,
			isWindows: false,
			isDocker: false,
			mode: 'console',
			branch: this.appName === 'Prowlarr' ? 'master' : 'main',
			authentication: this.authenticationMethod,
			databaseType: 'sqLite',
			databaseVersion: '3.46.1',
			migrationVersion: 200,
			urlBase: this.urlBase,
			runtimeVersion: '8.0.12',
			runtimeName: '.NET',
			startTime: new Date().toISOString(),
			packageUpdateMechanism: 'builtIn',
		};
	}

	/** Health checks; subclasses add their own (e.g. a download client that fails). */
	protected health(): Array<{source: string; type: string; message: string; wikiUrl: string}> {
		return [];
	}

	private hostConfig(): Record<string, unknown> {
		return {
			id: 1,
			bindAddress: '*',
			port: this.port,
			sslPort: 9898,
			enableSsl: false,
			launchBrowser: true,
			authenticationMethod: this.authenticationMethod,
			authenticationRequired: this.authenticationRequired,
			analyticsEnabled: false,
			username: '',
			password: '',
			passwordConfirmation: '',
			logLevel: 'info',
			consoleLogLevel: '',
			branch: 'main',
			apiKey: this.apiKey,
			sslCertPath: '',
			sslCertPassword: '',
			urlBase: this.urlBase,
			instanceName: this.appName,
			updateAutomatically: false,
			updateMechanism: 'builtIn',
			updateScriptPath: '',
			proxyEnabled: false,
			certificateValidation: 'enabled',
			backupFolder: 'Backups',
			backupInterval: 7,
			backupRetention: 28,
		};
	}

	override async start(): Promise<void> {
		await super.start();
		this.writeConfig();
	}

	/** config.xml as ConfigFileProvider writes it (Sonarr src/NzbDrone.Core/Configuration/ConfigFileProvider.cs). */
	writeConfig(): void {
		if (!this.configDir) {
			return;
		}
		mkdirSync(this.configDir, {recursive: true});
		const method = {none: 'None', basic: 'Basic', forms: 'Forms', external: 'External'}[this.authenticationMethod];
		const required = this.authenticationRequired === 'enabled' ? 'Enabled' : 'DisabledForLocalAddresses';
		const xml = [
			'<Config>',
			`  <BindAddress>${this.host === '0.0.0.0' ? '*' : this.host}</BindAddress>`,
			`  <Port>${this.port}</Port>`,
			'  <SslPort>9898</SslPort>',
			'  <EnableSsl>False</EnableSsl>',
			'  <LaunchBrowser>True</LaunchBrowser>',
			`  <ApiKey>${this.apiKey}</ApiKey>`,
			`  <AuthenticationMethod>${method}</AuthenticationMethod>`,
			`  <AuthenticationRequired>${required}</AuthenticationRequired>`,
			`  <Branch>${this.appName === 'Prowlarr' ? 'master' : 'main'}</Branch>`,
			'  <LogLevel>info</LogLevel>',
			'  <SslCertPath></SslCertPath>',
			'  <SslCertPassword></SslCertPassword>',
			`  <UrlBase>${this.urlBase.replace(/^\//, '')}</UrlBase>`,
			`  <InstanceName>${this.appName}</InstanceName>`,
			'</Config>',
			'',
		].join('\n');
		writeFileSync(path.join(this.configDir, 'config.xml'), xml);
	}

	/** Rotates the API key (Settings → General → Security → reset), rewriting config.xml. */
	rotateApiKey(newKey: string): void {
		this.apiKey = newKey;
		this.writeConfig();
	}

	/** Registers the provider endpoints of one resource (ProviderControllerBase). */
	protected provider(kind: ProviderKind): void {
		const base = `${this.apiRoot}/${kind.resource}`;
		this.kinds.set(kind.resource, kind);
		this.providers.set(kind.resource, []);
		const list = () => this.providers.get(kind.resource)!;

		this.api('GET', `${base}/schema`, () => ({status: 200, body: kind.templates().map(template => this.masked(template))}));
		this.api('GET', base, () => ({status: 200, body: list().map(resource => this.masked(resource))}));
		this.api('GET', `${base}/{id}`, request => {
			const found = list().find(resource => resource.id === Number(request.params.id));
			return found ? {status: 200, body: this.masked(found)} : notFound();
		});
		this.api('POST', base, async request => {
			const body = request.body as ProviderResource;
			const forceSave = request.query.get('forceSave') === 'true';
			const problem = this.shapeProblems(kind, body, undefined);
			if (problem) {
				return problem;
			}
			const resource = this.merge(kind, body, undefined);
			const failures = await this.validateAndTest(kind, resource);
			if (blocking(failures, forceSave)) {
				return invalid(failures);
			}
			resource.id = this.nextId(kind.resource);
			list().push(resource);
			await kind.changed?.('added', resource);
			return {status: 201, body: this.masked(resource)};
		});
		this.api('PUT', `${base}/{id}`, async request => {
			const id = Number(request.params.id);
			const index = list().findIndex(resource => resource.id === id);
			if (index < 0) {
				return notFound();
			}
			const existing = list()[index]!;
			const body = request.body as ProviderResource;
			const forceSave = request.query.get('forceSave') === 'true';
			const problem = this.shapeProblems(kind, body, id);
			if (problem) {
				return problem;
			}
			const resource = this.merge(kind, body, existing);
			resource.id = id;
			const changed = JSON.stringify(resource) !== JSON.stringify(existing);
			if (!changed && !kind.retestUnchanged) {
				// Unchanged PUTs are not tested nor persisted again.
				return {status: 202, body: this.masked(existing)};
			}
			if (!forceSave) {
				const failures = await this.validateAndTest(kind, resource);
				if (blocking(failures, false)) {
					return invalid(failures);
				}
			}
			list()[index] = resource;
			await kind.changed?.('updated', resource);
			return {status: 202, body: this.masked(resource)};
		});
		this.api('DELETE', `${base}/{id}`, async request => {
			const id = Number(request.params.id);
			const index = list().findIndex(resource => resource.id === id);
			if (index < 0) {
				return notFound();
			}
			const [removed] = list().splice(index, 1);
			await kind.changed?.('deleted', removed!);
			return {status: 200, body: {}};
		});
		this.api(
			'POST',
			`${base}/test`,
			async request => {
			const body = request.body as ProviderResource;
			// [SkipValidation] on /test: no name rules, only the provider's own settings validation and test.
			const problem = this.shapeProblems(kind, body, body?.id, {skipName: true});
			if (problem) {
				return problem;
			}
			const stored = body.id ? list().find(resource => resource.id === body.id) : undefined;
			const resource = this.merge(kind, body, stored);
			const failures = [...(kind.validate?.(resource) ?? []), ...((await kind.test?.(resource)) ?? [])];
			return blocking(failures, request.query.get('forceTest') === 'true') || failures.some(item => item.isWarning) ? invalid(failures) : {status: 200, body: {}};
			},
			{changesNothing: true},
		);
		this.api(
			'POST',
			`${base}/testall`,
			async () => {
			const results = [];
			for (const resource of list().filter(kind.enabled)) {
				const failures = (await kind.test?.(resource)) ?? [];
				results.push({id: resource.id, isValid: !failures.some(item => !item.isWarning), validationFailures: failures});
			}
			return {status: results.every(result => result.isValid) ? 200 : 400, body: results};
			},
			{changesNothing: true},
		);
	}

	/** Shape rules every provider has: name, implementation, configContract, fields, unique name. */
	private shapeProblems(kind: ProviderKind, body: ProviderResource | undefined, id: number | undefined, options: {skipName?: boolean} = {}): LabResponse | undefined {
		if (!body || typeof body !== 'object') {
			return invalid([failure('', 'A request body is required')]);
		}
		const failures: ValidationFailure[] = [];
		if (options.skipName) {
			// Nothing to check about the name.
		} else if (!body.name || !String(body.name).trim()) {
			failures.push(failure('Name', "'Name' must not be empty.", {attemptedValue: body.name ?? ''}));
		} else if (this.providers.get(kind.resource)!.some(other => other.id !== id && String(other.name).toLowerCase() === String(body.name).toLowerCase())) {
			failures.push(failure('Name', 'Should be unique', {attemptedValue: body.name}));
		}
		if (!body.implementation) {
			failures.push(failure('Implementation', "'Implementation' must not be empty."));
		}
		if (!body.configContract) {
			failures.push(failure('ConfigContract', "'Config Contract' must not be empty."));
		}
		if (!Array.isArray(body.fields)) {
			failures.push(failure('Fields', "'Fields' must not be empty."));
		}
		if (failures.length === 0 && !kind.templates().some(template => template.implementation === body.implementation)) {
			return {status: 400, body: {message: `Unknown implementation ${body.implementation}`}};
		}
		return failures.length > 0 ? invalid(failures) : undefined;
	}

	/** Fields not sent keep the template default; a masked secret keeps the stored value (SchemaBuilder). */
	private merge(kind: ProviderKind, body: ProviderResource, existing: ProviderResource | undefined): ProviderResource {
		const template = clone(kind.templates().find(candidate => candidate.implementation === body.implementation)!);
		const {presets: _presets, ...rest} = template;
		const resource: ProviderResource = {...rest, ...clone(body), fields: rest.fields.map(field => ({...field}))};
		delete resource.presets;
		delete resource.message;
		for (const sent of body.fields ?? []) {
			const field = resource.fields.find(candidate => candidate.name.toLowerCase() === sent.name.toLowerCase());
			if (!field) {
				continue;
			}
			if (sent.value === MASK && (field.privacy === 'password' || field.privacy === 'apiKey')) {
				field.value = existing ? fieldOf(existing, field.name) : field.value;
			} else if (sent.value !== undefined) {
				field.value = clone(sent.value);
			}
		}
		resource.tags = body.tags ?? existing?.tags ?? [];
		// The protocol is the implementation's, never the body's (Sonarr SetProviderCharacteristics: definition.Protocol = provider.Protocol).
		if (rest.protocol !== undefined) {
			resource.protocol = rest.protocol;
		}
		return resource;
	}

	private async validateAndTest(kind: ProviderKind, resource: ProviderResource): Promise<ValidationFailure[]> {
		if (!kind.enabled(resource)) {
			// A disabled definition is neither validated nor tested.
			return [];
		}
		const failures = kind.validate?.(resource) ?? [];
		if (failures.some(item => !item.isWarning)) {
			return failures;
		}
		return [...failures, ...((await kind.test?.(resource)) ?? [])];
	}

	/** GET shows secrets as ******** (privacy password/apiKey). */
	masked(resource: ProviderResource): ProviderResource {
		const copy = clone(resource);
		for (const field of copy.fields) {
			if ((field.privacy === 'password' || field.privacy === 'apiKey') && field.value !== undefined && field.value !== null && field.value !== '') {
				field.value = MASK;
			}
		}
		return copy;
	}
}

/** forceSave ignores warnings, never errors (Sonarr src/Sonarr.Api.V3/ProviderControllerBase.cs). */
function blocking(failures: ValidationFailure[], forceSave: boolean): boolean {
	return failures.some(item => !item.isWarning) || (!forceSave && failures.some(item => item.isWarning));
}

function notFound(): LabResponse {
	return {status: 404, body: {message: 'NotFound'}};
}

function loginPage(appName: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>Login - ${appName}</title></head><body><form method="POST"><input name="username"><input name="password" type="password"><input type="checkbox" name="rememberMe"><button>Login</button></form></body></html>`;
}

/** A field as a template declares it. */
export function templateField(order: number, name: string, label: string, value: unknown, extra: Partial<Field> = {}): Field {
	return {order, name, label, value, type: extra.type ?? (typeof value === 'boolean' ? 'checkbox' : typeof value === 'number' ? 'number' : 'textbox'), advanced: false, privacy: 'normal', isFloat: false, ...extra};
}

export function compareVersions(a: string, b: string): number {
	const left = a.split('.').map(Number);
	const right = b.split('.').map(Number);
	for (let index = 0; index < Math.max(left.length, right.length); index++) {
		const difference = (left[index] ?? 0) - (right[index] ?? 0);
		if (difference !== 0) {
			return difference;
		}
	}
	return 0;
}

/** The short reason a call failed (ECONNREFUSED, timed out…), as the services log it. */
export function describeError(error: unknown): string {
	const cause = (error as {cause?: {code?: string}})?.cause;
	if (cause?.code) {
		return cause.code;
	}
	if (error instanceof Error) {
		return error.name === 'TimeoutError' ? 'timed out' : error.message;
	}
	return String(error);
}
