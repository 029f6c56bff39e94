#!/usr/bin/env bash
# azd `postprovision` hook (azure.yaml), and the command to run after changing the builder or the
# distribution tree: builds builder/Dockerfile with ACR Tasks in the environment's registry (no local Docker
# daemon needed) and tags it `latest` (what the builder job and the app settings use unless BUILDER_IMAGE_TAG
# says otherwise) and the current commit.
#
#   AZURE_CONTAINER_REGISTRY_NAME=<registry> scripts/push-builder-image.sh
#
# azd passes AZURE_CONTAINER_REGISTRY_NAME (a bicep/main.bicep output). Needs the Azure CLI signed in to the
# same subscription (`az login`; in CI, azure/login). The build context is the repository root, which must
# hold the distribution tree at distro/ (builder/Dockerfile copies it to /srv/distro): without one the image
# could not build anything, so the step is skipped with a warning. AZL_SKIP_BUILDER_IMAGE=1 skips it on
# purpose (the deploy workflow builds the image in a step of its own, tagged with the commit).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'builder-image: %s\n' "$*"; }
warn() { printf 'builder-image: WARNING: %s\n' "$*" >&2; }

if [[ ${AZL_SKIP_BUILDER_IMAGE:-} == 1 ]]; then
  say "skipped (AZL_SKIP_BUILDER_IMAGE=1)"
  exit 0
fi
registry="${AZURE_CONTAINER_REGISTRY_NAME:-}"
if [[ -z $registry ]]; then
  warn "AZURE_CONTAINER_REGISTRY_NAME is not set (run through azd, or set it to the registry bicep/main.bicep created)"
  exit 1
fi
if [[ ! -f distro/azldev.toml ]]; then
  warn "no distribution tree at distro/ (azldev.toml missing): the builder image is not built;"
  warn "put the tree there and run scripts/push-builder-image.sh"
  exit 0
fi
if ! command -v az >/dev/null 2>&1; then
  warn "the Azure CLI (az) is not installed: install it, sign in, and run scripts/push-builder-image.sh"
  exit 1
fi
tags=(--image azl-rebuilder-builder:latest)
if commit="$(git rev-parse --short=12 HEAD 2>/dev/null)"; then
  tags+=(--image "azl-rebuilder-builder:$commit")
fi
say "building builder/Dockerfile in $registry (${tags[*]})"
az acr build --registry "$registry" "${tags[@]}" --file builder/Dockerfile .
