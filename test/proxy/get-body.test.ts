import { describe, expect, it } from 'vitest';
import { announcesBody, getBodyAllowed } from '../../src/proxy/get-body.js';

describe('getBodyAllowed', () => {
  it.each([
    '/_search',
    '/logs/_search',
    '/logs,metrics-*/_search',
    '/_search/scroll',
    '/_search/template',
    '/logs/_count',
    '/_msearch',
    '/logs/_explain/1',
    '/_mget',
    '/logs/_termvectors/1',
    '/logs/_validate/query',
    '/logs/_field_caps',
    '/_analyze',
    '/_sql',
    '/logs/_eql/search',
    '/_cluster/allocation/explain',
    '/_ingest/pipeline/_simulate',
    '/_ingest/pipeline/my-pipeline/_simulate',
    '/_scripts/painless/_execute',
  ])('lets GET %s carry a body: its POST form is the same read', (path) => {
    expect(getBodyAllowed(path)).toBe(true);
  });

  it.each([
    ['/logs/_doc/1', 'POST indexes a document'],
    ['/logs/_doc/_search', 'POST indexes a document with id _search'],
    ['/logs/_mapping', 'POST puts a mapping'],
    ['/logs/_alias/current', 'POST adds an alias'],
    ['/_template/t1', 'POST puts a template'],
    ['/_index_template/t1', 'POST puts a template'],
    ['/_scripts/s1', 'POST stores a script'],
    ['/_snapshot/repo', 'POST registers a repository'],
    ['/_watcher/watch/w1', 'POST puts a watch'],
    ['/_watcher/watch/w1/_execute', 'POST executes a watch'],
    ['/logs/_source/1', 'Elasticsearch refuses the body'],
    ['/', 'Elasticsearch refuses the body'],
  ])('refuses a body on GET %s (%s)', (path) => {
    expect(getBodyAllowed(path)).toBe(false);
  });
});

describe('announcesBody', () => {
  it.each([
    [{ 'content-length': '12' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
    [{ 'content-length': '0' }, false],
    [{}, false],
  ])('reads %j as %s', (headers, expected) => {
    expect(announcesBody(headers)).toBe(expected);
  });
});
