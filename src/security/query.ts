// POST|GET /_security/_query/user and /_security/_query/role (8.14/8.15+): the query DSL subset over
// esgate's users and roles, paged and sorted as Elasticsearch answers.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EsError } from '../errors/es-error.js';
import { illegalArgument } from '../errors/request.js';
import { renderRoleDescriptor, type RoleDescriptor } from '../services/role-descriptor.js';
import type { RoleService } from '../services/role-service.js';
import { MAX_RESULT_WINDOW, pageField, SecurityQuery, type Scalar } from '../services/security-query.js';
import type { UserService } from '../services/user-service.js';
import type { UserRecord } from '../store/types.js';
import { optionalObjectBody, rejectUnknownFields } from './body.js';

type Json = Record<string, unknown>;
const strings = (values: readonly (string | null | undefined)[]): Scalar[] => values.filter((v): v is string => typeof v === 'string');

const USER_QUERY = new SecurityQuery<UserRecord>('user', {
  username: (u) => [u.username],
  roles: (u) => u.roles,
  enabled: (u) => [u.enabled],
  full_name: (u) => strings([u.fullName]),
  email: (u) => strings([u.email]),
});

const ROLE_QUERY = new SecurityQuery<[string, RoleDescriptor]>('role', {
  name: ([name]) => [name],
  description: ([, d]) => strings([d.description]),
  'applications.application': ([, d]) => d.applications.map((a) => a.application),
  'applications.resources': ([, d]) => d.applications.flatMap((a) => a.resources),
  'applications.privileges': ([, d]) => d.applications.flatMap((a) => a.privileges),
});

function page<T>(query: SecurityQuery<T>, request: FastifyRequest, name: string, docs: readonly T[]) {
  const body = optionalObjectBody(request.body) as Json;
  rejectUnknownFields(body, ['query', 'from', 'size', 'sort', 'search_after'], name);
  const from = pageField(body, 'from', 0, name);
  const size = pageField(body, 'size', 10, name);
  if (from + size > MAX_RESULT_WINDOW) {
    throw illegalArgument(`Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets.`);
  }
  const predicate = body['query'] === undefined ? () => true : query.parse(body['query']);
  const sort = query.parseSort(body['sort']);
  const after = body['search_after'];
  if (after !== undefined && !Array.isArray(after)) throw new EsError(400, 'x_content_parse_exception', `[${name}] failed to parse field [search_after]`);
  if (after !== undefined && after.length !== sort.length) throw illegalArgument(`search_after has ${after.length} value(s) but sort has ${sort.length}.`);
  return { sorted: sort.length > 0, ...query.run(docs, predicate, sort, from, size, after) };
}

export async function queryRoutes(app: FastifyInstance, options: { users: UserService; roles: RoleService }): Promise<void> {
  const queryUsers = async (request: FastifyRequest) => {
    const { total, hits, sorted } = page(USER_QUERY, request, 'query_user_request', await options.users.list());
    return {
      total,
      count: hits.length,
      users: hits.map(({ doc: u, sort }) => ({
        username: u.username,
        roles: u.roles,
        full_name: u.fullName,
        email: u.email,
        metadata: u.metadata,
        enabled: u.enabled,
        ...(sorted ? { _sort: sort } : {}),
      })),
    };
  };
  const userConfig = { config: { action: 'cluster:admin/xpack/security/user/query' } };
  app.get('/_security/_query/user', userConfig, queryUsers);
  app.post('/_security/_query/user', userConfig, queryUsers);

  const queryRoles = async (request: FastifyRequest) => {
    const { total, hits, sorted } = page(ROLE_QUERY, request, 'query_role_request', await options.roles.list());
    return {
      total,
      count: hits.length,
      roles: hits.map(({ doc: [name, descriptor], sort }) => ({ name, ...renderRoleDescriptor(descriptor), ...(sorted ? { _sort: sort } : {}) })),
    };
  };
  const roleConfig = { config: { action: 'cluster:admin/xpack/security/role/query' } };
  app.get('/_security/_query/role', roleConfig, queryRoles);
  app.post('/_security/_query/role', roleConfig, queryRoles);
}
