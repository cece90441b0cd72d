// Targets read from bodies: bulk, mget, msearch, reindex, aliases; malformed bodies are
// Elasticsearch-shaped 400s (never a crash); gzip/deflate bodies and ?source= are classified too.
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { needsBody } from '../../src/authz/classify.js';
import { EsError, EsPlainError } from '../../src/errors/es-error.js';
import { classify, summarize, type RawRequest } from './support.js';

const nd = (...lines: object[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const W = 'indices:data/write/';

function failure(request: RawRequest): EsError | EsPlainError {
  try {
    classify(request);
  } catch (error) {
    if (error instanceof EsError || error instanceof EsPlainError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('_bulk bodies', () => {
  it('authorizes every item on its own index, inheriting the path index when _index is absent', () => {
    const body = nd({ index: { _index: 'a' } }, { f: 1 }, { create: { _id: '2' } }, { f: 2 }, { update: { _index: 'c', _id: '3' } }, { doc: {} }, { delete: { _index: 'd', _id: '4' } });
    const c = classify({ method: 'POST', url: '/p/_bulk', body, contentType: 'application/x-ndjson' });
    expect(c.targets).toEqual({
      kind: 'items',
      items: [
        { action: `${W}index`, expressions: ['a'], position: 0 },
        { action: `${W}index:op_type/create`, expressions: ['p'], position: 1 },
        { action: `${W}update`, expressions: ['c'], position: 2 },
        { action: `${W}delete`, expressions: ['d'], position: 3 },
      ],
    });
  });

  it('does not read a document line as an action line, whatever it contains', () => {
    const body = nd({ index: { _index: 'ok' } }, { delete: { _index: 'secret' } });
    expect(summarize(classify({ method: 'POST', url: '/_bulk', body }).targets)).toBe(`${W}index ok`);
  });

  it('skips blank action lines as Elasticsearch does', () => {
    const body = '\n' + nd({ delete: { _index: 'a', _id: '1' } }) + '\n';
    expect(summarize(classify({ method: 'POST', url: '/_bulk', body }).targets)).toBe(`${W}delete a`);
  });

  it.each([
    ['a duplicate _index key', '{"index":{"_index":"ok","_index":"secret"}}\n{}\n', 'x_content_parse_exception', "Duplicate field '_index'"],
    ['an unknown action', '{"upsert":{"_index":"a"}}\n{}\n', 'illegal_argument_exception', 'expected one of [create, delete, index, update] but found [upsert]'],
    ['an unknown parameter', '{"index":{"_index":"a","_indx":"b"}}\n{}\n', 'illegal_argument_exception', 'contains an unknown parameter [_indx]'],
    ['two actions on one line', '{"index":{},"delete":{}}\n{}\n', 'illegal_argument_exception', 'Malformed action/metadata line [1]'],
    ['a non-string _index', '{"index":{"_index":5}}\n{}\n', 'illegal_argument_exception', 'expected a simple value for field [_index]'],
    ['broken JSON', '{"index":{"_index":"a"}\n{}\n', 'x_content_parse_exception', ''],
    ['an array action line', '[1]\n', 'illegal_argument_exception', 'expected START_OBJECT'],
    ['a missing final newline', '{"delete":{"_index":"a","_id":"1"}}', 'illegal_argument_exception', 'must be terminated by a newline'],
    ['a missing document line', '{"index":{"_index":"a"}}\n', 'illegal_argument_exception', 'must be terminated by a newline'],
    ['no index anywhere', '{"delete":{"_id":"1"}}\n', 'action_request_validation_exception', 'Validation Failed: 1: index is missing;'],
    ['no items', '\n', 'action_request_validation_exception', 'no requests added'],
    ['trailing content after the object', '{"delete":{"_index":"a"}} x\n', 'x_content_parse_exception', 'Unexpected content'],
  ])('refuses %s with a 400', (_label, body, type, reason) => {
    const error = failure({ method: 'POST', url: '/_bulk', body, contentType: 'application/x-ndjson' });
    expect(error).toBeInstanceOf(EsError);
    expect((error as EsError).status).toBe(400);
    expect((error as EsError).type).toBe(type);
    expect((error as EsError).reason).toContain(reason);
  });

  it('accepts comments as Elasticsearch (Jackson with comments) does', () => {
    const body = '{"delete":{/* why */ "_index":"a","_id":"1"}} // done\n';
    expect(summarize(classify({ method: 'POST', url: '/_bulk', body }).targets)).toBe(`${W}delete a`);
  });
});

describe('_mget, _msearch, _reindex and _aliases bodies', () => {
  it('refuses mget docs without an index and ids without a path index', () => {
    expect(failure({ method: 'POST', url: '/_mget', body: JSON.stringify({ docs: [{ _id: '1' }] }) }).toBody()).toMatchObject({
      error: { type: 'action_request_validation_exception', reason: 'Validation Failed: 1: index is missing for doc 0;' },
    });
    expect((failure({ method: 'POST', url: '/_mget', body: JSON.stringify({ ids: ['1'] }) }) as EsError).status).toBe(400);
    expect((failure({ method: 'POST', url: '/_mget', body: JSON.stringify({ documents: [] }) }) as EsError).reason).toBe('unknown key [documents] for a START_ARRAY, expected [docs] or [ids]');
  });

  it('refuses mget doc fields Elasticsearch would not skip, so no nested _index can be read differently', () => {
    const nested = { docs: [{ _id: '1', _index: 'ok', extra: { _index: 'secret' } }] };
    const error = failure({ method: 'POST', url: '/_mget', body: JSON.stringify(nested) }) as EsError;
    expect(error.type).toBe('parse_exception');
    expect(error.reason).toBe('failed to parse multi get request. unknown field [extra]');
    expect((failure({ method: 'POST', url: '/ok/_mget', body: JSON.stringify({ docs: [{ _id: '1', index: 'secret' }] }) }) as EsError).status).toBe(400);
  });

  it('reads msearch headers with index lists and falls back to the path index', () => {
    const body = nd({ index: 'a,b' }, {}, { index: ['c'] }, {}) + '\n{}\n';
    expect(summarize(classify({ method: 'POST', url: '/p/_msearch', body }).targets)).toBe(
      'indices:data/read/search a,b; indices:data/read/search c; indices:data/read/search p',
    );
  });

  it('refuses unknown msearch header keys and malformed headers', () => {
    expect((failure({ method: 'POST', url: '/_msearch', body: nd({ idx: 'a' }, {}) }) as EsError).reason).toBe('key [idx] is not supported in the metadata section');
    expect((failure({ method: 'POST', url: '/_msearch', body: '{"index":"a",\n{}\n' }) as EsError).type).toBe('x_content_parse_exception');
    expect((failure({ method: 'POST', url: '/_msearch', body: nd({ index: 5 }, {}) }) as EsError).status).toBe(400);
  });

  it('refuses a reindex without a destination or source', () => {
    expect((failure({ method: 'POST', url: '/_reindex', body: JSON.stringify({ source: { index: 'a' } }) }) as EsError).type).toBe('action_request_validation_exception');
    expect((failure({ method: 'POST', url: '/_reindex', body: JSON.stringify({ dest: { index: 'a' } }) }) as EsError).type).toBe('action_request_validation_exception');
    expect((failure({ method: 'POST', url: '/_reindex' }) as EsError).status).toBe(400);
  });

  it('refuses alias actions it cannot read exactly', () => {
    const bad = [{ actions: [] }, { actions: [{ add: { index: 'a' } }] }, { actions: [{ add: { index: 'a', alias: 'b' }, remove: { index: 'c', alias: 'd' } }] }, { actions: [{ rename: {} }] }, { actions: [{ add: { index: 'a', indices: ['b'], alias: 'c' } }] }];
    for (const body of bad) expect((failure({ method: 'POST', url: '/_aliases', body: JSON.stringify(body) }) as EsError).status).toBe(400);
  });
});

describe('body encodings and ?source=', () => {
  const bulk = nd({ delete: { _index: 'secret', _id: '1' } });

  it('decompresses gzip and deflate bodies before classifying them', () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(bulk)],
      ['deflate', deflateSync(bulk)],
    ] as const) {
      expect(summarize(classify({ method: 'POST', url: '/_bulk', body, contentEncoding: encoding, contentType: 'application/x-ndjson' }).targets)).toBe(`${W}delete secret`);
    }
  });

  it('answers 413 when a compressed body inflates beyond the bound', () => {
    const body = gzipSync(Buffer.alloc(1_000_000, 0x20));
    const error = failure({ method: 'POST', url: '/_bulk', body, contentEncoding: 'gzip', maxBodyBytes: 10_000 }) as EsError;
    expect(error.status).toBe(413);
  });

  it('answers 400 for a corrupt compressed body or an unknown encoding', () => {
    expect((failure({ method: 'POST', url: '/_bulk', body: Buffer.from('not gzip'), contentEncoding: 'gzip' }) as EsError).status).toBe(400);
    expect((failure({ method: 'POST', url: '/_bulk', body: bulk, contentEncoding: 'br' }) as EsError).status).toBe(400);
  });

  it('classifies ?source= with source_content_type as the body', () => {
    const source = encodeURIComponent(JSON.stringify({ docs: [{ _index: 'secret', _id: '1' }] }));
    const c = classify({ method: 'GET', url: `/_mget?source=${source}&source_content_type=application/json` });
    expect(summarize(c.targets)).toBe('indices:data/read/mget[shard] secret');
  });

  it('refuses ?source= without source_content_type, and a body together with ?source=', () => {
    expect((failure({ method: 'GET', url: '/_mget?source=%7B%7D' }) as EsError).reason).toBe('source and source_content_type parameters are required');
    expect((failure({ method: 'POST', url: '/_mget?source=%7B%7D&source_content_type=application/json', body: '{"docs":[]}' }) as EsError).status).toBe(400);
  });

  it('refuses body formats it cannot read where targets live in the body', () => {
    const error = failure({ method: 'POST', url: '/_bulk', body: bulk, contentType: 'application/smile' });
    expect(error).toBeInstanceOf(EsPlainError);
    expect(error.status).toBe(406);
    expect((failure({ method: 'POST', url: '/_bulk', body: Buffer.from([0x7b, 0xff, 0x7d, 0x0a]) }) as EsError).status).toBe(400);
  });

  it('refuses a targets parameter given twice with different values', () => {
    expect((failure({ method: 'GET', url: '/_search?index=logs&index=secret' }) as EsError).reason).toContain('[index]');
    expect(summarize(classify({ method: 'GET', url: '/_search?index=logs&index=logs' }).targets)).toBe('logs');
  });
});

describe('indices a query reads besides its targets', () => {
  const R = 'indices:data/read/';
  it.each([
    ['a terms lookup', { query: { terms: { user: { index: 'secret', id: '1', path: 'ids' } } } }, `${R}get secret`],
    ['an indexed shape', { query: { geo_shape: { location: { indexed_shape: { index: 'secret', id: '1' } } } } }, `${R}get secret`],
    ['an indexed shape in the default index', { query: { bool: { filter: [{ shape: { g: { indexed_shape: { id: '1' } } } }] } } }, `${R}get shapes`],
    ['a percolated document', { query: { percolate: { field: 'q', index: 'secret', id: '1' } } }, `${R}get secret`],
    ['more_like_this items', { query: { more_like_this: { fields: ['t'], like: [{ _index: 'secret', _id: '1' }, 'text'] } } }, `${R}mtv secret`],
    ['nothing but a terms aggregation', { aggs: { by: { terms: { field: 'user' } } } }, ''],
  ])('finds %s in a search body', (_label, body, expected) => {
    const c = classify({ method: 'POST', url: '/logs/_search', body: JSON.stringify(body) });
    expect(c.lookups.map((l) => `${l.action} ${l.expressions.join(',')}`).join('; ')).toBe(expected);
    expect(summarize(c.targets)).toBe('logs');
  });

  it('finds a lookup whose key is spelled with a unicode escape', () => {
    const c = classify({ method: 'POST', url: '/logs/_search', body: '{"query":{"t\\u0065rms":{"u":{"index":"secret","id":"1","path":"p"}}}}' });
    expect(c.lookups.map((l) => l.expressions[0])).toEqual(['secret']);
  });

  it('finds lookups in msearch bodies, by-query requests and reindex sources', () => {
    const lookup = { query: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } };
    expect(classify({ method: 'POST', url: '/_msearch', body: nd({ index: 'logs' }, lookup) }).lookups[0]?.expressions).toEqual(['secret']);
    expect(classify({ method: 'POST', url: '/logs/_delete_by_query', body: JSON.stringify(lookup) }).lookups[0]?.expressions).toEqual(['secret']);
    expect(classify({ method: 'POST', url: '/_reindex', body: JSON.stringify({ source: { index: 'a', ...lookup }, dest: { index: 'b' } }) }).lookups[0]?.expressions).toEqual(['secret']);
  });

  it('finds lookup runtime fields in searches, and treats one stored in a mapping or template as a read of every index', () => {
    const runtime = { who: { type: 'lookup', target_index: 'secret', input_field: 'u', target_field: 'id', fetch_fields: ['name'] } };
    expect(classify({ method: 'POST', url: '/logs/_search', body: JSON.stringify({ runtime_mappings: runtime }) }).lookups[0]).toEqual({ action: `${R}search`, expressions: ['secret'], position: 0 });
    // Stored, it runs later for every reader of the index with the cluster's rights (issue 10).
    expect(classify({ method: 'PUT', url: '/logs/_mapping', body: JSON.stringify({ runtime }) }).lookups[0]?.expressions).toEqual([]);
    expect(classify({ method: 'PUT', url: '/_index_template/t', body: JSON.stringify({ index_patterns: ['x*'], template: { mappings: { runtime } } }) }).lookups[0]?.expressions).toEqual([]);
  });

  it('treats every search template as a read of every index, since the upstream renders it (mustache can assemble a lookup)', () => {
    const stored = classify({ method: 'POST', url: '/logs/_search/template', body: JSON.stringify({ id: 'my-template', params: { q: 'x' } }) });
    expect(stored.lookups).toEqual([{ action: `${R}get`, expressions: [], position: 0 }]);
    const inline = classify({ method: 'POST', url: '/logs/_search/template', body: JSON.stringify({ source: '{"query":{"terms":{"u":{"index":"{{i}}","id":"1","path":"p"}}}}', params: { i: 'secret' } }) });
    expect(inline.lookups).toHaveLength(1);
    // Split words ("ter" + "ms") would defeat any scan of the template text.
    const assembled = classify({ method: 'POST', url: '/logs/_search/template', body: JSON.stringify({ source: '{"query":{"{{a}}{{b}}":{}}}', params: { a: 'ter', b: 'ms' } }) });
    expect(assembled.lookups).toEqual([{ action: `${R}get`, expressions: [], position: 0 }]);
  });

  it('treats a wrapper query, a _rank_eval with templates, and an _mtermvectors parameters._index as what they can reach', () => {
    const wrapped = Buffer.from(JSON.stringify({ terms: { f: { index: 'secret', id: '1', path: 'p' } } })).toString('base64');
    const wrapper = classify({ method: 'POST', url: '/mine/_validate/query', body: JSON.stringify({ query: { wrapper: { query: wrapped } } }) });
    expect(wrapper.lookups).toEqual([{ action: `${R}get`, expressions: [], position: 0 }]);
    const rankEval = classify({
      method: 'POST',
      url: '/mine/_rank_eval',
      body: JSON.stringify({ templates: [{ id: 't', template: { source: '{}' } }], requests: [{ id: 'r', template_id: 't', params: {}, ratings: [] }], metric: { precision: {} } }),
    });
    expect(rankEval.lookups).toEqual([{ action: `${R}get`, expressions: [], position: 0 }]);
    expect(() => classify({ method: 'POST', url: '/mine/_mtermvectors', body: JSON.stringify({ ids: ['1'], parameters: { _index: 'secret' } }) })).toThrow(/parameters\._index/);
  });

  it('makes a scripted reindex write to every index, since its script may set ctx._index', () => {
    const c = classify({ method: 'POST', url: '/_reindex', body: JSON.stringify({ source: { index: 'a' }, dest: { index: 'b' }, script: { source: "ctx._index = 'secret'" } }) });
    expect(summarize(c.targets)).toBe('indices:data/read/search a; indices:data/write/index ALL');
  });
});

describe('needsBody', () => {
  it.each([
    ['POST', '/_bulk', true],
    ['POST', '/logs/_bulk', true],
    ['POST', '/_mget', true],
    ['POST', '/_msearch', true],
    ['POST', '/_reindex', true],
    ['POST', '/_aliases', true],
    ['POST', '/_search/scroll', true],
    ['DELETE', '/_pit', true],
    ['POST', '/_search', true],
    ['PUT', '/logs-1', true],
    ['PUT', '/_ml/datafeeds/f', true],
    ['POST', '/logs/_search', true],
    ['POST', '/logs/_update_by_query', true],
    // Documents are read for the lookups a percolator field would run (issue 10).
    ['PUT', '/logs/_doc/1', true],
    ['PUT', '/logs/_mapping', true],
    ['POST', '/logs/_update/1', true],
    ['GET', '/logs/_doc/1', false],
    ['GET', '/_cluster/health', false],
    ['POST', '/_SEARCH', false],
  ])('%s %s → %s', (method, path, expected) => {
    expect(needsBody(method, path)).toBe(expected);
  });
});
