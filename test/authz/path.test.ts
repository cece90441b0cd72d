// Path normalisation: what esgate authorizes is exactly what the upstream executes; anything an
// intermediary or Elasticsearch could read another way is refused with 400.
import { describe, expect, it } from 'vitest';
import { EsError } from '../../src/errors/es-error.js';
import { normalizePath } from '../../src/authz/path.js';
import { classify, summarize } from './support.js';

function rejection(url: string): EsError {
  try {
    normalizePath(url);
  } catch (error) {
    return error as EsError;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('normalizePath', () => {
  it.each([
    ['//idx///_search/', '/idx/_search', ['idx', '_search']],
    ['/%5Fsearch', '/_search', ['_search']],
    ['/logs-1/%5f%73earch', '/logs-1/_search', ['logs-1', '_search']],
    ['/', '/', []],
    ['////', '/', []],
    ['/%6Cogs/_doc/a%20b', '/logs/_doc/a%20b', ['logs', '_doc', 'a b']],
    ['/logs-*,-logs-x/_search', '/logs-*,-logs-x/_search', ['logs-*,-logs-x', '_search']],
    ['/%3Clogs-%7Bnow%2Fd%7D%3E/_search', '/%3Clogs-%7Bnow%2Fd%7D%3E/_search', ['<logs-{now/d}>', '_search']],
    ['/caf%C3%A9/_doc/1', '/caf%C3%A9/_doc/1', ['café', '_doc', '1']],
    ['/remote:logs/_search', '/remote:logs/_search', ['remote:logs', '_search']],
  ])('canonicalises %s to %s', (raw, path, segments) => {
    const normalized = normalizePath(raw);
    expect(normalized.path).toBe(path);
    expect(normalized.segments).toEqual(segments);
  });

  it('keeps the query string apart and parses it', () => {
    const normalized = normalizePath('/idx/_search?q=a%20b&size=1+0');
    expect(normalized.path).toBe('/idx/_search');
    expect(normalized.rawQuery).toBe('q=a%20b&size=1+0');
    expect(normalized.query.get('q')).toBe('a b');
    expect(normalized.query.get('size')).toBe('1 0');
  });

  it.each([
    ['/secret%2F_search', 'encoded slash'],
    ['/logs%2f..%2fsecret/_search', 'encoded slash'],
    ['/logs/%2e%2e/secret/_search', 'dot segment'],
    ['/logs/../secret/_search', 'dot segment'],
    ['/./_search', 'dot segment'],
    ['/%2E/_search', 'dot segment'],
    ['/logs/%zz/_search', 'invalid percent-encoding'],
    ['/logs/%4/_search', 'invalid percent-encoding'],
    ['/logs%', 'invalid percent-encoding'],
    ['/logs%C3/_search', 'not UTF-8'],
    ['/logs%00/_search', 'control character'],
    ['/logs%0A/_search', 'control character'],
    ['/logs\t/_search', 'control character'],
    ['/secret#/logs/_search', 'fragment'],
    ['/_search?q=%zz', 'percent-encoding in the query string'],
    ['idx/_search', 'must start with'],
  ])('refuses %s with 400 (%s)', (raw, why) => {
    const error = rejection(raw);
    expect(error).toBeInstanceOf(EsError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('illegal_argument_exception');
    expect(error.reason).toContain(why);
  });

  it('accepts an encoded slash only inside date math', () => {
    expect(normalizePath('/%3Ca-%7Bnow%2Fd%7D%3E,%3Cb-%7Bnow%2FM%7D%3E/_search').segments[0]).toBe('<a-{now/d}>,<b-{now/M}>');
    expect(rejection('/logs%2Fx,%3Ca-%7Bnow%2Fd%7D%3E/_search').status).toBe(400);
  });

  it('classifies an encoded endpoint name as the endpoint the upstream will run', () => {
    const c = classify({ method: 'GET', url: '/logs-1/%5Fsearch' });
    expect(c.action).toBe('indices:data/read/search');
    expect(summarize(c.targets)).toBe('logs-1');
  });

  it('classifies an encoded index name by its decoded name', () => {
    expect(summarize(classify({ method: 'GET', url: '/%73ecret/_search' }).targets)).toBe('secret');
    expect(summarize(classify({ method: 'GET', url: '/logs%2A/_search' }).targets)).toBe('logs*');
  });

  it('treats an upper-case _SEARCH as Elasticsearch does: an invalid index name, so no endpoint and the cluster privilege all is required', () => {
    const c = classify({ method: 'GET', url: '/_SEARCH' });
    expect(c.action).toBeNull();
    expect(c.actionKind).toBeNull();
    expect(classify({ method: 'POST', url: '/%5FSEARCH' }).action).toBeNull();
    expect(classify({ method: 'GET', url: '/logs/_Search' }).action).toBeNull();
  });

  it('classifies duplicate and trailing slashes like the canonical path', () => {
    const c = classify({ method: 'GET', url: '//logs-1///_search/' });
    expect(c.action).toBe('indices:data/read/search');
    expect(summarize(c.targets)).toBe('logs-1');
  });
});
