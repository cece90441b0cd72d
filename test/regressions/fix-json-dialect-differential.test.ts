// Class 1 of "forward exactly what was authorized": esgate read bodies with one JSON reader and
// forwarded the original bytes for Jackson to read again. A `//` comment ending at a lone CR (Jackson
// ends line comments at CR as well as LF) hid a target from esgate. Now the reader ends comments as
// Jackson does and, above all, the cluster receives only the canonical text esgate parsed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingForbiddenArrived, send } from '../authz-http/support.js';
import { forwardingApp, lastBody, type ForwardingApp } from './support-forwarding.js';

let f: ForwardingApp;
beforeAll(async () => {
  f = await forwardingApp();
});
afterAll(() => f.t.close());

const CR_HIDDEN = (target: string) => `// a comment that ends at a lone CR\r${target}`;

describe('a line comment ending at a lone carriage return', () => {
  const cases: Array<{ label: string; method: string; path: string; body: (index: string) => string; as?: 'writer' }> = [
    { label: '_mget docs', method: 'POST', path: '/_mget', body: (i) => `{"docs":[${CR_HIDDEN(`{"_index":"${i}","_id":"1"}`)}]}` },
    { label: 'a terms lookup in a search', method: 'POST', path: '/logs-1/_search', body: (i) => `{"query":${CR_HIDDEN(`{"terms":{"u":{"index":"${i}","id":"1","path":"p"}}}`)}}` },
    { label: 'a lookup runtime field', method: 'POST', path: '/logs-1/_search', body: (i) => `{"runtime_mappings":{"r":${CR_HIDDEN(`{"type":"lookup","target_index":"${i}","input_field":"a","target_field":"b","fetch_fields":["c"]}`)}}}` },
    { label: 'a _reindex source', method: 'POST', path: '/_reindex', as: 'writer', body: (i) => `{"source":{"index":${CR_HIDDEN(`"${i}"`)}},"dest":{"index":"logs-copy"}}` },
    { label: 'an _aliases action', method: 'POST', path: '/_aliases', as: 'writer', body: (i) => `{"actions":[${CR_HIDDEN(`{"add":{"index":"${i}","alias":"logs-alias"}}`)}]}` },
  ];
  it.each(cases.map((c) => [c.label, c] as const))('in %s is read as Elasticsearch reads it: the hidden target is denied', async (_l, c) => {
    const before = f.t.upstream.requests.length;
    const auth = c.as === 'writer' ? f.writer : f.reader;
    const denied = await send(f.base, auth, { method: c.method, path: c.path, body: c.body('secret') });
    expect(denied.status, denied.text).toBe(403);
    expect(f.t.upstream.requests.length).toBe(before);
    const allowed = await send(f.base, auth, { method: c.method, path: c.path, body: c.body('logs-2') });
    expect(allowed.status, allowed.text).toBe(200);
    // What arrived is plain JSON without the comment: the cluster cannot read it another way.
    const arrived = lastBody(f.t);
    expect(arrived).not.toContain('//');
    expect(arrived).not.toContain('\r');
    expect(JSON.stringify(JSON.parse(arrived))).toBe(arrived);
    expectNothingForbiddenArrived(f.t);
  });

  it('is removed from a body scroll_id, which overrides the query-string one', async () => {
    const before = f.t.upstream.requests.length;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_search/scroll', body: `{${CR_HIDDEN('"scroll_id":"someone-elses"')}}` });
    // The id is read (and is nobody's): 404, nothing forwarded.
    expect(sent.status, sent.text).toBe(404);
    expect(sent.json.error.type).toBe('search_context_missing_exception');
    expect(f.t.upstream.requests.length).toBe(before);
  });
});

describe('every body esgate reads goes upstream in canonical form', () => {
  it('drops comments, whitespace and a BOM, and decodes escapes of ordinary characters', async () => {
    const body = '\uFEFF{ /* c */ "docs" : [ { "\\u005findex" : "logs-1" , "_id" : "1" } ] // end\n}';
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_mget', body: Buffer.from(body, 'utf8') });
    expect(sent.status, sent.text).toBe(200);
    expect(lastBody(f.t)).toBe('{"docs":[{"_index":"logs-1","_id":"1"}]}');
    expect(f.t.upstream.requests.at(-1)?.headers['content-length']).toBe(String(Buffer.byteLength(lastBody(f.t))));
  });

  it('refuses a key spelled twice, even when one spelling is escaped', async () => {
    const before = f.t.upstream.requests.length;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_mget', body: '{"docs":[{"_index":"logs-1","\\u005findex":"secret","_id":"1"}]}' });
    expect(sent.status, sent.text).toBe(400);
    expect(sent.json.error.type).toBe('x_content_parse_exception');
    expect(f.t.upstream.requests.length).toBe(before);
  });

  it('forwards each NDJSON line canonically and keeps the line structure the decision read', async () => {
    const body = '{ "index" : "logs-1" } // header\r\n{ "query" : { "match_all" : { } } }\r\n{"index":"logs-2"}\n\n';
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/_msearch', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(sent.status, sent.text).toBe(200);
    expect(lastBody(f.t)).toBe('{"index":"logs-1"}\n{"query":{"match_all":{}}}\n{"index":"logs-2"}\n\n');
  });

  it.each(['\n', '   \n', ' \t\r\n'])('refuses an _msearch whose first line is blank (%j): its pairing depends on the API version', async (first) => {
    // Elasticsearch 8/9 reads it as an empty header, and skips it under compatible-with=7.
    const before = f.t.upstream.requests.length;
    const body = `${first}{}\n{"index":"secret"}\n{}\n{}\n`;
    const sent = await send(f.base, f.reader, { method: 'POST', path: '/logs-1/_msearch', body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(sent.status, sent.text).toBe(400);
    expect(f.t.upstream.requests.length).toBe(before);
  });
});
