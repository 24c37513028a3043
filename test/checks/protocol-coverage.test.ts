// Protocol coverage from fixtures shaped like Sonarr's GET /api/v3/indexer and /api/v3/downloadclient answers.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {checkProtocolCoverage, type CoverageClient, type CoverageIndexer} from '../../source/checks/protocol-coverage.js';

const nzbgeek: CoverageIndexer = {name: 'NZBgeek (Prowlarr)', protocol: 'usenet', enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true};
const torrentIndexer: CoverageIndexer = {name: 'Nyaa (Prowlarr)', protocol: 'torrent', enableRss: true, enableAutomaticSearch: true, enableInteractiveSearch: true};
const qbittorrent: CoverageClient = {name: 'qBittorrent', protocol: 'torrent', enable: true};
const nzbget: CoverageClient = {name: 'NZBGet', protocol: 'usenet', enable: true};

describe('protocol coverage', () => {
	it('NZBgeek with only qBittorrent: one error that names both, says every grab fails, and how to fix it', () => {
		const findings = checkProtocolCoverage('Sonarr', [nzbgeek], [qbittorrent]);
		assert.equal(findings.length, 1);
		const [finding] = findings;
		assert.equal(finding!.id, 'protocol.no-usenet-client');
		assert.equal(finding!.severity, 'error');
		assert.equal(finding!.subject, 'Sonarr');
		assert.equal(finding!.cause, 'NZBgeek (Prowlarr) finds Usenet releases; qBittorrent downloads torrents only: every grab from NZBgeek (Prowlarr) fails.');
		assert.match(finding!.fix, /NZBGet .*or SABnzbd/);
		assert.match(finding!.fix, /torrent indexers/);
	});

	it('a Usenet client arrwire found is named in the fix, with its address', () => {
		const [finding] = checkProtocolCoverage('Radarr', [nzbgeek], [qbittorrent], [{name: 'NZBGet', url: 'http://127.0.0.1:6789', protocol: 'usenet'}]);
		assert.match(finding!.fix, /NZBGet \(found at http:\/\/127\.0\.0\.1:6789\)/);
		assert.match(finding!.fix, /arrwire apply/);
	});

	it('each protocol served has a client: nothing to say', () => {
		assert.deepEqual(checkProtocolCoverage('Sonarr', [nzbgeek, torrentIndexer], [qbittorrent, nzbget]), []);
		assert.deepEqual(checkProtocolCoverage('Sonarr', [torrentIndexer], [qbittorrent]), []);
		assert.deepEqual(checkProtocolCoverage('Sonarr', [], []), [], 'no indexer: nothing is grabbed, so no protocol is uncovered');
	});

	it('a disabled client does not count, and the fix says to enable it', () => {
		const findings = checkProtocolCoverage('Sonarr', [nzbgeek], [qbittorrent, {...nzbget, enable: false}]);
		assert.equal(findings.length, 1);
		assert.match(findings[0]!.fix, /^Enable NZBGet in Sonarr/);
	});

	it('torrent indexers and only a Usenet client: the torrent side is the error', () => {
		const findings = checkProtocolCoverage('Radarr', [torrentIndexer, nzbgeek], [nzbget]);
		assert.deepEqual(findings.map(finding => finding.id), ['protocol.no-torrent-client']);
		assert.match(findings[0]!.cause, /NZBGet downloads Usenet only/);
	});

	it('no download client at all: says so', () => {
		const [finding] = checkProtocolCoverage('Sonarr', [nzbgeek], []);
		assert.match(finding!.cause, /Sonarr has no enabled download client: every grab from NZBgeek/);
	});

	it('an indexer off for RSS and both searches finds nothing to grab', () => {
		assert.deepEqual(checkProtocolCoverage('Sonarr', [{...nzbgeek, enableRss: false, enableAutomaticSearch: false, enableInteractiveSearch: false}], [qbittorrent]), []);
	});
});
