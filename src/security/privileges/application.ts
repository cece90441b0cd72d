// Application privilege APIs (Rest{Put,Get,Delete}PrivilegesAction, RestClearPrivilegesCacheAction).
// Allowed by the cluster action, or by `global.application.manage` for every application named
// (how kibana_system registers Kibana's privileges).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { illegalArgument } from '../../errors/request.js';
import type { ApplicationPrivilegeService } from '../../services/application-privilege-service.js';
import type { Authentication } from '../../services/authentication.js';
import type { ApplicationPrivilegeRecord } from '../../store/types.js';
import { deniedSubject } from '../../authz/authorizer.js';
import { privilegesGranting } from '../../authz/permission.js';
import { clusterActionDenied } from '../../errors/authz.js';
import { isJsonObject, namesParam, objectField, rejectUnknownFields, requireObjectBody, stringArrayField, stringField } from '../body.js';
import { nodesAnswer, type NodeIdentity } from '../nodes.js';

interface Params {
  application?: string;
  name?: string;
}

const ACTIONS = {
  put: 'cluster:admin/xpack/security/privilege/put',
  get: 'cluster:admin/xpack/security/privilege/get',
  delete: 'cluster:admin/xpack/security/privilege/delete',
  clearCache: 'cluster:admin/xpack/security/privilege/cache/clear',
} as const;
const REQUEST = 'put_privileges_request';

async function authorize(authorizer: Authorizer, request: FastifyRequest, action: string, applications: readonly string[]): Promise<void> {
  const authentication = request.authentication as Authentication;
  const permission = await authorizer.permission(authentication);
  if (permission.checkCluster(action) || permission.canManageApplications(applications)) return;
  throw authorizer.deny(authentication, clusterActionDenied(action, deniedSubject(authentication), privilegesGranting(action, 'cluster')), action);
}

/** `{app: {name: {actions, metadata}}}` → records, each checked against its keys. */
function parsePutBody(body: unknown): ApplicationPrivilegeRecord[] {
  const out: ApplicationPrivilegeRecord[] = [];
  for (const [application, privileges] of Object.entries(requireObjectBody(body))) {
    if (!isJsonObject(privileges)) throw illegalArgument(`failed to parse privileges for application [${application}]: expected an object`);
    for (const [name, value] of Object.entries(privileges)) {
      if (!isJsonObject(value)) throw illegalArgument(`failed to parse privilege [${application}/${name}]: expected an object`);
      rejectUnknownFields(value, ['application', 'name', 'actions', 'metadata'], REQUEST);
      const inApp = stringField(value, 'application', REQUEST);
      if (inApp !== undefined && inApp !== application) throw illegalArgument(`application [${inApp}] in source does not match the provided application [${application}]`);
      const inName = stringField(value, 'name', REQUEST);
      if (inName !== undefined && inName !== name) throw illegalArgument(`privilege name [${inName}] in source does not match the provided name [${name}]`);
      out.push({ application, name, actions: stringArrayField(value, 'actions', REQUEST) ?? [], metadata: objectField(value, 'metadata', REQUEST) ?? {} });
    }
  }
  return out;
}

function grouped<T>(items: Iterable<[string, string, T]>): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {};
  for (const [application, name, value] of items) (out[application] ??= {})[name] = value;
  return out;
}

export async function applicationPrivilegeRoutes(
  app: FastifyInstance,
  options: { authorizer: Authorizer; applicationPrivileges: ApplicationPrivilegeService; node: NodeIdentity },
): Promise<void> {
  const { authorizer, applicationPrivileges, node } = options;
  // The handler authorizes (the applications named decide); run-as is still checked first.
  const self = { config: { action: () => null } };

  const put = async (request: FastifyRequest) => {
    const records = parsePutBody(request.body);
    await authorize(authorizer, request, ACTIONS.put, [...new Set(records.map((r) => r.application))]);
    const results = await applicationPrivileges.put(records);
    return grouped(results.map(({ record, created }): [string, string, { created: boolean }] => [record.application, record.name, { created }]));
  };
  app.put('/_security/privilege', self, put);
  app.post('/_security/privilege', self, put);

  const get = async (request: FastifyRequest, reply: FastifyReply) => {
    const { application, name } = request.params as Params;
    const applications = namesParam(application);
    await authorize(authorizer, request, ACTIONS.get, applications);
    const records = await applicationPrivileges.get(applications, namesParam(name));
    if (records.length === 0 && applications.length > 0) reply.code(404);
    return grouped(records.map((r): [string, string, Record<string, unknown>] => [r.application, r.name, { application: r.application, name: r.name, actions: r.actions, metadata: r.metadata }]));
  };
  app.get('/_security/privilege', self, get);
  app.get('/_security/privilege/:application', self, get);
  app.get('/_security/privilege/:application/:name', self, get);

  app.delete('/_security/privilege/:application/:name', self, async (request, reply) => {
    const { application = '', name } = request.params as Params;
    await authorize(authorizer, request, ACTIONS.delete, [application]);
    const found = await applicationPrivileges.delete(application, namesParam(name));
    if (![...found.values()].some(Boolean)) reply.code(404);
    return { [application]: Object.fromEntries([...found].map(([n, was]) => [n, { found: was }])) };
  });

  app.post('/_security/privilege/:application/_clear_cache', self, async (request) => {
    await authorize(authorizer, request, ACTIONS.clearCache, namesParam((request.params as Params).application));
    applicationPrivileges.clearCache();
    return nodesAnswer(node);
  });
}
