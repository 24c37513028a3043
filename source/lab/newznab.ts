// A stand-in for api.nzbgeek.info: a Newznab API that answers caps and searches with a key, and the Newznab
// error document without one. Prowlarr's NZBgeek indexer is pointed here, so nothing leaves loopback.
import {Emulator, type LabRequest, type LabResponse} from './emulator.js';

export interface NewznabEmulatorOptions {
	apiKey: string;
	host?: string;
	port?: number;
}

const XML = {'content-type': 'application/xml; charset=utf-8'};

export class NewznabEmulator extends Emulator {
	apiKey: string;
	/** Searches received (t=...), for tests that follow a search through Prowlarr. */
	readonly searches: string[] = [];

	constructor(options: NewznabEmulatorOptions) {
		super({name: 'NZBgeek', host: options.host, port: options.port});
		this.apiKey = options.apiKey;
		this.route('GET', '/api', request => this.answer(request));
		this.route('GET', '/', () => ({status: 200, body: '<!doctype html><title>NZBgeek</title>', headers: {'content-type': 'text/html'}}), {anonymous: true});
	}

	/** Newznab answers a bad key with HTTP 200 and an error document (code 100). */
	protected authenticate(request: LabRequest): LabResponse | undefined {
		if (request.query.get('t') === 'caps' && !request.query.get('apikey')) {
			return undefined;
		}
		return request.query.get('apikey') === this.apiKey ? undefined : {status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<error code="100" description="Incorrect user credentials"/>', headers: XML};
	}

	private answer(request: LabRequest): LabResponse {
		const type = request.query.get('t') ?? '';
		if (type === 'caps') {
			return {status: 200, body: capsXml(), headers: XML};
		}
		if (['search', 'tvsearch', 'movie'].includes(type)) {
			this.searches.push(type);
			return {status: 200, body: rss(type === 'movie' ? 'Some.Movie.2024.1080p.WEB-DL' : 'Some.Show.S01E01.1080p.WEB-DL', this.url), headers: XML};
		}
		return {status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<error code="202" description="No such function"/>', headers: XML};
	}
}

export function capsXml(): string {
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<caps>',
		'  <server version="1.0" title="NZBgeek"/>',
		'  <limits max="100" default="100"/>',
		'  <searching>',
		'    <search available="yes" supportedParams="q"/>',
		'    <tv-search available="yes" supportedParams="q,season,ep,tvdbid,imdbid"/>',
		'    <movie-search available="yes" supportedParams="q,imdbid"/>',
		'  </searching>',
		'  <categories>',
		'    <category id="2000" name="Movies"><subcat id="2040" name="HD"/></category>',
		'    <category id="5000" name="TV"><subcat id="5030" name="SD"/><subcat id="5040" name="HD"/></category>',
		'  </categories>',
		'</caps>',
	].join('\n');
}

export function rss(title: string, link: string): string {
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<rss version="2.0" xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/">',
		'<channel><title>NZBgeek</title>',
		`<item><title>${title}</title><guid>${link}/details/1</guid><link>${link}/getnzb/1</link>`,
		`<pubDate>${new Date().toUTCString()}</pubDate><enclosure url="${link}/getnzb/1" length="1000" type="application/x-nzb"/>`,
		'<newznab:attr name="size" value="1000"/></item>',
		'</channel></rss>',
	].join('\n');
}
