// How links compare what a service holds with what is wanted: paths without their trailing slash, values where
// absent, null and "" are the same nothing.
import {valueText} from '../services/provider.js';

export function normalPath(value: string): string {
	return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

export function samePath(a: string, b: string): boolean {
	return normalPath(a) === normalPath(b);
}

export function sameValue(a: unknown, b: unknown): boolean {
	const normal = valueText;
	return normal(a) === normal(b);
}
