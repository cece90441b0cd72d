// Query-string and body values of the API key APIs, read as Elasticsearch reads them.
import { illegalArgument } from '../../errors/request.js';
import type { ApiKeyQuery } from '../../store/types.js';
import type { KeyScope } from './access.js';

export type QueryString = Record<string, string | string[] | undefined>;

export function stringParam(query: QueryString, name: string): string | undefined {
  const value = query[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined || last === '' ? undefined : last;
}

/** Elasticsearch's boolean parameters: absent → default, "" or "true" → true, "false" → false. */
export function booleanParam(query: QueryString, name: string, fallback = false): boolean {
  const value = query[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined) return fallback;
  if (last === '' || last === 'true') return true;
  if (last === 'false') return false;
  throw illegalArgument(`Failed to parse value [${last}] as only [true] or [false] are allowed.`);
}

/** The selectors of get and invalidate, as one query over the keys. */
export interface KeySelector {
  readonly ids?: readonly string[];
  readonly name?: string;
  readonly username?: string;
  readonly realmName?: string;
  readonly activeOnly?: boolean;
}

export function selectorQuery(selector: KeySelector, scope: KeyScope, now: number): ApiKeyQuery {
  const must: ApiKeyQuery[] = [];
  if (selector.ids !== undefined) must.push({ kind: 'terms', field: 'id', values: selector.ids });
  const { name } = selector;
  // "*" is every key, a trailing "*" a prefix, anything else the exact name (ApiKeyService).
  if (name !== undefined && name !== '*') {
    must.push(name.endsWith('*') ? { kind: 'prefix', field: 'name', value: name.slice(0, -1) } : { kind: 'terms', field: 'name', values: [name] });
  }
  if (selector.username !== undefined) must.push({ kind: 'terms', field: 'username', values: [selector.username] });
  if (selector.realmName !== undefined) must.push({ kind: 'terms', field: 'realm_name', values: [selector.realmName] });
  if (scope.kind === 'own') {
    must.push({ kind: 'terms', field: 'username', values: [scope.owner.username] });
    must.push({ kind: 'terms', field: 'realm_name', values: [scope.owner.realmName] });
  }
  const mustNot: ApiKeyQuery[] = selector.activeOnly
    ? [
        { kind: 'terms', field: 'invalidated', values: [true] },
        // Elasticsearch's active filter: expiration_time > now, or none.
        { kind: 'range', field: 'expiration', lte: now },
      ]
    : [];
  return { kind: 'bool', must, should: [], mustNot, minimumShouldMatch: 0 };
}

/** Every match of a selector: get and invalidate are not paginated. */
export const UNBOUNDED = 1_000_000_000;
