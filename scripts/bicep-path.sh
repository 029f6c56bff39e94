#!/usr/bin/env bash
# Prints the path of the Bicep CLI the project uses, or fails with a clear message when it is not installed.
#
#   scripts/bicep-path.sh
#
# $BICEP_BIN, when set, wins (an explicit override); otherwise the pinned build that scripts/install-bicep.sh
# (run by scripts/setup.sh) puts under .tools/bicep/<version>/bicep.
set -euo pipefail
# shellcheck source=scripts/bicep-pin.sh
. "$(dirname "${BASH_SOURCE[0]}")/bicep-pin.sh"

if [[ -n ${BICEP_BIN:-} ]]; then
  if [[ -x $BICEP_BIN ]]; then
    printf '%s\n' "$BICEP_BIN"
    exit 0
  fi
  printf 'bicep-path: BICEP_BIN=%s is not an executable file\n' "$BICEP_BIN" >&2
  exit 1
fi
if [[ -x $BICEP_BIN_PINNED ]]; then
  printf '%s\n' "$BICEP_BIN_PINNED"
  exit 0
fi
printf 'bicep-path: the Bicep CLI %s is not installed (expected %s); run scripts/install-bicep.sh (scripts/setup.sh runs it) or set BICEP_BIN\n' \
  "$BICEP_VERSION" "$BICEP_BIN_PINNED" >&2
exit 1
