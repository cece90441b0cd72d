// POST /_security/profile/_has_privileges: which profiles' users hold every requested privilege,
// judged by the roles the profile recorded at its last activation (as Elasticsearch does).
import type { Authorizer } from '../../authz/authorizer.js';
import { validationFailed } from '../../errors/request.js';
import type { ApplicationPrivilegeService } from '../../services/application-privilege-service.js';
import type { ProfileService } from '../../services/profile-service.js';
import { isJsonObject, rejectUnknownFields, stringArrayField } from '../body.js';
import { evaluatePrivilegeChecks, parsePrivilegeChecks } from '../privileges/check.js';

const REQUEST = 'profile_has_privileges_request';

export interface ProfilePrivilegeDeps {
  readonly authorizer: Authorizer;
  readonly profiles: ProfileService;
  readonly applicationPrivileges: ApplicationPrivilegeService;
}

export async function profileHasPrivileges(deps: ProfilePrivilegeDeps, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  rejectUnknownFields(body, ['uids', 'privileges'], REQUEST);
  const uids = stringArrayField(body, 'uids', REQUEST) ?? [];
  const privileges = body['privileges'];
  const problems: string[] = [];
  if (uids.length === 0) problems.push('profile uids must be provided');
  if (!isJsonObject(privileges)) problems.push('must specify a non-empty list of privileges');
  if (problems.length > 0) throw validationFailed(problems);
  const checks = parsePrivilegeChecks(privileges as Record<string, unknown>, REQUEST);
  const definitions = checks.application.length === 0 ? () => undefined : await deps.applicationPrivileges.lookup();
  const granted: string[] = [];
  const details: Record<string, unknown> = {};
  for (const uid of new Set(uids)) {
    const profile = await deps.profiles.get(uid);
    if (profile === null) {
      details[uid] = { type: 'resource_not_found_exception', reason: 'profile document not found' };
      continue;
    }
    const permission = await deps.authorizer.permissionForRoles(profile.user.roles);
    if (evaluatePrivilegeChecks(permission, checks, definitions).all) granted.push(uid);
  }
  const count = Object.keys(details).length;
  return { has_privilege_uids: granted, ...(count === 0 ? {} : { errors: { count, details } }) };
}
