#!/usr/bin/env bash
# Builds the web pages (web/ -> web/dist) that the ledger serves on its own
# port: npm ci when web/node_modules does not match web/package-lock.json,
# then the TypeScript check and the Vite build, and the files' gzip copies.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.pl-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
npm run --silent build
# A gzip copy beside each text file of 1 KiB or more: the server sends it to
# browsers that take gzip (a third of the bytes on a phone's slow link).
find dist -type f \( -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' -o -name '*.json' \) \
  -size +1k -exec gzip -9 -k -f -n {} +
echo "web pages built in $(pwd)/dist"
