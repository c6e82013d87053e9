#!/usr/bin/env bash
# Builds the web pages (web/ -> web/dist) that the ledger serves on its own
# port: npm ci when web/node_modules does not match web/package-lock.json,
# then the TypeScript check and the Vite build.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.pl-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
npm run --silent build
echo "web pages built in $(pwd)/dist"
