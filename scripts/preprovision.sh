#!/usr/bin/env bash
# azd `preprovision` hook (azure.yaml): checks the deployment parameters and the distribution tree
# (AZL_DISTRO_SOURCE, default distro/) on this machine before azd sends anything to Azure. azd runs hooks with the environment's values (AZURE_ENV_NAME, AZURE_LOCATION and every
# `azd env set`), which bicep/main.bicepparam reads.
#
# Needs the project's pinned Bicep CLI (installed here when missing). Where it cannot be installed (only
# linux-x64 is pinned; set BICEP_BIN to another build), the check is skipped with a warning and Azure
# validates the parameters instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-bicep.sh
# `azd provision` on its own does not install the npm dependencies the check is built with.
[[ -d node_modules ]] || npm ci --no-audit --no-fund
if ! bash scripts/bicep-path.sh >/dev/null 2>&1; then
  printf 'preprovision: WARNING: no Bicep CLI here; the parameters are not checked before provisioning\n' >&2
  exit 0
fi
npm run --silent bicep:params
# The function package and the builder image carry the distribution tree; without one nothing can be planned.
node dist/scripts/distro-source.js
