// Role mapping API (Rest{Put,Get,Delete}RoleMappingAction).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EsError } from '../../errors/es-error.js';
import type { RoleMappingService } from '../../services/role-mapping-service.js';
import { booleanField, isJsonObject, namesParam, objectField, rejectUnknownFields, requireObjectBody, stringArrayField } from '../body.js';

const REQUEST = 'role-mapping';

export async function roleMappingRoutes(app: FastifyInstance, options: { roleMappings: RoleMappingService }): Promise<void> {
  const { roleMappings } = options;

  const put = async (request: FastifyRequest) => {
    const { name } = request.params as { name: string };
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['enabled', 'roles', 'role_templates', 'rules', 'metadata'], REQUEST);
    const templates = body['role_templates'];
    if (templates !== undefined && (!Array.isArray(templates) || !templates.every(isJsonObject))) {
      throw new EsError(400, 'parse_exception', `failed to parse role-mapping [${name}]. expected [role_templates] to be an array of objects`);
    }
    const roles = stringArrayField(body, 'roles', REQUEST);
    const enabled = booleanField(body, 'enabled', REQUEST);
    return {
      role_mapping: await roleMappings.put(name, {
        ...(enabled === undefined ? {} : { enabled }),
        ...(roles === undefined ? {} : { roles }),
        ...(templates === undefined ? {} : { roleTemplates: templates as Record<string, unknown>[] }),
        rules: body['rules'],
        metadata: objectField(body, 'metadata', REQUEST) ?? {},
      }),
    };
  };
  const putConfig = { config: { action: 'cluster:admin/xpack/security/role_mapping/put' } };
  app.put('/_security/role_mapping/:name', putConfig, put);
  app.post('/_security/role_mapping/:name', putConfig, put);

  const get = async (request: FastifyRequest, reply: FastifyReply) => {
    const names = namesParam((request.params as { name?: string }).name);
    const records = await roleMappings.get(names);
    if (names.length > 0 && records.length === 0) reply.code(404);
    return Object.fromEntries(records.map((record) => [record.name, record.mapping]));
  };
  const getConfig = { config: { action: 'cluster:admin/xpack/security/role_mapping/get' } };
  app.get('/_security/role_mapping', getConfig, get);
  app.get('/_security/role_mapping/:name', getConfig, get);

  app.delete('/_security/role_mapping/:name', { config: { action: 'cluster:admin/xpack/security/role_mapping/delete' } }, async (request, reply) => {
    const found = await roleMappings.delete((request.params as { name: string }).name);
    if (!found) reply.code(404);
    return { found };
  });
}
