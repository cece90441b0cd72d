// es-security-runas-user: the request acts as another user, looked up (not authenticated) in the
// store. Whether the authenticating user may run as that user is decided by authorization.
import { unableToAuthenticate } from '../errors/authc.js';
import type { HeaderValues } from '../errors/es-error.js';
import { authenticatedUserOf, type Authentication } from '../services/authentication.js';
import { realmOf } from '../services/reserved-users.js';
import type { UserService } from '../services/user-service.js';

export const RUN_AS_HEADER = 'es-security-runas-user';

export class RunAs {
  constructor(
    private readonly users: UserService,
    private readonly challenges: () => HeaderValues,
  ) {}

  async apply(authentication: Authentication, header: string | undefined, uri: string): Promise<Authentication> {
    if (header === undefined) return authentication;
    const target = header === '' ? null : await this.users.get(header);
    // A disabled run-as user fails authentication of the whole request (Elasticsearch).
    if (target !== null && !target.enabled) throw unableToAuthenticate(authentication.user.username, uri, this.challenges());
    if (target === null || authentication.type === 'anonymous') {
      return Object.freeze({
        ...authentication,
        user: authenticatedUserOf({ username: header, roles: [], fullName: null, email: null, metadata: {}, enabled: true }),
        authenticatingUser: authentication.user,
        runAsUnresolved: true as const,
      });
    }
    return Object.freeze({
      ...authentication,
      user: authenticatedUserOf(target),
      authenticatingUser: authentication.user,
      lookupRealm: realmOf(target.username),
    });
  }
}
