// Bulk roles (8.15+): POST /_security/role {roles} and DELETE /_security/role {names}, each role
// answered on its own (created / updated / noop / errors, deleted / not_found / errors).
import type { FastifyInstance } from 'fastify';
import { EsError } from '../../errors/es-error.js';
import { illegalArgument } from '../../errors/request.js';
import { parseRoleDescriptor, type RoleDescriptor } from '../../services/role-descriptor.js';
import { RoleService } from '../../services/role-service.js';
import { isJsonObject, rejectUnknownFields, requireObjectBody, stringArrayField } from '../body.js';

type Outcome = Record<string, unknown>;

function errorOf(err: unknown): { type: string; reason: string } {
  if (err instanceof EsError) return { type: err.type, reason: err.reason };
  throw err;
}

/** Only the non-empty groups, as Elasticsearch's BulkRolesResponse writes them. */
function answer(groups: Record<string, string[]>, errors: Record<string, { type: string; reason: string }>): Outcome {
  const out: Outcome = {};
  for (const [name, list] of Object.entries(groups)) if (list.length > 0) out[name] = list;
  const count = Object.keys(errors).length;
  if (count > 0) out['errors'] = { count, details: errors };
  return out;
}

export async function bulkRoleRoutes(app: FastifyInstance, options: { roles: RoleService }): Promise<void> {
  const { roles } = options;

  app.post('/_security/role', { config: { action: 'cluster:admin/xpack/security/role/bulk_put' } }, async (request) => {
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['roles'], 'bulk_put_roles_request');
    const entries = body['roles'];
    if (!isJsonObject(entries)) throw illegalArgument('[roles] must be an object of role descriptors by name');
    const groups: Record<string, string[]> = { created: [], updated: [], noop: [] };
    const errors: Record<string, { type: string; reason: string }> = {};
    for (const [name, raw] of Object.entries(entries)) {
      try {
        const descriptor = parseRoleDescriptor(name, raw, { allowDescription: true });
        const current = RoleService.isReserved(name) ? null : await roles.get(name);
        if (current !== null && JSON.stringify(current) === JSON.stringify(descriptor satisfies RoleDescriptor)) {
          groups['noop']?.push(name);
          continue;
        }
        const { created } = await roles.put(name, descriptor);
        groups[created ? 'created' : 'updated']?.push(name);
      } catch (err) {
        errors[name] = errorOf(err);
      }
    }
    return answer(groups, errors);
  });

  app.delete('/_security/role', { config: { action: 'cluster:admin/xpack/security/role/bulk_delete' } }, async (request) => {
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['names'], 'bulk_delete_roles_request');
    const names = stringArrayField(body, 'names', 'bulk_delete_roles_request') ?? [];
    const groups: Record<string, string[]> = { deleted: [], not_found: [] };
    const errors: Record<string, { type: string; reason: string }> = {};
    for (const name of names) {
      if (RoleService.isReserved(name)) {
        errors[name] = { type: 'illegal_argument_exception', reason: `role [${name}] is reserved and cannot be deleted` };
        continue;
      }
      groups[(await roles.delete(name)) ? 'deleted' : 'not_found']?.push(name);
    }
    return answer(groups, errors);
  });
}
