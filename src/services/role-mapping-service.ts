// Role mappings: validated with Elasticsearch's texts (PutRoleMappingRequest, ExpressionParser),
// stored and served. esgate's only realms (native, reserved) take roles from users, so mappings
// apply once external realms exist.
import { EsError } from '../errors/es-error.js';
import { validationFailed } from '../errors/request.js';
import type { RoleMappingRecord, Store } from '../store/types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const RULE_KINDS = ['field', 'any', 'all', 'except'];

function parseError(name: string, reason: string): EsError {
  return new EsError(400, 'parse_exception', `failed to parse role-mapping [${name}]. ${reason}`);
}

/** A rule expression: exactly one of field / any / all / except, nested. */
function checkRule(name: string, rule: unknown, depth = 0): void {
  if (depth > 32) throw parseError(name, 'rules are nested too deeply');
  if (!isObject(rule)) throw parseError(name, 'expected an object for a rule expression');
  const keys = Object.keys(rule);
  if (keys.length !== 1 || !RULE_KINDS.includes(keys[0] as string)) throw parseError(name, `expected exactly one of [${RULE_KINDS.join(', ')}] but found [${keys.join(', ')}]`);
  const kind = keys[0] as string;
  const value = rule[kind];
  if (kind === 'field') {
    if (!isObject(value) || Object.keys(value).length !== 1) throw parseError(name, 'a [field] rule names exactly one field');
    return;
  }
  if (kind === 'except') return checkRule(name, value, depth + 1);
  if (!Array.isArray(value)) throw parseError(name, `expected an array for [${kind}]`);
  for (const inner of value) checkRule(name, inner, depth + 1);
}

export interface RoleMappingFields {
  readonly enabled?: boolean;
  readonly roles?: readonly string[];
  readonly roleTemplates?: readonly Json[];
  readonly rules?: unknown;
  readonly metadata: Json;
}

export class RoleMappingService {
  constructor(private readonly store: Store) {}

  async put(name: string, fields: RoleMappingFields): Promise<{ created: boolean }> {
    const problems: string[] = [];
    if (fields.enabled === undefined) problems.push('role-mapping enabled must be specified');
    if (fields.roles === undefined && fields.roleTemplates === undefined) problems.push('role-mapping roles or role-templates are missing');
    if ((fields.roles?.length ?? 0) > 0 && (fields.roleTemplates?.length ?? 0) > 0) problems.push('role-mapping cannot have both roles and role-templates');
    if (fields.rules === undefined) problems.push('role-mapping rules are missing');
    if (Object.keys(fields.metadata).some((key) => key.startsWith('_'))) problems.push('metadata keys may not start with [_]');
    if (problems.length > 0) throw validationFailed(problems);
    checkRule(name, fields.rules);
    return this.store.roleMappings.put({
      name,
      mapping: {
        enabled: fields.enabled,
        roles: fields.roles ?? [],
        ...(fields.roleTemplates === undefined ? {} : { role_templates: fields.roleTemplates }),
        rules: fields.rules,
        metadata: fields.metadata,
      },
    });
  }

  /** Every mapping, or those of the names that exist. */
  async get(names: readonly string[]): Promise<RoleMappingRecord[]> {
    if (names.length === 0) return this.store.roleMappings.list();
    return (await Promise.all(names.map((name) => this.store.roleMappings.get(name)))).filter((record): record is RoleMappingRecord => record !== null);
  }

  delete(name: string): Promise<boolean> {
    return this.store.roleMappings.delete(name);
  }
}
