// npm run bench: the Elasticsearch-like upstream, a bare @fastify/http-proxy and esgate (Basic auth,
// cached credential), measured back to back with autocannon on 127.0.0.1; prints req/s, p50, p99
// and the ratios, and writes every figure to bench/results/<timestamp>.json. Never part of npm test.
//
//   npm run bench -- [--duration 10] [--warmup 3] [--rounds 2] [--scenarios health,search,bulk]
//                  [--targets upstream,bare-proxy,esgate] [--cold-users 20] [--profile]
//                  [--compare-main ../other-checkout/dist/main.js] [--store sqlite|postgres] [--flood-duration 5]
//
// --profile starts esgate and the bare proxy with --cpu-prof; the .cpuprofile lands in bench/results/profiles/.
// --compare-main adds a second esgate built elsewhere (before/after a change) and compares the two.
// --store postgres runs esgate on a fresh PostgreSQL database (bench/postgres.js), dropped at the end.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMPARISONS, SCENARIOS, TARGETS, otherBuildCase } from './cases.js';
import { measureColdAuth } from './cold-auth.js';
import { floodTable, measureFlood } from './flood.js';
import { ROOT } from './esgate.js';
import { measure, summarize } from './measure.js';
import { stopAll } from './processes.js';
import { casesTable, coldTable, comparisonsTable, header } from './report.js';
import { startUpstreamProcess } from './targets.js';
import { createBenchDatabase, postgresSettings } from './postgres.js';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    scenarios: { type: 'string' },
    targets: { type: 'string' },
    'compare-main': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'cold-users': { type: 'string', default: '20' },
    store: { type: 'string', default: 'sqlite' },
    'flood-duration': { type: 'string', default: '5' },
  },
});

const settings = { duration: Number(flags.duration), warmup: Number(flags.warmup), rounds: Math.max(1, Number(flags.rounds)), coldUsers: Number(flags['cold-users']), store: flags.store, floodSeconds: Number(flags['flood-duration']) };
const wanted = flags.scenarios?.split(',').map((s) => s.trim());
const scenarios = wanted ? SCENARIOS.filter((s) => wanted.includes(s.id)) : SCENARIOS;
if (scenarios.length === 0) throw new Error(`no scenario among ${SCENARIOS.map((s) => s.id).join(', ')}`);
const other = flags['compare-main'] ? otherBuildCase(path.resolve(flags['compare-main'])) : null;
const allTargets = other ? [...TARGETS, other.target] : TARGETS;
const comparisonsWanted = other ? [...COMPARISONS, other.comparison] : COMPARISONS;
const wantedTargets = flags.targets?.split(',').map((t) => t.trim());
const targets = wantedTargets ? allTargets.filter((t) => wantedTargets.includes(t.id)) : allTargets;
if (targets.length === 0) throw new Error(`no target among ${allTargets.map((t) => t.id).join(', ')}`);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = path.join(ROOT, 'bench', 'results');
const profileDir = path.join(resultsDir, 'profiles', stamp);
const nodeArgs = flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];

/** Which code was measured: the tree is often ahead of its last commit. */
function gitDescribe() {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

const machine = {
  code: gitDescribe(),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  loadavg: os.loadavg(),
};

/** One request before the load, so a broken target fails loudly instead of measuring errors. */
async function preflight(target, scenario, request) {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  await response.arrayBuffer();
  if (response.status !== 200 || response.headers.get('x-elastic-product') !== 'Elasticsearch') {
    throw new Error(`${target.label} answered ${response.status} to ${scenario.label}`);
  }
}

async function main() {
  process.stdout.write(header(machine, settings));
  const upstream = await startUpstreamProcess();
  const database = flags.store === 'postgres' ? await createBenchDatabase() : null;
  const storeSettings = database === null ? {} : postgresSettings(database.url);
  process.stdout.write(`store: ${flags.store}\n`);
  const running = new Map();
  try {
    await measureAll(upstream, running, storeSettings);
  } finally {
    for (const { instance } of running.values()) await instance.stop();
    await database?.drop();
  }
  await upstream.stop();
}

async function measureAll(upstream, running, storeSettings) {
  for (const target of targets) running.set(target.id, { target, instance: await target.start({ upstream, upstreamUrl: upstream.url, nodeArgs, storeSettings }) });

  let cold = null;
  const esgate = running.get('esgate')?.instance;
  if (esgate && settings.coldUsers > 0) {
    cold = await measureColdAuth(esgate, settings.coldUsers);
    process.stdout.write(`${coldTable(cold)}\n\n`);
  }

  // Each scenario: every target warmed up, then measured in `rounds` interleaved slices
  // (A B C A B C), so load that other work puts on the machine lands on every target alike.
  const cases = [];
  for (const scenario of scenarios) {
    const body = scenario.body?.();
    const plans = [];
    for (const { target, instance } of running.values()) {
      const headers = {};
      if (scenario.contentType) headers['content-type'] = scenario.contentType;
      if (instance.authorization) headers.authorization = instance.authorization;
      const request = { url: `${instance.url}${scenario.path}`, method: scenario.method, headers, body, connections: scenario.connections, pid: instance.pid };
      // Warm-up: fills esgate's credential cache and lets the JIT settle; not measured.
      await preflight(target, scenario, request);
      if (settings.warmup > 0) await measure({ ...request, duration: settings.warmup });
      plans.push({ target, request, runs: [] });
    }
    for (let round = 0; round < settings.rounds; round++) {
      const duration = (settings.duration * (scenario.durationScale ?? 1)) / settings.rounds;
      for (const plan of plans) plan.runs.push(await measure({ ...plan.request, duration }));
    }
    for (const { target, runs } of plans) {
      const result = summarize(runs);
      cases.push({ scenario: scenario.id, scenarioLabel: scenario.label, target: target.id, targetLabel: target.label, connections: scenario.connections, ...result });
    }
    process.stdout.write(`  measured ${scenario.label}\n`);
  }

  const comparisons = [];
  for (const comparison of comparisonsWanted) {
    for (const scenario of scenarios) {
      const subject = cases.find((c) => c.scenario === scenario.id && c.target === comparison.subject);
      const baseline = cases.find((c) => c.scenario === scenario.id && c.target === comparison.baseline);
      if (!subject || !baseline) continue;
      const throughputRatio = subject.rps / baseline.rps;
      const p50DeltaMs = subject.latency_ms.p50 - baseline.latency_ms.p50;
      const cpuRatio = subject.cpu_us_per_req !== null && baseline.cpu_us_per_req !== null ? subject.cpu_us_per_req / baseline.cpu_us_per_req : null;
      comparisons.push({
        ...comparison,
        scenario: scenario.id,
        scenarioLabel: scenario.label,
        throughputRatio,
        p50DeltaMs,
        p99DeltaMs: subject.latency_ms.p99 - baseline.latency_ms.p99,
        cpuPerRequestRatio: cpuRatio,
        meetsTarget: throughputRatio >= comparison.minThroughputRatio && p50DeltaMs <= comparison.maxP50DeltaMs,
      });
    }
  }

  process.stdout.write(`\n${casesTable(cases)}\n\n${comparisonsTable(comparisons)}\n`);
  let flood = null;
  if (settings.floodSeconds > 0) {
    flood = [await measureFlood({ upstreamUrl: upstream.url, seconds: settings.floodSeconds }), await measureFlood({ upstreamUrl: upstream.url, seconds: settings.floodSeconds, throttle: false })];
    process.stdout.write(`\n${floodTable(flood)}\n`);
  }
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify({ started_at: stamp, machine, settings, cold, cases, comparisons, flood }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${path.relative(ROOT, file)}\n`);
  if (flags.profile) {
    const pids = [...running.values()].filter(({ target }) => target.id !== 'upstream').map(({ target, instance }) => `${target.id} = pid ${instance.pid}`);
    process.stdout.write(`profiles: ${path.relative(ROOT, profileDir)} (CPU.<date>.<pid>…: ${pids.join(', ')}; node bench/profile-summary.js FILE)\n`);
  }
}

let exitCode = 0;
const interrupted = () => {
  exitCode = 130;
  stopAll().finally(() => process.exit(exitCode));
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
try {
  await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
