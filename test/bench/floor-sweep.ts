// The least `arrwire discover --scan` can take, for `npm run bench`: node and arrwire's own sweep (source/discovery/
// probe.ts) of every address given on the given ports, and nothing else: no identification, no other module. Prints
// the open ports as host:port, one per line.
// Usage: node floor-sweep.js PORT,PORT,... HOST...
import {sweep} from '../../source/discovery/probe.js';

const [ports = '', ...hosts] = process.argv.slice(2);
const open = await sweep(hosts, ports.split(',').map(Number));
console.log(open.map(target => `${target.host}:${target.port}`).join('\n'));
