# syntax=docker/dockerfile:1
# Node 26 is the active LTS line (since October 2026); the suite also runs under it in .ci/run.
ARG NODE_IMAGE=node:26-alpine

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-explorer-assets.mjs ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec form: node is PID 1's child of nothing, so SIGTERM reaches the graceful shutdown directly.
# A young generation of 64 MiB semi-spaces (V8's default is 16): answers are built from large provider pages whose
# parsed objects die young, and the collector's share of a big query fell by about a fifth (README, "Runtime").
CMD ["node", "--max-semi-space-size=64", "dist/server.js"]
