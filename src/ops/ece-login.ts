// Elastic Cloud Enterprise's login for scripts: POST /api/v1/users/auth/_login with a username and
// password answers {"token": "<JWT>"}, usable as `Authorization: Bearer` on every API. The JWT's
// verification keys are published at GET /_esgate/jwks.json. Both are public routes: the login
// checks the password itself (same realm, cache and argon2 bound as Basic credentials).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { NativeRealm } from '../authc/native-realm.js';
import type { Config } from '../config/schema.js';
import type { JwtService } from '../services/jwt-service.js';

export const ECE_LOGIN_PATH = '/api/v1/users/auth/_login';
export const JWKS_PATH = '/_esgate/jwks.json';

const loginBody = z
  .object({
    username: z.string().min(1).max(1024),
    password: z.string().min(1).max(1024),
  })
  .strict();

/** ECE's BasicFailedReply, with the code repeated in x-cloud-error-codes as ECE does. */
function failed(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('x-cloud-error-codes', code).header('content-type', 'application/json').send({ errors: [{ code, message }] });
}

export interface EceLoginOptions {
  readonly config: Config;
  readonly realm: Pick<NativeRealm, 'authenticate'>;
  readonly jwt: Pick<JwtService, 'issue' | 'jwks'>;
}

export async function eceLoginRoutes(app: FastifyInstance, options: EceLoginOptions): Promise<void> {
  app.get(JWKS_PATH, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300').header('content-type', 'application/json');
    return options.jwt.jwks();
  });

  if (!options.config.console.ece_login || !options.config.authc.token.enabled) return;
  app.post(ECE_LOGIN_PATH, async (request, reply) => {
    const parsed = loginBody.safeParse(request.body);
    if (!parsed.success) {
      // login_state (ECE's SSO redirect) is refused here too: esgate has no SSO page to send to.
      const field = parsed.error.issues[0]?.path.join('.') || 'body';
      return failed(reply, 400, 'root.invalid_json_request', `The request body is invalid: [${field}] ${parsed.error.issues[0]?.message ?? ''}`.trim());
    }
    const authentication = await options.realm.authenticate(parsed.data.username, parsed.data.password, request.clientAddress);
    if (authentication === null) return failed(reply, 401, 'root.unauthenticated', 'The supplied authentication is invalid');
    reply.header('content-type', 'application/json');
    return { token: await options.jwt.issue(authentication) };
  });
}
