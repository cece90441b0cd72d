// autocannon runs against one target, with latencies kept at full precision: autocannon's own
// histogram has 1 ms resolution, too coarse to tell whether esgate stays within 1 ms of the proxy.
// A case may be measured in several rounds (interleaved with other targets); summarize() merges them.
import autocannon from 'autocannon';
import { cpuMs } from './cpu.js';

/**
 * One autocannon run; returns the raw figures.
 * @param {{url: string, method: string, headers: Record<string,string>, body?: Buffer|string,
 *          connections: number, duration: number, pid?: number}} run  pid: the server process, for its CPU time
 */
export async function measure(run) {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let bytes = 0;
  const statuses = {};
  const instance = autocannon({
    url: run.url,
    method: run.method,
    headers: run.headers,
    body: run.body,
    connections: run.connections,
    pipelining: 1,
    duration: run.duration,
    timeout: 30,
  });
  instance.on('response', (_client, statusCode, resBytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode < 200 || statusCode >= 300) return;
    bytes += resBytes;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const cpuBefore = cpuMs(run.pid);
  const result = await instance;
  const cpuAfter = cpuMs(run.pid);
  return {
    durationS: result.duration,
    latencies: latencies.subarray(0, count),
    cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    bytes,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Merges the rounds of one case into its figures: 2xx per second, latency percentiles, counters. */
export function summarize(runs) {
  const total = runs.reduce((n, run) => n + run.latencies.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const run of runs) {
    all.set(run.latencies, at);
    at += run.latencies.length;
  }
  all.sort();
  const durationS = runs.reduce((s, run) => s + run.durationS, 0);
  const statuses = {};
  for (const run of runs) for (const [code, n] of Object.entries(run.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  let sum = 0;
  for (const value of all) sum += value;
  const add = (field) => runs.reduce((n, run) => n + run[field], 0);
  const cpuKnown = runs.every((run) => run.cpuMs !== null);
  return {
    ok: total,
    duration_s: durationS,
    rounds: runs.length,
    rps: total / durationS,
    // Per round, to show how much the shared machine moved under the run.
    rps_by_round: runs.map((run) => run.latencies.length / run.durationS),
    latency_ms: { mean: total === 0 ? NaN : sum / total, p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), max: percentile(all, 100) },
    throughput_mb_s: add('bytes') / durationS / 1e6,
    // CPU time of the target's server process (all threads) per 2xx response, in microseconds.
    cpu_us_per_req: cpuKnown && total > 0 ? (add('cpuMs') * 1000) / total : null,
    statuses,
    errors: add('errors'),
    timeouts: add('timeouts'),
    non2xx: add('non2xx'),
  };
}
