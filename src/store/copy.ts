// Copies one store into another, empty one (moving from SQLite to PostgreSQL): users with their
// password hashes, roles, tokens of the last 24 hours (older ones are purged anyway) and every API
// key, digests only, as stored. Continuation bindings are not copied: they live as long as a
// search context, and the upstream's contexts do not survive the move's downtime anyway.
import type { ApiKeyQuery, Store, TokenDigest } from './types.js';

const PAGE = 500;
const TOKEN_WINDOW_MS = 24 * 3_600_000;
const MATCH_ALL: ApiKeyQuery = { kind: 'match_all' };

export interface StoreCounts {
  readonly users: number;
  readonly roles: number;
  readonly tokens: number;
  readonly apiKeys: number;
}

export async function countStore(store: Store): Promise<StoreCounts> {
  return {
    users: await store.users.count(),
    roles: (await store.roles.list()).length,
    tokens: await store.tokens.count(),
    apiKeys: (await store.apiKeys.search({ query: MATCH_ALL, sort: [], from: 0, size: 0 })).total,
  };
}

export class TargetNotEmptyError extends Error {}

/** Copies `source` into `target`, which must be empty; returns what was copied (verified by counting the target). */
export async function copyStore(source: Store, target: Store, now: number): Promise<StoreCounts> {
  const before = await countStore(target);
  if (before.users + before.roles + before.tokens + before.apiKeys > 0) {
    throw new TargetNotEmptyError(
      `the target store is not empty (${before.users} users, ${before.roles} roles, ${before.tokens} tokens, ${before.apiKeys} API keys); esgate store migrate only copies into an empty store`,
    );
  }
  let users = 0;
  for (const user of await source.users.list()) if (await target.users.insert(user)) users++;
  let roles = 0;
  for (const role of await source.roles.list()) {
    await target.roles.put(role);
    roles++;
  }
  let tokens = 0;
  for (let after: TokenDigest | null = null; ; ) {
    const page = await source.tokens.list(now - TOKEN_WINDOW_MS, after, PAGE);
    for (const token of page) await target.tokens.insert(token);
    tokens += page.length;
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.accessDigest ?? null;
  }
  let apiKeys = 0;
  for (let from = 0; ; from += PAGE) {
    const page = await source.apiKeys.search({ query: MATCH_ALL, sort: [{ field: '_doc', order: 'asc' }], from, size: PAGE });
    for (const hit of page.hits) await target.apiKeys.insert(hit.record);
    apiKeys += page.hits.length;
    if (page.hits.length < PAGE) break;
  }
  const copied = { users, roles, tokens, apiKeys };
  const after = await countStore(target);
  if (after.users !== users || after.roles !== roles || after.tokens !== tokens || after.apiKeys !== apiKeys) {
    throw new Error(`the copy does not verify: copied ${JSON.stringify(copied)}, the target holds ${JSON.stringify(after)}`);
  }
  return copied;
}
