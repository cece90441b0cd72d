// Prometheus metrics (prom-client, its own registry per app): requests by outcome, credential kind
// and status class; authentication, upstream and store latencies; caches; argon2; authorization
// decisions; throttling; audit lines; process metrics. Counters kept elsewhere (caches, hasher,
// audit) are read when scraped, so the hot path pays nothing for them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../context.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type RequestOutcome = 'granted' | 'denied' | 'authentication_failed' | 'throttled' | 'unauthenticated' | 'other';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'esgate_http_requests_total', help: 'Requests answered, by outcome, credential kind and status class.', labelNames: ['outcome', 'credential', 'status_class'] as const, registers: [this.registry] });
  readonly authenticationSeconds = new Histogram({ name: 'esgate_authentication_duration_seconds', help: 'Time to authenticate a request (cache hit or argon2).', labelNames: ['result'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly authorizations = new Counter({ name: 'esgate_authorization_decisions_total', help: 'Authorization decisions by result.', labelNames: ['result'] as const, registers: [this.registry] });
  readonly upstreamSeconds = new Histogram({ name: 'esgate_upstream_duration_seconds', help: 'From the authorization decision to the end of the upstream answer, by status class.', labelNames: ['status_class'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly upstreamErrors = new Counter({ name: 'esgate_upstream_errors_total', help: 'Upstream failures by kind (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT…).', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly throttled = new Counter({ name: 'esgate_authentication_throttled_total', help: 'Attempts refused by authc.throttle without checking the password, by scope.', labelNames: ['scope'] as const, registers: [this.registry] });
  readonly argon2WaitSeconds = new Histogram({ name: 'esgate_argon2_queue_wait_seconds', help: 'Time a password verification waited for an argon2 slot.', buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly storeSeconds = new Histogram({ name: 'esgate_store_query_duration_seconds', help: 'Store calls by repository and method.', labelNames: ['repository', 'method'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });

  /** Label-bound children of `requests`, so counting a request hashes no label object. */
  private readonly requestChildren = new Map<string, Counter.Internal>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'esgate_' });
  }

  countRequest(outcome: RequestOutcome, credential: string, statusClassLabel: string): void {
    const key = `${outcome} ${credential} ${statusClassLabel}`;
    let child = this.requestChildren.get(key);
    if (child === undefined) {
      child = this.requests.labels(outcome, credential, statusClassLabel);
      this.requestChildren.set(key, child);
    }
    child.inc();
  }

  /** Gauges and counters read from the parts that keep them, at scrape time. */
  observe(ctx: AppContext): void {
    const registers = [this.registry];
    new Counter({ name: 'esgate_cache_lookups_total', help: 'Cache lookups by cache and result.', labelNames: ['cache', 'result'] as const, registers, collect() {
      this.reset();
      this.inc({ cache: 'credential', result: 'hit' }, ctx.credentialCache.hits);
      this.inc({ cache: 'credential', result: 'miss' }, ctx.credentialCache.misses);
      this.inc({ cache: 'api_key', result: 'hit' }, ctx.apiKeys.cacheHits);
      this.inc({ cache: 'api_key', result: 'miss' }, ctx.apiKeys.cacheMisses);
    } });
    new Counter({ name: 'esgate_argon2_verifications_total', help: 'argon2id password verifications run.', registers, collect() {
      this.reset();
      this.inc(ctx.hasher.verifications);
    } });
    new Gauge({ name: 'esgate_argon2_queue_depth', help: 'Password verifications waiting for an argon2 slot.', registers, collect() {
      this.set(ctx.hasher.queueDepth);
    } });
    new Counter({ name: 'esgate_audit_lines_total', help: 'Audit lines written, and writes that failed.', labelNames: ['result'] as const, registers, collect() {
      this.reset();
      this.inc({ result: 'written' }, ctx.audit?.counters.linesWritten ?? 0);
      this.inc({ result: 'error' }, ctx.audit?.counters.writeErrors ?? 0);
    } });
    ctx.hasher.onVerificationStart = (waited) => this.argon2WaitSeconds.observe(waited);
  }
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];
export const statusClass = (status: number): string => STATUS_CLASSES[Math.floor(status / 100) - 1] ?? 'other';
