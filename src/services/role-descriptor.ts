// Elasticsearch's role descriptor: parsing (with its error texts), validation of privilege names
// and index patterns, and the canonical form GET answers with. Shared by roles and API keys.
import { CLUSTER_PRIVILEGES, INDEX_PRIVILEGES, isClusterActionName, isIndexActionName } from '../authz/privileges.js';
import { EsError } from '../errors/es-error.js';
import { illegalArgument, validationFailed } from '../errors/request.js';
import { compileRegex, isRegexPattern } from '../authz/patterns.js';
import { applicationNameProblem, privilegeOrActionProblem } from './application-privilege-service.js';

export interface IndicesPrivileges {
  readonly names: readonly string[];
  readonly privileges: readonly string[];
  readonly field_security?: { readonly grant?: readonly string[]; readonly except?: readonly string[] };
  readonly query?: string;
  readonly allow_restricted_indices: boolean;
}

export interface ApplicationPrivileges {
  readonly application: string;
  readonly privileges: readonly string[];
  readonly resources: readonly string[];
}

/** The configurable cluster privileges esgate knows (Elasticsearch's `global`). */
export interface GlobalPrivileges {
  /** manage application privileges (PUT/GET/DELETE /_security/privilege) of these applications. */
  readonly application?: { readonly manage: { readonly applications: readonly string[] } };
  /** write user profile data under these application names. */
  readonly profile?: { readonly write: { readonly applications: readonly string[] } };
}

export interface RoleDescriptor {
  readonly global?: GlobalPrivileges;
  readonly cluster: readonly string[];
  readonly indices: readonly IndicesPrivileges[];
  readonly applications: readonly ApplicationPrivileges[];
  readonly run_as: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly description?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseError(roleName: string, reason: string): EsError {
  return new EsError(400, 'parse_exception', `failed to parse role [${roleName}]. ${reason}`);
}

function stringArray(roleName: string, field: string, value: unknown, allowSingle = false): string[] {
  if (allowSingle && typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw parseError(roleName, `expected field [${field}] value to be an array of strings`);
  }
  return value as string[];
}

function parseIndices(roleName: string, entry: unknown): IndicesPrivileges {
  if (!isObject(entry)) throw parseError(roleName, 'expected each entry of [indices] to be an object');
  const allowed = new Set(['names', 'privileges', 'field_security', 'query', 'allow_restricted_indices']);
  for (const key of Object.keys(entry)) {
    if (!allowed.has(key)) throw parseError(roleName, `unexpected field [${key}]`);
  }
  if (entry['names'] === undefined) throw parseError(roleName, 'missing required [names] field');
  if (entry['privileges'] === undefined) throw parseError(roleName, 'missing required [privileges] field');
  const names = stringArray(roleName, 'names', entry['names'], true);
  const privileges = stringArray(roleName, 'privileges', entry['privileges']);
  const out: { -readonly [K in keyof IndicesPrivileges]: IndicesPrivileges[K] } = {
    names,
    privileges,
    allow_restricted_indices: false,
  };
  const restricted = entry['allow_restricted_indices'];
  if (restricted !== undefined) {
    if (typeof restricted !== 'boolean') throw parseError(roleName, 'expected field [allow_restricted_indices] value to be a boolean');
    out.allow_restricted_indices = restricted;
  }
  const fieldSecurity = entry['field_security'];
  if (fieldSecurity !== undefined) {
    if (!isObject(fieldSecurity)) throw parseError(roleName, 'expected field [field_security] value to be an object');
    out.field_security = {
      ...(fieldSecurity['grant'] === undefined ? {} : { grant: stringArray(roleName, 'grant', fieldSecurity['grant']) }),
      ...(fieldSecurity['except'] === undefined ? {} : { except: stringArray(roleName, 'except', fieldSecurity['except']) }),
    };
  }
  const query = entry['query'];
  if (query !== undefined) {
    if (typeof query === 'string') out.query = query;
    else if (isObject(query)) out.query = JSON.stringify(query);
    else throw parseError(roleName, 'expected field [query] value to be a string or an object');
  }
  return out;
}

function parseApplication(roleName: string, entry: unknown): ApplicationPrivileges {
  if (!isObject(entry)) throw parseError(roleName, 'expected each entry of [applications] to be an object');
  for (const key of Object.keys(entry)) {
    if (!['application', 'privileges', 'resources'].includes(key)) throw parseError(roleName, `unexpected field [${key}]`);
  }
  if (typeof entry['application'] !== 'string') throw parseError(roleName, 'missing required [application] field');
  return {
    application: entry['application'],
    privileges: stringArray(roleName, 'privileges', entry['privileges'] ?? []),
    resources: stringArray(roleName, 'resources', entry['resources'] ?? []),
  };
}

function scopedApplications(roleName: string, value: unknown, outer: string, verb: string): { applications: string[] } | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || !isObject(value[verb])) throw parseError(roleName, `expected field [global.${outer}] to hold an object [${verb}]`);
  return { applications: stringArray(roleName, 'applications', (value[verb] as Json)['applications'] ?? []) };
}

function parseGlobal(roleName: string, value: unknown): GlobalPrivileges | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw parseError(roleName, 'expected field [global] value to be an object');
  for (const key of Object.keys(value)) {
    if (key !== 'application' && key !== 'profile') throw parseError(roleName, `unknown global privilege category [${key}]`);
  }
  const manage = scopedApplications(roleName, value['application'], 'application', 'manage');
  const write = scopedApplications(roleName, value['profile'], 'profile', 'write');
  if (manage === undefined && write === undefined) return undefined;
  return { ...(manage === undefined ? {} : { application: { manage } }), ...(write === undefined ? {} : { profile: { write } }) };
}

export interface ParseOptions {
  /** Roles accept `description` (8.15+); API key role descriptors do not. */
  readonly allowDescription: boolean;
}

/** Parses the JSON of one role descriptor, with Elasticsearch's errors. */
export function parseRoleDescriptor(roleName: string, body: unknown, options: ParseOptions): RoleDescriptor {
  if (!isObject(body)) throw parseError(roleName, 'expected an object');
  const known = new Set(['cluster', 'indices', 'index', 'applications', 'application', 'run_as', 'metadata', 'transient_metadata', 'global', 'remote_indices', 'remote_cluster', 'restriction']);
  if (options.allowDescription) known.add('description');
  for (const key of Object.keys(body)) {
    if (!known.has(key)) throw parseError(roleName, `unexpected field [${key}]`);
  }
  const indicesRaw = body['indices'] ?? body['index'] ?? [];
  if (!Array.isArray(indicesRaw)) throw parseError(roleName, 'expected field [indices] value to be an array');
  const applicationsRaw = body['applications'] ?? body['application'] ?? [];
  if (!Array.isArray(applicationsRaw)) throw parseError(roleName, 'expected field [applications] value to be an array');
  const metadata = body['metadata'] ?? {};
  if (!isObject(metadata)) throw parseError(roleName, 'expected field [metadata] value to be an object');
  const description = body['description'];
  if (description !== undefined && typeof description !== 'string') throw parseError(roleName, 'expected field [description] value to be a string');
  const global = parseGlobal(roleName, body['global']);
  const descriptor: RoleDescriptor = {
    ...(global === undefined ? {} : { global }),
    cluster: stringArray(roleName, 'cluster', body['cluster'] ?? []),
    indices: indicesRaw.map((entry) => parseIndices(roleName, entry)),
    applications: applicationsRaw.map((entry) => parseApplication(roleName, entry)),
    run_as: stringArray(roleName, 'run_as', body['run_as'] ?? []),
    metadata,
    ...(description === undefined ? {} : { description }),
  };
  validateRoleDescriptor(descriptor);
  return descriptor;
}

/** Privilege names and index patterns must resolve, as Elasticsearch checks on put. */
export function validateRoleDescriptor(descriptor: RoleDescriptor): void {
  for (const name of descriptor.cluster) {
    const lower = name.toLowerCase();
    if (!(lower in CLUSTER_PRIVILEGES) && !isClusterActionName(lower)) {
      throw illegalArgument(
        `unknown cluster privilege [${lower}]. a privilege must be either one of the predefined cluster privilege names [${Object.keys(CLUSTER_PRIVILEGES).join(',')}] or a pattern over one of the available cluster actions`,
      );
    }
  }
  for (const group of descriptor.indices) {
    for (const name of group.privileges) {
      const lower = name.toLowerCase();
      if (!(lower in INDEX_PRIVILEGES) && !isIndexActionName(lower)) {
        throw illegalArgument(
          `unknown index privilege [${lower}]. a privilege must be either one of the predefined fixed indices privileges [${Object.keys(INDEX_PRIVILEGES).join(',')}] or a pattern over one of the available index actions`,
        );
      }
    }
    for (const pattern of group.names) {
      if (pattern === '') throw validationFailed(['index name patterns may not be empty']);
      if (isRegexPattern(pattern)) {
        try {
          compileRegex(pattern);
        } catch (err) {
          throw illegalArgument(`invalid index name pattern [${pattern}]: ${(err as Error).message}`);
        }
      }
    }
  }
  // PutRoleRequest.validate: application names (trailing wildcards allowed), privilege names or actions.
  const applicationProblems = descriptor.applications.flatMap((entry) => [
    applicationNameProblem(entry.application, true),
    ...entry.privileges.map(privilegeOrActionProblem),
  ]).filter((problem): problem is string => problem !== null);
  if (applicationProblems.length > 0) throw validationFailed(applicationProblems);
  const reservedKeys = Object.keys(descriptor.metadata).filter((key) => key.startsWith('_'));
  if (reservedKeys.length > 0) throw validationFailed(['role descriptor metadata keys may not start with [_]']);
}

/** The form GET /_security/role and the API key APIs answer with. */
export function renderRoleDescriptor(descriptor: RoleDescriptor): Record<string, unknown> {
  return {
    cluster: descriptor.cluster,
    ...(descriptor.global === undefined ? {} : { global: descriptor.global }),
    indices: descriptor.indices.map((group) => ({
      names: group.names,
      privileges: group.privileges,
      ...(group.field_security === undefined ? {} : { field_security: group.field_security }),
      ...(group.query === undefined ? {} : { query: group.query }),
      allow_restricted_indices: group.allow_restricted_indices,
    })),
    applications: descriptor.applications,
    run_as: descriptor.run_as,
    metadata: descriptor.metadata,
    transient_metadata: { enabled: true },
    ...(descriptor.description === undefined ? {} : { description: descriptor.description }),
  };
}

/** Whether any index group uses field- or document-level security (not enforced by esgate). */
export function usesFieldOrDocumentSecurity(descriptor: RoleDescriptor): boolean {
  return descriptor.indices.some((group) => group.field_security !== undefined || group.query !== undefined);
}
