// Who may do what: compiles and caches the effective permission of an authentication and answers
// cluster-action checks with Elasticsearch's 403. Caches drop on every role change, and on
// changes other processes made to the store.
import { clusterActionDenied, runAsDenied, type DeniedSubject } from '../errors/authz.js';
import { EsError, type HeaderValues } from '../errors/es-error.js';
import type { Authentication } from '../services/authentication.js';
import type { RoleService } from '../services/role-service.js';
import { SERVICE_ACCOUNTS } from '../services/service-accounts.js';
import { IntersectionPermission, Permission, privilegesGranting, type EffectivePermission } from './permission.js';

export interface AuthorizerOptions {
  readonly anonymousAuthzException: boolean;
  readonly challenges: () => HeaderValues;
}

export class Authorizer {
  private readonly permissions = new Map<string, Promise<Permission>>();
  /** Bumped by every invalidation; memos of an older generation are ignored. */
  private generation = 0;
  private readonly byRoleList = new WeakMap<readonly string[], { readonly generation: number; readonly permission: Promise<Permission> }>();
  /** API key permissions live as long as the (cached, immutable) Authentication they belong to. */
  private readonly apiKeyPermissions = new WeakMap<Authentication, EffectivePermission>();
  private seenVersion: number;
  /** Service accounts' descriptors are fixed: compiled once each. */
  private readonly serviceAccountPermissions = new Map<string, Permission>();

  constructor(
    private readonly roles: RoleService,
    private readonly externalVersion: () => number,
    private readonly options: AuthorizerOptions = { anonymousAuthzException: true, challenges: () => ({}) },
  ) {
    this.seenVersion = externalVersion();
  }

  /**
   * Run-as is authorized before the action: the authenticating user's roles must grant run_as for
   * the target, and the target must exist (Elasticsearch answers both with the same 403).
   */
  async authorizeRunAs(authentication: Authentication, action: string): Promise<void> {
    const authenticating = authentication.authenticatingUser;
    if (authenticating === undefined) return;
    const allowed =
      authentication.runAsUnresolved !== true &&
      authentication.apiKey === undefined &&
      (await this.permissionForRoles(authenticating.roles)).checkRunAs(authentication.user.username);
    if (!allowed) {
      throw runAsDenied(action, { username: authenticating.username, roles: authenticating.roles }, authentication.user.username);
    }
  }

  /**
   * The error for a denied action: Elasticsearch's 403, except for anonymous requests when
   * anonymous.authz_exception is false: then 401 with challenges, so the client can log in.
   */
  deny(authentication: Authentication, error: EsError, action: string): EsError {
    if (authentication.type === 'anonymous' && !this.options.anonymousAuthzException) {
      return new EsError(401, 'security_exception', `action [${action}] requires authentication`, { headers: this.options.challenges() });
    }
    return error;
  }

  /** Drops every compiled permission (a role changed). */
  invalidate(): void {
    this.permissions.clear();
    this.generation++;
  }

  /** The union of the effective user's roles; for an API key, its descriptors ∩ its limited_by snapshot. */
  async permission(authentication: Authentication): Promise<EffectivePermission> {
    const apiKey = authentication.apiKey;
    if (authentication.serviceAccount !== undefined) return this.serviceAccountPermission(authentication.serviceAccount.principal);
    if (apiKey === undefined) return this.permissionForRoles(authentication.user.roles);
    let permission = this.apiKeyPermissions.get(authentication);
    if (permission === undefined) {
      const limitedBy = Permission.compile(apiKey.limitedBy);
      permission = apiKey.roleDescriptors.length === 0 ? limitedBy : new IntersectionPermission(Permission.compile(apiKey.roleDescriptors), limitedBy);
      this.apiKeyPermissions.set(authentication, permission);
    }
    return permission;
  }

  private serviceAccountPermission(principal: string): Permission {
    let permission = this.serviceAccountPermissions.get(principal);
    if (permission === undefined) {
      const account = SERVICE_ACCOUNTS.get(principal);
      permission = Permission.compile(account === undefined ? [] : [account.roleDescriptor]);
      this.serviceAccountPermissions.set(principal, permission);
    }
    return permission;
  }

  permissionForRoles(roleNames: readonly string[]): Promise<Permission> {
    const version = this.externalVersion();
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.invalidate();
    }
    // Fast path: the same (cached, frozen) role list as on the previous request of this identity.
    const memo = this.byRoleList.get(roleNames);
    if (memo !== undefined && memo.generation === this.generation) return memo.permission;
    const key = [...roleNames].sort().join('\u0000');
    let permission = this.permissions.get(key);
    if (permission === undefined) {
      permission = this.roles.resolve(roleNames).then((descriptors) => Permission.compile(descriptors));
      // A failed load must not stay cached.
      permission.catch(() => {
        this.permissions.delete(key);
        this.byRoleList.delete(roleNames);
      });
      this.permissions.set(key, permission);
    }
    this.byRoleList.set(roleNames, { generation: this.generation, permission });
    return permission;
  }

  /** Throws Elasticsearch's 403 unless the authentication may perform the cluster action. */
  async authorizeCluster(authentication: Authentication, action: string): Promise<void> {
    await this.authorizeRunAs(authentication, action);
    const permission = await this.permission(authentication);
    if (!permission.checkCluster(action)) {
      throw this.deny(authentication, clusterActionDenied(action, deniedSubject(authentication), privilegesGranting(action, 'cluster')), action);
    }
  }
}

export function deniedSubject(authentication: Authentication): DeniedSubject {
  const authenticating = authentication.authenticatingUser ?? authentication.user;
  return {
    username: authenticating.username,
    // Elasticsearch names no roles for API keys and service accounts.
    roles: authentication.type === 'api_key' || authentication.serviceAccount !== undefined ? null : authentication.user.roles,
    ...(authentication.apiKey ? { apiKeyId: authentication.apiKey.id } : {}),
    ...(authentication.authenticatingUser ? { runAs: authentication.user.username } : {}),
  };
}
