// The least `arrwire discover --scan` can take, for `npm run bench`: node and arrwire's own TCP connects (the sweep's
// concurrency and timeout) to every address given on the given ports, and nothing else: no identification, no other
// module. Prints the open ports as host:port, one per line.
// Usage: node floor-sweep.js PORT,PORT,... HOST...
import {mapLimit, SWEEP, tcpOpen} from '../../source/discovery/probe.js';

const [ports = '', ...hosts] = process.argv.slice(2);
const targets = hosts.flatMap(host => ports.split(',').map(port => ({host, port: Number(port)})));
const open = await mapLimit(targets, SWEEP.concurrency, async target => ((await tcpOpen(target.host, target.port, SWEEP.connectTimeoutMs)) ? `${target.host}:${target.port}` : undefined));
console.log(open.filter(Boolean).join('\n'));
