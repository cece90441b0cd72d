// The privilege checks of has_privileges (the user's and the profiles'): parsed once, then answered
// by an effective permission.
import type { ApplicationDefinitions, EffectivePermission } from '../../authz/permission.js';
import { EsError } from '../../errors/es-error.js';
import { booleanField, isJsonObject, rejectUnknownFields, stringArrayField, stringField } from '../body.js';

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

export interface PrivilegeChecks {
  readonly cluster: readonly string[];
  readonly index: readonly IndexCheck[];
  readonly application: readonly ApplicationCheck[];
}

function entries(body: Record<string, unknown>, field: string, request: string): Array<Record<string, unknown>> {
  const value = body[field];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isJsonObject)) {
    throw new EsError(400, 'x_content_parse_exception', `[${request}] failed to parse field [${field}]: expected an array of objects`);
  }
  return value as Array<Record<string, unknown>>;
}

export function parsePrivilegeChecks(body: Record<string, unknown>, request: string): PrivilegeChecks {
  rejectUnknownFields(body, ['cluster', 'index', 'application'], request);
  return {
    cluster: stringArrayField(body, 'cluster', request) ?? [],
    index: entries(body, 'index', request).map((entry) => {
      rejectUnknownFields(entry, ['names', 'privileges', 'allow_restricted_indices'], request);
      return {
        names: stringArrayField(entry, 'names', request) ?? [],
        privileges: stringArrayField(entry, 'privileges', request) ?? [],
        allowRestricted: booleanField(entry, 'allow_restricted_indices', request) ?? false,
      };
    }),
    application: entries(body, 'application', request).map((entry) => {
      rejectUnknownFields(entry, ['application', 'privileges', 'resources'], request);
      return {
        application: stringField(entry, 'application', request) ?? '',
        privileges: stringArrayField(entry, 'privileges', request) ?? [],
        resources: stringArrayField(entry, 'resources', request) ?? [],
      };
    }),
  };
}

export interface PrivilegeAnswers {
  readonly all: boolean;
  readonly cluster: Record<string, boolean>;
  readonly index: Record<string, Record<string, boolean>>;
  readonly application: Record<string, Record<string, Record<string, boolean>>>;
}

export function evaluatePrivilegeChecks(permission: EffectivePermission, checks: PrivilegeChecks, definitions: ApplicationDefinitions): PrivilegeAnswers {
  let all = true;
  const note = (granted: boolean) => {
    all &&= granted;
    return granted;
  };
  const cluster: Record<string, boolean> = {};
  for (const name of checks.cluster) cluster[name] = note(permission.hasClusterPrivilege(name));
  const index: Record<string, Record<string, boolean>> = {};
  for (const check of checks.index) {
    for (const name of check.names) {
      const privileges = (index[name] ??= {});
      for (const privilege of check.privileges) privileges[privilege] = note(permission.hasIndexPrivilege(name, privilege, check.allowRestricted));
    }
  }
  const application: Record<string, Record<string, Record<string, boolean>>> = {};
  for (const check of checks.application) {
    const resources = (application[check.application] ??= {});
    for (const resource of check.resources) {
      const privileges = (resources[resource] ??= {});
      for (const privilege of check.privileges) privileges[privilege] = note(permission.hasApplicationPrivilege(check.application, resource, privilege, definitions));
    }
  }
  return { all, cluster, index, application };
}
