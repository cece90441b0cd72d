// The role form → the body of PUT /_security/role/{name} (Elasticsearch's field names). Pure.
import { nameList, parseJsonObject } from './json-field.js';

export interface IndexRow {
  names: string;
  privileges: string;
  allowRestricted: boolean;
}

export interface RoleForm {
  readonly cluster: readonly string[];
  readonly indices: readonly IndexRow[];
  readonly runAs: string;
  readonly metadata: string;
}

export interface RoleDescriptor {
  cluster?: string[];
  indices?: Array<{ names: string[]; privileges: string[]; allow_restricted_indices?: boolean; [other: string]: unknown }>;
  run_as?: string[];
  metadata?: Record<string, unknown>;
  [other: string]: unknown;
}

/** Rows with neither names nor privileges are dropped; a half-filled row is an error. */
export function roleBody(form: RoleForm, original: RoleDescriptor | null): { body?: RoleDescriptor; errors: string[] } {
  const errors: string[] = [];
  const indices: NonNullable<RoleDescriptor['indices']> = [];
  form.indices.forEach((row, i) => {
    const names = nameList(row.names);
    const privileges = nameList(row.privileges);
    if (names.length === 0 && privileges.length === 0) return;
    if (names.length === 0 || privileges.length === 0) {
      errors.push(`index row ${i + 1} needs both names and privileges`);
      return;
    }
    // Fields the form does not edit (field_security, query) are kept from the stored entry.
    const kept = original?.indices?.[i] ?? {};
    indices.push({ ...kept, names, privileges, allow_restricted_indices: row.allowRestricted });
  });
  const metadata = parseJsonObject('metadata', form.metadata);
  if (!metadata.ok) errors.push(metadata.error);
  if (errors.length > 0) return { errors };
  const { transient_metadata: _transient, ...rest } = original ?? {};
  return { body: { ...rest, cluster: [...form.cluster], indices, run_as: nameList(form.runAs), metadata: (metadata.ok ? metadata.value : undefined) ?? {} }, errors };
}

export function roleFormOf(role: RoleDescriptor | null): RoleForm {
  return {
    cluster: role?.cluster ?? [],
    indices: (role?.indices ?? []).map((entry) => ({ names: entry.names.join(', '), privileges: entry.privileges.join(', '), allowRestricted: entry.allow_restricted_indices === true })),
    runAs: (role?.run_as ?? []).join(', '),
    metadata: role?.metadata && Object.keys(role.metadata).length > 0 ? JSON.stringify(role.metadata, null, 2) : '',
  };
}
