// The decision on a classified proxied request: does the effective permission grant the action on
// every target? Wildcards are allowed when every index they could match is granted (decided
// exactly), or narrowed to the granted patterns when that narrowing is exact; otherwise denied.
import { asyncSearchMissing, clusterActionDenied, indexActionDenied, searchContextMissing, unclassifiedDenied, type DeniedSubject } from '../errors/authz.js';
import { illegalArgument } from '../errors/request.js';
import type { Authentication } from '../services/authentication.js';
import type { Classification, TargetItem } from './classify.js';
import type { ContinuationRegistry } from './continuations.js';
import { ENDPOINTS } from './endpoints.js';
import { containedIn, parseIndexExpression, type ExpressionTerm, type WorkBudget } from './index-expression.js';
import { encodeSegment, type NormalizedPath } from './path.js';
import { compilePatterns, globCovers, isRegexPattern, mayIntersect } from './patterns.js';
import { RESTRICTED_PATTERNS } from './restricted.js';
import { privilegesGranting, type EffectivePermission } from './permission.js';

export interface DecideInput {
  readonly authentication: Authentication;
  readonly subject: DeniedSubject;
  readonly permission: EffectivePermission;
  /** The es-secondary-authorization identity's permission, for work the upstream runs later. */
  readonly secondaryPermission: EffectivePermission | null;
  /** Who a denial on the secondary identity's privileges names. */
  readonly secondarySubject?: DeniedSubject | null;
  readonly classification: Classification;
  readonly method: string;
  readonly path: NormalizedPath;
  readonly now: number;
  readonly continuations: ContinuationRegistry;
  /** Containment work left for this request; decide() starts one (MAX_REQUEST_STEPS). */
  readonly budget?: WorkBudget;
}

/** Containment work one request may cause, over all its items (about 10 ms here at worst). */
const MAX_REQUEST_STEPS = 16_000;

export interface DecideResult {
  /** The canonical path to forward; narrowed when a wildcard was narrowed to the granted indices. */
  readonly path: string;
}

type Verdict = { readonly ok: true; readonly narrowed?: string } | { readonly ok: false; readonly denied: string };

/**
 * Replaces each wildcard include by the granted patterns inside it, when that is exact: every
 * granted pattern is either inside the wildcard, covers it, or cannot meet it. Exclusions stay
 * after the includes they applied to. null: no exact narrowing exists.
 */
function narrowOnce(terms: readonly ExpressionTerm[], granted: readonly string[]): ExpressionTerm[] | null {
  const grantsName = compilePatterns(granted);
  const out: ExpressionTerm[] = [];
  for (const term of terms) {
    if (term.exclude) {
      out.push(term);
      continue;
    }
    if (!term.pattern.includes('*')) {
      if (!grantsName(term.pattern)) return null;
      out.push(term);
      continue;
    }
    if (granted.some((g) => !isRegexPattern(g) && globCovers(g, term.pattern))) {
      out.push(term);
      continue;
    }
    for (const g of granted) {
      // A regex or `?` grant cannot be written as an index expression.
      if (isRegexPattern(g) || g.includes('?')) return null;
      if (globCovers(term.pattern, g)) out.push({ pattern: g, exclude: false });
      else if (mayIntersect(term.pattern, g)) return null;
    }
  }
  return out;
}

function render(terms: readonly ExpressionTerm[]): string {
  return terms.map((t) => (t.exclude ? `-${t.pattern}` : t.pattern)).join(',');
}

/** Restricted indices (restricted.ts), also used as index-expression exclusions. */
const RESTRICTED_EXCLUSIONS = RESTRICTED_PATTERNS;

/**
 * Whether a wildcard of the expression may select a restricted index the permission does not grant
 * the action on: grantedIndexPatterns() does not say which patterns allow restricted indices, so a
 * grant on `*` would otherwise let `.sec*` or `*?expand_wildcards=all` reach `.security-7`.
 */
function reachesRestricted(permission: EffectivePermission, action: string, terms: readonly ExpressionTerm[]): boolean {
  const wildcards = terms.filter((t) => !t.exclude && t.pattern.includes('*'));
  if (!wildcards.some((t) => RESTRICTED_EXCLUSIONS.some((r) => mayIntersect(t.pattern, r)))) return false;
  return !grantsAllRestricted(permission, action);
}

/** Per compiled permission (cached by the Authorizer) and action: the hot path asks it for every `*`. */
const restrictedGrants = new WeakMap<EffectivePermission, Map<string, boolean>>();

function grantsAllRestricted(permission: EffectivePermission, action: string): boolean {
  let byAction = restrictedGrants.get(permission);
  if (byAction === undefined) {
    byAction = new Map();
    restrictedGrants.set(permission, byAction);
  }
  let granted = byAction.get(action);
  if (granted === undefined) {
    const privileges = privilegesGranting(action, 'index');
    granted = RESTRICTED_EXCLUSIONS.every((r) => privileges.some((p) => permission.hasIndexPrivilege(r, p, true)));
    if (byAction.size < 1_000) byAction.set(action, granted);
  }
  return granted;
}

/** The verdict for an allowed expression, with the restricted indices excluded when its wildcards could reach them. */
function withoutRestricted(permission: EffectivePermission, action: string, terms: readonly ExpressionTerm[], narrowing: boolean, shown: string, narrowed: boolean): Verdict {
  if (!reachesRestricted(permission, action, terms)) return narrowed ? { ok: true, narrowed: render(terms) } : { ok: true };
  if (!narrowing) return { ok: false, denied: shown };
  return { ok: true, narrowed: render([...terms, ...RESTRICTED_EXCLUSIONS.map((pattern) => ({ pattern, exclude: true }))]) };
}

const MAX_VERDICTS = 10_000;
/**
 * Verdicts per compiled permission (a role change makes a new one), denials as well as grants, so a
 * crafted expression costs its work once, and `_msearch`/`_mget` items share it. Date math is not
 * remembered: its meaning changes with the clock.
 */
const verdicts = new WeakMap<EffectivePermission, Map<string, Verdict>>();

function authorizeExpression(permission: EffectivePermission, action: string, parts: readonly string[], now: number, narrowing: boolean, budget: WorkBudget): Verdict {
  const key = parts.some((p) => p.includes('<')) ? null : `${narrowing ? 'n' : 'x'}\u0000${action}\u0000${parts.join(',')}`;
  let memo = verdicts.get(permission);
  const known = key === null ? undefined : memo?.get(key);
  if (known !== undefined) return known;
  const before = budget.exhausted;
  const verdict = computeVerdict(permission, action, parts, now, narrowing, budget);
  // A verdict cut short by this request's shared budget says nothing about the expression alone.
  if (key !== null && budget.exhausted === before) {
    if (memo === undefined) verdicts.set(permission, (memo = new Map()));
    if (memo.size >= MAX_VERDICTS) memo.clear();
    memo.set(key, verdict);
  }
  return verdict;
}

/** Authorizes `action` on an index expression; may answer a narrowed expression. */
function computeVerdict(permission: EffectivePermission, action: string, parts: readonly string[], now: number, narrowing: boolean, budget: WorkBudget): Verdict {
  const parsed = parseIndexExpression(parts, now);
  const shown = parts.length === 0 ? '_all' : parts.join(',');
  // Remote clusters are never reached through esgate (cross-cluster search is not supported).
  if (parsed.remote.length > 0) return { ok: false, denied: parsed.remote.map((r) => `${r.cluster}:${r.expression}`).join(',') };
  const sets = permission.grantedIndexPatterns(action);
  // Names given explicitly must each be granted, wildcards or not beside them (Elasticsearch names them in its 403).
  const deniedNames = parsed.terms.filter((t) => !t.exclude && !t.pattern.includes('*') && !permission.checkIndex(action, t.pattern)).map((t) => t.pattern);
  if (deniedNames.length > 0) return { ok: false, denied: deniedNames.join(',') };
  const concrete = parsed.terms.every((t) => !t.exclude && !t.pattern.includes('*'));
  if (concrete) return { ok: true };
  if (sets.every((granted) => containedIn(parsed.terms, granted, budget))) return withoutRestricted(permission, action, parsed.terms, narrowing, shown, false);
  if (!narrowing) return { ok: false, denied: shown };
  let narrowed: ExpressionTerm[] | null = [...parsed.terms];
  for (const granted of sets) {
    narrowed = narrowOnce(narrowed, granted);
    if (narrowed === null) return { ok: false, denied: shown };
  }
  if (!narrowed.some((t) => !t.exclude)) return { ok: false, denied: shown };
  // Narrowed patterns are granted ones: re-check the result exactly before using it.
  if (!sets.every((granted) => containedIn(narrowed as ExpressionTerm[], granted, budget))) return { ok: false, denied: shown };
  return withoutRestricted(permission, action, narrowed, narrowing, shown, true);
}

/** The path with the index segment replaced (or inserted, for `/_search` ≡ `/{index}/_search`). */
function narrowedPath(input: DecideInput, expression: string): string | null {
  const template = input.classification.endpoint;
  if (template === null) return null;
  const segments = [...input.path.segments];
  const parts = template.split('/').filter((p) => p !== '');
  // The segment the expression came from: `{name}` only where the endpoint reads its targets there
  // (`/_data_stream/{name}`); elsewhere `{name}` is an alias or setting name (`/_alias/{name}`).
  const endpoint = ENDPOINTS.find((e) => e.method === input.method && e.path === template);
  const param = endpoint?.targets === 'path:name' ? '{name}' : '{index}';
  const at = parts.findIndex((p) => p === param);
  if (at >= 0) {
    segments[at] = expression;
  } else {
    // The index came from no path segment: use the sibling route with an `{index}` segment.
    if (input.path.query.has('index')) return null;
    const action = input.classification.action;
    const before = ENDPOINTS.find((e) => e.method === input.method && e.action === action && e.path === `/{index}${template}`);
    const after = ENDPOINTS.find((e) => e.method === input.method && e.action === action && e.path === `${template}/{index}`);
    if (before) segments.unshift(expression);
    else if (after) segments.push(expression);
    else return null;
  }
  return '/' + segments.map(encodeSegment).join('/');
}

function denyIndex(input: DecideInput, action: string, denied: string): never {
  throw indexActionDenied(action, input.subject, [denied], privilegesGranting(action, 'index'));
}

const WRITE_INDEX = 'indices:data/write/index';
/**
 * What Elasticsearch authorizes per item for an index operation that may overwrite (an explicit
 * id): `create_doc` grants `indices:data/write/index` but not this, so it cannot overwrite.
 */
const WRITE_OVERWRITE = 'indices:data/write/index:op_type/index';
const BULK_SHARD = 'indices:data/write/bulk[s]';

/** The overwrite check of an index operation; denied as Elasticsearch denies a bulk item. */
function authorizeOverwrite(input: DecideInput, permission: EffectivePermission, expressions: readonly string[]): void {
  const verdict = authorizeExpression(permission, WRITE_OVERWRITE, expressions, input.now, false, budgetOf(input));
  if (!verdict.ok) throw indexActionDenied(BULK_SHARD, input.subject, [verdict.denied], privilegesGranting(WRITE_OVERWRITE, 'index'));
}

function authorizeItems(input: DecideInput, permission: EffectivePermission, items: readonly TargetItem[]): void {
  // Items repeat (an _mget of 100,000 docs names a few indices): each distinct one is decided once.
  const decided = new Set<string>();
  for (const item of items) {
    const key = item.expressions.length === 1 ? `${item.action}\u0000${item.expressions[0] as string}` : `${item.action}\u0000${item.expressions.join(',')}\u0000${item.expressions.length}`;
    if (decided.has(key)) continue;
    decided.add(key);
    const verdict = authorizeExpression(permission, item.action, item.expressions, input.now, false, budgetOf(input));
    if (!verdict.ok) denyIndex(input, item.action, verdict.denied);
    // Bulk `index` items and reindex destinations (ids unknown here: treated as overwrites).
    if (item.action === WRITE_INDEX) authorizeOverwrite(input, permission, item.expressions);
  }
}

/** Clearing every scroll (Elasticsearch's own check in AuthorizationService). */
const CLEAR_ALL_SCROLLS = 'cluster:admin/indices/scroll/clear_all';

function requireSomeIndex(input: DecideInput, action: string): void {
  if (!input.permission.checkIndexActionOnSomeIndex(action)) denyIndex(input, action, '*');
}

/**
 * Indices named both in the path and in `?index=`: classification reads the path, and so does
 * Elasticsearch as far as known, but nothing is forwarded whose reading depends on that.
 */
function refuseTwoIndexSources(input: DecideInput): void {
  const template = input.classification.endpoint;
  if (template === null || !input.path.query.has('index')) return;
  const at = template.split('/').filter((p) => p !== '').indexOf('{index}');
  if (at < 0) return;
  const fromPath = input.path.segments[at];
  if (input.path.query.getAll('index').some((value) => value !== fromPath)) {
    throw illegalArgument(`request names its indices both in the path [${fromPath ?? ''}] and in the [index] parameter`);
  }
}

function budgetOf(input: DecideInput): WorkBudget {
  return input.budget ?? { steps: MAX_REQUEST_STEPS, exhausted: false };
}

export function decide(request: DecideInput): DecideResult {
  const input: DecideInput = request.budget === undefined ? { ...request, budget: { steps: MAX_REQUEST_STEPS, exhausted: false } } : request;
  const { classification, permission, subject } = input;
  const action = classification.action;
  refuseTwoIndexSources(input);
  if (action === null) {
    if (!permission.hasClusterPrivilege('all')) throw unclassifiedDenied(input.method, input.path.path, subject);
    return { path: input.path.path };
  }
  // The cluster would act with its full rights on anything: only the cluster privilege `all` may ask.
  if (classification.clusterAll === true && !permission.hasClusterPrivilege('all')) throw clusterActionDenied(action, subject, ['all']);
  for (const clusterAction of classification.alsoCluster) {
    if (!permission.checkCluster(clusterAction)) throw clusterActionDenied(clusterAction, subject, privilegesGranting(clusterAction, 'cluster'));
  }
  authorizeItems(input, permission, classification.lookups);

  if (classification.actionKind === 'cluster') {
    if (!permission.checkCluster(action)) throw clusterActionDenied(action, subject, privilegesGranting(action, 'cluster'));
    // Work the upstream runs later with no one's privileges: its creator (or the secondary identity) must hold them now.
    if (classification.targets.kind === 'items') {
      const secondary = input.secondaryPermission !== null && input.secondarySubject != null;
      authorizeItems(secondary ? { ...input, subject: input.secondarySubject as DeniedSubject } : input, input.secondaryPermission ?? permission, classification.targets.items);
    }
    return { path: input.path.path };
  }

  const targets = classification.targets;
  switch (targets.kind) {
    case 'none':
    case 'any_index':
      requireSomeIndex(input, action);
      return { path: input.path.path };
    case 'indices': {
      const verdict = authorizeExpression(permission, action, targets.expressions, input.now, true, budgetOf(input));
      if (!verdict.ok) denyIndex(input, action, verdict.denied);
      // `PUT|POST /{index}/_doc/{id}` may overwrite; `POST /{index}/_doc` (generated id) is a create.
      if (action === WRITE_INDEX && classification.endpoint === '/{index}/_doc/{id}') authorizeOverwrite(input, permission, targets.expressions);
      if (verdict.narrowed === undefined) return { path: input.path.path };
      const path = narrowedPath(input, verdict.narrowed);
      if (path === null) denyIndex(input, action, targets.expressions.join(',') || '_all');
      return { path };
    }
    case 'opaque': {
      const verdict = authorizeExpression(permission, action, [], input.now, false, budgetOf(input));
      if (!verdict.ok) denyIndex(input, action, '*');
      return { path: input.path.path };
    }
    case 'items': {
      // Items of the request's own action (create index, resize) are denied on their names, as
      // Elasticsearch names them; composite requests first need the action on some index.
      const own = targets.items.filter((item) => item.action === action && item.expressions.length > 0);
      if (own.length > 0) authorizeItems(input, permission, own);
      else requireSomeIndex(input, action);
      // Reindexing from a remote cluster makes the upstream connect anywhere: cluster `all` only.
      if (targets.remote === true && !permission.hasClusterPrivilege('all')) throw clusterActionDenied(action, subject, ['all']);
      authorizeItems(input, permission, targets.items);
      return { path: input.path.path };
    }
    case 'scroll':
      requireSomeIndex(input, action);
      for (const id of targets.ids) {
        if (id === '_all') {
          // Clearing every scroll clears other users' too: Elasticsearch makes it a cluster action.
          if (!permission.checkCluster(CLEAR_ALL_SCROLLS)) throw clusterActionDenied(CLEAR_ALL_SCROLLS, subject, privilegesGranting(CLEAR_ALL_SCROLLS, 'cluster'));
        } else if (!input.continuations.isOwner('scroll', id, input.authentication)) {
          throw searchContextMissing(id);
        }
      }
      return { path: input.path.path };
    case 'pit':
      requireSomeIndex(input, action);
      if (!input.continuations.isOwner('pit', targets.id, input.authentication)) throw searchContextMissing(targets.id);
      return { path: input.path.path };
    case 'async_search':
      requireSomeIndex(input, action);
      if (!input.continuations.isOwner('async_search', targets.id, input.authentication)) throw asyncSearchMissing(targets.id);
      return { path: input.path.path };
  }
}
