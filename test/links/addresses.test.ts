// The address one service uses for another, from container listings written as discovery reports them: a shared
// user-defined network (the container name), the default bridge (the container's address), the host gateway (a
// service on the host, from inside a container), published ports, host networking, and native services.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {addressFrom, addressUrl} from '../../source/links/addresses.js';
import {container, network, service} from './fixtures.js';

describe('addresses: how one service reaches another', () => {
	it('two containers on a user-defined network: the container name and the port inside the container', () => {
		const sonarr = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networks: [network('media', '172.20.0.3', '172.20.0.1')], ports: [[8989, 8989]]})});
		// qBittorrent's WebUI is published on 18080 but listens on 8080 inside.
		const qbittorrent = service('qbittorrent', '127.0.0.1', 18080, {container: container({name: 'qbittorrent', networks: [network('media', '172.20.0.2', '172.20.0.1')], ports: [[18080, 8080]]})});
		const address = addressFrom(sonarr, qbittorrent);
		assert.deepEqual({host: address.host, port: address.port, useSsl: address.useSsl, urlBase: address.urlBase}, {host: 'qbittorrent', port: 8080, useSsl: false, urlBase: ''});
		assert.match(address.reason, /share the Docker network "media"/);
		assert.equal(addressUrl(address), 'http://qbittorrent:8080');
	});

	it('a shared user-defined network is preferred over a shared default bridge, whatever the order', () => {
		const sonarr = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networks: [network('bridge', '172.17.0.3', '172.17.0.1'), network('media', '172.20.0.3', '172.20.0.1')]})});
		const prowlarr = service('prowlarr', '127.0.0.1', 9696, {container: container({name: 'prowlarr', networks: [network('bridge', '172.17.0.4', '172.17.0.1'), network('media', '172.20.0.4', '172.20.0.1')]})});
		assert.equal(addressFrom(sonarr, prowlarr).host, 'prowlarr');
	});

	for (const defaultNetwork of ['bridge', 'podman']) {
		it(`two containers on the default "${defaultNetwork}" network only (no name resolution): the target container's address`, () => {
			const radarr = service('radarr', '127.0.0.1', 7878, {container: container({name: 'radarr', networks: [network(defaultNetwork, '10.88.0.3', '10.88.0.1')], ports: [[7878, 7878]]})});
			const qbittorrent = service('qbittorrent', '127.0.0.1', 18080, {container: container({name: 'qbittorrent', networks: [network(defaultNetwork, '10.88.0.2', '10.88.0.1')], ports: [[18080, 8080]]})});
			const address = addressFrom(radarr, qbittorrent);
			assert.deepEqual([address.host, address.port], ['10.88.0.2', 8080]);
			assert.match(address.reason, new RegExp(`default network "${defaultNetwork}", which has no name resolution`));
		});
	}

	it('from a container to a service on the host\'s loopback: the network gateway and the port on the host', () => {
		const sonarr = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networks: [network('media', '172.20.0.3', '172.20.0.1')]})});
		const qbittorrent = service('qbittorrent', '127.0.0.1', 8080);
		const address = addressFrom(sonarr, qbittorrent);
		assert.deepEqual([address.host, address.port], ['172.20.0.1', 8080]);
		assert.match(address.reason, /through its network gateway 172\.20\.0\.1/);
	});

	it('containers on two different networks: through the gateway to the port published on the host', () => {
		const jellyseerr = service('jellyseerr', '127.0.0.1', 5055, {container: container({name: 'jellyseerr', networks: [network('front', '172.21.0.2', '172.21.0.1')]})});
		const jellyfin = service('jellyfin', 'localhost', 18096, {container: container({name: 'jellyfin', networks: [network('media', '172.20.0.5', '172.20.0.1')], ports: [[18096, 8096]]})});
		const address = addressFrom(jellyseerr, jellyfin);
		assert.deepEqual([address.host, address.port], ['172.21.0.1', 18096]);
	});

	it('from a container to a service on another machine: that machine\'s address, as found', () => {
		const sonarr = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networks: [network('media', '172.20.0.3', '172.20.0.1')]})});
		const jellyfin = service('jellyfin', 'nas.home.arpa', 8920, {tls: true, urlBase: '/jellyfin'});
		const address = addressFrom(sonarr, jellyfin);
		assert.deepEqual([address.host, address.port, address.useSsl, address.urlBase], ['nas.home.arpa', 8920, true, '/jellyfin']);
		assert.equal(address.reason, 'Jellyfin runs at nas.home.arpa');
		assert.equal(addressUrl(address), 'https://nas.home.arpa:8920/jellyfin');
	});

	it('from the host to a container that publishes its port on localhost: 127.0.0.1 and the published port', () => {
		const prowlarr = service('prowlarr', '127.0.0.1', 9696);
		const sonarr = service('sonarr', 'localhost', 18989, {container: container({name: 'sonarr', networks: [network('media', '172.20.0.3', '172.20.0.1')], ports: [[18989, 8989]]})});
		const address = addressFrom(prowlarr, sonarr);
		assert.deepEqual([address.host, address.port], ['127.0.0.1', 18989]);
		assert.match(address.reason, /publishes port 18989 on this machine/);
	});

	it('containers on the host\'s network are native as far as addresses go', () => {
		const sonarr = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networkMode: 'host', networks: [network('host', '', '')]})});
		const qbittorrent = service('qbittorrent', '127.0.0.1', 8080, {container: container({name: 'qbittorrent', networkMode: 'host', networks: [network('host', '', '')], ports: [[8080, 9999]]})});
		const address = addressFrom(sonarr, qbittorrent);
		assert.deepEqual([address.host, address.port], ['127.0.0.1', 8080]);
		assert.equal(address.reason, 'Sonarr and qBittorrent both run on this machine');
	});

	it('two native services: the address they were found at', () => {
		for (const host of ['127.0.0.1', 'localhost', '::1', '127.31.4.1']) {
			const address = addressFrom(service('radarr', host, 7878), service('qbittorrent', host, 8080));
			assert.deepEqual([address.host, address.port], [host, 8080]);
			assert.equal(address.reason, 'Radarr and qBittorrent both run on this machine');
		}
		const far = addressFrom(service('radarr', '127.0.0.1', 7878), service('qbittorrent', '192.168.1.20', 8080));
		assert.deepEqual([far.host, far.reason], ['192.168.1.20', 'qBittorrent runs at 192.168.1.20']);
	});

	it('a container whose port is not among the published ones: the port it was found at', () => {
		const sonarr = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networks: [network('media', '172.20.0.3', '172.20.0.1')]})});
		const prowlarr = service('prowlarr', '127.0.0.1', 9696, {container: container({name: 'prowlarr', networks: [network('media', '172.20.0.4', '172.20.0.1')], ports: [[19696, 9000]]})});
		assert.deepEqual([addressFrom(sonarr, prowlarr).host, addressFrom(sonarr, prowlarr).port], ['prowlarr', 9696]);
	});
	it('a container with no network (network mode none) has no gateway: the address it was found at', () => {
		const isolated = service('sonarr', '127.0.0.1', 8989, {container: container({name: 'sonarr', networkMode: 'none', networks: []})});
		const address = addressFrom(isolated, service('prowlarr', '127.0.0.1', 9696));
		assert.deepEqual([address.host, address.port, address.reason], ['127.0.0.1', 9696, 'Sonarr and Prowlarr both run on this machine']);
		const toContainer = addressFrom(isolated, service('radarr', 'localhost', 17878, {container: container({name: 'radarr', networks: [network('media', '172.20.0.4', '172.20.0.1')], ports: [[17878, 7878]]})}));
		assert.deepEqual([toContainer.host, toContainer.port, toContainer.reason], ['127.0.0.1', 17878, "Radarr's container publishes port 17878 on this machine"]);
	});
	it('the default network two containers share, when one is also on a network of its own: that container\'s address there', () => {
		const radarr = service('radarr', '127.0.0.1', 7878, {container: container({name: 'radarr', networks: [network('front', '10.1.0.3', '10.1.0.1'), network('bridge', '172.17.0.3', '172.17.0.1')]})});
		const qbittorrent = service('qbittorrent', '127.0.0.1', 18080, {container: container({name: 'qbittorrent', networks: [network('media', '172.20.0.2', '172.20.0.1'), network('bridge', '172.17.0.2', '172.17.0.1')], ports: [[18080, 8080]]})});
		const address = addressFrom(radarr, qbittorrent);
		assert.deepEqual([address.host, address.port], ['172.17.0.2', 8080]);
		assert.match(address.reason, /on the default network "bridge"/);
	});
});
