// Brute-force protection (Elasticsearch has none; OpenSearch's auth_failure_listeners is the model):
// failed password verifications are counted per (username, client address) and per client address
// over a sliding window. Past a limit the source is blocked for a while, without running argon2;
// each new block of the same source lasts twice as long (up to a cap), and the strikes decay by one
// per quiet window. Never permanent, and one address's failures never block another's.
import { tooManyFailedAuthentications } from '../errors/authc.js';
import type { EsError } from '../errors/es-error.js';
import type { Clock } from '../runtime/clock.js';

export interface ThrottleSettings {
  readonly enabled: boolean;
  /** Failures of one username from one address within `window` before that pair is blocked. */
  readonly max_failures_per_user: number;
  /** Failures of any usernames from one address within `window` before the address is blocked. */
  readonly max_failures_per_address: number;
  readonly window: number;
  readonly block: number;
  readonly max_block: number;
  /** Most sources tracked at once; the least recently failing are forgotten first. */
  readonly max_tracked: number;
  /** How long a refused attempt is held before its 429 goes out (0: at once). */
  readonly tarpit: number;
}

/** Refusals held at once; past this a 429 goes out at once, so held sockets stay bounded. */
const MAX_HELD = 1000;

interface Counter {
  /** Start of the current window. */
  windowStart: number;
  current: number;
  previous: number;
  blockedUntil: number;
  strikes: number;
  lastFailure: number;
}

/** Bounded map of counters in least-recently-failed order (a Map keeps insertion order). */
class Counters {
  private readonly entries = new Map<string, Counter>();

  constructor(private readonly max: number) {}

  get(key: string): Counter | undefined {
    return this.entries.get(key);
  }

  touch(key: string, now: number, windowMs: number): Counter {
    let counter = this.entries.get(key);
    if (counter === undefined) {
      counter = { windowStart: now, current: 0, previous: 0, blockedUntil: 0, strikes: 0, lastFailure: now };
      if (this.entries.size >= this.max) {
        const oldest = this.entries.keys().next();
        if (oldest.done !== true) this.entries.delete(oldest.value);
      }
    } else {
      this.entries.delete(key);
    }
    this.entries.set(key, counter);
    roll(counter, now, windowMs);
    return counter;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Moves the window forward; quiet windows each take one strike away. */
function roll(counter: Counter, now: number, windowMs: number): void {
  const elapsedWindows = Math.floor((now - counter.windowStart) / windowMs);
  if (elapsedWindows <= 0) return;
  counter.previous = elapsedWindows === 1 ? counter.current : 0;
  counter.current = 0;
  counter.windowStart += elapsedWindows * windowMs;
  const quiet = Math.floor((now - counter.lastFailure) / windowMs);
  counter.strikes = Math.max(0, counter.strikes - quiet);
}

/** Sliding-window estimate: this window's failures plus the previous window's, weighted by overlap. */
function failuresInWindow(counter: Counter, now: number, windowMs: number): number {
  const overlap = 1 - (now - counter.windowStart) / windowMs;
  return counter.current + counter.previous * Math.max(0, overlap);
}

export interface ThrottleListener {
  /** A source was refused without checking its password. */
  throttled(scope: 'user' | 'address'): void;
}

export class AuthenticationThrottle {
  private readonly byUser: Counters;
  private readonly byAddress: Counters;

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly clock: Clock,
    private readonly listener: ThrottleListener = { throttled: () => undefined },
  ) {
    this.byUser = new Counters(settings.max_tracked);
    this.byAddress = new Counters(settings.max_tracked);
  }

  private held = 0;

  /**
   * The Elasticsearch-shaped 429 (with Retry-After) when this source is blocked, after holding it
   * for `tarpit`: a flood over keep-alive connections then gets one answer per connection per
   * tarpit instead of one per round trip, and costs esgate a timer. Cheap: two map reads.
   */
  async check(username: string, address: string): Promise<void> {
    const refusal = this.refusal(username, address);
    if (refusal === null) return;
    if (this.settings.tarpit > 0 && this.held < MAX_HELD) {
      this.held++;
      await new Promise((resolve) => setTimeout(resolve, this.settings.tarpit));
      this.held--;
    }
    throw refusal;
  }

  refusal(username: string, address: string): EsError | null {
    if (!this.settings.enabled) return null;
    const now = this.clock.now();
    const pair = this.byUser.get(userKey(username, address));
    if (pair !== undefined && pair.blockedUntil > now) {
      this.listener.throttled('user');
      return tooManyFailedAuthentications(username, address, Math.ceil((pair.blockedUntil - now) / 1000));
    }
    const source = this.byAddress.get(address);
    if (source !== undefined && source.blockedUntil > now) {
      this.listener.throttled('address');
      return tooManyFailedAuthentications(null, address, Math.ceil((source.blockedUntil - now) / 1000));
    }
    return null;
  }

  recordFailure(username: string, address: string): void {
    if (!this.settings.enabled) return;
    const now = this.clock.now();
    this.count(this.byUser.touch(userKey(username, address), now, this.settings.window), now, this.settings.max_failures_per_user);
    this.count(this.byAddress.touch(address, now, this.settings.window), now, this.settings.max_failures_per_address);
  }

  /** A correct password from this pair: its own count starts again (the address's count stays). */
  recordSuccess(username: string, address: string): void {
    if (!this.settings.enabled) return;
    const pair = this.byUser.get(userKey(username, address));
    if (pair !== undefined && pair.strikes === 0) this.byUser.delete(userKey(username, address));
  }

  /** Sources tracked now (for tests and metrics). */
  get tracked(): number {
    return this.byUser.size + this.byAddress.size;
  }

  private count(counter: Counter, now: number, limit: number): void {
    counter.current++;
    counter.lastFailure = now;
    if (counter.blockedUntil <= now && failuresInWindow(counter, now, this.settings.window) >= limit) {
      counter.strikes++;
      const block = Math.min(this.settings.max_block, this.settings.block * 2 ** (counter.strikes - 1));
      counter.blockedUntil = now + block;
      // The next block needs as many new failures again.
      counter.current = 0;
      counter.previous = 0;
    }
  }
}

function userKey(username: string, address: string): string {
  return `${address}\u0000${username}`;
}
