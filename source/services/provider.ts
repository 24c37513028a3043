// Servarr "provider" resources (download clients, indexers, applications, notifications): one shape in Sonarr,
// Radarr and Prowlarr (Sonarr src/Sonarr.Api.V3/ProviderControllerBase.cs, src/Sonarr.Http/ClientSchema/SchemaBuilder.cs). Only fields[].name and value matter on write; secrets come back masked.
import * as z from './schema.js';
import type {HttpClient} from './http.js';

export const fieldSchema = z.looseObject({
	name: z.string(),
	value: z.optional(z.unknown()),
	privacy: z.optional(z.string()),
	label: z.optional(z.string()),
});
export type ProviderField = z.infer<typeof fieldSchema>;

export const providerSchema = z.looseObject({
	id: z.optional(z.number()),
	name: z.nullable(z.optional(z.string())),
	implementation: z.string(),
	implementationName: z.nullable(z.optional(z.string())),
	configContract: z.string(),
	fields: z.array(fieldSchema),
	tags: z.optional(z.array(z.number())),
});
export type ProviderResource = z.infer<typeof providerSchema>;

/** Read-only properties the services add to a resource that a write should not send back. */
const answerOnly = ['message', 'presets', 'infoLink', 'testCommand'];

export function fieldValue(resource: {fields?: ProviderField[]}, name: string): unknown {
	return resource.fields?.find(field => field.name.toLowerCase() === name.toLowerCase())?.value;
}

/** A field's value (or any JSON value) as text: '' for none, JSON for a list or an object, never "[object Object]". */
export function valueText(value: unknown): string {
	if (value === undefined || value === null) {
		return '';
	}
	if (typeof value === 'string') {
		return value;
	}
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		return value.toString();
	}
	return typeof value === 'object' ? JSON.stringify(value) : '';
}

/** A copy of the resource with the given field values set (fields the resource lacks are added). */
export function withFields<T extends {fields: ProviderField[]}>(resource: T, values: Record<string, unknown>): T {
	const fields = resource.fields.map(field => (Object.hasOwn(values, field.name) ? {...field, value: values[field.name]} : {...field}));
	for (const [name, value] of Object.entries(values)) {
		if (!fields.some(field => field.name === name)) {
			fields.push({name, value});
		}
	}
	return {...resource, fields};
}

/** What a write sends: the resource without answer-only properties, fields reduced to name and value. */
export function forWrite(resource: ProviderResource): Record<string, unknown> {
	const body: Record<string, unknown> = {...resource};
	for (const key of answerOnly) {
		delete body[key];
	}
	body.fields = resource.fields.map(field => ({name: field.name, value: field.value}));
	return body;
}

/**
 * The write and test endpoints every Servarr API has for its provider resources, under one API root (/api/v3 for
 * Sonarr and Radarr, /api/v1 for Prowlarr). An enabled resource is tested live by the service before it is saved.
 */
export class ProviderEndpoints<Path extends string> {
	constructor(
		private readonly http: HttpClient,
		private readonly root: string,
	) {}

	create(resource: Path, body: ProviderResource): Promise<ProviderResource> {
		return this.http.post(`${this.root}/${resource}`, providerSchema, {json: forWrite(body)});
	}

	/** forceSave: save even though the service's own test fails (to put back a state it would refuse, on undo). */
	update(resource: Path, body: ProviderResource, options: {forceSave?: boolean} = {}): Promise<ProviderResource> {
		return this.http.put(`${this.root}/${resource}/${body.id}`, providerSchema, {json: forWrite(body), query: options.forceSave ? {forceSave: true} : undefined});
	}

	remove(resource: Path, id: number): Promise<void> {
		return this.http.delete(`${this.root}/${resource}/${id}`);
	}

	/** The service's own test of a saved or unsaved resource; a failure is a validation ServiceError. */
	async test(resource: Path, body: ProviderResource): Promise<void> {
		await this.http.request('POST', `${this.root}/${resource}/test`, {json: forWrite(body), effect: 'test'});
	}
}
