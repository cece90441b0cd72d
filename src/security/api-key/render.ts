// The form GET /_security/api_key and the query API answer each key with (Elasticsearch's ApiKey).
import { renderRoleDescriptor, type RoleDescriptor } from '../../services/role-descriptor.js';
import type { ApiKeyRecord } from '../../store/types.js';

function descriptors(named: ApiKeyRecord['roleDescriptors']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, descriptor] of named) out[name] = renderRoleDescriptor(descriptor as unknown as RoleDescriptor);
  return out;
}

export function renderApiKey(record: ApiKeyRecord, withLimitedBy: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: record.id,
    name: record.name,
    type: record.type,
    creation: record.createdAt,
  };
  if (record.expiresAt !== null) out['expiration'] = record.expiresAt;
  out['invalidated'] = record.invalidated;
  if (record.invalidatedAt !== null) out['invalidation'] = record.invalidatedAt;
  out['username'] = record.username;
  out['realm'] = record.realmName;
  out['realm_type'] = record.realmType;
  out['metadata'] = record.metadata;
  out['role_descriptors'] = descriptors(record.roleDescriptors);
  if (withLimitedBy) out['limited_by'] = [descriptors(record.limitedBy)];
  return out;
}
