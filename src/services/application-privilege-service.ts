// Application privileges (Elasticsearch's NativePrivilegeStore): validation with Elasticsearch's
// texts, bulk put, get, delete, and the definitions has_privileges resolves names with, cached
// until a change here or in another process.
import { validationFailed } from '../errors/request.js';
import type { ApplicationPrivilegeRecord, Store } from '../store/types.js';

const APPLICATION_PREFIX = /^[a-z][A-Za-z0-9]*$/;
const PRIVILEGE_NAME = /^[a-z][a-zA-Z0-9_.-]*$/;
const NAME_OR_ACTION = /^[\x21-\x7e]*$/;
const INVALID_FILENAME_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ','];

/** ApplicationPrivilege.validateApplicationName: a problem, or null. */
export function applicationNameProblem(application: string, allowWildcard: boolean): string | null {
  if (application === '') return 'Application names cannot be blank';
  const asterisk = application.indexOf('*');
  if (asterisk !== -1) {
    if (!allowWildcard) return `Application names may not contain '*' (found '${application}')`;
    if (application === '*') return null;
    if (asterisk !== application.length - 1) return `Application name patterns only support trailing wildcards (found '${application}')`;
  }
  if (/\s/.test(application)) return `Application names may not contain whitespace (found '${application}')`;
  const split = /[_-]/.exec(application);
  let prefix = split === null ? application : application.slice(0, split.index);
  if (prefix.endsWith('*')) prefix = prefix.slice(0, -1);
  if (!APPLICATION_PREFIX.test(prefix)) return `An application name prefix must match the pattern ${APPLICATION_PREFIX.source} (found '${prefix}')`;
  if (prefix.length < 3 && asterisk === -1) return `An application name prefix must be at least 3 characters long (found '${prefix}')`;
  if (split !== null) {
    let suffix = application.slice(split.index + 1);
    if (allowWildcard && suffix.endsWith('*')) suffix = suffix.slice(0, -1);
    if (INVALID_FILENAME_CHARS.some((c) => suffix.includes(c))) {
      return `An application name suffix may not contain any of the characters '${INVALID_FILENAME_CHARS.join('')}' (found '${suffix}')`;
    }
  }
  return null;
}

/** ApplicationPrivilege.validatePrivilegeOrActionName: a problem, or null. */
export function privilegeOrActionProblem(name: string): string | null {
  return NAME_OR_ACTION.test(name) ? null : `Application privilege names and actions must match the pattern ^\\p{Graph}*$ (found '${name}')`;
}

/** PutPrivilegesRequest.validate, in its order. */
function problemsOf(privilege: ApplicationPrivilegeRecord): string[] {
  const problems: string[] = [];
  const app = applicationNameProblem(privilege.application, false);
  if (app !== null) problems.push(app);
  if (!PRIVILEGE_NAME.test(privilege.name)) problems.push(`Application privilege names must match the pattern ${PRIVILEGE_NAME.source} (found '${privilege.name}')`);
  for (const action of privilege.actions) {
    if (!action.includes('/') && !action.includes('*') && !action.includes(':')) problems.push(`action [${action}] must contain one of [/ , * , :]`);
    const problem = privilegeOrActionProblem(action);
    if (problem !== null) problems.push(problem);
  }
  if (Object.keys(privilege.metadata).some((key) => key.startsWith('_'))) {
    problems.push(`metadata keys may not start with [_] (in privilege ${privilege.application} ${privilege.name})`);
  }
  return problems;
}

export class ApplicationPrivilegeService {
  /** application → name → actions; dropped on every change. */
  private definitions: Map<string, Map<string, readonly string[]>> | null = null;
  private seenVersion: number;
  /** Bumped by every clear, so a load that raced a change is not kept. */
  private generation = 0;

  constructor(private readonly store: Store) {
    this.seenVersion = store.externalVersion();
  }

  /** Validates all, then stores each; `created` per privilege. */
  async put(privileges: readonly ApplicationPrivilegeRecord[]): Promise<Array<{ record: ApplicationPrivilegeRecord; created: boolean }>> {
    const problems = privileges.flatMap(problemsOf);
    if (problems.length > 0) throw validationFailed(problems);
    const out: Array<{ record: ApplicationPrivilegeRecord; created: boolean }> = [];
    try {
      for (const record of privileges) out.push({ record, created: (await this.store.applicationPrivileges.put(record)).created });
    } finally {
      this.clearCache();
    }
    return out;
  }

  /** Privileges of the named applications (trailing wildcards allowed), or all; optionally only some names. */
  async get(applications: readonly string[], names: readonly string[]): Promise<ApplicationPrivilegeRecord[]> {
    const wildcard = applications.length === 0 || applications.some((a) => a.includes('*'));
    const records = await this.store.applicationPrivileges.list(wildcard ? undefined : applications);
    const matchesApp = (app: string) => applications.length === 0 || applications.some((p) => (p.endsWith('*') ? app.startsWith(p.slice(0, -1)) : app === p));
    return records.filter((r) => matchesApp(r.application) && (names.length === 0 || names.includes(r.name)));
  }

  /** The names that existed and are now gone. */
  async delete(application: string, names: readonly string[]): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    try {
      for (const name of names) out.set(name, await this.store.applicationPrivileges.delete(application, name));
    } finally {
      this.clearCache();
    }
    return out;
  }

  clearCache(): void {
    this.definitions = null;
    this.generation += 1;
  }

  /** A synchronous lookup over every stored privilege, loaded once until the next change. */
  async lookup(): Promise<(application: string, name: string) => readonly string[] | undefined> {
    const version = this.store.externalVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.clearCache();
    }
    let definitions = this.definitions;
    if (definitions === null) {
      const generation = this.generation;
      const loaded = new Map<string, Map<string, readonly string[]>>();
      for (const record of await this.store.applicationPrivileges.list()) {
        let names = loaded.get(record.application);
        if (names === undefined) loaded.set(record.application, (names = new Map()));
        names.set(record.name, record.actions);
      }
      definitions = loaded;
      if (generation === this.generation) this.definitions = loaded;
    }
    const resolved = definitions;
    return (application, name) => resolved.get(application)?.get(name);
  }
}
