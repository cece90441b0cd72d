// Privilege APIs: has_privileges, the caller's own privileges, and the built-in privilege names.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { CLUSTER_PRIVILEGES, INDEX_PRIVILEGES } from '../../authz/privileges.js';
import type { Authentication } from '../../services/authentication.js';
import type { ApplicationPrivilegeService } from '../../services/application-privilege-service.js';
import type { RoleService } from '../../services/role-service.js';
import { requireObjectBody } from '../body.js';
import { evaluatePrivilegeChecks, parsePrivilegeChecks } from './check.js';

const REQUEST = 'has_privileges_request';

export async function privilegesRoutes(
  app: FastifyInstance,
  options: { authorizer: Authorizer; roles: RoleService; applicationPrivileges: ApplicationPrivilegeService },
): Promise<void> {
  const { authorizer, roles, applicationPrivileges } = options;

  // Checking one's own privileges needs no privilege (Elasticsearch: same-user check).
  const hasPrivileges = async (request: FastifyRequest) => {
    const authentication = request.authentication as Authentication;
    const checks = parsePrivilegeChecks(requireObjectBody(request.body), REQUEST);
    const permission = await authorizer.permission(authentication);
    const definitions = checks.application.length === 0 ? () => undefined : await applicationPrivileges.lookup();
    const { all, cluster, index, application } = evaluatePrivilegeChecks(permission, checks, definitions);
    return { username: authentication.user.username, has_all_requested: all, cluster, index, application };
  };
  const hasPrivilegesConfig = { config: { selfAction: 'cluster:admin/xpack/security/user/has_privileges' } };
  app.get('/_security/user/_has_privileges', hasPrivilegesConfig, hasPrivileges);
  app.post('/_security/user/_has_privileges', hasPrivilegesConfig, hasPrivileges);

  app.get('/_security/user/_privileges', { config: { selfAction: 'cluster:admin/xpack/security/user/list_privileges' } }, async (request) => {
    const authentication = request.authentication as Authentication;
    const descriptors = await roles.resolve(authentication.user.roles);
    const cluster = [...new Set(descriptors.flatMap((d) => d.cluster))].sort();
    return {
      cluster,
      global: descriptors.flatMap((d) => (d.global === undefined ? [] : [d.global])),
      indices: descriptors.flatMap((d) =>
        d.indices.map((group) => ({
          names: group.names,
          privileges: group.privileges,
          ...(group.field_security === undefined ? {} : { field_security: [group.field_security] }),
          ...(group.query === undefined ? {} : { query: [group.query] }),
          allow_restricted_indices: group.allow_restricted_indices,
        })),
      ),
      applications: descriptors.flatMap((d) => d.applications),
      run_as: [...new Set(descriptors.flatMap((d) => d.run_as))].sort(),
    };
  });

  app.get('/_security/privilege/_builtin', { config: { action: 'cluster:admin/xpack/security/privilege/builtin/get' } }, async () => ({
    cluster: Object.keys(CLUSTER_PRIVILEGES).sort(),
    index: Object.keys(INDEX_PRIVILEGES).sort(),
    remote_cluster: ['monitor_enrich', 'monitor_stats'],
  }));
}
