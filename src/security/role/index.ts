// Role API: PUT|POST /_security/role/{name}, GET /_security/role[/{names}], DELETE /_security/role/{name}.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { illegalArgument } from '../../errors/request.js';
import { parseRoleDescriptor, renderRoleDescriptor, usesFieldOrDocumentSecurity } from '../../services/role-descriptor.js';
import { RoleService } from '../../services/role-service.js';
import { namesParam, requireObjectBody } from '../body.js';

interface NameParams {
  name: string;
}

export async function roleRoutes(app: FastifyInstance, options: { roles: RoleService }): Promise<void> {
  const { roles } = options;

  const put = async (request: FastifyRequest) => {
    const { name } = request.params as NameParams;
    const descriptor = parseRoleDescriptor(name, requireObjectBody(request.body), { allowDescription: true });
    if (usesFieldOrDocumentSecurity(descriptor)) {
      request.log.warn({ role: name }, 'role uses field_security or query: stored, but esgate does not enforce field or document level security');
    }
    const { created } = await roles.put(name, descriptor);
    return { role: { created } };
  };
  const putAction = { action: 'cluster:admin/xpack/security/role/put' };
  app.put('/_security/role/:name', { config: putAction }, put);
  app.post('/_security/role/:name', { config: putAction }, put);

  const get = async (request: FastifyRequest, reply: FastifyReply) => {
    const names = namesParam((request.params as Partial<NameParams>).name);
    const out: Record<string, unknown> = {};
    if (names.length === 0) {
      for (const [name, descriptor] of await roles.list()) out[name] = renderRoleDescriptor(descriptor);
      return out;
    }
    for (const name of names) {
      const descriptor = await roles.get(name);
      if (descriptor) out[name] = renderRoleDescriptor(descriptor);
    }
    // Elasticsearch answers 404 with an empty object when none of the names exists.
    if (Object.keys(out).length === 0) reply.code(404);
    return out;
  };
  const getAction = { action: 'cluster:admin/xpack/security/role/get' };
  app.get('/_security/role', { config: getAction }, get);
  app.get('/_security/role/:name', { config: getAction }, get);

  app.delete('/_security/role/:name', { config: { action: 'cluster:admin/xpack/security/role/delete' } }, async (request, reply) => {
    const { name } = request.params as NameParams;
    if (RoleService.isReserved(name)) throw illegalArgument(`role [${name}] is reserved and cannot be deleted`);
    const found = await roles.delete(name);
    if (!found) reply.code(404);
    return { found };
  });
}
