// Roles: the reserved built-ins plus those in the store. Every change drops compiled permissions.
import { validationFailed } from '../errors/request.js';
import type { Clock } from '../runtime/clock.js';
import type { Store } from '../store/types.js';
import { BUILTIN_ROLES } from './builtin-roles.js';
import type { RoleDescriptor } from './role-descriptor.js';
import { usernameProblem } from './user-validation.js';

export interface RoleDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** Called after every change, so compiled permissions are rebuilt on the next request. */
  readonly onChange: () => void;
}

export class RoleService {
  constructor(private readonly deps: RoleDeps) {}

  static isReserved(name: string): boolean {
    return BUILTIN_ROLES.has(name);
  }

  async get(name: string): Promise<RoleDescriptor | null> {
    const builtin = BUILTIN_ROLES.get(name);
    if (builtin) return builtin;
    const record = await this.deps.store.roles.get(name);
    return record ? (record.descriptor as unknown as RoleDescriptor) : null;
  }

  /** Every role, reserved ones first, then stored ones by name. */
  async list(): Promise<Array<[string, RoleDescriptor]>> {
    const stored = await this.deps.store.roles.list();
    return [...BUILTIN_ROLES.entries(), ...stored.map((r): [string, RoleDescriptor] => [r.name, r.descriptor as unknown as RoleDescriptor])];
  }

  /** The descriptors of the named roles that exist; unknown names resolve to nothing, as in Elasticsearch. */
  async resolve(names: readonly string[]): Promise<RoleDescriptor[]> {
    const out: RoleDescriptor[] = [];
    for (const name of names) {
      const descriptor = await this.get(name);
      if (descriptor) out.push(descriptor);
    }
    return out;
  }

  async put(name: string, descriptor: RoleDescriptor): Promise<{ created: boolean }> {
    const problems: string[] = [];
    if (usernameProblem(name) !== null) problems.push(`Role name [${name}] is invalid: it must be 1 to 507 printable Basic Latin characters without leading or trailing whitespace`);
    if (RoleService.isReserved(name)) problems.push(`Role [${name}] is reserved and may not be used.`);
    if (problems.length > 0) throw validationFailed(problems);
    const now = this.deps.clock.now();
    const result = await this.deps.store.roles.put({ name, descriptor: descriptor as unknown as Record<string, unknown>, createdAt: now, updatedAt: now });
    this.deps.onChange();
    return result;
  }

  async delete(name: string): Promise<boolean> {
    const found = await this.deps.store.roles.delete(name);
    this.deps.onChange();
    return found;
  }
}
