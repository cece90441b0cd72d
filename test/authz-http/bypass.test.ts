// The bypass suite (issue 5): every route to a forbidden index is denied before anything reaches
// the upstream, while its allowed twin is forwarded, exactly as authorized.
import { gzipSync } from 'node:zlib';
import { RESTRICTED_PATTERNS } from '../../src/authz/restricted.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRoleDescriptor } from '../../src/services/role-descriptor.js';
import { buildTestApp, type TestApp } from '../support/test-app.js';
import { expectNothingForbiddenArrived, send, sendRawLine, type RawRequest, type Sent } from './support.js';

type Who = 'reader' | 'writer' | 'keeper' | 'elastic';

const USERS: Record<Exclude<Who, 'elastic'>, { username: string; password: string; roles: string[] }> = {
  reader: { username: 'rdeniro', password: 'taxidriver', roles: ['logs_reader'] },
  writer: { username: 'scribe', password: 'scribe-password', roles: ['logs_reader', 'logs_writer'] },
  keeper: { username: 'keeper', password: 'keeper-password', roles: ['logs_manager'] },
};

const ROLES: Record<string, unknown> = {
  logs_reader: { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read', 'view_index_metadata'] }] },
  logs_writer: { indices: [{ names: ['logs-*'], privileges: ['write', 'create_index'] }] },
  logs_manager: { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['manage', 'read'] }] },
  logs_creator: { indices: [{ names: ['logs-*'], privileges: ['create_doc'] }] },
  other_reader: { cluster: ['monitor'], indices: [{ names: ['logs-*'], privileges: ['read'] }] },
  everything_reader: { indices: [{ names: ['*'], privileges: ['read'] }] },
};

let t: TestApp;
let base: string;

function auth(who: Who): string {
  if (who === 'elastic') return t.basic();
  const user = USERS[who];
  return t.basic(user.username, user.password);
}

beforeAll(async () => {
  t = await buildTestApp();
  for (const [name, json] of Object.entries(ROLES)) await t.ctx.roles.put(name, parseRoleDescriptor(name, json, { allowDescription: true }));
  for (const user of Object.values(USERS)) await t.ctx.users.create(user);
  await t.ctx.users.create({ username: 'other', password: 'other-password', roles: ['other_reader'] });
  await t.ctx.users.create({ username: 'wide', password: 'wide-password', roles: ['everything_reader'] });
  base = await t.listen();
});

afterAll(() => t.close());

afterEach(() => {
  t.upstream.respond = null;
  expectNothingForbiddenArrived(t);
});

const ndjson = (...lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
const enc = encodeURIComponent;

interface Twin extends RawRequest {
  readonly as?: Who;
  /** The url the upstream must receive (default: the request's path). */
  readonly upstreamUrl?: string;
  /** The status the fake upstream answers (default 200). */
  readonly upstreamStatus?: number;
}

interface BypassCase {
  readonly label: string;
  readonly as: Who;
  readonly denied: RawRequest;
  /** 403 unless said. */
  readonly status?: number;
  /** Exact reason, or a pattern; 403s are always checked for Elasticsearch's shape. */
  readonly reason?: string | RegExp;
  readonly twin: Twin;
}

const SEARCH_DENIED = (indices: string) =>
  `action [indices:data/read/search] is unauthorized for user [rdeniro] with effective roles [logs_reader] on indices [${indices}], this action is granted by the index privileges [read,all]`;

const search = (path: string): RawRequest => ({ method: 'GET', path });

const CASES: BypassCase[] = [
  // ---- names in the path
  { label: 'a plain forbidden index', as: 'reader', denied: search('/secret/_search'), reason: SEARCH_DENIED('secret'), twin: search('/logs-1/_search') },
  { label: 'a forbidden name in a comma list', as: 'reader', denied: search('/secret,logs-1/_search'), reason: SEARCH_DENIED('secret'), twin: search('/logs-2,logs-1/_search') },
  { label: 'a forbidden name after a granted wildcard', as: 'reader', denied: search('/logs-*,secret/_search'), reason: SEARCH_DENIED('secret'), twin: search('/logs-*,logs-1/_search') },
  {
    label: 'percent-encoded letters of the name',
    as: 'reader',
    denied: search('/%73ecret/_search'),
    reason: SEARCH_DENIED('secret'),
    twin: { ...search('/%6Cogs-1/_search'), upstreamUrl: '/logs-1/_search' },
  },
  { label: 'an encoded slash joining name and endpoint', as: 'reader', denied: search('/secret%2F_search'), status: 400, twin: search('/logs-1/_search') },
  { label: 'an encoded dot-dot segment', as: 'reader', denied: search('/logs-1/..%2Fsecret/_search'), status: 400, twin: search('/logs-1/_search') },
  { label: 'an encoded dot segment %2e%2e', as: 'reader', denied: search('/logs-1/%2e%2e/secret/_search'), status: 400, twin: search('/logs-1/_search') },
  { label: 'a raw dot segment', as: 'reader', denied: search('/./secret'), status: 400, twin: search('/logs-1') },
  {
    label: 'duplicate slashes',
    as: 'reader',
    denied: search('//secret//_search'),
    reason: SEARCH_DENIED('secret'),
    twin: { ...search('//logs-1//_search/'), upstreamUrl: '/logs-1/_search' },
  },
  {
    label: 'an upper-case endpoint name (unclassified: cluster all only)',
    as: 'reader',
    denied: search('/secret/_SEARCH'),
    reason: 'action [GET /secret/_SEARCH] is unauthorized for user [rdeniro] with effective roles [logs_reader], this request is not classified by esgate and is granted by the cluster privileges [all]',
    twin: search('/logs-1/_search'),
  },
  { label: 'the index query parameter', as: 'reader', denied: search('/_search?index=secret'), reason: SEARCH_DENIED('secret'), twin: search('/_search?index=logs-1') },
  { label: 'the index query parameter given twice', as: 'reader', denied: search('/_search?index=logs-1&index=secret'), status: 400, twin: search('/_search?index=logs-1&index=logs-1') },
  {
    label: 'date math resolving to a forbidden name',
    as: 'reader',
    denied: search(`/${enc('<secret-{now/d}>')}/_search`),
    reason: /^action \[indices:data\/read\/search\] is unauthorized for user \[rdeniro\] with effective roles \[logs_reader\] on indices \[secret-\d{4}\.\d{2}\.\d{2}\]/,
    twin: search(`/${enc('<logs-{now/d}>')}/_search`),
  },
  { label: 'a remote cluster prefix', as: 'reader', denied: search('/remote:logs-1/_search'), reason: SEARCH_DENIED('remote:logs-1'), twin: search('/logs-1/_search') },
  { label: 'a wildcard remote cluster prefix', as: 'reader', denied: search('/*:logs-1/_search'), reason: SEARCH_DENIED('*:logs-1'), twin: search('/logs-1/_search') },
  {
    label: 'a wildcard that reaches beyond the grant and cannot be narrowed',
    as: 'reader',
    denied: search('/s*/_search'),
    reason: SEARCH_DENIED('s*'),
    twin: search('/logs-2*/_search'),
  },
  {
    label: 'a wildcard overlapping the grant only partly',
    as: 'reader',
    denied: search('/*-1/_search'),
    reason: SEARCH_DENIED('*-1'),
    twin: { ...search('/*/_search'), upstreamUrl: '/logs-*/_search' },
  },
  {
    label: '_all',
    as: 'reader',
    denied: search('/secret*/_search'),
    reason: SEARCH_DENIED('secret*'),
    twin: { ...search('/_all/_search'), upstreamUrl: '/logs-*/_search' },
  },
  {
    label: 'the index both in the path and in ?index=',
    as: 'reader',
    denied: search('/logs-1/_search?index=secret'),
    status: 400,
    twin: search('/logs-1/_search?index=logs-1'),
  },
  {
    label: 'every alias named like a granted one (narrowed by index, not by alias name)',
    as: 'reader',
    denied: search('/secret/_alias/logs-alias'),
    twin: { ...search('/_alias/logs-alias'), upstreamUrl: '/logs-*/_alias/logs-alias' },
  },
  {
    label: 'settings of every index (narrowed by index, not by setting name)',
    as: 'reader',
    denied: search('/secret/_settings/index.number_of_shards'),
    twin: { ...search('/_settings/index.number_of_shards'), upstreamUrl: '/logs-*/_settings/index.number_of_shards' },
  },
  {
    label: 'no index at all (narrowed to the grant)',
    as: 'reader',
    denied: search('/_search?index=*'),
    reason: SEARCH_DENIED('*'),
    twin: { ...search('/_search'), upstreamUrl: '/logs-*/_search' },
  },
  {
    label: 'a GET of a forbidden document',
    as: 'reader',
    denied: search('/secret/_doc/1'),
    reason: 'action [indices:data/read/get] is unauthorized for user [rdeniro] with effective roles [logs_reader] on indices [secret], this action is granted by the index privileges [read,all]',
    twin: search('/logs-1/_doc/1'),
  },
  { label: 'HEAD of a forbidden index', as: 'reader', denied: { method: 'HEAD', path: '/secret' }, twin: { method: 'HEAD', path: '/logs-1' } },
  { label: '_count', as: 'reader', denied: search('/secret/_count'), twin: search('/logs-1/_count') },
  { label: '_field_caps with the index parameter', as: 'reader', denied: search('/_field_caps?index=secret&fields=*'), twin: search('/_field_caps?index=logs-1&fields=*') },
  { label: '_cat/indices', as: 'keeper', denied: search('/_cat/indices/secret'), twin: search('/_cat/indices/logs-1') },
  {
    label: 'a write through a read grant',
    as: 'reader',
    denied: { method: 'PUT', path: '/logs-1/_doc/1', body: '{"secret":false}' },
    reason: 'action [indices:data/write/index] is unauthorized for user [rdeniro] with effective roles [logs_reader] on indices [logs-1], this action is granted by the index privileges [create_doc,create,index,write,all]',
    twin: { method: 'GET', path: '/logs-1/_doc/1' },
  },

  // ---- names in bodies
  {
    label: '_bulk with one forbidden item among allowed ones (denied whole)',
    as: 'writer',
    denied: {
      method: 'POST',
      path: '/_bulk',
      body: ndjson({ index: { _index: 'logs-1', _id: '1' } }, { a: 1 }, { index: { _index: 'secret', _id: '2' } }, { a: 2 }, { delete: { _index: 'logs-2', _id: '3' } }),
      headers: { 'content-type': 'application/x-ndjson' },
    },
    reason: /^action \[indices:data\/write\/[^\]]+\] is unauthorized for user \[scribe\] with effective roles \[logs_reader,logs_writer\] on indices \[secret\]/,
    twin: {
      method: 'POST',
      path: '/_bulk',
      body: ndjson({ index: { _index: 'logs-1', _id: '1' } }, { a: 1 }, { index: { _index: 'logs-3', _id: '2' } }, { a: 2 }, { delete: { _index: 'logs-2', _id: '3' } }),
      headers: { 'content-type': 'application/x-ndjson' },
    },
  },
  {
    label: '_bulk on a granted path index with an item naming a forbidden _index',
    as: 'writer',
    denied: { method: 'POST', path: '/logs-1/_bulk', body: ndjson({ index: {} }, { a: 1 }, { update: { _index: 'secret', _id: '1' } }, { doc: { a: 2 } }), headers: { 'content-type': 'application/x-ndjson' } },
    twin: { method: 'POST', path: '/logs-1/_bulk', body: ndjson({ index: {} }, { a: 1 }, { update: { _id: '1' } }, { doc: { a: 2 } }), headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_bulk naming the index with a JSON unicode escape',
    as: 'writer',
    denied: { method: 'POST', path: '/_bulk', body: '{"index":{"_index":"\\u0073ecret"}}\n{"a":1}\n', headers: { 'content-type': 'application/x-ndjson' } },
    twin: { method: 'POST', path: '/_bulk', body: '{"index":{"_index":"\\u006cogs-1"}}\n{"a":1}\n', headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_bulk with a duplicated _index key in the action line',
    as: 'writer',
    denied: { method: 'POST', path: '/_bulk', body: '{"index":{"_index":"logs-1","_index":"secret"}}\n{"a":1}\n', headers: { 'content-type': 'application/x-ndjson' } },
    status: 400,
    twin: { method: 'POST', path: '/_bulk', body: '{"index":{"_index":"logs-1"}}\n{"a":1}\n', headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_bulk sent chunked',
    as: 'writer',
    denied: { method: 'POST', path: '/_bulk', chunked: true, body: ndjson({ create: { _index: 'logs-1' } }, { a: 1 }, { create: { _index: 'secret' } }, { a: 2 }), headers: { 'content-type': 'application/x-ndjson' } },
    twin: { method: 'POST', path: '/_bulk', chunked: true, body: ndjson({ create: { _index: 'logs-1' } }, { a: 1 }, { create: { _index: 'logs-2' } }, { a: 2 }), headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: 'a gzip-compressed _bulk',
    as: 'writer',
    denied: { method: 'POST', path: '/_bulk', body: gzipSync(ndjson({ index: { _index: 'secret' } }, { a: 1 })), headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } },
    // The body goes upstream as esgate read it: decompressed (the fake upstream does not read gzip).
    twin: { method: 'POST', path: '/_bulk', body: gzipSync(ndjson({ index: { _index: 'logs-1' } }, { a: 1 })), headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' } },
  },
  {
    label: 'a _bulk body carried in ?source=',
    as: 'writer',
    denied: { method: 'POST', path: `/_bulk?source_content_type=application/x-ndjson&source=${enc(ndjson({ index: { _index: 'secret' } }, { a: 1 }))}` },
    twin: { method: 'POST', path: `/_bulk?source_content_type=application/x-ndjson&source=${enc(ndjson({ index: { _index: 'logs-1' } }, { a: 1 }))}` },
  },
  {
    label: '_bulk whose default index comes from ?index=',
    as: 'writer',
    denied: { method: 'POST', path: '/_bulk?index=secret', body: ndjson({ index: {} }, { a: 1 }), headers: { 'content-type': 'application/x-ndjson' } },
    twin: { method: 'POST', path: '/_bulk?index=logs-1', body: ndjson({ index: {} }, { a: 1 }), headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_msearch whose default index comes from ?index=',
    as: 'reader',
    denied: { method: 'POST', path: '/_msearch?index=secret', body: ndjson({}, {}), headers: { 'content-type': 'application/x-ndjson' } },
    twin: { method: 'POST', path: '/_msearch?index=logs-1', body: ndjson({}, {}), headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_mget whose default index comes from ?index=',
    as: 'reader',
    denied: { method: 'POST', path: '/_mget?index=secret', body: JSON.stringify({ ids: ['1'] }) },
    twin: { method: 'POST', path: '/_mget?index=logs-1', body: JSON.stringify({ ids: ['1'] }) },
  },
  {
    label: 'an alias named in the path of a granted index',
    as: 'keeper',
    denied: { method: 'PUT', path: '/logs-1/_alias/secret' },
    twin: { method: 'PUT', path: '/logs-1/_alias/logs-one' },
  },
  {
    label: 'a more_like_this query reading a forbidden document',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { more_like_this: { fields: ['a'], like: [{ _index: 'secret', _id: '1' }] } } }) },
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { more_like_this: { fields: ['a'], like: [{ _index: 'logs-2', _id: '1' }] } } }) },
  },
  {
    label: 'a lookup runtime field reading a forbidden index',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ runtime_mappings: { x: { type: 'lookup', target_index: 'secret', input_field: 'a', target_field: 'b', fetch_fields: ['c'] } } }) },
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ runtime_mappings: { x: { type: 'lookup', target_index: 'logs-2', input_field: 'a', target_field: 'b', fetch_fields: ['c'] } } }) },
  },
  {
    label: '_mget docs naming a forbidden _index',
    as: 'reader',
    denied: { method: 'POST', path: '/_mget', body: JSON.stringify({ docs: [{ _index: 'logs-1', _id: '1' }, { _index: 'secret', _id: '1' }] }) },
    reason: /on indices \[secret\]/,
    twin: { method: 'POST', path: '/_mget', body: JSON.stringify({ docs: [{ _index: 'logs-1', _id: '1' }, { _index: 'logs-2', _id: '1' }] }) },
  },
  {
    label: '_mget on a granted path index with a doc naming a forbidden _index',
    as: 'reader',
    denied: { method: 'GET', path: '/logs-1/_mget', body: JSON.stringify({ docs: [{ _id: '1' }, { _index: 'secret', _id: '1' }] }) },
    twin: { method: 'GET', path: '/logs-1/_mget', body: JSON.stringify({ docs: [{ _id: '1' }, { _index: 'logs-2', _id: '1' }] }), upstreamUrl: '/logs-1/_mget' },
  },
  {
    label: '_msearch with a header naming a forbidden index',
    as: 'reader',
    denied: { method: 'POST', path: '/_msearch', body: ndjson({ index: 'logs-1' }, {}, { index: 'secret' }, {}), headers: { 'content-type': 'application/x-ndjson' } },
    reason: SEARCH_DENIED('secret'),
    twin: { method: 'POST', path: '/_msearch', body: ndjson({ index: 'logs-1' }, {}, { index: 'logs-2' }, {}), headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_msearch with a header naming indices as an array',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_msearch', body: ndjson({}, {}, { index: ['logs-2', 'secret'] }, {}), headers: { 'content-type': 'application/x-ndjson' } },
    twin: { method: 'POST', path: '/logs-1/_msearch', body: ndjson({}, {}, { index: ['logs-2', 'logs-3'] }, {}), headers: { 'content-type': 'application/x-ndjson' } },
  },
  {
    label: '_reindex from a forbidden source',
    as: 'writer',
    denied: { method: 'POST', path: '/_reindex', body: JSON.stringify({ source: { index: 'secret' }, dest: { index: 'logs-copy' } }) },
    twin: { method: 'POST', path: '/_reindex', body: JSON.stringify({ source: { index: 'logs-1' }, dest: { index: 'logs-copy' } }) },
  },
  {
    label: '_reindex into a forbidden destination',
    as: 'writer',
    denied: { method: 'POST', path: '/_reindex', body: JSON.stringify({ source: { index: ['logs-1'] }, dest: { index: 'secret' } }) },
    twin: { method: 'POST', path: '/_reindex', body: JSON.stringify({ source: { index: ['logs-1'] }, dest: { index: 'logs-copy' } }) },
  },
  {
    label: '_reindex from a remote cluster (the upstream would connect anywhere)',
    as: 'writer',
    denied: { method: 'POST', path: '/_reindex', body: JSON.stringify({ source: { remote: { host: 'http://10.0.0.1:9200' }, index: 'logs-1' }, dest: { index: 'logs-copy' } }) },
    twin: { method: 'POST', path: '/_reindex', body: JSON.stringify({ source: { index: 'logs-1' }, dest: { index: 'logs-copy' } }) },
  },
  {
    label: '_aliases adding a granted alias to a forbidden index',
    as: 'keeper',
    denied: { method: 'POST', path: '/_aliases', body: JSON.stringify({ actions: [{ add: { index: 'secret', alias: 'logs-alias' } }] }) },
    twin: { method: 'POST', path: '/_aliases', body: JSON.stringify({ actions: [{ add: { index: 'logs-1', alias: 'logs-alias' } }] }) },
  },
  {
    label: '_aliases adding a forbidden alias name to a granted index',
    as: 'keeper',
    denied: { method: 'POST', path: '/_aliases', body: JSON.stringify({ actions: [{ add: { indices: ['logs-1'], aliases: ['secret'] } }] }) },
    twin: { method: 'POST', path: '/_aliases', body: JSON.stringify({ actions: [{ add: { indices: ['logs-1'], aliases: ['logs-all'] } }] }) },
  },
  {
    label: 'an alias whose filter looks up a forbidden index',
    as: 'keeper',
    denied: { method: 'POST', path: '/_aliases', body: JSON.stringify({ actions: [{ add: { index: 'logs-1', alias: 'logs-view', filter: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } } }] }) },
    // A stored lookup runs later for every reader with the cluster's rights: only a reader of every index may store one.
    twin: { as: 'elastic', method: 'POST', path: '/_aliases', body: JSON.stringify({ actions: [{ add: { index: 'logs-1', alias: 'logs-view', filter: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } } }] }) },
  },
  {
    label: 'a path alias whose filter looks up a forbidden index',
    as: 'keeper',
    denied: { method: 'PUT', path: '/logs-1/_alias/logs-view', body: JSON.stringify({ filter: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } }) },
    twin: { as: 'elastic', method: 'PUT', path: '/logs-1/_alias/logs-view', body: JSON.stringify({ filter: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } }) },
  },
  {
    label: 'an index creation declaring a forbidden alias',
    as: 'keeper',
    denied: { method: 'PUT', path: '/logs-9', body: JSON.stringify({ aliases: { secret: {} } }) },
    twin: { method: 'PUT', path: '/logs-9', body: JSON.stringify({ aliases: { 'logs-nine': {} } }) },
  },
  {
    label: 'a clone into a forbidden target',
    as: 'keeper',
    denied: { method: 'POST', path: '/logs-1/_clone/secret' },
    twin: { method: 'POST', path: '/logs-1/_clone/logs-1-clone' },
  },
  { label: '_update_by_query', as: 'writer', denied: { method: 'POST', path: '/secret/_update_by_query' }, twin: { method: 'POST', path: '/logs-1/_update_by_query' } },
  { label: '_delete_by_query', as: 'writer', denied: { method: 'POST', path: '/secret/_delete_by_query', body: '{"query":{"match_all":{}}}' }, twin: { method: 'POST', path: '/logs-1/_delete_by_query', body: '{"query":{"match_all":{}}}' } },
  {
    label: 'a search whose terms lookup reads a forbidden index',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { user: { index: 'secret', id: '1', path: 'users' } } } }) },
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { user: { index: 'logs-2', id: '1', path: 'users' } } } }) },
  },
  {
    label: 'a terms lookup inside an aggregation filter',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ size: 0, aggs: { a: { filter: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } } } }) },
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ size: 0, aggs: { a: { filter: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } } } }) },
  },
  {
    label: 'a terms lookup whose keys are spelled with JSON unicode escapes',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: '{"query":{"t\\u0065rms":{"u":{"ind\\u0065x":"s\\u0065cret","id":"1","path":"p"}}}}' },
    twin: { method: 'POST', path: '/logs-1/_search', body: '{"query":{"t\\u0065rms":{"u":{"ind\\u0065x":"logs-2","id":"1","path":"p"}}}}' },
  },
  {
    label: 'a _count whose query looks up a forbidden index',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_count', body: JSON.stringify({ query: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } }) },
    twin: { method: 'POST', path: '/logs-1/_count', body: JSON.stringify({ query: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } }) },
  },
  {
    label: 'an _update_by_query whose query looks up a forbidden index',
    as: 'writer',
    denied: { method: 'POST', path: '/logs-1/_update_by_query', body: JSON.stringify({ query: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } }) },
    twin: { method: 'POST', path: '/logs-1/_update_by_query', body: JSON.stringify({ query: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } }) },
  },
  {
    label: 'a GET search with a body whose terms lookup reads a forbidden index',
    as: 'reader',
    denied: { method: 'GET', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { user: { index: 'secret', id: '1', path: 'users' } } } }) },
    twin: { method: 'GET', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { user: { index: 'logs-2', id: '1', path: 'users' } } } }) },
  },
  {
    label: 'a search body in ?source= whose terms lookup reads a forbidden index',
    as: 'reader',
    denied: { method: 'GET', path: `/logs-1/_search?source_content_type=application/json&source=${enc(JSON.stringify({ query: { terms: { u: { index: 'secret', id: '1', path: 'u' } } } }))}` },
    twin: { method: 'GET', path: `/logs-1/_search?source_content_type=application/json&source=${enc(JSON.stringify({ query: { terms: { u: { index: 'logs-2', id: '1', path: 'u' } } } }))}` },
  },
  {
    label: 'a search body in a binary content type esgate cannot read',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: Buffer.from([0x3a, 0x29, 0x0a, 0x05, 0xfa]), headers: { 'content-type': 'application/smile' } },
    status: 406,
    twin: { method: 'POST', path: '/logs-1/_search', body: '{}' },
  },
  {
    label: 'a search body in UTF-16 (which Elasticsearch detects and reads)',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: Buffer.from(JSON.stringify({ query: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } }), 'utf16le') },
    status: 400,
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } }) },
  },
  {
    label: 'a gzip-compressed search body in UTF-16',
    as: 'reader',
    denied: {
      method: 'POST',
      path: '/logs-1/_search',
      body: gzipSync(Buffer.from(JSON.stringify({ query: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } }), 'utf16le')),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    },
    status: 400,
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { match_all: {} } }) },
  },
  {
    label: 'a search body sent as text/plain',
    as: 'reader',
    denied: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { u: { index: 'secret', id: '1', path: 'p' } } } }), headers: { 'content-type': 'text/plain' } },
    status: 406,
    twin: { method: 'POST', path: '/logs-1/_search', body: JSON.stringify({ query: { terms: { u: { index: 'logs-2', id: '1', path: 'p' } } } }) },
  },
  {
    label: 'SQL, whose targets are inside the query (every index needed)',
    as: 'reader',
    denied: { method: 'POST', path: '/_sql', body: JSON.stringify({ query: 'SELECT * FROM secret' }) },
    twin: { as: 'elastic', method: 'POST', path: '/_sql', body: JSON.stringify({ query: 'SELECT * FROM logs' }) },
  },
];

async function forwarded(sent: Sent, before: number, twin: Twin): Promise<void> {
  expect(sent.status, sent.text).toBe(twin.upstreamStatus ?? 200);
  expect(t.upstream.requests.length).toBe(before + 1);
  const arrived = t.upstream.requests[before];
  const [path] = (arrived?.url ?? '').split('?');
  expect(path).toBe(twin.upstreamUrl ?? twin.path.split('?')[0]?.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'));
}

describe('every route to a forbidden index is denied and nothing reaches the upstream; the allowed twin is forwarded', () => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const before = t.upstream.requests.length;
    const denied = await send(base, auth(c.as), c.denied);
    const status = c.status ?? 403;
    expect(denied.status, denied.text).toBe(status);
    if (c.denied.method !== 'HEAD') {
      expect(denied.json?.status).toBe(status);
      if (status === 403) {
        expect(denied.json.error.type).toBe('security_exception');
        const reason = String(denied.json.error.reason);
        expect(reason).toMatch(/^action \[[^\n]+?\] is unauthorized for user \[\w+\] with effective roles \[[\w,]+\]/);
        if (typeof c.reason === 'string') expect(reason).toBe(c.reason);
        else if (c.reason !== undefined) expect(reason).toMatch(c.reason);
      }
    }
    expect(t.upstream.requests.length).toBe(before);

    const twin = await send(base, auth(c.twin.as ?? c.as), c.twin);
    await forwarded(twin, before, c.twin);
  });

  it('logs a denial with its reason and user, never the password', async () => {
    const from = t.logs.lines.length;
    await send(base, auth('reader'), search('/secret/_search'));
    await new Promise((resolve) => setImmediate(resolve));
    const line = t.logs.lines.slice(from).find((l) => l['status'] === 403);
    expect(line).toMatchObject({ user: 'rdeniro', path: '/secret/_search', reason: SEARCH_DENIED('secret') });
    expect(JSON.stringify(t.logs.lines.slice(from))).not.toContain('taxidriver');
  });

  it('refuses an overwrite by a create_doc grant while letting it create documents', async () => {
    await t.ctx.users.create({ username: 'creator', password: 'creator-password', roles: ['logs_creator'] });
    const creator = t.basic('creator', 'creator-password');
    const before = t.upstream.requests.length;
    for (const req of [
      { method: 'PUT', path: '/logs-1/_doc/1', body: '{"a":1}' },
      { method: 'POST', path: '/_bulk', body: ndjson({ index: { _index: 'logs-1', _id: '1' } }, { a: 1 }), headers: { 'content-type': 'application/x-ndjson' } },
    ]) {
      const res = await send(base, creator, req);
      expect(res.status, `${req.method} ${req.path}`).toBe(403);
      expect(res.json.error.reason).toBe(
        'action [indices:data/write/bulk[s]] is unauthorized for user [creator] with effective roles [logs_creator] on indices [logs-1], this action is granted by the index privileges [create,index,write,all]',
      );
    }
    expect(t.upstream.requests.length).toBe(before);
    for (const req of [
      { method: 'PUT', path: '/logs-1/_create/2', body: '{"a":1}' },
      { method: 'PUT', path: '/logs-1/_doc/3?op_type=create', body: '{"a":1}' },
      { method: 'POST', path: '/logs-1/_doc', body: '{"a":1}' },
      { method: 'POST', path: '/_bulk', body: ndjson({ create: { _index: 'logs-1', _id: '4' } }, { a: 1 }), headers: { 'content-type': 'application/x-ndjson' } },
    ]) {
      const res = await send(base, creator, req);
      expect(res.status, `${req.method} ${req.path}`).toBeLessThan(300);
    }
    expect(t.upstream.requests.length).toBe(before + 4);
  });

  it('refuses an absolute-form request target naming a forbidden index', async () => {
    const before = t.upstream.requests.length;
    expect(await sendRawLine(base, `GET http://127.0.0.1/secret/_search HTTP/1.1`, auth('reader'))).toBe(400);
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('continuations belong to the identity that opened them', () => {
  it('forwards a scroll to the user who opened it and answers 404 to anyone else', async () => {
    t.upstream.respond = (req, res) => {
      const body = req.url.includes('scroll=') ? { _scroll_id: 'scroll-of-rdeniro', hits: { hits: [] } } : { hits: { hits: [] } };
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    };
    const opened = await send(base, auth('reader'), { method: 'POST', path: '/logs-1/_search?scroll=1m', body: '{}' });
    expect(opened.json._scroll_id).toBe('scroll-of-rdeniro');

    const before = t.upstream.requests.length;
    for (const req of [
      { method: 'POST', path: '/_search/scroll', body: JSON.stringify({ scroll: '1m', scroll_id: 'scroll-of-rdeniro' }) },
      { method: 'GET', path: '/_search/scroll/scroll-of-rdeniro' },
      { method: 'GET', path: '/_search/scroll?scroll_id=scroll-of-rdeniro' },
      { method: 'DELETE', path: '/_search/scroll', body: JSON.stringify({ scroll_id: ['scroll-of-rdeniro'] }) },
    ]) {
      const stolen = await send(base, t.basic('other', 'other-password'), req);
      expect(stolen.status, `${req.method} ${req.path}`).toBe(404);
      expect(stolen.json.error).toMatchObject({ type: 'search_context_missing_exception', reason: 'No search context found for id [scroll-of-rdeniro]' });
    }
    expect(t.upstream.requests.length).toBe(before);

    const continued = await send(base, auth('reader'), { method: 'POST', path: '/_search/scroll', body: JSON.stringify({ scroll: '1m', scroll_id: 'scroll-of-rdeniro' }) });
    expect(continued.status).toBe(200);
    expect(t.upstream.requests.length).toBe(before + 1);
  });

  it('answers 404 for a scroll id no one received', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, auth('reader'), { method: 'POST', path: '/_search/scroll', body: JSON.stringify({ scroll_id: 'made-up-id' }) });
    expect(res.status).toBe(404);
    expect(res.json.error.type).toBe('search_context_missing_exception');
    expect(t.upstream.requests.length).toBe(before);
  });

  it('refuses to clear every scroll to a user without the cluster privilege for it', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, auth('reader'), { method: 'DELETE', path: '/_search/scroll/_all' });
    expect(res.status).toBe(403);
    expect(res.json.error.reason).toBe(
      'action [cluster:admin/indices/scroll/clear_all] is unauthorized for user [rdeniro] with effective roles [logs_reader], this action is granted by the cluster privileges [manage,all]',
    );
    expect(t.upstream.requests.length).toBe(before);
    const bySuperuser = await send(base, auth('elastic'), { method: 'DELETE', path: '/_search/scroll/_all' });
    expect(bySuperuser.status).toBe(200);
    expect(t.upstream.requests.length).toBe(before + 1);
  });

  it('forwards a point in time to the user who opened it and answers 404 to anyone else', async () => {
    t.upstream.respond = (req, res) => {
      const body = req.url.includes('_pit') ? { id: 'pit-of-rdeniro' } : { pit_id: 'pit-of-rdeniro', hits: { hits: [] } };
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    };
    const opened = await send(base, auth('reader'), { method: 'POST', path: '/logs-1/_pit?keep_alive=1m' });
    expect(opened.status).toBe(200);
    const pitSearch = JSON.stringify({ pit: { id: 'pit-of-rdeniro', keep_alive: '1m' } });

    const before = t.upstream.requests.length;
    for (const req of [
      { method: 'POST', path: '/_search', body: pitSearch },
      { method: 'GET', path: '/_search', body: pitSearch },
      { method: 'DELETE', path: '/_pit', body: JSON.stringify({ id: 'pit-of-rdeniro' }) },
    ]) {
      const stolen = await send(base, t.basic('other', 'other-password'), req);
      expect(stolen.status, `${req.method} ${req.path}`).toBe(404);
      expect(stolen.json.error.type).toBe('search_context_missing_exception');
    }
    expect(t.upstream.requests.length).toBe(before);

    const continued = await send(base, auth('reader'), { method: 'POST', path: '/_search', body: pitSearch });
    expect(continued.status).toBe(200);
    expect(t.upstream.requests.length).toBe(before + 1);
    expect(t.upstream.requests[before]?.url).toBe('/_search');
  });

  it('keeps an async search id with its owner when another user’s answer merely quotes it', async () => {
    t.upstream.respond = (req, res) => {
      const mine = req.url.startsWith('/logs-1/');
      // The victim's search is still running (its answer carries its id); the attacker's completed at once
      // (no id of its own) and a document of it holds the victim's id in a field named `id`.
      const body = mine
        ? { id: 'async-of-rdeniro', is_running: true }
        : { is_running: false, response: { hits: { hits: [{ _index: 'logs-2', _source: { id: 'async-of-rdeniro' } }, { _index: 'logs-2', _source: { id: 'async-of-no-one' } }] } } };
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(body));
    };
    const victim = await send(base, auth('reader'), { method: 'POST', path: '/logs-1/_async_search', body: '{}' });
    expect(victim.json.id).toBe('async-of-rdeniro');
    const attacker = t.basic('other', 'other-password');
    const planted = await send(base, attacker, { method: 'POST', path: '/logs-2/_async_search', body: '{}' });
    expect(planted.status).toBe(200);

    const before = t.upstream.requests.length;
    const stolen = await send(base, attacker, { method: 'GET', path: '/_async_search/async-of-rdeniro' });
    expect(stolen.status).toBe(404);
    expect(stolen.json.error).toMatchObject({ type: 'resource_not_found_exception', reason: 'async-of-rdeniro' });
    expect(t.upstream.requests.length).toBe(before);
    // Nor does a quoted id no one owns become the attacker's.
    const unowned = await send(base, attacker, { method: 'GET', path: '/_async_search/async-of-no-one' });
    expect(unowned.status).toBe(404);
    expect(t.upstream.requests.length).toBe(before);
    const own = await send(base, auth('reader'), { method: 'GET', path: '/_async_search/async-of-rdeniro' });
    expect(own.status).toBe(200);
    expect(t.upstream.requests.length).toBe(before + 1);
  });

  it('binds the async id of an EQL search to the user who started it', async () => {
    t.upstream.respond = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(req.url.startsWith('/logs-1/_eql/search') ? { id: 'eql-of-rdeniro', is_running: true, is_partial: true } : { is_running: false }));
    };
    const started = await send(base, auth('reader'), { method: 'POST', path: '/logs-1/_eql/search?wait_for_completion_timeout=1ms', body: '{"query":"any where true"}' });
    expect(started.status).toBe(200);
    const before = t.upstream.requests.length;
    const stolen = await send(base, t.basic('other', 'other-password'), { method: 'GET', path: '/_eql/search/eql-of-rdeniro' });
    expect(stolen.status).toBe(404);
    expect(t.upstream.requests.length).toBe(before);
    const own = await send(base, auth('reader'), { method: 'GET', path: '/_eql/search/eql-of-rdeniro' });
    expect(own.status).toBe(200);
    expect(t.upstream.requests.length).toBe(before + 1);
  });

  it('refuses a point in time presented on a forbidden index path', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, auth('reader'), { method: 'POST', path: '/secret/_search', body: JSON.stringify({ pit: { id: 'pit-of-rdeniro' } }) });
    expect([400, 403]).toContain(res.status);
    expect(t.upstream.requests.length).toBe(before);
  });
});

describe('restricted system indices stay out of reach of a grant on every index', () => {
  const wide = () => t.basic('wide', 'wide-password');

  it.each([
    ['an explicit restricted name', '/.security-7/_search'],
    ['a wildcard starting with a dot', '/.sec*/_search'],
    ['the async search results index', '/.async-search*/_search'],
  ])('does not forward %s to the upstream as is', async (_label, path) => {
    const before = t.upstream.requests.length;
    const res = await send(base, wide(), { method: 'GET', path });
    const arrived = t.upstream.requests.slice(before).map((r) => r.url);
    if (res.status === 200) {
      // Narrowed: every restricted pattern is excluded from what goes upstream.
      expect(arrived).toHaveLength(1);
      expect(decodeURIComponent(arrived[0] ?? '')).toContain(',-.security*');
    } else {
      expect(res.status).toBe(403);
      expect(arrived).toEqual([]);
    }
  });

  it('excludes the restricted indices from a search on every index, hidden ones included', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, wide(), { method: 'GET', path: '/*/_search?expand_wildcards=all' });
    expect(res.status).toBe(200);
    const url = decodeURIComponent(t.upstream.requests[before]?.url ?? '');
    expect(url).toBe(`/*,${RESTRICTED_PATTERNS.map((p) => `-${p}`).join(',')}/_search?expand_wildcards=all`);
    expect(url).toContain(',-.security*,');
    expect(url).toContain(',-.enrich-*,');
    expect(url).toContain(',-.*secret*');
    expect(url).toContain(',-.tasks*,');
  });

  it('refuses a body-named wildcard that could reach restricted indices', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, wide(), { method: 'POST', path: '/_msearch', body: ndjson({ index: '*' }, {}), headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(403);
    expect(t.upstream.requests.length).toBe(before);
    const ok = await send(base, wide(), { method: 'POST', path: '/_msearch', body: ndjson({ index: 'logs-*' }, {}), headers: { 'content-type': 'application/x-ndjson' } });
    expect(ok.status).toBe(200);
  });

  it('lets the superuser reach restricted indices through a wildcard unchanged', async () => {
    const before = t.upstream.requests.length;
    const res = await send(base, auth('elastic'), { method: 'GET', path: '/.sec*/_search' });
    expect(res.status).toBe(200);
    expect(t.upstream.requests[before]?.url).toBe('/.sec*/_search');
  });
});
