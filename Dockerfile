# syntax=docker/dockerfile:1
#
# clausewatch worker image.
#
#   docker build -t clausewatch .
#   docker run --rm --init clausewatch                           # no config: the demo, watching
#   docker run -d --init -v "$PWD/my-config:/app/config" -v clausewatch-data:/app/snapshots \
#     -e WIRE_TOKEN clausewatch                                   # your config/clausewatch.yaml
#   docker run --rm clausewatch demo                              # any other command
#   docker exec clausewatch clausewatch sources                   # inspect a running worker
#   docker build --build-arg WITH_CHROMIUM=true -t clausewatch:chromium .   # with Chromium, for render: browser
#
# Layout. The package (package.json, node_modules, dist/, its own config/ with the demo pages and
# schemas) lives in /app/share, owned by root and read-only for the worker. The two mount points
# hold only the operator's things: /app/config (clausewatch.yaml, found by the default lookup because
# the working directory is /app) and /app/snapshots (the store). Keeping the package out of
# /app/config means mounting a config directory never hides the demo pages, and a named volume
# never freezes a copy of them that would go stale on upgrade.
#
# Restarts: the store lock is a lease, so a worker killed with its container (OOM, `docker kill`,
# a stop past its grace) does not lock out the next one, which has the same pid: the restarted
# worker waits for the dead one's lease (storage.lockLeaseSeconds, 30 s) and takes over.
#
# Paths the code resolves, and why they meet:
# - the demo stores under <package root>/snapshots/demo = /app/share/snapshots/demo, and
#   /app/share/snapshots is a symlink to /app/snapshots, so it lands on the volume;
# - `health` without a config reads ./snapshots/demo from the working directory /app: same place;
# - a config's relative storage dir resolves against the config file's directory (/app/config),
#   so CLAUSEWATCH_DATA=/app/snapshots is set for configs that say
#   `dir: ${CLAUSEWATCH_DATA:-./snapshots}` (as config/example.yaml does); or write `../snapshots`.
# CLAUSEWATCH_CONFIG is deliberately NOT set: when set, `run` insists on that file, whereas
# without it `run` falls back to the demo when /app/config/clausewatch.yaml does not exist.
#
# Signals: `run` (and the demo in watch mode) traps SIGTERM and SIGINT, stops the scheduler,
# writes a "stopped" heartbeat and exits 0, so node as PID 1 shuts down cleanly on `docker stop`.
# Checks still in flight after shutdownGraceSeconds (8 s) are cut short, and whatever still hangs
# then (a read on a dead network mount) cannot keep the process past the grace plus 2 s: the
# worker always ends within Docker's default 10 s stop timeout.
# One-shot commands (`check`, `demo`, `diff`) install no handler, and the kernel ignores an
# unhandled signal sent to PID 1: without `--init` (or `init: true` in compose) Ctrl-C does
# nothing and `docker stop` waits for its timeout. tini via `--init` forwards signals and reaps;
# the image does not bundle it, to stay one package smaller.

ARG NODE_IMAGE=node:24-bookworm-slim

# `npm ci`: exactly the locked versions, or a failed build when package.json and
# package-lock.json disagree.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# Sources with `render: browser` need Chromium: `--build-arg WITH_CHROMIUM=true` installs Debian's
# package (about 300 MB); the default image stays without it. browser.executablePath defaults to
# /usr/bin/chromium, where the package puts it.
ARG WITH_CHROMIUM=false
RUN if [ "$WITH_CHROMIUM" = "true" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="clausewatch" \
      org.opencontainers.image.description="Clause-aware change tracking for documents that evolve through numbered versions" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"

ENV NODE_ENV=production \
    CLAUSEWATCH_DATA=/app/snapshots

WORKDIR /app/share
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY config ./config
# The symlink is relative so the same tree works wherever it is unpacked (.ci/production-start
# builds it in a temp dir).
RUN chmod 0755 dist/src/cli.js \
 && ln -s /app/share/dist/src/cli.js /usr/local/bin/clausewatch \
 && ln -s ../snapshots /app/share/snapshots \
 && mkdir -p /app/config /app/snapshots \
 && chown node:node /app/config /app/snapshots

WORKDIR /app
USER node
# No VOLUME instruction: it would give every plain `docker run` an anonymous volume that outlives
# the container. Mount the store yourself (-v clausewatch-data:/app/snapshots, as compose does);
# without a mount it lives in the container and goes with it (`docker run --rm`: nothing left).

# The worker beats every 60 s while idle; health fails after 180 s without a beat or once the
# worker wrote "stopped". It reads the same config as `run` (working directory and environment
# are the container's), so keep a non-default config path in CLAUSEWATCH_CONFIG, not in --config.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "/app/share/dist/src/cli.js", "health"]

ENTRYPOINT ["node", "/app/share/dist/src/cli.js"]
CMD ["run"]
