# Readiness Gate GitHub App. Build: docker build -t readiness-gate .
# Run:   docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET readiness-gate

# --- build: compile TypeScript with the dev dependencies, and better-sqlite3's native module ---
FROM node:20-bookworm-slim AS build
# better-sqlite3 (the embedded audit store) builds from source when no prebuilt binary can be
# downloaded: it needs python3, make and a C++ compiler. They stay in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts but the one native module we need (fewer packages run code at build time).
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev && npm cache clean --force

# --- runtime: production dependencies and the compiled app only ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies as the build stage compiled them (same base image, same Node ABI): the
# runtime image needs no compiler.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY policies ./policies
COPY templates ./templates
COPY bin ./bin
COPY app.yml ./
# The embedded audit store writes ./data/readiness.sqlite by default: the one writable path.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# No HEALTHCHECK: the slim image has no curl; orchestrators probe GET /healthz and /readyz.
CMD ["node", "dist/app/main.js"]
