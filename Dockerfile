# Readiness Gate GitHub App. Build: docker build -t readiness-gate .
# Run:   docker run -p 3000:3000 -e APP_ID -e PRIVATE_KEY -e WEBHOOK_SECRET readiness-gate

# --- build: compile TypeScript with the dev dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and the compiled app only ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
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
