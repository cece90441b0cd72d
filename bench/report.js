// Text tables for the terminal; the JSON file keeps every figure.
const pad = (text, width) => String(text).padEnd(width);
const lpad = (text, width) => String(text).padStart(width);
const fmt = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function header(machine, settings) {
  return [
    '=== esgate bench ===',
    'The machine is shared with other work: absolute numbers vary from run to run. Read the RATIOS,',
    'which come from one run with all targets measured back to back under the same conditions.',
    `code ${machine.code}; node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}, load average ${machine.loadavg.map((l) => l.toFixed(2)).join(' ')}`,
    `${settings.duration} s per case (half for the 1-connection case; ${settings.rounds} interleaved rounds) after a ${settings.warmup} s warm-up; latencies are client-side, per request, from autocannon.`,
    'CPU µs/req is the server process\'s own CPU time (all threads) per response: the steadiest figure when the host is busy.',
    '',
  ].join('\n');
}

export function casesTable(cases) {
  const lines = [`${pad('scenario', 32)}${pad('target', 28)}${lpad('req/s', 10)}${lpad('p50 ms', 10)}${lpad('p99 ms', 10)}${lpad('MB/s', 9)}${lpad('CPU µs/req', 12)}  notes`];
  let previous = '';
  for (const c of cases) {
    const notes = [];
    if (c.rps_by_round.length > 1) notes.push(`rounds ${c.rps_by_round.map((r) => r.toFixed(0)).join('/')}`);
    if (c.non2xx > 0) notes.push(`non-2xx: ${JSON.stringify(c.statuses)}`);
    if (c.errors > 0) notes.push(`errors: ${c.errors}`);
    if (c.timeouts > 0) notes.push(`timeouts: ${c.timeouts}`);
    lines.push(
      `${pad(c.scenarioLabel === previous ? '' : c.scenarioLabel, 32)}${pad(c.targetLabel, 28)}${lpad(fmt(c.rps, 0), 10)}${lpad(fmt(c.latency_ms.p50, 3), 10)}${lpad(
        fmt(c.latency_ms.p99, 3),
        10,
      )}${lpad(fmt(c.throughput_mb_s, 1), 9)}${lpad(c.cpu_us_per_req === null ? 'n/a' : fmt(c.cpu_us_per_req, 0), 12)}  ${notes.join('; ')}`,
    );
    previous = c.scenarioLabel;
  }
  return lines.join('\n');
}

export function comparisonsTable(comparisons) {
  const lines = [`${pad('comparison', 30)}${pad('scenario', 32)}${lpad('req/s ratio', 12)}${lpad('p50 Δ ms', 10)}${lpad('p99 Δ ms', 10)}${lpad('CPU/req', 10)}  target`];
  for (const c of comparisons) {
    const verdict = c.meetsTarget ? 'met' : 'MISSED';
    lines.push(
      `${pad(`${c.subject} / ${c.baseline}`, 30)}${pad(c.scenarioLabel, 32)}${lpad(`${fmt(c.throughputRatio, 3)}×`, 12)}${lpad(
        `${c.p50DeltaMs >= 0 ? '+' : ''}${fmt(c.p50DeltaMs, 3)}`,
        10,
      )}${lpad(`${c.p99DeltaMs >= 0 ? '+' : ''}${fmt(c.p99DeltaMs, 3)}`, 10)}${lpad(c.cpuPerRequestRatio === null ? 'n/a' : `${fmt(c.cpuPerRequestRatio, 2)}×`, 10)}  ${verdict} (≥ ${c.minThroughputRatio}×, ≤ +${c.maxP50DeltaMs} ms)`,
    );
  }
  return lines.join('\n');
}

export function coldTable(cold) {
  const row = (label, s) => `${pad(label, 34)}${lpad(fmt(s.min, 2), 9)}${lpad(fmt(s.p50, 2), 9)}${lpad(fmt(s.mean, 2), 9)}${lpad(fmt(s.max, 2), 9)}`;
  return [
    `Credential cache: ${cold.users} distinct users, one request at a time (GET /_cluster/health through esgate)`,
    `${pad('', 34)}${lpad('min ms', 9)}${lpad('p50 ms', 9)}${lpad('mean ms', 9)}${lpad('max ms', 9)}`,
    row('cache miss (argon2id verification)', cold.miss_ms),
    row('cache hit (same users again)', cold.hit_ms),
    `=> each miss costs about ${fmt(cold.miss_ms.p50 - cold.hit_ms.p50, 1)} ms more; a cached request skips argon2id entirely.`,
  ].join('\n');
}
