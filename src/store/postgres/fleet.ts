// The fleet side of the PostgreSQL store. Every write that changes who may do what appends a row to
// esgate_changes in its own transaction (under a transaction lock, so sequence order is commit
// order). Each instance applies the feed: woken by NOTIFY, and by polling when notifications are
// lost. Applying a row another instance wrote bumps externalVersion(), which every cache compares on
// each read (no round trip), so caches drop what may be stale. Each instance then acknowledges the
// position it applied in its heartbeat row; a revoking write answers once every live instance has
// acknowledged it, or propagation_timeout passed (then a warning names the laggards).
import pg from 'pg';
import type { PgDb, Queryable } from './db.js';

export interface Change {
  /** What changed: user, role, token, api_key. */
  readonly kind: string;
  /** Whom it concerns (a username, role name, key id); never a secret. */
  readonly subject: string;
  /** Narrows access: the write answers only after the fleet applied it. */
  readonly revokes: boolean;
}

export interface FleetLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface FleetOptions {
  readonly instanceId: string;
  readonly host: string;
  readonly pollIntervalMs: number;
  readonly propagationTimeoutMs: number;
  /** false: no LISTEN, polling only (measures the fallback). */
  readonly listen: boolean;
  readonly logger: FleetLogger;
}

/** Arbitrary, fixed: the transaction lock that orders the feed. */
const FEED_LOCK = 0x65736762;
const CHANGES = 'esgate_changes';
const ACKS = 'esgate_acks';
/** Rows applied per query; more are fetched right away. */
const APPLY_BATCH = 1000;

export class Fleet {
  private version = 0;
  private appliedSeq = 0;
  private applying: Promise<void> | null = null;
  private applyAgain = false;
  /** The feed could not be read (or notifications may have been lost): clear everything once it can. */
  private stale = false;
  private timer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly ackWaiters = new Set<() => void>();
  private stopped = false;
  readonly liveMs: number;

  constructor(
    private readonly db: PgDb,
    private readonly clientConfig: pg.ClientConfig,
    readonly options: FleetOptions,
  ) {
    this.liveMs = Math.max(5000, options.pollIntervalMs * 3);
  }

  /** Changes whenever this instance applied a change another instance made (or may have missed some). */
  externalVersion(): number {
    return this.version;
  }

  get instanceId(): string {
    return this.options.instanceId;
  }

  async start(): Promise<void> {
    const row = await this.db.query<{ seq: number }>(
      `INSERT INTO esgate_instances (id, host, applied_seq) VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) FROM ${CHANGES}))
       ON CONFLICT (id) DO UPDATE SET last_seen = clock_timestamp(), applied_seq = EXCLUDED.applied_seq RETURNING applied_seq AS seq`,
      [this.options.instanceId, this.options.host],
    );
    // Caches start empty: nothing before this position can be stale in them.
    this.appliedSeq = row.rows[0]?.seq ?? 0;
    if (this.options.listen) await this.connectListener().catch(() => this.scheduleReconnect());
    this.timer = setInterval(() => void this.apply(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    await this.applying?.catch(() => undefined);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    for (const wake of this.ackWaiters) wake();
    // Leaving: no revoking write waits for this instance any more.
    await this.db.query('DELETE FROM esgate_instances WHERE id = $1', [this.options.instanceId]).catch(() => undefined);
  }

  /**
   * Runs `fn` in one transaction; when it reports a change, the feed row is written in that same
   * transaction. After the commit, a revoking change waits for the fleet.
   */
  async write<T>(fn: (tx: Queryable) => Promise<{ readonly result: T; readonly change: Change | null }>): Promise<T> {
    const { result, seq, revokes } = await this.db.transaction(async (tx) => {
      const outcome = await fn(tx);
      if (outcome.change === null) return { result: outcome.result, seq: 0, revokes: false };
      await tx.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
      const inserted = await tx.query<{ seq: number }>(`INSERT INTO ${CHANGES} (kind, subject, origin) VALUES ($1, $2, $3) RETURNING seq`, [
        outcome.change.kind,
        outcome.change.subject,
        this.options.instanceId,
      ]);
      const seq = inserted.rows[0]?.seq ?? 0;
      // Delivered at commit, never for a rolled-back write.
      await tx.query('SELECT pg_notify($1, $2)', [CHANGES, String(seq)]);
      return { result: outcome.result, seq, revokes: outcome.change.revokes };
    });
    if (revokes) {
      // Committed: a database that fails now costs the wait, never the answer.
      await this.awaitPropagation(seq).catch(() => this.options.logger.warn({ seq }, 'could not check that every live instance applied the change'));
    }
    return result;
  }

  /** Resolves once every other live instance acknowledged `seq`, or after propagation_timeout. */
  async awaitPropagation(seq: number): Promise<{ readonly lagging: readonly string[] }> {
    const deadline = performance.now() + this.options.propagationTimeoutMs;
    for (;;) {
      const lagging = await this.lagging(seq);
      if (lagging.length === 0) return { lagging };
      const remaining = deadline - performance.now();
      if (remaining <= 0 || this.stopped) {
        this.options.logger.warn({ seq, lagging, timeout_ms: this.options.propagationTimeoutMs }, 'change not acknowledged by every live instance within store.postgres.propagation_timeout');
        return { lagging };
      }
      // Woken by an acknowledgement; re-checked every few ms in case the notification was lost.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(remaining, this.listener === null ? 20 : 100));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.ackWaiters.add(done);
      });
    }
  }

  private async lagging(seq: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM esgate_instances WHERE id <> $1 AND applied_seq < $2
         AND last_seen > clock_timestamp() - make_interval(secs => $3::double precision / 1000) ORDER BY id`,
      [this.options.instanceId, seq, this.liveMs],
    );
    return rows.rows.map((row) => row.id);
  }

  /** Reads the feed past the applied position, applies it, and acknowledges (the heartbeat too). */
  apply(): Promise<void> {
    if (this.applying !== null) {
      this.applyAgain = true;
      return this.applying;
    }
    this.applying = this.applyOnce()
      .catch(() => {
        // Unreachable: whatever was missed meanwhile is covered by clearing every cache later.
        this.stale = true;
      })
      .finally(() => {
        this.applying = null;
        if (this.applyAgain && !this.stopped) {
          this.applyAgain = false;
          void this.apply();
        }
      });
    return this.applying;
  }

  private async applyOnce(): Promise<void> {
    let external = this.stale;
    for (;;) {
      const rows = await this.db.query<{ seq: number; origin: string }>(`SELECT seq, origin FROM ${CHANGES} WHERE seq > $1 ORDER BY seq LIMIT $2`, [
        this.appliedSeq,
        APPLY_BATCH,
      ]);
      for (const row of rows.rows) {
        // A gap is a rolled-back write or a trimmed feed: either way, assume anything changed.
        if (row.seq !== this.appliedSeq + 1 || row.origin !== this.options.instanceId) external = true;
        this.appliedSeq = row.seq;
      }
      if (rows.rows.length < APPLY_BATCH) break;
    }
    if (external) this.version += 1;
    this.stale = false;
    await this.db.query(
      `WITH beat AS (
         INSERT INTO esgate_instances (id, host, applied_seq) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET applied_seq = GREATEST(esgate_instances.applied_seq, EXCLUDED.applied_seq), last_seen = clock_timestamp()
         RETURNING id)
       SELECT pg_notify($4, id) FROM beat`,
      [this.options.instanceId, this.options.host, this.appliedSeq, ACKS],
    );
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client(this.clientConfig);
    client.on('error', () => this.listenerLost(client));
    client.on('end', () => this.listenerLost(client));
    await client.connect();
    client.on('notification', (message) => {
      if (message.channel === CHANGES) void this.apply();
      else if (message.channel === ACKS) for (const wake of [...this.ackWaiters]) wake();
    });
    await client.query(`LISTEN ${CHANGES}`);
    await client.query(`LISTEN ${ACKS}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.listener = client;
    // Notifications sent while no listener was connected are lost: catch up, clearing the caches.
    this.stale = true;
    await this.apply();
  }

  private listenerLost(client: pg.Client): void {
    if (this.listener !== client) return;
    this.listener = null;
    // Caches keep serving while the database is away; they are cleared once the feed is read again.
    this.stale = true;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== null) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connectListener().catch(() => this.scheduleReconnect());
    }, this.options.pollIntervalMs);
    this.reconnectTimer.unref();
  }

  async trim(olderThanMs: number, limit: number): Promise<number> {
    const age = 'clock_timestamp() - make_interval(secs => $1::double precision / 1000)';
    const deleted = await this.db.query(`DELETE FROM ${CHANGES} WHERE seq IN (SELECT seq FROM ${CHANGES} WHERE created_at < ${age} ORDER BY seq LIMIT $2)`, [olderThanMs, limit]);
    await this.db.query(`DELETE FROM esgate_instances WHERE last_seen < ${age}`, [olderThanMs]);
    return deleted.rowCount ?? 0;
  }

  /** Once per fleet per interval: the row lock makes exactly one claimer win. */
  async claimJob(name: string, intervalMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO esgate_jobs (name, ran_at, holder) VALUES ($1, clock_timestamp(), $2)
       ON CONFLICT (name) DO UPDATE SET ran_at = clock_timestamp(), holder = EXCLUDED.holder
         WHERE esgate_jobs.ran_at <= clock_timestamp() - make_interval(secs => $3::double precision / 1000)
       RETURNING name`,
      [name, this.options.instanceId, intervalMs],
    );
    return rows.rowCount === 1;
  }
}
