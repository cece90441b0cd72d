# syntax=docker/dockerfile:1
# esgate: an authentication gateway in front of Elasticsearch.
#   docker build -t esgate .
#   docker run -p 9200:9200 -e ESGATE_UPSTREAM_URL=http://elasticsearch:9200 \
#     -e ESGATE_BOOTSTRAP_PASSWORD=... -v esgate-data:/var/lib/esgate esgate
# See docker-compose.yml for Elasticsearch with esgate in front.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: compile TypeScript, then keep only production dependencies ----
FROM ${NODE_IMAGE} AS build
# better-sqlite3 and argon2 are native modules: their prebuilt binaries are used when they can be
# fetched, otherwise node-gyp builds them from source with these tools.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY console ./console
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -f dist/.tsbuildinfo

# ---- runtime: node, the compiled code and production node_modules, as a non-root user ----
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    ESGATE_HTTP_HOST=0.0.0.0 \
    ESGATE_HTTP_PORT=9200 \
    ESGATE_DATA_DIR=/var/lib/esgate
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/console/dist ./console/dist
COPY --chown=root:root bin ./bin
COPY --chown=root:root config ./config
COPY --chown=root:root package.json ./
# The code stays root-owned and read-only to the process; only the data dir belongs to `node` (uid 1000).
RUN mkdir -p /var/lib/esgate && chown node:node /var/lib/esgate
USER node
VOLUME /var/lib/esgate
EXPOSE 9200
# No curl in slim images: node itself asks the unauthenticated health endpoint (200 while the store answers).
# With ESGATE_HTTP_SSL_ENABLED=true the probe speaks HTTPS; it asks esgate itself on loopback, so
# it does not check the certificate (clients do).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const s = process.env.ESGATE_HTTP_SSL_ENABLED === 'true'; require(s ? 'node:https' : 'node:http').get({ host: '127.0.0.1', port: process.env.ESGATE_HTTP_PORT || 9200, path: '/_esgate/health', rejectUnauthorized: false, timeout: 4000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).on('timeout', () => process.exit(1))"]
# Node is PID 1; esgate handles SIGTERM/SIGINT itself (finishes in-flight requests, closes the store).
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]
