# Sourced by scripts/install-bicep.sh and scripts/bicep-path.sh: the one pinned Bicep CLI build the project uses.
# The hash is the SHA-512 (hex) of the .nupkg as served by nuget.org (the same bytes through `dotnet restore`).
# shellcheck shell=bash disable=SC2034
BICEP_VERSION=0.49.2
BICEP_PACKAGE=azure.bicep.commandline.linux-x64
BICEP_NUPKG_SHA512=9019d7d221bdc1dfcf59d093c057d4be6e897a69fee4beec63b6fb1d08b993e2cbc1d166adbc38cb94532c5c5ec0214c741a944e188e20b31aeec8339253c401
BICEP_HOME="${BICEP_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/bicep}"
BICEP_BIN_PINNED="$BICEP_HOME/$BICEP_VERSION/bicep"
