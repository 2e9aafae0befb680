# Vigil image: builds the TypeScript sources and runs the API (default) or the stand-alone worker.

# ---- build: install all dependencies, compile to dist/, then drop dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Toolchain for native modules (argon2, msgpackr-extract) when no prebuilt binary fits.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY migrations ./migrations
RUN npm run build \
    && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies and compiled output only ----
FROM node:24-bookworm-slim AS runtime
WORKDIR /app

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WORKER_HEALTH_PORT=3001 \
    VIGIL_DATA_DIR=/app/.vigil

COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# The only writable path: generated secrets (or the embedded database when DATABASE_URL is unset).
RUN mkdir -p /app/.vigil && chown node:node /app/.vigil

USER node
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=256", "dist/apps/api/src/main.js"]
