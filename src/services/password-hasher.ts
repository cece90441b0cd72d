// argon2id hashing and verification with a bound on how many run at once.
// argon2 runs on libuv's thread pool, off the event loop; the bound keeps a flood of
// wrong passwords from queueing every other request behind hashing.
import argon2 from 'argon2';
import type { Random } from '../runtime/random.js';
import type { PasswordHash } from '../store/types.js';

export interface HashingParams {
  readonly memory_cost: number;
  readonly time_cost: number;
  readonly parallelism: number;
  readonly max_concurrent: number;
}

class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get queued(): number {
    return this.waiting.length;
  }

  /** `onStart` gets how long the task waited for a slot, in seconds. */
  async run<T>(task: () => Promise<T>, onStart?: (waitedSeconds: number) => void): Promise<T> {
    const queuedAt = onStart === undefined ? 0 : performance.now();
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    onStart?.((performance.now() - queuedAt) / 1000);
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

export class PasswordHasher {
  private readonly semaphore: Semaphore;
  private dummyHash: Promise<PasswordHash> | undefined;
  /** Verifications run since start (metrics; tests check the throttle runs none). */
  verifications = 0;
  /** Told how long each verification waited for a slot (metrics). */
  onVerificationStart: ((waitedSeconds: number) => void) | undefined;

  constructor(
    private readonly params: HashingParams,
    private readonly random: Random,
  ) {
    this.semaphore = new Semaphore(params.max_concurrent);
  }

  hash(password: string): Promise<PasswordHash> {
    return this.semaphore.run(async () => {
      const hash = await argon2.hash(password, {
        type: argon2.argon2id,
        memoryCost: this.params.memory_cost,
        timeCost: this.params.time_cost,
        parallelism: this.params.parallelism,
      });
      return hash as PasswordHash;
    });
  }

  /** Constant-time verification (argon2's own comparison); false for a malformed hash. */
  verify(hash: PasswordHash, password: string): Promise<boolean> {
    this.verifications++;
    return this.semaphore.run(async () => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false;
      }
    }, this.onVerificationStart);
  }

  /** Verifications waiting for a slot now. */
  get queueDepth(): number {
    return this.semaphore.queued;
  }

  /** Spends the same work as a real verification, so unknown users cost what known ones do. */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(this.random.bytes(24).toString('base64url'));
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** Whether `hash` is an argon2 PHC string this hasher can verify. */
  static isSupportedHash(hash: string): hash is PasswordHash {
    // node-argon2 writes the parameters as m,p,t; other tools (and the PHC spec's examples) as m,t,p.
    const match = /^\$argon2(?:id|i|d)\$v=\d+\$([mtp]=\d+,[mtp]=\d+,[mtp]=\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(hash);
    if (match === null) return false;
    const names = (match[1] ?? '').split(',').map((param) => param[0]);
    return new Set(names).size === 3;
  }
}
