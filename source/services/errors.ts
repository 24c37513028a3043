// Errors are values with a service, a cause and a fix, made here and shown the same way everywhere.

export type ServiceName = 'Sonarr' | 'Radarr' | 'Prowlarr' | 'qBittorrent' | 'Jellyfin' | 'Jellyseerr' | 'NZBGet' | 'SABnzbd';

export type FailureKind =
	| 'unreachable' // nothing answered (refused, reset, DNS)
	| 'timeout' // it answered too slowly
	| 'unauthorized' // the key or password was refused
	| 'forbidden' // authenticated, but not allowed (or banned)
	| 'validation' // the service rejected the request's content (400)
	| 'not-found'
	| 'conflict'
	| 'server-error' // 5xx
	| 'redirect' // an unexpected redirect (a missing URL base, or another address that is not followed)
	| 'too-large' // an answer larger than any the service gives
	| 'certificate' // TLS with a certificate this machine does not trust, or not the one trusted for it
	| 'bad-response'; // an answer arrwire does not understand

/** One failure a Servarr service reports in its 400 validation array. */
export interface ValidationFailure {
	propertyName: string;
	errorMessage: string;
	isWarning?: boolean;
	detailedDescription?: string | null;
	infoLink?: string | null;
}

export interface ServiceErrorDetails {
	service: ServiceName;
	kind: FailureKind;
	/** The request's URL, with every secret removed. */
	url: string;
	method: string;
	status?: number;
	/** What the service said, redacted. */
	serviceMessage?: string;
	validation?: ValidationFailure[];
	fix: string;
	/** A 'certificate' error: the SHA-256 fingerprint of the certificate the service presented. */
	fingerprint256?: string;
}

export class ServiceError extends Error {
	readonly service: ServiceName;
	readonly kind: FailureKind;
	readonly url: string;
	readonly method: string;
	readonly status?: number;
	readonly serviceMessage?: string;
	readonly validation: ValidationFailure[];
	readonly fix: string;
	readonly fingerprint256?: string;

	constructor(details: ServiceErrorDetails) {
		super(describe(details));
		this.name = 'ServiceError';
		this.service = details.service;
		this.kind = details.kind;
		this.url = details.url;
		this.method = details.method;
		this.status = details.status;
		this.serviceMessage = details.serviceMessage;
		this.validation = details.validation ?? [];
		this.fix = details.fix;
		this.fingerprint256 = details.fingerprint256;
	}

	toJSON() {
		return {
			service: this.service,
			kind: this.kind,
			method: this.method,
			url: this.url,
			status: this.status,
			serviceMessage: this.serviceMessage,
			validation: this.validation,
			fix: this.fix,
			fingerprint256: this.fingerprint256,
			message: this.message,
		};
	}
}

const kindText: Record<FailureKind, string> = {
	unreachable: 'could not be reached',
	timeout: 'did not answer in time',
	unauthorized: 'refused the credentials',
	forbidden: 'refused the request',
	validation: 'rejected the request',
	'not-found': 'does not have what was asked for',
	conflict: 'reported a conflict',
	'server-error': 'failed with a server error',
	redirect: 'answered with a redirect',
	'too-large': 'sent too much',
	certificate: 'has a certificate arrwire does not trust',
	'bad-response': 'answered with something arrwire does not understand',
};

function describe(details: ServiceErrorDetails): string {
	const status = details.status === undefined ? '' : ` (HTTP ${details.status})`;
	let text = `${details.service} ${kindText[details.kind]}${status}: ${details.method} ${details.url}`;
	if (details.validation?.length) {
		text += ': ' + details.validation.map(failure => `${failure.propertyName || 'request'}: ${failure.errorMessage}`).join('; ');
	} else if (details.serviceMessage) {
		text += `: ${details.serviceMessage}`;
	}
	return text;
}

export function isServiceError(error: unknown): error is ServiceError {
	return error instanceof ServiceError;
}

/**
 * What a service's own test (POST …/test) said when it refused: the first error, not a warning. Undefined for an
 * error that is not a refused test, and for a test that only warned (it passed).
 */
export function testFailure(error: unknown): {field: string; message: string} | undefined {
	if (!isServiceError(error) || error.kind !== 'validation') {
		return undefined;
	}
	if (error.validation.length === 0) {
		return {field: '', message: error.serviceMessage ?? error.message};
	}
	const first = error.validation.find(failure => !failure.isWarning);
	return first ? {field: first.propertyName, message: first.errorMessage} : undefined;
}

/** The same error with a better fix (one that knows what the caller was doing). */
export function withFix(error: ServiceError, fix: string): ServiceError {
	return new ServiceError({
		service: error.service,
		kind: error.kind,
		method: error.method,
		url: error.url,
		status: error.status,
		serviceMessage: error.serviceMessage,
		validation: error.validation,
		fix,
		fingerprint256: error.fingerprint256,
	});
}

/** The message of anything thrown: an Error's message, else the value as text. */
export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
