#!/usr/bin/env bash
# Checks that openapi/openapi.json makes a good typed client: generates TypeScript types from it with
# openapi-typescript, then type-checks openapi/client-check/usage-client.ts (openapi-fetch calls that must compile,
# and `@ts-expect-error` calls the types must refuse). Its tools are pinned here and installed in a scratch
# directory, not in the project: openapi-typescript 7 needs TypeScript 5, the project runs TypeScript 6.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
npm install --prefix "$scratch" --no-save --no-audit --no-fund --no-package-lock --silent \
  openapi-typescript@7.13.0 typescript@5.9.3 openapi-fetch@0.17.0
cp openapi/client-check/usage-client.ts openapi/client-check/tsconfig.json "$scratch/"
"$scratch/node_modules/.bin/openapi-typescript" openapi/openapi.json -o "$scratch/usage-api.d.ts"
"$scratch/node_modules/.bin/tsc" -p "$scratch/tsconfig.json"
echo "openapi/openapi.json: the generated client types compile, and refuse what the document refuses"
