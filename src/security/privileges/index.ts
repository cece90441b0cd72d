// Privilege APIs: has_privileges, the caller's own privileges, and the built-in privilege names.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { CLUSTER_PRIVILEGES, INDEX_PRIVILEGES } from '../../authz/privileges.js';
import { EsError } from '../../errors/es-error.js';
import type { Authentication } from '../../services/authentication.js';
import type { ApplicationPrivilegeService } from '../../services/application-privilege-service.js';
import type { RoleService } from '../../services/role-service.js';
import { booleanField, isJsonObject, rejectUnknownFields, requireObjectBody, stringArrayField, stringField } from '../body.js';

const REQUEST = 'has_privileges_request';

interface IndexCheck {
  readonly names: string[];
  readonly privileges: string[];
  readonly allowRestricted: boolean;
}

interface ApplicationCheck {
  readonly application: string;
  readonly privileges: string[];
  readonly resources: string[];
}

function entries(body: Record<string, unknown>, field: string): Array<Record<string, unknown>> {
  const value = body[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isJsonObject)) {
    throw new EsError(400, 'x_content_parse_exception', `[${REQUEST}] failed to parse field [${field}]: expected an array of objects`);
  }
  return value as Array<Record<string, unknown>>;
}

export async function privilegesRoutes(
  app: FastifyInstance,
  options: { authorizer: Authorizer; roles: RoleService; applicationPrivileges: ApplicationPrivilegeService },
): Promise<void> {
  const { authorizer, roles, applicationPrivileges } = options;

  // Checking one's own privileges needs no privilege (Elasticsearch: same-user check).
  const hasPrivileges = async (request: FastifyRequest) => {
    const authentication = request.authentication as Authentication;
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['cluster', 'index', 'application'], REQUEST);
    const cluster = stringArrayField(body, 'cluster', REQUEST) ?? [];
    const index: IndexCheck[] = entries(body, 'index').map((entry) => {
      rejectUnknownFields(entry, ['names', 'privileges', 'allow_restricted_indices'], REQUEST);
      return {
        names: stringArrayField(entry, 'names', REQUEST) ?? [],
        privileges: stringArrayField(entry, 'privileges', REQUEST) ?? [],
        allowRestricted: booleanField(entry, 'allow_restricted_indices', REQUEST) ?? false,
      };
    });
    const application: ApplicationCheck[] = entries(body, 'application').map((entry) => {
      rejectUnknownFields(entry, ['application', 'privileges', 'resources'], REQUEST);
      return {
        application: stringField(entry, 'application', REQUEST) ?? '',
        privileges: stringArrayField(entry, 'privileges', REQUEST) ?? [],
        resources: stringArrayField(entry, 'resources', REQUEST) ?? [],
      };
    });

    const permission = await authorizer.permission(authentication);
    const definitions = application.length === 0 ? () => undefined : await applicationPrivileges.lookup();
    let all = true;
    const note = (granted: boolean) => {
      all &&= granted;
      return granted;
    };
    const clusterOut: Record<string, boolean> = {};
    for (const name of cluster) clusterOut[name] = note(permission.hasClusterPrivilege(name));
    const indexOut: Record<string, Record<string, boolean>> = {};
    for (const check of index) {
      for (const name of check.names) {
        const privileges = (indexOut[name] ??= {});
        for (const privilege of check.privileges) privileges[privilege] = note(permission.hasIndexPrivilege(name, privilege, check.allowRestricted));
      }
    }
    const applicationOut: Record<string, Record<string, Record<string, boolean>>> = {};
    for (const check of application) {
      const resources = (applicationOut[check.application] ??= {});
      for (const resource of check.resources) {
        const privileges = (resources[resource] ??= {});
        for (const privilege of check.privileges) privileges[privilege] = note(permission.hasApplicationPrivilege(check.application, resource, privilege, definitions));
      }
    }
    return { username: authentication.user.username, has_all_requested: all, cluster: clusterOut, index: indexOut, application: applicationOut };
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
