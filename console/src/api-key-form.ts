// The generate-key form → the body of POST /_security/api_key (Elasticsearch's field names).
import { expirationValue, type ExpirationPreset } from './expiry.js';
import { parseJsonObject } from './json-field.js';

export interface ApiKeyForm {
  readonly name: string;
  readonly preset: ExpirationPreset;
  readonly date: string;
  readonly roleDescriptors: string;
  readonly metadata: string;
}

export interface CreateApiKeyBody {
  name: string;
  expiration?: string;
  role_descriptors?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export function createApiKeyBody(form: ApiKeyForm, now: number): { body?: CreateApiKeyBody; errors: string[] } {
  const errors: string[] = [];
  const name = form.name.trim();
  if (name === '') errors.push('name is required');
  const expiration = expirationValue(form.preset, form.date, now);
  if (expiration.error !== undefined) errors.push(expiration.error);
  const roles = parseJsonObject('role descriptors', form.roleDescriptors);
  if (!roles.ok) errors.push(roles.error);
  const metadata = parseJsonObject('metadata', form.metadata);
  if (!metadata.ok) errors.push(metadata.error);
  if (errors.length > 0) return { errors };
  const body: CreateApiKeyBody = { name };
  if (expiration.value !== undefined) body.expiration = expiration.value;
  if (roles.ok && roles.value !== undefined) body.role_descriptors = roles.value;
  if (metadata.ok && metadata.value !== undefined) body.metadata = metadata.value;
  return { body, errors };
}
