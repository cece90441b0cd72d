// npm run bench:flood — does one user's stream of crafted requests slow another user down? (issue 9)
// Measures a cached `GET /_cluster/health` by `elastic` alone, then while another user floods esgate
// with crafted index expressions (`logs-*,-*a*,-*b*,…`, each one different so no cache answers it)
// and with deeply nested search bodies. Target: the health p99 under the flood stays under 2× its
// unloaded value. esgate is pinned to one core, the load and the upstream to the other (taskset).
//   node bench/crafted-flood.js [--duration 8] [--connections 10] [--flood-connections 4]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { basicHeader, startEsgate } from './esgate.js';
import { measure, summarize } from './measure.js';
import { stopAll } from './processes.js';
import { startUpstreamProcess } from './targets.js';

const { values: flags } = parseArgs({
  options: { duration: { type: 'string', default: '8' }, connections: { type: 'string', default: '10' }, 'flood-connections': { type: 'string', default: '4' } },
});
const duration = Number(flags.duration);
const connections = Number(flags.connections);
const floodConnections = Number(flags['flood-connections']);

function pin(pid, core) {
  try {
    execFileSync('taskset', ['-cp', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
let counter = 0;
/** A different crafted expression each time: a rotating prefix and 26 wildcard exclusions. */
function craftedPath() {
  const n = counter++;
  const exclusions = LETTERS.split('').map((c, i) => `-*${c}${LETTERS[(i + n) % 26]}*`);
  // The include is not covered by mallory's grants (logs-a*, logs-b*): every request explores automata.
  return `/${['logs-*', ...exclusions].join(',')}/_search`;
}
/** 960 levels deep (the reader allows 1000), with a terms lookup at the bottom that must be found. */
const DEEP = `{"query":${'{"bool":{"must":'.repeat(480)}{"terms":{"u":{"index":"logs-a1","id":"1","path":"p"}}}${'}}'.repeat(480)}}`;

async function api(url, authorization, method, path, body) {
  const response = await fetch(`${url}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

function flood(url, authorization, seconds, crafted) {
  const requests = crafted
    ? [
        { method: 'GET', setupRequest: (req) => ({ ...req, path: craftedPath() }) },
        { method: 'POST', path: '/logs-a1/_search', body: DEEP },
      ]
    : [{ method: 'GET', path: '/logs-a1/_search' }];
  return autocannon({ url, connections: floodConnections, duration: seconds, headers: { authorization, 'content-type': 'application/json' }, requests });
}

async function main() {
  const upstream = await startUpstreamProcess();
  const esgate = await startEsgate({ upstreamUrl: upstream.url, name: 'esgate' });
  const pinned = pin(esgate.pid, 0) && pin(upstream.pid, 1) && pin(process.pid, 1);
  await api(esgate.url, esgate.authorization, 'PUT', '/_security/role/logs_reader', { indices: [{ names: ['logs-a*', 'logs-b*'], privileges: ['read'] }] });
  await api(esgate.url, esgate.authorization, 'PUT', '/_security/user/mallory', { password: 'mallory-password', roles: ['logs_reader'] });
  const health = { url: `${esgate.url}/_cluster/health`, method: 'GET', headers: { authorization: esgate.authorization }, connections, pid: esgate.pid };

  await measure({ ...health, duration: 2 }); // warm-up: credential cache, JIT
  const alone = summarize([await measure({ ...health, duration })]);
  const mallory = basicHeader('mallory', 'mallory-password');
  // Control: the same flood of ordinary searches, to tell the cost of crafting from the cost of sharing one core.
  const ordinaryRun = flood(esgate.url, mallory, duration + 1, false);
  const ordinary = summarize([await measure({ ...health, duration })]);
  const ordinaryResult = await ordinaryRun;
  const floodRun = flood(esgate.url, mallory, duration + 1, true);
  const loaded = summarize([await measure({ ...health, duration })]);
  const floodResult = await floodRun;

  const ratio = loaded.latency_ms.p99 / alone.latency_ms.p99;
  console.log(`esgate pinned to core 0, load and upstream to core 1: ${pinned ? 'yes' : 'no (taskset unavailable)'}`);
  const line = (s) => `${s.rps.toFixed(0)} req/s, p50 ${s.latency_ms.p50.toFixed(2)} ms, p99 ${s.latency_ms.p99.toFixed(2)} ms, CPU ${s.cpu_us_per_req?.toFixed(0) ?? '?'} µs/req`;
  console.log(`health alone      : ${line(alone)}`);
  console.log(`health, ordinary flood: ${line(ordinary)} (${(ordinaryResult.requests.total / (duration + 1)).toFixed(0)} searches/s)`);
  console.log(`health under flood: ${line(loaded)}`);
  console.log(`p99 under an ordinary flood / alone: ${(ordinary.latency_ms.p99 / alone.latency_ms.p99).toFixed(2)}×`);
  console.log(`flood: ${floodResult.requests.total} crafted requests (${(floodResult.requests.total / (duration + 1)).toFixed(0)}/s), statuses ${JSON.stringify(floodResult.statusCodeStats)}`);
  console.log(`p99 under flood / alone: ${ratio.toFixed(2)}× (target < 2×) ${ratio < 2 ? 'met' : 'MISSED'}`);
  await esgate.stop();
  await upstream.stop();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
