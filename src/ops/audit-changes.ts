// security_config_change events: which security API changed what, with its non-secret fields
// only, in Elasticsearch's shape ({"put":{"user":{"name":…,"roles":…,"has_password":true}}}).
// Passwords, password hashes and API key secrets never appear; role descriptors do, as in ES.
import type { AuthenticatedUser } from '../services/authentication.js';

export interface ChangeInput {
  readonly method: string;
  /** The route's template, e.g. /_security/user/:username. */
  readonly route: string;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
  readonly user: AuthenticatedUser;
}

export interface ConfigChange {
  /** event.action: put_user, change_password, delete_role… */
  readonly name: string;
  readonly fields: Record<string, unknown>;
}

const object = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function pick(source: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) if (source[name] !== undefined) out[name] = source[name];
  return out;
}

export function configChange(input: ChangeInput): ConfigChange | null {
  const { method, route, params } = input;
  const body = object(input.body);
  const write = method === 'PUT' || method === 'POST';
  switch (route) {
    case '/_security/user/:username':
      if (write) {
        const user = { name: params['username'], ...pick(body, ['enabled', 'roles', 'full_name', 'email', 'metadata']), has_password: body['password'] !== undefined || body['password_hash'] !== undefined };
        return { name: 'put_user', fields: { put: { user } } };
      }
      return method === 'DELETE' ? { name: 'delete_user', fields: { delete: { user: { name: params['username'] } } } } : null;
    case '/_security/user/_password':
    case '/_security/user/:username/_password':
      return write ? { name: 'change_password', fields: { change: { password: { user: { name: params['username'] ?? input.user.username } } } } } : null;
    case '/_security/user/:username/_enable':
    case '/_security/user/:username/_disable':
      return write
        ? { name: route.endsWith('_enable') ? 'change_enable_user' : 'change_disable_user', fields: { change: { [route.endsWith('_enable') ? 'enable' : 'disable']: { user: { name: params['username'] } } } } }
        : null;
    case '/_security/role/:name':
      if (write) return { name: 'put_role', fields: { put: { role: { name: params['name'], role_descriptor: body } } } };
      return method === 'DELETE' ? { name: 'delete_role', fields: { delete: { role: { name: params['name'] } } } } : null;
    case '/_security/api_key':
      if (write) return { name: 'create_apikey', fields: { create: { apikey: pick(body, ['name', 'expiration', 'role_descriptors', 'metadata']) } } };
      return method === 'DELETE' ? { name: 'invalidate_apikeys', fields: { invalidate: { apikeys: pick(body, ['id', 'ids', 'name', 'owner', 'realm_name', 'username']) } } } : null;
    case '/_security/api_key/:id':
      return write ? { name: 'update_apikey', fields: { change: { apikey: { id: params['id'], ...pick(body, ['role_descriptors', 'metadata', 'expiration']) } } } } : null;
    case '/_security/api_key/_bulk_update':
      return write ? { name: 'change_apikeys', fields: { change: { apikeys: pick(body, ['ids', 'role_descriptors', 'metadata', 'expiration']) } } } : null;
    case '/_security/api_key/grant':
      return write
        ? { name: 'create_apikey', fields: { create: { apikey: { ...pick(object(body['api_key']), ['name', 'expiration', 'role_descriptors', 'metadata']), grant: { type: body['grant_type'], user: { name: body['username'] } } } } } }
        : null;
    default:
      return null;
  }
}
