// User API: put, get, delete, change password, enable/disable (Elasticsearch's native realm APIs).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { illegalArgument, resourceNotFound, validationFailed } from '../../errors/request.js';
import type { Authentication } from '../../services/authentication.js';
import { PasswordHasher } from '../../services/password-hasher.js';
import { RESERVED_USERNAMES } from '../../services/reserved-users.js';
import type { UserService } from '../../services/user-service.js';
import { profileUid, type ProfileService } from '../../services/profile-service.js';
import type { PasswordHash, UserRecord } from '../../store/types.js';
import { booleanField, namesParam, objectField, rejectUnknownFields, requireObjectBody, stringArrayField, stringField } from '../body.js';

interface UsernameParams {
  username: string;
}

const PUT_FIELDS = ['username', 'password', 'password_hash', 'roles', 'full_name', 'email', 'metadata', 'enabled'];

function renderUser(user: UserRecord): Record<string, unknown> {
  return { username: user.username, roles: user.roles, full_name: user.fullName, email: user.email, metadata: user.metadata, enabled: user.enabled };
}

function checkedHash(hash: string): PasswordHash {
  if (!PasswordHasher.isSupportedHash(hash)) {
    throw illegalArgument(
      'The provided password hash is not a hash or it could not be resolved to a supported hash algorithm. The supported password hash algorithms are [argon2id]',
    );
  }
  return hash;
}

/** The `password` or `password_hash` of a body, never both. */
function passwordOf(body: Record<string, unknown>, requestName: string): { password?: string; passwordHash?: PasswordHash } {
  const password = stringField(body, 'password', requestName);
  const hash = stringField(body, 'password_hash', requestName);
  if (password !== undefined && hash !== undefined) throw validationFailed(['only one of [password, passwordHash] can be provided']);
  if (hash !== undefined) return { passwordHash: checkedHash(hash) };
  return password === undefined ? {} : { password };
}

const self = (request: FastifyRequest) => request.authentication as Authentication;

export async function userRoutes(app: FastifyInstance, options: { users: UserService; profiles: Pick<ProfileService, 'get'> }): Promise<void> {
  const { users, profiles } = options;

  /** with_profile_uid: the uid of the user's profile, when one was activated. */
  const withProfileUid = async (request: FastifyRequest, user: UserRecord): Promise<Record<string, unknown>> => {
    const flag = (request.query as Record<string, string | undefined>)['with_profile_uid'];
    const rendered = renderUser(user);
    if (flag === undefined || flag === 'false') return rendered;
    const profile = await profiles.get(profileUid(user.username));
    return profile === null ? rendered : { ...rendered, profile_uid: profile.uid };
  };

  const put = async (request: FastifyRequest) => {
    const { username } = request.params as UsernameParams;
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, PUT_FIELDS, 'put_user_request');
    const bodyUsername = stringField(body, 'username', 'put_user_request');
    if (bodyUsername !== undefined && bodyUsername !== username) throw illegalArgument(`username in the request body [${bodyUsername}] does not match the path [${username}]`);
    if (RESERVED_USERNAMES.has(username)) throw validationFailed([`user [${username}] is reserved and only the password can be changed`]);
    const roles = stringArrayField(body, 'roles', 'put_user_request');
    if (roles === undefined) throw validationFailed(['roles are missing']);
    const { created } = await users.put({
      username,
      ...passwordOf(body, 'put_user_request'),
      roles,
      fullName: stringField(body, 'full_name', 'put_user_request') ?? null,
      email: stringField(body, 'email', 'put_user_request') ?? null,
      metadata: objectField(body, 'metadata', 'put_user_request') ?? {},
      enabled: booleanField(body, 'enabled', 'put_user_request') ?? true,
    });
    return { created };
  };
  const putAction = { action: 'cluster:admin/xpack/security/user/put' };
  app.put('/_security/user/:username', { config: putAction }, put);
  app.post('/_security/user/:username', { config: putAction }, put);

  const get = async (request: FastifyRequest, reply: FastifyReply) => {
    const names = namesParam((request.params as Partial<UsernameParams>).username);
    const out: Record<string, unknown> = {};
    if (names.length === 0) {
      for (const user of await users.list()) out[user.username] = await withProfileUid(request, user);
      return out;
    }
    for (const name of names) {
      const user = await users.get(name);
      if (user) out[name] = await withProfileUid(request, user);
    }
    if (Object.keys(out).length === 0) reply.code(404);
    return out;
  };
  const getAction = { action: 'cluster:admin/xpack/security/user/get' };
  app.get('/_security/user', { config: getAction }, get);
  app.get('/_security/user/:username', { config: getAction }, get);

  app.delete('/_security/user/:username', { config: { action: 'cluster:admin/xpack/security/user/delete' } }, async (request, reply) => {
    const { username } = request.params as UsernameParams;
    if (RESERVED_USERNAMES.has(username)) throw illegalArgument(`user [${username}] is reserved and cannot be deleted`);
    const found = await users.delete(username);
    if (!found) reply.code(404);
    return { found };
  });

  // Realm users may always change their own password; tokens and API keys may not (Elasticsearch).
  const passwordAction = {
    action: (request: FastifyRequest) => {
      const target = (request.params as Partial<UsernameParams>).username ?? self(request).user.username;
      const authentication = self(request);
      const own = target === authentication.user.username && authentication.type === 'realm' && authentication.authenticatingUser === undefined;
      return own ? null : 'cluster:admin/xpack/security/user/change_password';
    },
  };
  const changePassword = async (request: FastifyRequest) => {
    const username = (request.params as Partial<UsernameParams>).username ?? self(request).user.username;
    const body = requireObjectBody(request.body);
    rejectUnknownFields(body, ['password', 'password_hash'], 'change_password_request');
    const { password, passwordHash } = passwordOf(body, 'change_password_request');
    if (password === undefined && passwordHash === undefined) throw validationFailed(['password must be specified']);
    const changed = passwordHash !== undefined ? await users.setPasswordHash(username, passwordHash) : await users.changePassword(username, password as string);
    if (!changed) throw resourceNotFound('user must exist in order to change password');
    return {};
  };
  for (const url of ['/_security/user/_password', '/_security/user/:username/_password']) {
    app.put(url, { config: passwordAction }, changePassword);
    app.post(url, { config: passwordAction }, changePassword);
  }

  const setEnabled = (enabled: boolean) => async (request: FastifyRequest) => {
    const { username } = request.params as UsernameParams;
    if (username === self(request).user.username) throw validationFailed(['users may not update the enabled status of their own account']);
    if (!(await users.setEnabled(username, enabled))) throw resourceNotFound(`user [${username}] does not exist`);
    return {};
  };
  const enabledAction = { action: 'cluster:admin/xpack/security/user/set_enabled' };
  for (const [suffix, enabled] of [['_enable', true], ['_disable', false]] as const) {
    app.put(`/_security/user/:username/${suffix}`, { config: enabledAction }, setEnabled(enabled));
    app.post(`/_security/user/:username/${suffix}`, { config: enabledAction }, setEnabled(enabled));
  }
}
