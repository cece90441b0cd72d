// esgate's own Elasticsearch security APIs under /_security. The namespace is esgate's alone:
// a path or method it does not implement is answered like Elasticsearch answers one, never proxied.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { unsupportedContentType, xContentParseException } from '../errors/request.js';
import { productHeaderHook } from '../http/product-header.js';
import { commonParametersHook } from '../http/response-format.js';
import { authenticateRoutes } from './authenticate.js';
import type { Authorizer } from '../authz/authorizer.js';
import type { Authentication } from '../services/authentication.js';
import type { RoleService } from '../services/role-service.js';
import type { UserService } from '../services/user-service.js';
import { privilegesRoutes } from './privileges/index.js';
import { roleRoutes } from './role/index.js';
import { bulkRoleRoutes } from './role/bulk.js';
import { RouteTable } from './route-table.js';
import { userRoutes } from './user/index.js';
import { tokenRoutes, type TokenRoutesDeps } from './token/index.js';
import { apiKeyRoutes, type ApiKeyRoutesDeps } from './api-key/index.js';
import type { Random } from '../runtime/random.js';
import type { ServiceTokenService } from '../services/service-token-service.js';
import { nodeIdentity } from './nodes.js';
import { serviceAccountRoutes } from './service-account/index.js';
import type { ApplicationPrivilegeService } from '../services/application-privilege-service.js';
import { applicationPrivilegeRoutes } from './privileges/application.js';
import type { ProfileService } from '../services/profile-service.js';
import { profileRoutes } from './profile/index.js';
import type { CredentialCache } from '../cache/credential-cache.js';
import { cacheClearRoutes } from './cache-clear.js';
import type { RoleMappingService } from '../services/role-mapping-service.js';
import { statsRoutes } from './stats.js';
import { roleMappingRoutes } from './role-mapping/index.js';
import { queryRoutes } from './query.js';

/** What the security APIs need from the app context (AppContext satisfies it). */
export type SecurityApiDeps = TokenRoutesDeps & ApiKeyRoutesDeps & {
  readonly authorizer: Authorizer;
  readonly roles: RoleService;
  readonly users: UserService;
  readonly serviceTokens: ServiceTokenService;
  readonly applicationPrivileges: ApplicationPrivilegeService;
  readonly profiles: ProfileService;
  readonly credentialCache: CredentialCache<Authentication>;
  readonly random: Random;
  readonly roleMappings: RoleMappingService;
};

const CATCH_ALL = ['/_security', '/_security/*'];

/** Depth bound of esgate's own API bodies (roles, users, keys, profiles): stored, rendered and queried later. */
const MAX_SECURITY_BODY_DEPTH = 100;

/** Iterative, so a 20,000-level body costs a loop, not the stack. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, depth] = entry;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

export async function securityApi(app: FastifyInstance, deps: SecurityApiDeps): Promise<void> {
  productHeaderHook(app);
  commonParametersHook(app);

  // Elasticsearch reads JSON bodies (and its vendor type); anything else is 406, as it answers.
  app.removeContentTypeParser('text/plain');
  // An empty body with a JSON content type is no body (DELETE/PUT without payload), as for Elasticsearch.
  const strictJson = app.getDefaultJsonParser('error', 'error');
  const jsonOrNothing: typeof strictJson = (request, body, done) => {
    if (body === '' || body.length === 0) return done(null, undefined);
    strictJson(request, body, (err, value) => {
      if (err === null && nestedDeeperThan(value, MAX_SECURITY_BODY_DEPTH)) {
        return done(xContentParseException(`the request body is nested deeper than ${MAX_SECURITY_BODY_DEPTH} levels`), undefined);
      }
      done(err, value);
    });
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonOrNothing);
  app.addContentTypeParser(/^application\/vnd\.elasticsearch\+json/, { parseAs: 'string' }, jsonOrNothing);
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(unsupportedContentType(request.headers['content-type'] ?? ''), undefined);
  });

  const routes = new RouteTable();
  app.addHook('onRoute', (route) => {
    if (!CATCH_ALL.includes(route.url)) routes.add(route.method, route.url);
  });

  // Each route declares its Elasticsearch action (route-action.ts); it is authorized here, after
  // the body was parsed and validated, before the handler runs.
  app.addHook('preHandler', async (request) => {
    const { action: declared, selfAction } = request.routeOptions.config;
    const action = declared === undefined ? null : typeof declared === 'function' ? declared(request) : declared;
    const authentication = request.authentication as Authentication;
    request.authzAction = action ?? selfAction ?? `${request.method} ${request.routeOptions.url ?? request.url}`;
    if (action !== null) await deps.authorizer.authorizeCluster(authentication, action);
    // No cluster privilege needed (or the handler decides it): run-as is still authorized first,
    // so a request can never act as a user it may not run as.
    else await deps.authorizer.authorizeRunAs(authentication, request.authzAction);
    request.authzGranted = true;
  });

  await app.register(authenticateRoutes);
  await app.register(userRoutes, { users: deps.users, profiles: deps.profiles });
  await app.register(roleRoutes, { roles: deps.roles });
  await app.register(bulkRoleRoutes, { roles: deps.roles });
  await app.register(privilegesRoutes, { authorizer: deps.authorizer, roles: deps.roles, applicationPrivileges: deps.applicationPrivileges });
  await app.register(tokenRoutes, deps);
  await app.register(apiKeyRoutes, deps);
  const node = nodeIdentity(deps.random.bytes(16).toString('base64url').slice(0, 22));
  await app.register(serviceAccountRoutes, { serviceTokens: deps.serviceTokens, node });
  await app.register(applicationPrivilegeRoutes, { authorizer: deps.authorizer, applicationPrivileges: deps.applicationPrivileges, node });
  await app.register(profileRoutes, deps);
  await app.register(roleMappingRoutes, { roleMappings: deps.roleMappings });
  await app.register(statsRoutes, { node });
  await app.register(queryRoutes, { users: deps.users, roles: deps.roles });
  await app.register(cacheClearRoutes, { authorizer: deps.authorizer, credentialCache: deps.credentialCache, apiKeys: deps.apiKeys, node });

  // Answered in the route's onRequest (after authentication, before the body is read), because
  // Elasticsearch routes before it parses: an unknown path with a bad or huge body is still "no handler".
  const unhandled = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    // OPTIONS on a path esgate serves: 200 with Allow, as Elasticsearch's RestController answers.
    const allowed = request.method === 'OPTIONS' ? routes.allowed(request) : [];
    if (allowed.length > 0) return reply.header('allow', allowed.join(',')).code(200).send();
    throw routes.unhandled(request);
  };
  for (const url of CATCH_ALL) {
    app.all(url, { onRequest: unhandled }, async () => undefined);
  }
}
