// Name patterns as Elasticsearch's Automatons reads them: exact names, `*`/`?` wildcards, and
// `/regex/` (run by RE2, linear time, so a role cannot be a regex denial of service).
// Patterns compile once into a matcher; matching never backtracks exponentially.
import { RE2JS } from 're2js';

export type NameMatcher = (name: string) => boolean;

const NEVER: NameMatcher = () => false;
const ALWAYS: NameMatcher = () => true;

/** Glob match with `*` and `?`; greedy with one backtrack point, O(n·m) worst case. */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    const pc = pattern.charCodeAt(p);
    if (p < pattern.length && (pc === 63 /* ? */ || pc === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (p < pattern.length && pc === 42 /* * */) {
      starP = p++;
      starV = v;
    } else if (starP >= 0) {
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

export function isRegexPattern(pattern: string): boolean {
  return pattern.length >= 2 && pattern.startsWith('/') && pattern.endsWith('/');
}

export function isWildcardPattern(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Throws with RE2's message when a `/regex/` pattern does not compile. */
export function compileRegex(pattern: string): NameMatcher {
  const compiled = RE2JS.compile(pattern.slice(1, -1));
  return (name) => compiled.matches(name);
}

/**
 * One matcher for a set of patterns: a hash set for exact names, a prefix list for `prefix*`,
 * then general globs and regexes.
 */
export function compilePatterns(patterns: readonly string[]): NameMatcher {
  if (patterns.length === 0) return NEVER;
  if (patterns.includes('*')) return ALWAYS;
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const globs: string[] = [];
  const regexes: NameMatcher[] = [];
  for (const pattern of patterns) {
    if (isRegexPattern(pattern)) regexes.push(compileRegex(pattern));
    else if (!isWildcardPattern(pattern)) exact.add(pattern);
    else if (pattern.indexOf('*') === pattern.length - 1 && !pattern.includes('?')) prefixes.push(pattern.slice(0, -1));
    else globs.push(pattern);
  }
  return (name) => {
    if (exact.has(name)) return true;
    for (const prefix of prefixes) if (name.startsWith(prefix)) return true;
    for (const glob of globs) if (globMatch(glob, name)) return true;
    for (const regex of regexes) if (regex(name)) return true;
    return false;
  };
}

/**
 * Whether every name glob `inner` can match is matched by glob `outer`. Exact for single `*`/`?`
 * globs: `inner`'s wildcards may only be absorbed by `outer`'s `*` (a `?` in inner also by `?`).
 */
export function globCovers(outer: string, inner: string): boolean {
  // Dynamic programming over (outer position, inner position); O(|outer|·|inner|).
  const n = outer.length;
  const m = inner.length;
  let previous = new Array<boolean>(m + 1).fill(false);
  previous[0] = true;
  for (let j = 1; j <= m; j++) previous[j] = false;
  for (let i = 1; i <= n; i++) {
    const oc = outer[i - 1];
    const current = new Array<boolean>(m + 1).fill(false);
    current[0] = oc === '*' && previous[0] === true;
    for (let j = 1; j <= m; j++) {
      const ic = inner[j - 1];
      if (oc === '*') current[j] = previous[j] === true || current[j - 1] === true;
      else if (oc === '?') current[j] = ic !== '*' && previous[j - 1] === true;
      else current[j] = ic === oc && previous[j - 1] === true;
    }
    previous = current;
  }
  return previous[m] === true;
}

/** Whether `inner` is covered by at least one of `outers` (regex outers only cover what they match literally). */
export function patternsCover(outers: readonly string[], inner: string): boolean {
  for (const outer of outers) {
    if (isRegexPattern(outer)) {
      if (!isWildcardPattern(inner) && !isRegexPattern(inner) && compileRegex(outer)(inner)) return true;
    } else if (globCovers(outer, inner)) {
      return true;
    }
  }
  return false;
}

/** The fixed start of a glob, up to its first wildcard (`?` counted as one: over-approximating is safe). */
function literalPrefix(pattern: string): string {
  const at = pattern.search(/[*?]/);
  return at < 0 ? pattern : pattern.slice(0, at);
}

function literalSuffix(pattern: string): string {
  const at = Math.max(pattern.lastIndexOf('*'), pattern.lastIndexOf('?'));
  return at < 0 ? pattern : pattern.slice(at + 1);
}

/** Over-approximates "some name matches both globs": false only when their fixed ends disagree. */
export function mayIntersect(a: string, b: string): boolean {
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  const sa = literalSuffix(a);
  const sb = literalSuffix(b);
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}
