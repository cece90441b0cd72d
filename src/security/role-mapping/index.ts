// Role mapping API (Rest{Put,Get,Delete}RoleMappingAction): mappings are validated, stored and
// served; esgate's only realms (native, reserved) take roles from users, so mappings apply once
// external realms exist (README).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EsError } from '../../errors/es-error.js';
import { validationFailed } from '../../errors/request.js';
import type { Store } from '../../store/types.js';
import { booleanField, isJsonObject, namesParam, objectField, rejectUnknownFields, requireObjectBody, stringArrayField } from '../body.js';

const REQUEST = 'role-mapping';
const RULE_KINDS = ['field', 'any', 'all', 'except'];

function parseError(name: string, reason: string): EsError {
  return new EsError(400, 'parse_exception', `failed to parse role-mapping [${name}]. ${reason}`);
}

/** A rule expression: exactly one of field / any / all / except, nested (ExpressionParser). */
function checkRule(name: string, rule: unknown, depth = 0): void {
  if (depth > 32) throw parseError(name, 'rules are nested too deeply');
  if (!isJsonObject(rule)) throw parseError(name, 'expected an object for a rule expression');
  const keys = Object.keys(rule);
  if (keys.length !== 1 || !RULE_KINDS.includes(keys[0] as string)) throw parseError(name, `expected exactly one of [${RULE_KINDS.join(', ')}] but found [${keys.join(', ')}]`);
  const kind = keys[0] as string;
  const value = rule[kind];
  if (kind === 'field') {
    if (!isJsonObject(value) || Object.keys(value).length !== 1) throw parseError(name, 'a [field] rule names exactly one field');
    return;
  }
  if (kind === 'except') return checkRule(name, value, depth + 1);
  if (!Array.isArray(value)) throw parseError(name, `expected an array for [${kind}]`);
  for (const inner of value) checkRule(name, inner, depth + 1);
}

function parseMapping(name: string, body: Record<string, unknown>): Record<string, unknown> {
  rejectUnknownFields(body, ['enabled', 'roles', 'role_templates', 'rules', 'metadata'], REQUEST);
  const roles = stringArrayField(body, 'roles', REQUEST);
  const templates = body['role_templates'];
  if (templates !== undefined && (!Array.isArray(templates) || !templates.every(isJsonObject))) throw parseError(name, 'expected [role_templates] to be an array of objects');
  const metadata = objectField(body, 'metadata', REQUEST) ?? {};
  const enabled = booleanField(body, 'enabled', REQUEST);
  const problems: string[] = [];
  if (enabled === undefined) problems.push('role-mapping enabled must be specified');
  if (roles === undefined && templates === undefined) problems.push('role-mapping roles or role-templates are missing');
  if (roles !== undefined && templates !== undefined && roles.length > 0 && (templates as unknown[]).length > 0) problems.push('role-mapping cannot have both roles and role-templates');
  if (body['rules'] === undefined) problems.push('role-mapping rules are missing');
  if (Object.keys(metadata).some((key) => key.startsWith('_'))) problems.push('metadata keys may not start with [_]');
  if (problems.length > 0) throw validationFailed(problems);
  checkRule(name, body['rules']);
  return {
    enabled,
    roles: roles ?? [],
    ...(templates === undefined ? {} : { role_templates: templates }),
    rules: body['rules'],
    metadata,
  };
}

export async function roleMappingRoutes(app: FastifyInstance, options: { store: Store }): Promise<void> {
  const { roleMappings } = options.store;

  const put = async (request: FastifyRequest) => {
    const { name } = request.params as { name: string };
    const { created } = await roleMappings.put({ name, mapping: parseMapping(name, requireObjectBody(request.body)) });
    return { role_mapping: { created } };
  };
  const putConfig = { config: { action: 'cluster:admin/xpack/security/role_mapping/put' } };
  app.put('/_security/role_mapping/:name', putConfig, put);
  app.post('/_security/role_mapping/:name', putConfig, put);

  const get = async (request: FastifyRequest, reply: FastifyReply) => {
    const names = namesParam((request.params as { name?: string }).name);
    const records = names.length === 0 ? await roleMappings.list() : (await Promise.all(names.map((n) => roleMappings.get(n)))).filter((r) => r !== null);
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
