// The wrong-password flood (issue 15): valid, cached Basic traffic measured alone, then again while
// another client sends wrong passwords as fast as it can. esgate trusts 127.0.0.1 as a proxy so each
// client is known by its X-Forwarded-For address, as behind a load balancer: the attacker has one.
// Target: the valid traffic keeps ≥ 0.8× its throughput. Without authc.throttle every wrong password
// costs an argon2id run; with it, the attacker gets 429s after a few.
import autocannon from 'autocannon';
import { basicHeader, startEsgate } from './esgate.js';
import { measure, summarize } from './measure.js';

const VALID = { 'x-forwarded-for': '198.51.100.10' };
const ATTACKER = { 'x-forwarded-for': '203.0.113.66' };

async function floodWhile(url, seconds, promise) {
  const statuses = {};
  const flood = autocannon({
    url: `${url}/_cluster/health`,
    headers: { ...ATTACKER, authorization: basicHeader('elastic', 'wrong-password-guess') },
    connections: 10,
    duration: seconds,
    timeout: 30,
  });
  flood.on('response', (_client, statusCode) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  const [measured, result] = await Promise.all([promise, flood]);
  return { measured, flood: { requests: result.requests.total, rps: result.requests.average, statuses } };
}

/** One esgate (throttle on unless `throttle` is false): valid traffic alone, then under the flood. */
export async function measureFlood({ upstreamUrl, seconds, throttle = true }) {
  const esgate = await startEsgate({
    upstreamUrl,
    name: throttle ? 'esgate-flood' : 'esgate-flood-nothrottle',
    settings: { ESGATE_HTTP_TRUSTED_PROXIES: '127.0.0.1', ESGATE_AUTHC_THROTTLE_ENABLED: String(throttle) },
  });
  try {
    const request = { url: `${esgate.url}/_cluster/health`, method: 'GET', headers: { ...VALID, authorization: esgate.authorization }, connections: 10, pid: esgate.pid };
    await measure({ ...request, duration: 1 }); // warm-up: fills the credential cache
    const alone = summarize([await measure({ ...request, duration: seconds })]);
    const { measured, flood } = await floodWhile(esgate.url, seconds, measure({ ...request, duration: seconds }));
    const underFlood = summarize([measured]);
    return { throttle, alone_rps: alone.rps, flood_rps: underFlood.rps, ratio: underFlood.rps / alone.rps, p99_alone_ms: alone.latency_ms.p99, p99_flood_ms: underFlood.latency_ms.p99, flood };
  } finally {
    await esgate.stop();
  }
}

export function floodTable(results) {
  const lines = ['Wrong-password flood (10 connections from one attacker address) against cached Basic traffic (10 connections):'];
  for (const r of results) {
    const statuses = Object.entries(r.flood.statuses).map(([status, n]) => `${status}×${n}`).join(' ');
    lines.push(
      `  throttle ${r.throttle ? 'on ' : 'off'}: valid ${r.alone_rps.toFixed(0)} req/s alone, ${r.flood_rps.toFixed(0)} under the flood = ${r.ratio.toFixed(3)}× (p99 ${r.p99_alone_ms.toFixed(2)} → ${r.p99_flood_ms.toFixed(2)} ms); flood ${r.flood.rps.toFixed(0)} req/s [${statuses}]${r.throttle ? (r.ratio >= 0.8 ? '  target met (≥ 0.8×)' : '  target MISSED (≥ 0.8×)') : ''}`,
    );
  }
  return lines.join('\n');
}
