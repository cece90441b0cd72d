// npm run bench:fleet: N esgate processes on one PostgreSQL database. Each trial creates an API key
// on instance A, uses it on every other instance (so they cache it), invalidates it on A, and the
// moment the invalidation answers 200 uses it again on every other instance: any 200 there is a
// key accepted after its revocation answered. Also times the invalidation: against A alone (the
// baseline, no other instance to wait for) and with the fleet (the added latency of waiting for
// every live instance to apply it). Runs with LISTEN/NOTIFY on, then with polling only.
//
//   npm run bench:fleet -- [--trials 500] [--instances 3] [--baseline-trials 100] [--poll-interval 200ms]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startEsgate } from './esgate.js';
import { createBenchDatabase, postgresSettings } from './postgres.js';
import { stopAll } from './processes.js';
import { startUpstreamProcess } from './targets.js';

const { values: flags } = parseArgs({
  options: {
    trials: { type: 'string', default: '500' },
    instances: { type: 'string', default: '3' },
    'baseline-trials': { type: 'string', default: '100' },
    'poll-interval': { type: 'string', default: '200ms' },
    modes: { type: 'string', default: 'notify,poll' },
  },
});
const trials = Number(flags.trials);
const instances = Math.max(2, Number(flags.instances));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const summary = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
};

async function call(instance, method, path, authorization, body) {
  const response = await fetch(`${instance.url}${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

/** One trial; returns the invalidation's latency and how many other instances still accepted the key. */
async function trial(a, others) {
  const created = await call(a, 'POST', '/_security/api_key', a.authorization, { name: `t-${randomBytes(4).toString('hex')}` });
  if (created.status !== 200) throw new Error(`create answered ${created.status}`);
  const key = `ApiKey ${created.json.encoded}`;
  for (const other of others) {
    const warm = await call(other, 'GET', '/_security/_authenticate', key);
    if (warm.status !== 200) throw new Error(`a fresh key answered ${warm.status} on ${other.name}`);
  }
  const started = performance.now();
  const invalidated = await call(a, 'DELETE', '/_security/api_key', a.authorization, { ids: [created.json.id] });
  const latency = performance.now() - started;
  if (invalidated.status !== 200 || invalidated.json.invalidated_api_keys?.[0] !== created.json.id) throw new Error(`invalidate answered ${invalidated.status}`);
  const after = await Promise.all(others.map((other) => call(other, 'GET', '/_security/_authenticate', key)));
  return { latency, accepted: after.map((r) => (r.status === 200 ? 1 : 0)) };
}

async function runMode(mode, upstream) {
  const database = await createBenchDatabase();
  const password = randomBytes(18).toString('base64url');
  const extra = mode === 'poll' ? { ESGATE_STORE_POSTGRES_LISTEN: 'false', ESGATE_STORE_POSTGRES_POLL_INTERVAL: flags['poll-interval'] } : {};
  const settings = postgresSettings(database.url, extra);
  const started = [];
  try {
    const a = await startEsgate({ upstreamUrl: upstream.url, settings, password, name: 'esgate-A' });
    started.push(a);
    const baseline = [];
    for (let i = 0; i < Number(flags['baseline-trials']); i++) baseline.push((await trial(a, [])).latency);
    for (let i = 1; i < instances; i++) started.push(await startEsgate({ upstreamUrl: upstream.url, settings, password, name: `esgate-${String.fromCharCode(65 + i)}` }));
    const others = started.slice(1);
    const latencies = [];
    const acceptedAfter = others.map(() => 0);
    for (let i = 0; i < trials; i++) {
      const result = await trial(a, others);
      latencies.push(result.latency);
      result.accepted.forEach((n, j) => (acceptedAfter[j] += n));
    }
    const base = summary(baseline);
    const fleet = summary(latencies);
    return {
      mode: mode === 'poll' ? `polling only (${flags['poll-interval']})` : 'LISTEN/NOTIFY',
      trials,
      acceptedAfterRevoke: Object.fromEntries(others.map((o, j) => [`A→${o.name.slice(-1)}`, `${acceptedAfter[j]}/${trials}`])),
      invalidateMs: { alone: base, fleet, addedP50: fleet.p50 - base.p50, addedP99: fleet.p99 - base.p99 },
    };
  } finally {
    for (const instance of started.reverse()) await instance.stop();
    await database.drop();
  }
}

const fmt = (n) => n.toFixed(1);
try {
  const upstream = await startUpstreamProcess();
  for (const mode of flags.modes.split(',')) {
    const r = await runMode(mode.trim(), upstream);
    process.stdout.write(
      `${r.mode}: ${instances} instances, ${r.trials} trials; accepted after the 200: ${JSON.stringify(r.acceptedAfterRevoke)}\n` +
        `  invalidate latency ms: alone p50 ${fmt(r.invalidateMs.alone.p50)} p99 ${fmt(r.invalidateMs.alone.p99)}; ` +
        `fleet p50 ${fmt(r.invalidateMs.fleet.p50)} p99 ${fmt(r.invalidateMs.fleet.p99)} max ${fmt(r.invalidateMs.fleet.max)}; ` +
        `added p50 ${fmt(r.invalidateMs.addedP50)} p99 ${fmt(r.invalidateMs.addedP99)}\n`,
    );
  }
  await upstream.stop();
} catch (err) {
  process.stderr.write(`fleet bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
