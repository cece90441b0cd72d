// X-Elastic-Api-Key-Expiration on every response to a request authenticated by an expiring API key
// (the header Elastic Cloud Enterprise sends), esgate-written and proxied alike; ISO-8601 UTC.
import type { FastifyInstance } from 'fastify';
import type { ApiKeyService } from '../../services/api-key-service.js';

export const API_KEY_EXPIRATION_HEADER = 'X-Elastic-Api-Key-Expiration';

export function apiKeyExpirationHeader(app: FastifyInstance, apiKeys: Pick<ApiKeyService, 'expirationOf'>): void {
  app.addHook('onSend', async (request, reply) => {
    const expiresAt = apiKeys.expirationOf(request.authentication);
    if (expiresAt !== undefined) reply.header(API_KEY_EXPIRATION_HEADER, new Date(expiresAt).toISOString());
  });
}
