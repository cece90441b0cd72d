// User profiles (Elasticsearch's ProfileService): one per username, created or refreshed by
// activation, with labels and data written per application namespace.
import { createHash } from 'node:crypto';
import { illegalArgument } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { ProfileRecord, Store } from '../store/types.js';
import type { Authentication } from './authentication.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `u_` + base64url(SHA-256(username)) + `_0`, as Elasticsearch derives a profile's uid. */
export function profileUid(username: string): string {
  return `u_${createHash('sha256').update(username, 'utf8').digest('base64url')}_0`;
}

/** Deep merge of a data or labels update into what is stored (Elasticsearch's partial update). */
function merge(into: Json, update: Json): Json {
  const out: Json = { ...into };
  for (const [key, value] of Object.entries(update)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? merge(current, value) : value;
  }
  return out;
}

function segmentMatches(pattern: string, key: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === key;
  const parts = pattern.split('*');
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const found = i === 0 ? (key.startsWith(part) ? 0 : -1) : key.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return parts.at(-1) === '' || key.endsWith(parts.at(-1) as string);
}

/** The parts of `data` the `data` parameter names (dotted paths with `*`); none when no pattern. */
export function filterData(data: Json, patterns: readonly string[]): Json {
  const out: Json = {};
  for (const pattern of patterns) {
    const [head = '', ...rest] = pattern.split('.');
    for (const [key, value] of Object.entries(data)) {
      if (!segmentMatches(head, key)) continue;
      if (rest.length === 0 || (rest.length === 1 && rest[0] === '*')) out[key] = value;
      else if (isObject(value)) {
        const inner = filterData(value, [rest.join('.')]);
        if (Object.keys(inner).length > 0) out[key] = merge(isObject(out[key]) ? (out[key] as Json) : {}, inner);
      }
    }
  }
  return out;
}

export class ProfileService {
  constructor(private readonly deps: { readonly store: Store; readonly clock: Clock }) {}

  /** Creates the user's profile or refreshes its user part (roles, names), as every login does. */
  async activate(subject: Authentication): Promise<ProfileRecord> {
    if (subject.type === 'api_key' || subject.type === 'anonymous' || subject.serviceAccount !== undefined) {
      throw illegalArgument('profile is supported for user only (service account and internal users are not supported)');
    }
    const { user } = subject;
    const uid = profileUid(user.username);
    const current = await this.deps.store.profiles.get(uid);
    const record: ProfileRecord = {
      uid,
      enabled: current?.enabled ?? true,
      lastSynchronized: this.deps.clock.now(),
      user: {
        username: user.username,
        realmName: subject.lookupRealm.name,
        realmType: subject.lookupRealm.type,
        roles: [...user.roles],
        fullName: user.fullName,
        email: user.email,
      },
      labels: current?.labels ?? {},
      data: current?.data ?? {},
      seqNo: (current?.seqNo ?? -1) + 1,
    };
    await this.deps.store.profiles.put(record);
    return record;
  }

  get(uid: string): Promise<ProfileRecord | null> {
    return this.deps.store.profiles.get(uid);
  }

  /** Merges labels and data; false when there is no such profile. */
  async updateData(uid: string, labels: Json, data: Json): Promise<boolean> {
    const current = await this.deps.store.profiles.get(uid);
    if (current === null) return false;
    await this.deps.store.profiles.put({ ...current, labels: merge(current.labels, labels), data: merge(current.data, data), seqNo: current.seqNo + 1 });
    return true;
  }

  async setEnabled(uid: string, enabled: boolean): Promise<boolean> {
    const current = await this.deps.store.profiles.get(uid);
    if (current === null) return false;
    if (current.enabled !== enabled) await this.deps.store.profiles.put({ ...current, enabled, seqNo: current.seqNo + 1 });
    return true;
  }

  suggest(name: string, size: number): Promise<{ total: number; profiles: ProfileRecord[] }> {
    return this.deps.store.profiles.suggest(name, size);
  }
}
