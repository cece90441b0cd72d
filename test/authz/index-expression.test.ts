// Index expressions (comma lists, wildcards, _all, exclusions, date math, remotes) and the exact
// containment test of a wildcard expression in granted patterns.
import { describe, expect, it } from 'vitest';
import { resolveDateMath } from '../../src/authz/date-math.js';
import { containedIn, parseIndexExpression, parseIndexList, type ExpressionTerm } from '../../src/authz/index-expression.js';
import { normalizePath } from '../../src/authz/path.js';
import { EsError } from '../../src/errors/es-error.js';
import { fixedClock } from '../support/fixed-clock.js';

// 2026-11-23T12:00:00Z, a Monday
const NOW = fixedClock().now();

function terms(list: string): ExpressionTerm[] {
  return [...parseIndexList(list, NOW).terms];
}

describe('parseIndexExpression', () => {
  it('reads an empty expression, _all and * as every index', () => {
    for (const raw of ['', '_all', '*']) {
      const parsed = parseIndexList(raw, NOW);
      expect(parsed.all).toBe(true);
      expect(parsed.terms).toEqual([{ pattern: '*', exclude: false }]);
    }
  });

  it('splits comma lists and drops empty elements', () => {
    expect(terms('a,,b,')).toEqual([
      { pattern: 'a', exclude: false },
      { pattern: 'b', exclude: false },
    ]);
  });

  it('reads -name as an exclusion only after a wildcard, as Elasticsearch does', () => {
    expect(terms('logs-*,-logs-secret')).toEqual([
      { pattern: 'logs-*', exclude: false },
      { pattern: 'logs-secret', exclude: true },
    ]);
    expect(terms('-logs')).toEqual([{ pattern: '-logs', exclude: false }]);
    expect(terms('a,-b')).toEqual([
      { pattern: 'a', exclude: false },
      { pattern: '-b', exclude: false },
    ]);
    expect(parseIndexList('*,-secret', NOW).all).toBe(false);
  });

  it('returns remote-cluster targets separately, never as local names', () => {
    const parsed = parseIndexList('logs-1,eu:logs-*,*:secret', NOW);
    expect(parsed.terms).toEqual([{ pattern: 'logs-1', exclude: false }]);
    expect(parsed.remote).toEqual([
      { cluster: 'eu', expression: 'logs-*', exclude: false },
      { cluster: '*', expression: 'secret', exclude: false },
    ]);
    expect(parsed.all).toBe(false);
  });

  it('resolves date math before authorization with the injected clock', () => {
    expect(terms('<logs-{now/d}>,<metrics-{now/M{yyyy.MM}}>')).toEqual([
      { pattern: 'logs-2026.11.23', exclude: false },
      { pattern: 'metrics-2026.11', exclude: false },
    ]);
  });

  it('reads a URL-encoded date math name from the path', () => {
    const segment = normalizePath('/%3Clogs-%7Bnow%2Fd%7D%3E/_search').segments[0] as string;
    expect(parseIndexList(segment, NOW).terms[0]?.pattern).toBe('logs-2026.11.23');
  });

  it('keeps date math with a zone offset local even though it contains a colon', () => {
    const parsed = parseIndexExpression(['<logs-{now/d{yyyy.MM.dd|+12:00}}>'], NOW);
    expect(parsed.remote).toEqual([]);
    expect(parsed.terms[0]?.pattern).toBe('logs-2026.11.24');
  });

  it('refuses index component selectors (::failures) it does not model', () => {
    expect(() => parseIndexList('logs::failures', NOW)).toThrow(EsError);
  });
});

describe('resolveDateMath', () => {
  it.each([
    ['<logs-{now}>', 'logs-2026.11.23'],
    ['<logs-{now/d}>', 'logs-2026.11.23'],
    ['<logs-{now/M}>', 'logs-2026.11.01'],
    ['<logs-{now-1d/d}>', 'logs-2026.11.22'],
    ['<logs-{now-1M/M{yyyy.MM}}>', 'logs-2026.10'],
    ['<logs-{now+1y/y{yyyy}}>', 'logs-2027'],
    ['<logs-{now/w}>', 'logs-2026.11.23'],
    ['<logs-{now-30d/d}>', 'logs-2026.10.24'],
    ['<logs-{now/d{yyyy.MM.dd}}>', 'logs-2026.11.23'],
    ['<logs-{now/H{yyyy.MM.dd.HH}}>', 'logs-2026.11.23.12'],
    ['<logs-{now/d{yyyy.MM.dd|-13:00}}>', 'logs-2026.11.22'],
    ['<a-{now/d}-b-{now/M{MM}}>', 'a-2026.11.23-b-11'],
    ['<\\{esc\\}-{now/d}>', '{esc}-2026.11.23'],
    ['plain', 'plain'],
  ])('resolves %s to %s', (expression, resolved) => {
    expect(resolveDateMath(expression, NOW)).toBe(resolved);
  });

  it('clamps month arithmetic to the end of the month like java.time', () => {
    expect(resolveDateMath('<x-{now+1M}>', Date.UTC(2026, 0, 31, 10))).toBe('x-2026.02.28');
  });

  it.each(['<logs-{yesterday/d}>', '<logs-{now/q}>', '<logs-{now/d{EEE}}>', '<logs-{now/d{yyyy|Europe/Paris}}>', '<logs-{now/d>', '<logs-}>'])(
    'answers 400 for unsupported or malformed date math %s',
    (expression) => {
      let error: unknown;
      try {
        resolveDateMath(expression, NOW);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(EsError);
      expect((error as EsError).status).toBe(400);
    },
  );
});

describe('containedIn', () => {
  it.each([
    ['logs-*', ['log*'], true],
    ['log*', ['logs-*'], false],
    ['a*b', ['a*'], true],
    ['*', ['logs-*'], false],
    ['*', ['*'], true],
    ['logs-2026.11', ['logs-*'], true],
    ['secret', ['logs-*'], false],
    ['logs-1,logs-2', ['logs-1', 'logs-2'], true],
    ['logs-1,secret', ['logs-*'], false],
    ['ab*', ['ab', 'ab?*'], true],
    ['ab*', ['ab?*'], false],
    ['a*', ['a*b', 'a*c'], false],
    ['logs-*,-logs-secret*', ['logs-*'], true],
    ['*,-secret*', ['logs-*'], false],
    ['*,-b*', ['a*', 'c*'], false],
    ['*,-b*,-x*', ['?*'], true],
    ['logs-*,-logs-a*,logs-ab', ['logs-b*', 'logs-c*'], false],
    ['logs-*,-logs-a*', ['logs-?*'], false],
    ['logs-*,-logs-a*', ['logs-?*', 'logs-'], true],
    ['a?', ['a?'], true],
    ['logs-*', ['/logs-.*/'], false],
    ['logs-1', ['/logs-[0-9]+/'], true],
  ] as const)('%s ⊆ %j is %s', (expression, granted, expected) => {
    expect(containedIn(terms(expression), granted)).toBe(expected);
  });

  it('ignores names no index can have: * is covered by ?* since the empty name is not an index', () => {
    expect(containedIn(terms('*'), ['?*'])).toBe(true);
  });

  it('ignores names that cannot start an index name (_ - +)', () => {
    expect(containedIn(terms('*'), ['a*', 'b*', 'c*'])).toBe(false);
    expect(containedIn(terms('x*'), ['x?*', 'x'])).toBe(true);
  });

  it('decides long unions quickly', () => {
    const granted = Array.from({ length: 40 }, (_, i) => `team-${i}-*`);
    const started = performance.now();
    expect(containedIn(terms('team-1*'), granted)).toBe(false);
    expect(containedIn(terms('team-1-*,team-22-*'), granted)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('containedIn on adversarial patterns', () => {
  it.each([
    ['*a*b*c*d*e*f*g*h*', ['*b*c*x', '?a?b?c?d*', '*h', 'a*b*c*d*e*f*g*h*x']],
    ['*', Array.from({ length: 30 }, (_, i) => `*${String.fromCharCode(97 + (i % 26))}*${i}`)],
    ['*,-a*,b*,-bb*,c*,-cc*,d*', ['?*a*?', '*?b', '??*c?d*']],
  ])('answers %s within a bounded time, never true by guess', (expression, granted) => {
    const started = performance.now();
    expect(containedIn(terms(expression), granted)).toBe(false);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
