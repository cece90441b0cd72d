// The fields of create/update/grant API key requests, validated as Elasticsearch's
// CreateApiKeyRequest / UpdateApiKeyRequest do, with its messages.
import { parseTimeValue } from '../config/units.js';
import { EsError } from '../errors/es-error.js';
import { parseException, validationFailed } from '../errors/request.js';
import { parseRoleDescriptor, type RoleDescriptor } from './role-descriptor.js';

export type NamedDescriptors = ReadonlyArray<readonly [string, RoleDescriptor]>;

export interface ApiKeyFields {
  /** Milliseconds from now; undefined: not given. */
  readonly expirationMs?: number;
  /** undefined: not given; empty: inherit the owner's permissions. */
  readonly roleDescriptors?: NamedDescriptors;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface NewApiKeyFields extends ApiKeyFields {
  readonly name: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function wrongType(requestName: string, field: string, expected: string): EsError {
  return new EsError(400, 'x_content_parse_exception', `[${requestName}] failed to parse field [${field}]: expected ${expected}`);
}

/** Elasticsearch's time value for `expiration`; converted as whole seconds, as it does. */
export function parseExpiration(value: unknown, requestName: string): number {
  if (typeof value !== 'string') throw wrongType(requestName, 'expiration', 'a time value string');
  const ms = parseTimeValue(value);
  if (ms === null || ms < 0) {
    throw parseException(`failed to parse setting [expiration] with value [${value}] as a time value: unit is missing or unrecognized`);
  }
  return Math.floor(ms / 1000) * 1000;
}

export function parseRoleDescriptors(value: unknown, requestName: string): NamedDescriptors {
  if (!isObject(value)) throw wrongType(requestName, 'role_descriptors', 'an object');
  return Object.entries(value).map(([name, body]) => [name, parseRoleDescriptor(name, body, { allowDescription: false })] as const);
}

function parseMetadata(value: unknown, requestName: string): Json {
  if (!isObject(value)) throw wrongType(requestName, 'metadata', 'an object');
  return value;
}

/** The optional fields shared by create, update and grant; unknown fields refused. */
export function parseApiKeyFields(body: Json, requestName: string, known: readonly string[], collect?: string[]): ApiKeyFields {
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) throw new EsError(400, 'x_content_parse_exception', `[${requestName}] unknown field [${key}]`);
  }
  const expiration = body['expiration'];
  const roleDescriptors = body['role_descriptors'];
  const metadata = body['metadata'];
  const fields: ApiKeyFields = {
    ...(expiration === undefined || expiration === null ? {} : { expirationMs: parseExpiration(expiration, requestName) }),
    ...(roleDescriptors === undefined || roleDescriptors === null ? {} : { roleDescriptors: parseRoleDescriptors(roleDescriptors, requestName) }),
    ...(metadata === undefined || metadata === null ? {} : { metadata: parseMetadata(metadata, requestName) }),
  };
  if (fields.metadata !== undefined && Object.keys(fields.metadata).some((key) => key.startsWith('_'))) {
    const problem = 'API key metadata keys may not start with [_]';
    if (collect === undefined) throw validationFailed([problem]);
    collect.push(problem);
  }
  return fields;
}

/** CreateApiKeyRequest.validate's messages for a name. */
export function nameProblems(name: unknown): string[] {
  const problems: string[] = [];
  if (typeof name !== 'string' || name === '') problems.push('api key name is required');
  else {
    if (name.length > 256) problems.push('api key name may not be more than 256 characters long');
    if (name !== name.trim()) problems.push('api key name may not begin or end with whitespace');
    if (name.startsWith('_')) problems.push('api key name may not begin with an underscore');
  }
  return problems;
}

/**
 * Create/grant: the fields parsed, then `name` validated; `extraProblems` (the grant's own) follow
 * in the same validation error, as Elasticsearch numbers them together.
 */
export function parseNewApiKey(body: Json, requestName: string, extraProblems: readonly string[] = []): NewApiKeyFields {
  const name = body['name'];
  if (name !== undefined && name !== null && typeof name !== 'string') throw wrongType(requestName, 'name', 'a string');
  const problems = nameProblems(name);
  const fields = parseApiKeyFields(body, requestName, ['name', 'expiration', 'role_descriptors', 'metadata'], problems);
  problems.push(...extraProblems);
  if (problems.length > 0) throw validationFailed(problems);
  return { ...fields, name: name as string };
}

/** Whether a descriptor grants nothing at all (what a derived key must have). */
export function grantsNothing(descriptor: RoleDescriptor): boolean {
  return descriptor.cluster.length === 0 && descriptor.indices.length === 0 && descriptor.applications.length === 0 && descriptor.run_as.length === 0;
}
