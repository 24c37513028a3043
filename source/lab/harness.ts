// Test helpers shared by the lab's tests: a request that does not fit the spec fails the test that sent it.
import assert from 'node:assert/strict';
import type {Emulator} from './emulator.js';

/** Fails with every spec violation the emulators saw since the last call, and forgets them. */
export function assertNoSpecViolations(...emulators: Emulator[]): void {
	const violations = emulators.flatMap(emulator => emulator.violations.splice(0));
	assert.deepEqual(violations, [], `requests that do not fit the OpenAPI spec:\n${violations.join('\n')}`);
}

export function randomKey(): string {
	return [...crypto.getRandomValues(new Uint8Array(16))].map(byte => byte.toString(16).padStart(2, '0')).join('');
}
