# owa-audit container image: Node 20 on Debian bookworm, Debian's Chromium headless shell for the
# PDF reports (a system browser patched with the image; preferred to the full Chromium, which it
# outprints: docs/report.md, "The browser (PDF)"). Without it owa-audit would fall back to the
# Chromium of the optional npm dependency @sparticuz/chromium, which `npm prune --omit=dev` keeps,
# as it keeps the CJK fonts that owa-audit hands to either browser: see src/report/chromium.ts,
# fonts.ts.
#   docker build -t owa-audit .
#   docker run --rm -v "$PWD/scans:/work/scans" owa-audit scan scans/acme.yaml
# Untested here (no container engine on the build machine); see docs/scaling.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY tools/bundle-cli.mjs ./tools/bundle-cli.mjs
# `npm ci` runs the prepare script, which compiles src/ into dist/ and bundles it into dist/bundle/
# (the program bin/owa-audit.js runs) with tools/bundle-cli.mjs; the rest of tools/ stays out.
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium-headless-shell fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Chromium's own sandbox needs user namespaces, which container runtimes usually block: the
# container is the sandbox (report pages run no script and make no request).
ENV NODE_ENV=production \
    OWA_AUDIT_CHROMIUM_NO_SANDBOX=1 \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium-headless-shell \
    PUPPETEER_SKIP_DOWNLOAD=1
WORKDIR /app
COPY package.json ./
COPY bin ./bin
COPY data ./data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN ln -s /app/bin/owa-audit.js /usr/local/bin/owa-audit \
 && mkdir -p /work && chown node:node /work
# The image's unprivileged user (uid 1000); run directories default to /work/scans/runs.
USER node
WORKDIR /work
ENTRYPOINT ["owa-audit"]
CMD ["--help"]
