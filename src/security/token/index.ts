// The token API routes: POST and DELETE /_security/oauth2/token. Bodies are parsed and validated
// before authorization, as Elasticsearch validates a request before its action filters run.
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { EsError, type HeaderValues } from '../../errors/es-error.js';
import type { Authentication } from '../../services/authentication.js';
import type { TokenService } from '../../services/token-service.js';
import { looksLikeJwt, type JwtService } from '../../services/jwt-service.js';
import { getToken, getTokenAction, parseTokenRequest, type GetTokenDeps } from './get-token.js';
import { INVALIDATE_TOKEN_ACTION, invalidateToken, parseInvalidateTokenRequest } from './invalidate-token.js';
import { invalidateTokenRequestSchema, tokenRequestSchema, type InvalidateTokenRequest, type TokenRequest } from './schemas.js';

export interface TokenRoutesDeps {
  readonly tokens: TokenService;
  readonly realm: GetTokenDeps['realm'];
  readonly chain: { readonly challenges: HeaderValues };
  readonly config: { readonly authc: { readonly token: { readonly enabled: boolean } } };
  /** An ECE-login JWT sent as `token` is invalidated as the access token it stands for. */
  readonly jwt: Pick<JwtService, 'accessTokenOf'>;
}

/** TokenBaseRestHandler: checked before the body is read. */
function tokensNotEnabled(): EsError {
  return new EsError(400, 'feature_not_enabled_exception', 'security tokens are not enabled', {
    metadata: { 'disabled.feature': 'security_tokens' },
  });
}

/** A body validator from a parse function: its error (EsError or OAuth2Error) goes to the one error handler. */
function bodyParser(parse: (body: unknown) => unknown): FastifySchemaCompiler<unknown> {
  return () => (data: unknown) => {
    try {
      return { value: parse(data) };
    } catch (error) {
      return { error: error as Error };
    }
  };
}

export async function tokenRoutes(app: FastifyInstance, deps: TokenRoutesDeps): Promise<void> {
  if (!deps.config.authc.token.enabled) {
    app.addHook('onRequest', async () => {
      throw tokensNotEnabled();
    });
  }
  const getTokenDeps: GetTokenDeps = { tokens: deps.tokens, realm: deps.realm, challenges: () => deps.chain.challenges };

  app.post<{ Body: TokenRequest }>(
    '/_security/oauth2/token',
    {
      schema: { body: tokenRequestSchema },
      validatorCompiler: bodyParser(parseTokenRequest),
      config: { action: getTokenAction },
    },
    async (request) => getToken(getTokenDeps, request.body, request.authentication as Authentication, request.clientAddress),
  );

  app.delete<{ Body: InvalidateTokenRequest }>(
    '/_security/oauth2/token',
    {
      schema: { body: invalidateTokenRequestSchema },
      validatorCompiler: bodyParser(parseInvalidateTokenRequest),
      config: { action: INVALIDATE_TOKEN_ACTION },
    },
    async (request, reply) => {
      const jwt = request.body.token;
      const accessToken = jwt !== undefined && looksLikeJwt(jwt) ? await deps.jwt.accessTokenOf(jwt) : null;
      const { status, body } = await invalidateToken(deps.tokens, accessToken === null ? request.body : { ...request.body, token: accessToken });
      return reply.code(status).send(body);
    },
  );
}
