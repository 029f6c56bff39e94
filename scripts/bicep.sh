#!/usr/bin/env bash
# Runs the project's Bicep CLI (see scripts/bicep-path.sh) and fails when it reports any warning or error.
#
#   scripts/bicep.sh build bicep/main.bicep --outdir dist/bicep
#   scripts/bicep.sh lint bicep/main.bicep
#
# `bicep lint` and `bicep build` exit 0 when there are only warnings; this project treats a warning as a failure,
# so the diagnostics (printed on stderr as "file(line,col) : Warning|Error CODE: ...") are counted here.
set -euo pipefail

bicep="$("$(dirname "${BASH_SOURCE[0]}")/bicep-path.sh")"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

status=0
"$bicep" "$@" 2>"$log" || status=$?
cat "$log" >&2
if ((status != 0)); then
  exit "$status"
fi
count="$(grep -cE ' : (Warning|Error) ' "$log" || true)"
if ((count > 0)); then
  printf 'bicep: %s diagnostic(s) reported; warnings count as failures\n' "$count" >&2
  exit 1
fi
