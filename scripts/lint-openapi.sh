#!/usr/bin/env bash
# Lints openapi/openapi.json with Redocly's recommended rules and fails on any problem, warnings included
# (Redocly itself exits 0 on warnings). Pinned: later Redocly CLI releases need Node 22.
set -euo pipefail
cd "$(dirname "$0")/.."

report=$(npx -y @redocly/cli@2.77.0 lint --format=json openapi/openapi.json 2>/dev/null || true)
node -e '
  const report = JSON.parse(process.argv[1] || "{}")
  const totals = report.totals
  if (!totals) { console.error("redocly lint gave no report"); process.exit(1) }
  for (const problem of report.problems) console.error(`${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location?.[0]?.pointer ?? ""}`)
  console.log(`openapi/openapi.json: ${totals.errors} errors, ${totals.warnings} warnings (Redocly recommended rules)`)
  process.exit(totals.errors + totals.warnings === 0 ? 0 : 1)
' "$report"
