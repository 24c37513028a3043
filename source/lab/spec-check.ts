// Checks every request an emulator receives against the service's real OpenAPI file (../shared/specs):
// the operation must exist, path and query parameters must be declared and of the right type, and the
// body must fit the request schema (unknown properties, missing required ones, wrong types, read-only ones).
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {createRequire} from 'node:module';
import type {ValidateFunction} from 'ajv';

type Json = Record<string, any>;

export type SpecName = 'sonarr' | 'radarr' | 'prowlarr' | 'jellyseerr' | 'seerr' | 'jellyfin-10.11' | 'jellyfin-12';

const specFiles: Record<SpecName, string> = {
	sonarr: 'sonarr-v3.openapi.json',
	radarr: 'radarr-v3.openapi.json',
	prowlarr: 'prowlarr-v1.openapi.json',
	jellyseerr: 'jellyseerr-api.yml',
	seerr: 'seerr-api.yml',
	'jellyfin-10.11': 'jellyfin-10.11.11.openapi.json',
	'jellyfin-12': 'jellyfin-12.0.0.openapi.json',
};

/** Where a service's request validation differs from a strict reading of its document. */
interface Validation {
	/**
	 * Query parameters that carry a credential on every route but that the document does not declare: Jellyfin's
	 * AuthorizationContext (Jellyfin.Server.Implementations/Security/AuthorizationContext.cs) reads `ApiKey`, and the
	 * legacy `api_key`, from any request; its document declares only the Authorization header. Whether the credential
	 * is accepted is the emulator's to decide, not the spec's.
	 */
	authQuery?: string[];
	/**
	 * express-openapi-validator 4.13 (Jellyseerr's and Seerr's package.json) refuses `?name=` with an empty value
	 * unless the parameter allows it, and lets a body through on an operation that declares none.
	 */
	expressOpenApiValidator?: boolean;
}

const validation: Partial<Record<SpecName, Validation>> = {
	jellyseerr: {expressOpenApiValidator: true},
	seerr: {expressOpenApiValidator: true},
	'jellyfin-10.11': {authQuery: ['apikey', 'api_key']},
	'jellyfin-12': {authQuery: ['apikey', 'api_key']},
};

/** The Jellyfin document to check requests against, for the version the server claims. */
export function jellyfinSpecName(version: string): SpecName {
	return Number(version.split('.')[0]) >= 12 ? 'jellyfin-12' : 'jellyfin-10.11';
}

/** Where the specs are: $ARRWIRE_SPECS, else ../shared/specs beside the repository. */
export function specsDirectory(): string | undefined {
	if (process.env.ARRWIRE_SPECS) {
		return process.env.ARRWIRE_SPECS;
	}
	let directory = path.dirname(fileURLToPath(import.meta.url));
	for (let depth = 0; depth < 6; depth++) {
		const candidate = path.join(directory, '..', 'shared', 'specs');
		if (existsSync(path.join(candidate, specFiles.sonarr))) {
			return path.resolve(candidate);
		}
		directory = path.dirname(directory);
	}
	return undefined;
}

/** Are the specs there to check against (in $ARRWIRE_SPECS, or beside the repository)? */
export function specsAvailable(): boolean {
	const directory = specsDirectory();
	return directory !== undefined && Object.values(specFiles).every(file => existsSync(path.join(directory, file)));
}

const loaded = new Map<string, SpecChecker>();

interface Operation {
	method: string;
	template: string;
	regex: RegExp;
	pathParameters: Array<{name: string; schema: Json}>;
	queryParameters: Map<string, {schema: Json; required: boolean; allowEmptyValue: boolean}>;
	body?: {required: boolean; contentTypes: string[]; validate?: ValidateFunction};
}

export class SpecChecker {
	readonly name: SpecName;
	private readonly operations: Operation[] = [];
	private readonly securityQueryNames = new Set<string>();
	private readonly basePath: string;
	private readonly expressValidator: boolean;

	constructor(name: SpecName, document: Json) {
		this.name = name;
		const require = createRequire(import.meta.url);
		const AjvClass = require('ajv').default as typeof import('ajv').default;
		const ajv = new AjvClass({strict: false, allErrors: true, validateFormats: false, coerceTypes: false});
		// A request must not carry properties the spec marks read-only (express-openapi-validator's rule).
		ajv.removeKeyword('readOnly');
		ajv.addKeyword({keyword: 'readOnly', errors: false, validate: (readOnly: boolean) => !readOnly});
		ajv.addSchema(openApiToJsonSchema(document) as Json, 'spec');

		const server = String(document.servers?.[0]?.url ?? '');
		this.basePath = server.includes('/api/') || server.endsWith('/api/v1') ? server.replace(/^.*?(\/api\/v\d+)$/, '$1') : '';

		for (const scheme of Object.values<Json>(document.components?.securitySchemes ?? {})) {
			if (scheme.in === 'query') {
				this.securityQueryNames.add(String(scheme.name).toLowerCase());
			}
		}
		for (const query of validation[name]?.authQuery ?? []) {
			this.securityQueryNames.add(query);
		}
		this.expressValidator = validation[name]?.expressOpenApiValidator ?? false;

		for (const [template, item] of Object.entries<Json>(document.paths ?? {})) {
			const shared: Json[] = item.parameters ?? [];
			for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head']) {
				const operation: Json | undefined = item[method];
				if (!operation) {
					continue;
				}
				const parameters = [...shared, ...(operation.parameters ?? [])].map(parameter => resolve(document, parameter));
				const pathParameters: Operation['pathParameters'] = [];
				const queryParameters: Operation['queryParameters'] = new Map();
				for (const parameter of parameters) {
					if (parameter.in === 'path') {
						pathParameters.push({name: parameter.name, schema: resolve(document, parameter.schema ?? {})});
					} else if (parameter.in === 'query') {
						queryParameters.set(String(parameter.name).toLowerCase(), {
							schema: resolve(document, parameter.schema ?? {}),
							required: Boolean(parameter.required),
							allowEmptyValue: Boolean(parameter.allowEmptyValue),
						});
					}
				}
				let body: Operation['body'];
				if (operation.requestBody) {
					const requestBody = resolve(document, operation.requestBody);
					const content: Json = requestBody.content ?? {};
					const contentTypes = Object.keys(content);
					const json = contentTypes.find(type => type.includes('json'));
					const schema = json ? content[json].schema : undefined;
					body = {
						required: Boolean(requestBody.required),
						contentTypes,
						validate: schema ? ajv.compile(rewriteRefs(schema) as Json) : undefined,
					};
				}
				const fullTemplate = this.basePath + template;
				this.operations.push({
					method: method.toUpperCase(),
					template: fullTemplate,
					regex: templateRegex(fullTemplate),
					pathParameters,
					queryParameters,
					body,
				});
			}
		}
		// Literal paths first, so '/api/v3/indexer/schema' wins over '/api/v3/indexer/{id}'.
		this.operations.sort((a, b) => countParameters(a.template) - countParameters(b.template));
	}

	/** Loads (once per process) the spec of a service; throws, naming the folder, when it is missing. */
	static load(name: SpecName, directory = specsDirectory()): SpecChecker {
		const key = `${directory}:${name}`;
		let checker = loaded.get(key);
		if (!checker) {
			checker = SpecChecker.read(name, directory);
			loaded.set(key, checker);
		}
		return checker;
	}

	private static read(name: SpecName, directory: string | undefined): SpecChecker {
		if (!directory) {
			throw new Error(
				`The OpenAPI specs were not found (looked for ../shared/specs beside the repository). Set ARRWIRE_SPECS to the folder that holds ${specFiles[name]}.`,
			);
		}
		const file = path.join(directory, specFiles[name]);
		const text = readFileSync(file, 'utf8');
		let document: Json;
		if (file.endsWith('.json')) {
			document = JSON.parse(text) as Json;
		} else {
			const require = createRequire(import.meta.url);
			const yaml = require('yaml') as typeof import('yaml');
			document = yaml.parse(text) as Json;
		}
		return new SpecChecker(name, document);
	}

	/** Does the spec have this operation at all? */
	has(method: string, requestPath: string): boolean {
		return this.find(method, requestPath) !== undefined;
	}

	/** Every way the request does not fit the spec; empty when it fits. */
	check(method: string, requestPath: string, query: URLSearchParams, body: unknown, contentType: string | undefined): string[] {
		const operation = this.find(method, requestPath);
		if (!operation) {
			const others = [...new Set(this.operations.filter(candidate => candidate.regex.test(requestPath)).map(candidate => candidate.method))];
			return [`${method} ${requestPath} is not an operation of the ${this.name} API${others.length > 0 ? `; the path takes ${others.join(', ')}` : ''}`];
		}
		const problems: string[] = [];
		const match = operation.regex.exec(requestPath)!;
		operation.pathParameters.forEach(parameter => {
			const index = templateNames(operation.template).indexOf(parameter.name);
			const value = index >= 0 ? decodeURIComponent(match[index + 1] ?? '') : '';
			const problem = checkScalar(value, parameter.schema);
			if (problem) {
				problems.push(`path parameter ${parameter.name} ${problem}`);
			}
		});
		for (const [name, value] of query) {
			const lower = name.toLowerCase();
			if (this.securityQueryNames.has(lower)) {
				continue;
			}
			const parameter = operation.queryParameters.get(lower);
			if (!parameter) {
				problems.push(`query parameter '${name}' is not declared for ${operation.method} ${operation.template}`);
				continue;
			}
			if (this.expressValidator && value === '' && !parameter.allowEmptyValue) {
				problems.push(`query parameter '${name}' has an empty value`);
				continue;
			}
			const problem = checkScalar(value, parameter.schema.type === 'array' ? (parameter.schema.items ?? {}) : parameter.schema);
			if (problem) {
				problems.push(`query parameter '${name}' ${problem}`);
			}
		}
		for (const [name, parameter] of operation.queryParameters) {
			if (parameter.required && ![...query.keys()].some(key => key.toLowerCase() === name)) {
				problems.push(`required query parameter '${name}' is missing`);
			}
		}
		const hasBody = body !== undefined && body !== '';
		if (!operation.body) {
			if (hasBody && !this.expressValidator) {
				problems.push(`${operation.method} ${operation.template} takes no request body`);
			}
		} else if (!hasBody) {
			if (operation.body.required) {
				problems.push('the request body is required');
			}
		} else {
			const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
			if (!operation.body.contentTypes.some(declared => declared.toLowerCase() === type)) {
				problems.push(`content type '${type || '(none)'}' is not one of ${operation.body.contentTypes.join(', ')}`);
			} else if (operation.body.validate && !operation.body.validate(body)) {
				for (const error of operation.body.validate.errors ?? []) {
					const where = error.instancePath || '(body)';
					const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params.additionalProperty)}'` : '';
					const message = error.keyword === 'readOnly' ? 'is read-only and must not be sent' : (error.message ?? 'is invalid');
					problems.push(`${where} ${message}${extra}`);
				}
			}
		}
		return problems;
	}

	private find(method: string, requestPath: string): Operation | undefined {
		const upper = method.toUpperCase() === 'HEAD' ? ['HEAD', 'GET'] : [method.toUpperCase()];
		for (const wanted of upper) {
			const operation = this.operations.find(candidate => candidate.method === wanted && candidate.regex.test(requestPath));
			if (operation) {
				return operation;
			}
		}
		return undefined;
	}
}

/** OpenAPI 3.0's `nullable` is not JSON Schema: turn it into a type that admits null. */
function openApiToJsonSchema(node: unknown): unknown {
	if (Array.isArray(node)) {
		return node.map(openApiToJsonSchema);
	}
	if (!node || typeof node !== 'object') {
		return node;
	}
	const result: Json = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, openApiToJsonSchema(value)]));
	if (result.nullable === true) {
		delete result.nullable;
		if (typeof result.$ref === 'string') {
			return {anyOf: [{$ref: result.$ref}, {type: 'null'}]};
		}
		if (typeof result.type === 'string') {
			result.type = [result.type, 'null'];
			if (Array.isArray(result.enum)) {
				result.enum = [...result.enum, null];
			}
		}
	} else if (result.nullable === false) {
		delete result.nullable;
	}
	return result;
}

function resolve(document: Json, node: Json): Json {
	let current = node;
	for (let depth = 0; current && typeof current.$ref === 'string' && depth < 20; depth++) {
		const pointer = current.$ref.replace(/^#\//, '').split('/');
		current = pointer.reduce<Json>((value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
	}
	return current;
}

/** Schema refs point into the document added as 'spec'. */
function rewriteRefs(schema: unknown): unknown {
	if (Array.isArray(schema)) {
		return schema.map(rewriteRefs);
	}
	if (schema && typeof schema === 'object') {
		return Object.fromEntries(
			Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `spec${value}` : rewriteRefs(value)]),
		);
	}
	return schema;
}

function templateNames(template: string): string[] {
	return [...template.matchAll(/\{([^}]+)\}/g)].map(match => match[1]!);
}

function countParameters(template: string): number {
	return templateNames(template).length;
}

function templateRegex(template: string): RegExp {
	const source = template
		.split(/(\{[^}]+\})/)
		.map(part => (/^\{[^}]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
		.join('');
	return new RegExp(`^${source}/?$`, 'i');
}

function checkScalar(value: string, schema: Json): string | undefined {
	switch (schema?.type) {
		case 'integer':
			return /^-?\d+$/.test(value) ? undefined : `must be an integer (got '${value}')`;
		case 'number':
			return value !== '' && Number.isFinite(Number(value)) ? undefined : `must be a number (got '${value}')`;
		case 'boolean':
			return /^(true|false)$/i.test(value) ? undefined : `must be true or false (got '${value}')`;
		default:
			if (Array.isArray(schema?.enum) && !schema.enum.map(String).includes(value)) {
				return `must be one of ${schema.enum.join(', ')} (got '${value}')`;
			}
			return undefined;
	}
}
