// Background removal of what has outlived its use (Elasticsearch's ExpiredTokenRemover and
// ExpiredApiKeysRemover): each job runs on its own interval from one unref'd timer, never twice at
// once, and each run is bounded, so it never holds the store for long. With a shared store, each
// scheduled run is claimed in the store first, so the fleet runs it once, not once per instance.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../runtime/clock.js';
import type { TokenService } from '../services/token-service.js';
import type { ApiKeyService } from '../services/api-key-service.js';
import type { Store } from '../store/types.js';

export interface HousekeepingJob {
  readonly name: string;
  readonly intervalMs: number;
  /** A run that removed this many leaves more to do: the next run follows at the next tick. */
  readonly batchSize: number;
  /** Does one bounded batch of work; returns how many items it removed. */
  run(): Promise<number>;
}

/** Records deleted per run; the next run continues if more are due. */
export const PURGE_BATCH = 1000;
/** How often the timer looks for due jobs. */
const TICK_MS = 1000;

export class Housekeeping {
  private readonly nextRun = new Map<HousekeepingJob, number>();
  private readonly running = new Set<HousekeepingJob>();
  /** Jobs whose last run left more to do: they continue without a new claim. */
  private readonly continuing = new Set<HousekeepingJob>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: {
      readonly clock: Clock;
      readonly logger: FastifyBaseLogger;
      /** Claims a scheduled run for the fleet; absent: always this instance's. */
      readonly claim?: (name: string, intervalMs: number) => Promise<boolean>;
    },
    private readonly jobs: readonly HousekeepingJob[],
  ) {
    const now = deps.clock.now();
    for (const job of jobs) this.nextRun.set(job, now + job.intervalMs);
  }

  start(): void {
    if (this.timer !== null || this.jobs.length === 0) return;
    this.timer = setInterval(() => void this.runDue(), TICK_MS);
    // Never keeps the process alive on its own.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  get started(): boolean {
    return this.timer !== null;
  }

  /** Runs every job whose time has come (the timer calls this; tests call it with a fixed clock). */
  async runDue(): Promise<void> {
    const now = this.deps.clock.now();
    const due = this.jobs.filter((job) => !this.running.has(job) && (this.nextRun.get(job) ?? 0) <= now);
    await Promise.all(due.map((job) => this.runJob(job)));
  }

  private async runJob(job: HousekeepingJob): Promise<void> {
    this.running.add(job);
    try {
      const mine = this.continuing.has(job) || this.deps.claim === undefined || (await this.deps.claim(job.name, job.intervalMs));
      const removed = mine ? await job.run() : 0;
      if (removed > 0) this.deps.logger.info({ job: job.name, removed }, 'housekeeping');
      const more = removed >= job.batchSize;
      if (more) this.continuing.add(job);
      else this.continuing.delete(job);
      this.nextRun.set(job, more ? this.deps.clock.now() : this.deps.clock.now() + job.intervalMs);
    } catch (err) {
      this.deps.logger.error({ err, job: job.name }, 'housekeeping job failed');
      this.nextRun.set(job, this.deps.clock.now() + job.intervalMs);
    } finally {
      this.running.delete(job);
    }
  }
}

export interface HousekeepingDeps {
  readonly clock: Clock;
  readonly logger: FastifyBaseLogger;
  readonly config: { readonly authc: { readonly token: { readonly delete_interval: number }; readonly api_key: { readonly delete_interval: number } } };
  readonly tokens: Pick<TokenService, 'purgeExpired'>;
  readonly apiKeys: Pick<ApiKeyService, 'purgeRetired'>;
  readonly store: Pick<Store, 'continuations' | 'claimJob' | 'trimChanges'>;
}

/** Expired continuation bindings are only dead weight (an expired binding already admits no one). */
const CONTINUATION_PURGE_INTERVAL_MS = 3_600_000;
/** Change-feed rows older than this are trimmed; every live instance has long applied them. */
const FEED_RETENTION_MS = 3_600_000;
const FEED_TRIM_INTERVAL_MS = 600_000;

/** The jobs of a running esgate; API keys add theirs here. */
export function housekeepingJobs(deps: HousekeepingDeps): HousekeepingJob[] {
  return [
    {
      name: 'expired-tokens',
      intervalMs: deps.config.authc.token.delete_interval,
      batchSize: PURGE_BATCH,
      run: () => deps.tokens.purgeExpired(PURGE_BATCH),
    },
    {
      name: 'retired-api-keys',
      intervalMs: deps.config.authc.api_key.delete_interval,
      batchSize: PURGE_BATCH,
      run: () => deps.apiKeys.purgeRetired(PURGE_BATCH),
    },
    {
      name: 'expired-continuations',
      intervalMs: CONTINUATION_PURGE_INTERVAL_MS,
      batchSize: PURGE_BATCH,
      run: () => deps.store.continuations.deleteExpired(deps.clock.now(), PURGE_BATCH),
    },
    {
      name: 'change-feed',
      intervalMs: FEED_TRIM_INTERVAL_MS,
      batchSize: PURGE_BATCH,
      run: () => deps.store.trimChanges(FEED_RETENTION_MS, PURGE_BATCH),
    },
  ];
}

export function startHousekeeping(deps: HousekeepingDeps): Housekeeping {
  const housekeeping = new Housekeeping({ ...deps, claim: (name, intervalMs) => deps.store.claimJob(name, intervalMs) }, housekeepingJobs(deps));
  housekeeping.start();
  return housekeeping;
}
