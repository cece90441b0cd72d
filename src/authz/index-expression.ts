// Index expressions as Elasticsearch reads them (comma lists, `*`, `_all`/empty, `-exclusions` after
// a wildcard, date math, `cluster:index` remotes), and an exact containment test: does every index
// an expression could name fall under the granted patterns?
import { ambiguousPath } from '../errors/authz-request.js';
import { illegalArgument } from '../errors/request.js';
import { resolveDateMath } from './date-math.js';
import { compilePatterns, globCovers, isRegexPattern, mayIntersect } from './patterns.js';

export interface ExpressionTerm {
  /** A local name or `*` pattern (`?` is a literal here: Elasticsearch expands only `*`). */
  readonly pattern: string;
  /** An exclusion removes its matches from what the terms before it selected. */
  readonly exclude: boolean;
}

export interface RemoteTerm {
  readonly cluster: string;
  readonly expression: string;
  readonly exclude: boolean;
}

export interface ParsedIndexExpression {
  /** Empty, `_all` or only `*`: every index (before exclusions). */
  readonly all: boolean;
  readonly terms: readonly ExpressionTerm[];
  /** `cluster:index` terms: never resolved locally; denied unless the cluster is configured. */
  readonly remote: readonly RemoteTerm[];
}

/** Splits a comma list as Elasticsearch does (empty elements dropped). */
export function splitIndexList(raw: string): string[] {
  return raw.split(',').filter((part) => part !== '');
}

function isRemote(part: string): number {
  // Date math is local even when its zone contains ':' (RemoteClusterAware.isRemoteIndexName).
  if (part.startsWith('<') || part.startsWith('-<')) return -1;
  return part.indexOf(':');
}

/** Parses a list of expression parts (already comma-split and URL-decoded); resolves date math at `now`. */
export function parseIndexExpression(parts: readonly string[], now: number): ParsedIndexExpression {
  const terms: ExpressionTerm[] = [];
  const remote: RemoteTerm[] = [];
  let wildcardSeen = false;
  for (const part of parts) {
    if (part.includes('::')) throw illegalArgument(`index component selectors are not supported by esgate: [${part}]`);
    const exclude = part.startsWith('-') && wildcardSeen;
    const body = exclude ? part.slice(1) : part;
    if (body === '') throw illegalArgument(`invalid index expression [${part}]`);
    const colon = isRemote(body);
    if (colon >= 0) {
      remote.push({ cluster: body.slice(0, colon), expression: body.slice(colon + 1), exclude });
      if (body.includes('*')) wildcardSeen = true;
      continue;
    }
    const pattern = body === '_all' ? '*' : resolveDateMath(body, now);
    if (pattern.includes('*')) wildcardSeen = true;
    terms.push({ pattern, exclude });
  }
  const all = (parts.length === 0 || (terms.length > 0 && terms.every((t) => t.pattern === '*' && !t.exclude))) && remote.length === 0;
  return { all, terms: parts.length === 0 ? [{ pattern: '*', exclude: false }] : terms, remote };
}

/** Parses a raw comma list; a `/` left in a resolved name is refused (it could only come from an encoded path). */
export function parseIndexList(raw: string, now: number): ParsedIndexExpression {
  const parsed = parseIndexExpression(splitIndexList(raw), now);
  for (const term of parsed.terms) if (term.pattern.includes('/')) throw ambiguousPath(raw, 'index name contains [/]');
  return parsed;
}

// ---- containment -------------------------------------------------------------------------------

/** Characters no index, alias or data stream name may contain (MetadataCreateIndexService). */
const FORBIDDEN = new Set(['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':']);
const FORBIDDEN_FIRST = new Set(['_', '-', '+']);
/**
 * Bound on the work of one containment question: automaton steps (one machine, one symbol) over all
 * explored states. Past it the answer is "not contained" (deny), never a guess of "contained", and it
 * comes in milliseconds: the requester pays for a crafted expression, not every other client.
 */
export const MAX_CONTAINMENT_STEPS = 8_000;
/** Terms and granted globs in one question: beyond it, the answer is "not contained". */
const MAX_MACHINES = 64;
/** Exclusions taken into account; later ones are ignored, which can only deny more. */
const MAX_EXCLUSIONS = 8;

interface Glob {
  readonly pattern: string;
  /** Whether `?` is a wildcard (granted role patterns) or a literal (request expressions). */
  readonly question: boolean;
}

function closure(glob: Glob, states: Set<number>): Set<number> {
  for (const s of [...states]) {
    let i = s;
    while (glob.pattern[i] === '*') states.add(++i);
  }
  return states;
}

/** One NFA step; `symbol` null is "any character not literally in a pattern". */
function step(glob: Glob, states: ReadonlySet<number>, symbol: string | null): Set<number> {
  const next = new Set<number>();
  for (const s of states) {
    const pc = glob.pattern[s];
    if (pc === undefined) continue;
    if (pc === '*') next.add(s);
    else if (pc === '?' && glob.question) next.add(s + 1);
    else if (symbol !== null && pc === symbol) next.add(s + 1);
  }
  return closure(glob, next);
}

function keyOf(sets: ReadonlyArray<ReadonlySet<number>>): string {
  return sets.map((set) => [...set].sort((a, b) => a - b).join('.')).join('|');
}

/**
 * Exact answer to "is every valid index name the expression's terms select (in order: includes add,
 * exclusions remove) matched by one of `granted`?", for `*` expressions and `*`/`?` granted globs.
 * Decided by exploring the product of the patterns' automata over the characters they mention plus
 * one "other" character, so unions (`ab*` ⊆ `ab`,`ab?*`) and exclusions are exact. `/regex/` grants
 * cover concrete names only (a wildcard expression is judged against the glob grants alone). Names are valid index names: non-empty, no `\ / * ? " < > | , # :` or
 * space, not starting with `_ - +`. Work is bounded (MAX_CONTAINMENT_STEPS, MAX_MACHINES); past the
 * bound the answer is false, and every simplification below only ever turns "contained" into "not".
 */
/** Work left for one request's containment questions (decide.ts shares one across its items). */
export interface WorkBudget {
  steps: number;
  /** Set when a question was cut short by this budget rather than by its own bound. */
  exhausted: boolean;
}

export function containedIn(terms: readonly ExpressionTerm[], granted: readonly string[], shared?: WorkBudget): boolean {
  if (terms.length === 0) return true;
  const concrete = terms.every((t) => !t.exclude && !t.pattern.includes('*'));
  if (concrete) {
    const matches = compilePatterns(granted);
    return terms.every((t) => matches(t.pattern));
  }
  const includes = terms.filter((t) => !t.exclude);
  // Only grants that can meet an include can cover a selected name (10,000 patterns become a few).
  const globs = granted.filter((g) => !isRegexPattern(g) && includes.some((t) => mayIntersect(t.pattern, g)));
  // Fast path: each include fits under one granted glob (exclusions only remove names).
  if (includes.every((t) => globs.some((g) => globCovers(g, t.pattern)))) return true;
  // Dropping exclusions past the first few only makes the selection larger: still sound.
  let exclusions = 0;
  const kept = terms.filter((t) => !t.exclude || ++exclusions <= MAX_EXCLUSIONS);
  const machines: Glob[] = [...kept.map((t) => ({ pattern: t.pattern, question: false })), ...globs.map((g) => ({ pattern: g, question: true }))];
  if (machines.length > MAX_MACHINES) return false;
  const limit = shared === undefined ? MAX_CONTAINMENT_STEPS : Math.min(MAX_CONTAINMENT_STEPS, shared.steps);
  let budget = limit;
  const spend = (answer: boolean): boolean => {
    if (shared !== undefined) {
      shared.steps -= limit - Math.max(budget, 0);
      if (budget < 0 && limit < MAX_CONTAINMENT_STEPS) shared.exhausted = true;
    }
    return answer;
  };
  const alphabet = new Set<string | null>([null]);
  for (const m of machines) for (const ch of m.pattern) if (!FORBIDDEN.has(ch)) alphabet.add(ch);
  terms = kept;
  const termCount = terms.length;
  const start = machines.map((m) => closure(m, new Set([0])));
  const seen = new Set<string>([keyOf(start)]);
  const queue: Array<{ sets: Array<Set<number>>; first: boolean }> = [{ sets: start, first: true }];
  for (let head = 0; head < queue.length; head++) {
    const { sets, first } = queue[head] as { sets: Array<Set<number>>; first: boolean };
    for (const symbol of alphabet) {
      if (first && symbol !== null && FORBIDDEN_FIRST.has(symbol)) continue;
      budget -= machines.length;
      if (budget < 0) return spend(false);
      const next = machines.map((m, i) => step(m, sets[i] as Set<number>, symbol));
      if (next.slice(0, termCount).every((set) => set.size === 0)) continue; // no term can select anything further
      let selected = false;
      for (let i = 0; i < termCount; i++) {
        const accepts = next[i]?.has((machines[i] as Glob).pattern.length) === true;
        selected = (terms[i] as ExpressionTerm).exclude ? selected && !accepts : selected || accepts;
      }
      const covered = next.slice(termCount).some((set, i) => set.has((machines[termCount + i] as Glob).pattern.length));
      if (selected && !covered) return spend(false); // a counterexample name: selected, not granted
      const key = keyOf(next);
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push({ sets: next, first: false });
    }
  }
  return spend(true);
}
