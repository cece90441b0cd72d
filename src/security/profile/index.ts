// User profile APIs as Kibana uses them (Rest{ActivateProfile,GetProfiles,UpdateProfileData,
// SuggestProfiles,ProfileHasPrivileges,SetProfileEnabled}Action).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authorizer } from '../../authz/authorizer.js';
import { deniedSubject } from '../../authz/authorizer.js';
import { privilegesGranting } from '../../authz/permission.js';
import { clusterActionDenied } from '../../errors/authz.js';
import { EsError } from '../../errors/es-error.js';
import { validationFailed } from '../../errors/request.js';
import type { Authentication } from '../../services/authentication.js';
import { filterData, type ProfileService } from '../../services/profile-service.js';
import type { ProfileRecord } from '../../store/types.js';
import { grantedUser, grantProblems, type GrantDeps } from '../api-key/grant.js';
import { isJsonObject, namesParam, objectField, optionalObjectBody, rejectUnknownFields, requireObjectBody, stringField } from '../body.js';
import { profileHasPrivileges, type ProfilePrivilegeDeps } from './has-privileges.js';

const ACTIONS = {
  activate: 'cluster:admin/xpack/security/profile/activate',
  get: 'cluster:admin/xpack/security/profile/get',
  updateData: 'cluster:admin/xpack/security/profile/put/data',
  suggest: 'cluster:admin/xpack/security/profile/suggest',
  setEnabled: 'cluster:admin/xpack/security/profile/set_enabled',
} as const;

export type ProfileRoutesDeps = Pick<GrantDeps, 'realm' | 'tokens' | 'chain'> & ProfilePrivilegeDeps & { readonly profiles: ProfileService };

interface Params {
  uid?: string;
}

/** The profile document as the APIs answer it; `data` only as the request's filter names it. */
function render(record: ProfileRecord, dataPatterns: readonly string[], withDoc = true): Record<string, unknown> {
  const { user } = record;
  return {
    uid: record.uid,
    enabled: record.enabled,
    last_synchronized: record.lastSynchronized,
    user: { username: user.username, roles: user.roles, realm_name: user.realmName, full_name: user.fullName, email: user.email },
    labels: record.labels,
    data: filterData(record.data, dataPatterns),
    ...(withDoc ? { _doc: { _primary_term: 1, _seq_no: record.seqNo } } : {}),
  };
}

const documentMissing = (uid: string) => new EsError(404, 'document_missing_exception', `[${uid}]: document missing`);

function sizeOf(body: Record<string, unknown>): number {
  const value = body['size'] ?? 10;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new EsError(400, 'x_content_parse_exception', '[suggest_profile_request] failed to parse field [size]');
  if (value < 0) throw validationFailed([`[size] parameter cannot be negative but was [${value}]`]);
  return value;
}

const dataParam = (request: FastifyRequest) => namesParam((request.query as Record<string, string | undefined>)['data']);

/** Writing labels/data needs manage_user_profile, or global profile.write for every namespace written. */
async function authorizeWrite(authorizer: Authorizer, request: FastifyRequest, namespaces: readonly string[]): Promise<void> {
  const authentication = request.authentication as Authentication;
  const permission = await authorizer.permission(authentication);
  if (permission.checkCluster(ACTIONS.updateData) || permission.canWriteProfileData(namespaces)) return;
  throw authorizer.deny(authentication, clusterActionDenied(ACTIONS.updateData, deniedSubject(authentication), privilegesGranting(ACTIONS.updateData, 'cluster')), ACTIONS.updateData);
}

export async function profileRoutes(app: FastifyInstance, deps: ProfileRoutesDeps): Promise<void> {
  const { profiles } = deps;

  app.post('/_security/profile/_activate', { config: { action: ACTIONS.activate } }, async (request) => {
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['grant_type', 'username', 'password', 'access_token'], 'activate_profile_request');
    const type = stringField(body, 'grant_type', 'activate_profile_request');
    const username = stringField(body, 'username', 'activate_profile_request');
    const password = stringField(body, 'password', 'activate_profile_request');
    const accessToken = stringField(body, 'access_token', 'activate_profile_request');
    const problems = grantProblems(type, username, password, accessToken);
    if (problems.length > 0) throw validationFailed(problems);
    const subject = await grantedUser(deps, ACTIONS.activate, request.clientAddress, type as string, username, password, accessToken);
    return render(await profiles.activate(subject), []);
  });

  app.get('/_security/profile/:uid', { config: { action: ACTIONS.get } }, async (request) => {
    const uids = namesParam((request.params as Params).uid);
    const patterns = dataParam(request);
    const found: Record<string, unknown>[] = [];
    const missing: Record<string, unknown> = {};
    for (const uid of uids) {
      const record = await profiles.get(uid);
      if (record === null) missing[uid] = { type: 'resource_not_found_exception', reason: 'profile document not found' };
      else found.push(render(record, patterns));
    }
    const count = Object.keys(missing).length;
    return { profiles: found, ...(count === 0 ? {} : { errors: { count, details: missing } }) };
  });

  const update = async (request: FastifyRequest) => {
    const { uid = '' } = request.params as Params;
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['labels', 'data'], 'update_profile_data_request');
    const labels = objectField(body, 'labels', 'update_profile_data_request') ?? {};
    const data = objectField(body, 'data', 'update_profile_data_request') ?? {};
    const namespaces = [...new Set([...Object.keys(labels), ...Object.keys(data)])];
    const problems = namespaces.length === 0 ? ['update request is empty'] : namespaces.filter((n) => n.startsWith('_')).map((n) => `data/labels key [${n}] must not start with [_]`);
    if (problems.length > 0) throw validationFailed(problems);
    await authorizeWrite(deps.authorizer, request, namespaces);
    if (!(await profiles.updateData(uid, labels, data))) throw documentMissing(uid);
    return { acknowledged: true };
  };
  // The handler authorizes (namespaces decide); run-as is still checked first.
  app.post('/_security/profile/:uid/_data', { config: { action: () => null } }, update);
  app.put('/_security/profile/:uid/_data', { config: { action: () => null } }, update);

  const suggest = async (request: FastifyRequest) => {
    const body = optionalObjectBody(request.body);
    rejectUnknownFields(body, ['name', 'size', 'data', 'hint'], 'suggest_profile_request');
    const name = stringField(body, 'name', 'suggest_profile_request') ?? '';
    const size = sizeOf(body);
    const patterns = body['data'] === undefined ? dataParam(request) : namesParam(String(body['data']));
    if (body['hint'] !== undefined && !isJsonObject(body['hint'])) throw validationFailed(['[hint] must be an object']);
    const started = Date.now();
    const result = await profiles.suggest(name, Math.min(size, 100));
    return {
      took: Date.now() - started,
      timed_out: false,
      total: { value: result.total, relation: 'eq' },
      profiles: result.profiles.map((record: ProfileRecord) => {
        const { uid, user, labels, data } = render(record, patterns, false);
        return { uid, user, labels, data };
      }),
    };
  };
  app.get('/_security/profile/_suggest', { config: { action: ACTIONS.suggest } }, suggest);
  app.post('/_security/profile/_suggest', { config: { action: ACTIONS.suggest } }, suggest);

  app.post('/_security/profile/_has_privileges', { config: { action: 'cluster:admin/xpack/security/profile/has_privileges' } }, (request) =>
    profileHasPrivileges(deps, requireObjectBody(request.body)),
  );
  app.get('/_security/profile/_has_privileges', { config: { action: 'cluster:admin/xpack/security/profile/has_privileges' } }, (request) =>
    profileHasPrivileges(deps, requireObjectBody(request.body)),
  );

  for (const [suffix, enabled] of [['_enable', true], ['_disable', false]] as const) {
    const handler = async (request: FastifyRequest) => {
      const { uid = '' } = request.params as Params;
      if (!(await profiles.setEnabled(uid, enabled))) throw documentMissing(uid);
      return { acknowledged: true };
    };
    app.post(`/_security/profile/:uid/${suffix}`, { config: { action: ACTIONS.setEnabled } }, handler);
    app.put(`/_security/profile/:uid/${suffix}`, { config: { action: ACTIONS.setEnabled } }, handler);
  }
}
