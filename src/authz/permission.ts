// Role descriptors compiled once into a permission that answers "may this identity do action A
// (on index I)" without scanning roles per request. The effective permission is the union of roles.
import type { RoleDescriptor } from '../services/role-descriptor.js';
import { compilePatterns, globCovers, isRegexPattern, isWildcardPattern, patternsCover, type NameMatcher } from './patterns.js';
import { CLUSTER_PRIVILEGES, INDEX_PRIVILEGES, type PrivilegeDefinition } from './privileges.js';
import { RESTRICTED_PATTERNS } from './restricted.js';

/** Indices only reachable with allow_restricted_indices (Elasticsearch's restricted system indices). */
const isRestricted = compilePatterns(RESTRICTED_PATTERNS);

interface CompiledPrivilege {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly includes: NameMatcher;
  readonly excludes: NameMatcher;
}

function definitionOf(name: string, table: Readonly<Record<string, PrivilegeDefinition>>): PrivilegeDefinition {
  const lower = name.toLowerCase();
  // A raw action name in a role grants that action and its sub-actions (Elasticsearch: name + "*").
  return table[lower] ?? { include: [lower.endsWith('*') ? lower : `${lower}*`] };
}

function compilePrivilege(definition: PrivilegeDefinition): CompiledPrivilege {
  const exclude = definition.exclude ?? [];
  return { include: definition.include, exclude, includes: compilePatterns(definition.include), excludes: compilePatterns(exclude) };
}

function grants(privilege: CompiledPrivilege, action: string): boolean {
  return privilege.includes(action) && !privilege.excludes(action);
}

/**
 * Whether `granted` covers every action pattern of `requested` (used for has_privileges and ordering).
 * A granted exclusion that overlaps a requested pattern only matters when the requested privilege
 * does not exclude that part itself (Elasticsearch compares automata, so manage implies manage).
 */
function implies(granted: readonly CompiledPrivilege[], requested: PrivilegeDefinition): boolean {
  const requestedExclude = requested.exclude ?? [];
  const alsoExcluded = (excluded: string) => requestedExclude.some((own) => globCovers(own, excluded));
  return requested.include.every((pattern) =>
    granted.some(
      (privilege) =>
        privilege.include.some((outer) => globCovers(outer, pattern)) &&
        !privilege.exclude.some((excluded) => (globCovers(excluded, pattern) || globCovers(pattern, excluded)) && !alsoExcluded(excluded)),
    ),
  );
}

interface IndexGroup {
  readonly namePatterns: readonly string[];
  readonly names: NameMatcher;
  readonly privileges: readonly CompiledPrivilege[];
  readonly allowRestricted: boolean;
}

/** The actions of a stored application privilege by application and name (undefined: no such privilege). */
export type ApplicationDefinitions = (application: string, name: string) => readonly string[] | undefined;

/** Elasticsearch's ApplicationPrivilege VALID_NAME: anything else in a privilege list is an action pattern. */
const PRIVILEGE_NAME = /^[a-z][a-zA-Z0-9_.-]*$/;

function applicationActions(application: string, privilege: string, definitions: ApplicationDefinitions): readonly string[] {
  return PRIVILEGE_NAME.test(privilege) ? (definitions(application, privilege) ?? []) : [privilege];
}

/** What authorization asks of an identity's permission. */
export interface EffectivePermission {
  readonly manageOwnApiKey: boolean;
  checkCluster(action: string): boolean;
  checkIndex(action: string, index: string): boolean;
  checkRunAs(username: string): boolean;
  hasClusterPrivilege(name: string): boolean;
  hasIndexPrivilege(indexPattern: string, privilege: string, allowRestricted: boolean): boolean;
  /** has_privileges for an application privilege name or action pattern on a resource (name or pattern). */
  hasApplicationPrivilege(application: string, resource: string, privilege: string, definitions: ApplicationDefinitions): boolean;
  /** Whether `global.application.manage` covers every one of these application names. */
  canManageApplications(applications: readonly string[]): boolean;
  /** Whether `global.profile.write` covers every one of these profile data namespaces. */
  canWriteProfileData(namespaces: readonly string[]): boolean;
  /**
   * The index name patterns under which `action` is granted, as sets that ALL must cover a target
   * (one set for a role permission; two for an API key: its own and its owner's snapshot).
   */
  grantedIndexPatterns(action: string): ReadonlyArray<readonly string[]>;
  /** Whether `action` is granted on at least one index (Elasticsearch's check for composite requests). */
  checkIndexActionOnSomeIndex(action: string): boolean;
}

/**
 * An API key's permission: what both its own role descriptors and its owner's snapshot
 * (`limited_by`) allow, as Elasticsearch's LimitedRole does.
 */
export class IntersectionPermission implements EffectivePermission {
  constructor(
    private readonly own: EffectivePermission,
    private readonly limitedBy: EffectivePermission,
  ) {}

  get manageOwnApiKey(): boolean {
    return this.own.manageOwnApiKey && this.limitedBy.manageOwnApiKey;
  }

  checkCluster(action: string): boolean {
    return this.own.checkCluster(action) && this.limitedBy.checkCluster(action);
  }

  checkIndex(action: string, index: string): boolean {
    return this.own.checkIndex(action, index) && this.limitedBy.checkIndex(action, index);
  }

  /** API keys never run as another user. */
  checkRunAs(): boolean {
    return false;
  }

  hasClusterPrivilege(name: string): boolean {
    return this.own.hasClusterPrivilege(name) && this.limitedBy.hasClusterPrivilege(name);
  }

  hasIndexPrivilege(indexPattern: string, privilege: string, allowRestricted: boolean): boolean {
    return this.own.hasIndexPrivilege(indexPattern, privilege, allowRestricted) && this.limitedBy.hasIndexPrivilege(indexPattern, privilege, allowRestricted);
  }

  hasApplicationPrivilege(application: string, resource: string, privilege: string, definitions: ApplicationDefinitions): boolean {
    return this.own.hasApplicationPrivilege(application, resource, privilege, definitions) && this.limitedBy.hasApplicationPrivilege(application, resource, privilege, definitions);
  }

  canManageApplications(applications: readonly string[]): boolean {
    return this.own.canManageApplications(applications) && this.limitedBy.canManageApplications(applications);
  }

  canWriteProfileData(namespaces: readonly string[]): boolean {
    return this.own.canWriteProfileData(namespaces) && this.limitedBy.canWriteProfileData(namespaces);
  }

  grantedIndexPatterns(action: string): ReadonlyArray<readonly string[]> {
    return [...this.own.grantedIndexPatterns(action), ...this.limitedBy.grantedIndexPatterns(action)];
  }

  checkIndexActionOnSomeIndex(action: string): boolean {
    return this.own.checkIndexActionOnSomeIndex(action) && this.limitedBy.checkIndexActionOnSomeIndex(action);
  }
}

export class Permission implements EffectivePermission {
  private readonly cluster: readonly CompiledPrivilege[];
  private readonly groups: readonly IndexGroup[];
  private readonly runAs: NameMatcher;
  private readonly applications: ReadonlyArray<{ readonly application: NameMatcher; readonly resources: readonly string[]; readonly privileges: readonly string[] }>;
  private readonly manageApplications: NameMatcher;
  private readonly writeProfiles: NameMatcher;
  /** manage_own_api_key: API key actions on the caller's own keys (enforced by the API key service). */
  readonly manageOwnApiKey: boolean;
  private readonly clusterDecisions = new Map<string, boolean>();
  private readonly indexPrivilegeAnswers = new Map<string, boolean>();

  private constructor(descriptors: readonly RoleDescriptor[]) {
    this.cluster = descriptors.flatMap((d) => d.cluster.map((name) => compilePrivilege(definitionOf(name, CLUSTER_PRIVILEGES))));
    this.manageOwnApiKey = descriptors.some((d) => d.cluster.some((name) => name.toLowerCase() === 'manage_own_api_key'));
    this.groups = descriptors.flatMap((d) =>
      d.indices.map((group) => ({
        namePatterns: group.names,
        names: compilePatterns(group.names),
        privileges: group.privileges.map((name) => compilePrivilege(definitionOf(name, INDEX_PRIVILEGES))),
        allowRestricted: group.allow_restricted_indices,
      })),
    );
    this.runAs = compilePatterns(descriptors.flatMap((d) => d.run_as));
    this.applications = descriptors.flatMap((d) =>
      d.applications.map((entry) => ({
        application: compilePatterns([entry.application]),
        resources: entry.resources,
        privileges: entry.privileges,
      })),
    );
    this.manageApplications = compilePatterns(descriptors.flatMap((d) => d.global?.application?.manage.applications ?? []));
    this.writeProfiles = compilePatterns(descriptors.flatMap((d) => d.global?.profile?.write.applications ?? []));
  }

  /**
   * As Elasticsearch's ApplicationPermission: one role entry for the application whose resources
   * cover the resource must grant the privilege: the same name, `*`, or actions (names resolved to
   * their stored actions) that cover every action of the requested one. Nothing covers no actions.
   */
  hasApplicationPrivilege(application: string, resource: string, privilege: string, definitions: ApplicationDefinitions): boolean {
    const requested = applicationActions(application, privilege, definitions);
    return this.applications.some((entry) => {
      if (!entry.application(application) || !patternsCover(entry.resources, resource)) return false;
      if (entry.privileges.includes(privilege) || entry.privileges.includes('*')) return true;
      if (requested.length === 0) return false;
      const granted = entry.privileges.flatMap((name) => applicationActions(application, name, definitions));
      return requested.every((action) => granted.some((outer) => globCovers(outer, action)));
    });
  }

  canManageApplications(applications: readonly string[]): boolean {
    return applications.length > 0 && applications.every((application) => this.manageApplications(application));
  }

  canWriteProfileData(namespaces: readonly string[]): boolean {
    return namespaces.length > 0 && namespaces.every((namespace) => this.writeProfiles(namespace));
  }

  static compile(descriptors: readonly RoleDescriptor[]): Permission {
    return new Permission(descriptors);
  }

  checkCluster(action: string): boolean {
    let decision = this.clusterDecisions.get(action);
    if (decision === undefined) {
      decision = this.cluster.some((privilege) => grants(privilege, action));
      if (this.clusterDecisions.size < 10_000) this.clusterDecisions.set(action, decision);
    }
    return decision;
  }

  checkIndex(action: string, index: string): boolean {
    const restricted = isRestricted(index);
    return this.groups.some(
      (group) => (group.allowRestricted || !restricted) && group.names(index) && group.privileges.some((privilege) => grants(privilege, action)),
    );
  }

  checkRunAs(username: string): boolean {
    return this.runAs(username);
  }

  grantedIndexPatterns(action: string): ReadonlyArray<readonly string[]> {
    return [this.groups.filter((group) => group.privileges.some((privilege) => grants(privilege, action))).flatMap((group) => group.namePatterns)];
  }

  checkIndexActionOnSomeIndex(action: string): boolean {
    return this.groups.some((group) => group.namePatterns.length > 0 && group.privileges.some((privilege) => grants(privilege, action)));
  }

  /** has_privileges for a cluster privilege name or action pattern. */
  hasClusterPrivilege(name: string): boolean {
    // manage_own_api_key is conditional (no fixed actions): held when granted, or implied by manage_api_key.
    if (name.toLowerCase() === 'manage_own_api_key') return this.manageOwnApiKey || this.hasClusterPrivilege('manage_api_key');
    return implies(this.cluster, definitionOf(name, CLUSTER_PRIVILEGES));
  }

  /**
   * has_privileges for an index name or pattern: the privilege's actions must be granted by groups
   * whose name patterns cover the requested pattern (a pattern is tested as a pattern).
   */
  hasIndexPrivilege(indexPattern: string, privilege: string, allowRestricted: boolean): boolean {
    // The proxy asks the same few questions on every request ("write on *?"): remember the answers.
    const key = `${allowRestricted ? 1 : 0}${privilege}\u0000${indexPattern}`;
    let answer = this.indexPrivilegeAnswers.get(key);
    if (answer === undefined) {
      answer = this.computeIndexPrivilege(indexPattern, privilege, allowRestricted);
      if (this.indexPrivilegeAnswers.size < 10_000) this.indexPrivilegeAnswers.set(key, answer);
    }
    return answer;
  }

  private computeIndexPrivilege(indexPattern: string, privilege: string, allowRestricted: boolean): boolean {
    const requested = definitionOf(privilege, INDEX_PRIVILEGES);
    const concrete = !isWildcardPattern(indexPattern) && !isRegexPattern(indexPattern);
    const restricted = concrete ? isRestricted(indexPattern) : allowRestricted;
    const covering = this.groups.filter(
      (group) =>
        (group.allowRestricted || !restricted) &&
        (concrete ? group.names(indexPattern) : patternsCover(group.namePatterns, indexPattern)),
    );
    return implies(
      covering.flatMap((group) => group.privileges),
      requested,
    );
  }
}

/** Privilege names that grant `action`, least privileged first (Elasticsearch's sortByAccessLevel). */
export function privilegesGranting(action: string, kind: 'cluster' | 'index'): string[] {
  const table = kind === 'cluster' ? CLUSTER_PRIVILEGES : INDEX_PRIVILEGES;
  const order = accessOrder(kind);
  return order.filter((name) => name !== 'none' && grants(compilePrivilege(table[name] as PrivilegeDefinition), action));
}

const orders = new Map<'cluster' | 'index', string[]>();

function accessOrder(kind: 'cluster' | 'index'): string[] {
  const cached = orders.get(kind);
  if (cached) return cached;
  const table = kind === 'cluster' ? CLUSTER_PRIVILEGES : INDEX_PRIVILEGES;
  const names = Object.keys(table);
  const compiled = new Map(names.map((name) => [name, compilePrivilege(table[name] as PrivilegeDefinition)]));
  const impliesCount = new Map(
    names.map((name) => [
      name,
      names.filter((other) => other !== name && (table[other]?.include.length ?? 0) > 0 && implies([compiled.get(name) as CompiledPrivilege], table[other] as PrivilegeDefinition)).length,
    ]),
  );
  const order = [...names].sort((a, b) => (impliesCount.get(a) ?? 0) - (impliesCount.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  orders.set(kind, order);
  return order;
}
