// GET|POST /_security/_query/api_key: the query DSL subset over the keys, paginated and sorted;
// manage_own_api_key sees its own keys only, silently.
import type { FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { EsError } from '../../errors/es-error.js';
import { contentTooLong, illegalArgument, xContentParseException } from '../../errors/request.js';
import { checkClauseCount, MATCH_ALL, parseApiKeyQuery, parseApiKeySort } from '../../services/api-key-query.js';
import type { ApiKeyService } from '../../services/api-key-service.js';
import type { Authentication } from '../../services/authentication.js';
import type { Clock } from '../../runtime/clock.js';
import type { ApiKeyQuery, ApiKeyQueryValue } from '../../store/types.js';
import { optionalObjectBody, rejectUnknownFields } from '../body.js';
import { API_KEY_ACTIONS, keyScope } from './access.js';
import { parseApiKeyAggregations, runApiKeyAggregations } from './aggregations.js';
import { booleanParam, type QueryString } from './params.js';
import { renderApiKey } from './render.js';

export interface QueryDeps {
  readonly apiKeys: Pick<ApiKeyService, 'search'>;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
}

const REQUEST = 'query_api_key_request_payload';
const MAX_RESULT_WINDOW = 10_000;

function integerField(body: Record<string, unknown>, field: 'from' | 'size', fallback: number): number {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new EsError(400, 'x_content_parse_exception', `[${REQUEST}] failed to parse field [${field}]`);
  if (value < 0) throw illegalArgument(`[${field}] parameter cannot be negative, found [${value}]`);
  return value;
}

function searchAfterField(value: unknown): (ApiKeyQueryValue | null)[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
    throw new EsError(400, 'x_content_parse_exception', `[${REQUEST}] failed to parse field [search_after]`);
  }
  return value as (ApiKeyQueryValue | null)[];
}

/**
 * Fastify does not read GET bodies, but Elasticsearch (and curl users) send the query with GET; read
 * it here, within the body limit, so a GET query is never silently answered as match_all.
 */
async function getBody(request: FastifyRequest): Promise<unknown> {
  if (request.method !== 'GET') return request.body;
  const length = Number(request.headers['content-length'] ?? 0);
  if (length === 0 && request.headers['transfer-encoding'] === undefined) return undefined;
  const limit = request.server.initialConfig.bodyLimit ?? 1_048_576;
  if (length > limit) throw contentTooLong(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > limit) throw contentTooLong(limit);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw xContentParseException(`Failed to parse the request body as JSON: ${(err as Error).message}`);
  }
}

export async function queryApiKeys(deps: QueryDeps, request: FastifyRequest) {
  const authentication = request.authentication as Authentication;
  const withLimitedBy = booleanParam(request.query as QueryString, 'with_limited_by');
  booleanParam(request.query as QueryString, 'with_profile_uid');
  booleanParam(request.query as QueryString, 'typed_keys');
  const body = optionalObjectBody(await getBody(request));
  rejectUnknownFields(body, ['query', 'from', 'size', 'sort', 'search_after', 'aggs', 'aggregations'], REQUEST);
  if (body['aggs'] !== undefined && body['aggregations'] !== undefined) throw illegalArgument('Found two aggregation definitions: [aggs] and [aggregations]');
  const now = deps.clock.now();
  const aggregations = parseApiKeyAggregations(body['aggs'] ?? body['aggregations'], now);
  const query = body['query'] === undefined ? MATCH_ALL : parseApiKeyQuery(body['query'], now);
  checkClauseCount(query);
  const from = integerField(body, 'from', 0);
  const size = integerField(body, 'size', 10);
  if (from + size > MAX_RESULT_WINDOW) {
    throw illegalArgument(
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets.`,
    );
  }
  const sort = parseApiKeySort(body['sort']);
  const searchAfter = searchAfterField(body['search_after']);
  if (searchAfter !== undefined && sort.length === 0) throw illegalArgument('Sort must contain at least one field.');
  if (searchAfter !== undefined && searchAfter.length !== sort.length) {
    throw illegalArgument(`search_after has ${searchAfter.length} value(s) but sort has ${sort.length}.`);
  }
  // Elasticsearch refuses with_limited_by to manage_own_api_key only when the caller is an API key.
  const scope = await keyScope(deps.authorizer, authentication, API_KEY_ACTIONS.query, !(withLimitedBy && authentication.apiKey !== undefined));
  const scoped: ApiKeyQuery =
    scope.kind === 'all'
      ? query
      : {
          kind: 'bool',
          must: [query, { kind: 'terms', field: 'username', values: [scope.owner.username] }, { kind: 'terms', field: 'realm_name', values: [scope.owner.realmName] }],
          should: [],
          mustNot: [],
          minimumShouldMatch: 0,
        };
  const result = await deps.apiKeys.search({ query: scoped, sort, from, size, ...(searchAfter === undefined ? {} : { searchAfter }) });
  return {
    total: result.total,
    count: result.hits.length,
    api_keys: result.hits.map((hit) => ({ ...renderApiKey(hit.record, withLimitedBy), ...(sort.length > 0 ? { _sort: hit.sort } : {}) })),
    ...(aggregations === undefined ? {} : { aggregations: await runApiKeyAggregations(aggregations, scoped, (search) => deps.apiKeys.search(search)) }),
  };
}
