#!/usr/bin/env bash
# Installs the pinned Bicep CLI (scripts/bicep-pin.sh) to .tools/bicep/<version>/bicep. Run by scripts/setup.sh.
#
#   scripts/install-bicep.sh
#
# Fetches the NuGet package Azure.Bicep.CommandLine.linux-x64 with the dotnet CLI when present (a throwaway
# project with a <PackageDownload>, restored into a temporary folder, so the machine's NuGet sources and proxy
# settings apply), otherwise straight from the nuget.org v3 flat container over HTTPS (curl or wget). Either way
# the .nupkg's SHA-512 must match the pin before tools/bicep is extracted. Quick no-op when already installed.
# Never fails: when the CLI cannot be installed it says why (a warning) and exits 0, so setup carries on; the
# bicep npm scripts then fail with their own message. BICEP_INSTALL_FROM=dotnet|https forces one route.
set -uo pipefail
# shellcheck source=scripts/bicep-pin.sh
. "$(dirname "${BASH_SOURCE[0]}")/bicep-pin.sh"

say() { printf 'setup: %s\n' "$*"; }
warn() { printf 'setup: WARNING: %s\n' "$*" >&2; }

if [[ -x $BICEP_BIN_PINNED ]] && "$BICEP_BIN_PINNED" --version 2>/dev/null | grep -qF "version $BICEP_VERSION "; then
  say "Bicep CLI $BICEP_VERSION already installed ($BICEP_BIN_PINNED)"
  exit 0
fi
if [[ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]]; then
  warn "Bicep CLI not installed: only linux-x64 is pinned (this is $(uname -s)/$(uname -m)); set BICEP_BIN to a bicep binary"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
nupkg_name="$BICEP_PACKAGE.$BICEP_VERSION.nupkg"
url="https://api.nuget.org/v3-flatcontainer/$BICEP_PACKAGE/$BICEP_VERSION/$nupkg_name"

via_dotnet() {
  command -v dotnet >/dev/null 2>&1 || return 1
  cat >"$tmp/fetch.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="$BICEP_PACKAGE" Version="[$BICEP_VERSION]" /></ItemGroup>
</Project>
XML
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    dotnet restore "$tmp/fetch.csproj" --packages "$tmp/packages" >"$tmp/dotnet.log" 2>&1 || {
    warn "dotnet restore of $BICEP_PACKAGE $BICEP_VERSION failed: $(grep -m 1 -E 'error' "$tmp/dotnet.log" || tail -n 1 "$tmp/dotnet.log")"
    return 1
  }
  cp "$tmp/packages/$BICEP_PACKAGE/$BICEP_VERSION/$nupkg_name" "$tmp/bicep.nupkg"
}

via_https() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 20 -o "$tmp/bicep.nupkg" "$url" 2>"$tmp/curl.log" || {
      warn "download of $url failed: $(tail -n 1 "$tmp/curl.log")"
      return 1
    }
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 20 -O "$tmp/bicep.nupkg" "$url" || {
      warn "download of $url failed (wget)"
      return 1
    }
  else
    warn "neither curl nor wget is available to download $url"
    return 1
  fi
}

fetched=""
case "${BICEP_INSTALL_FROM:-}" in
  dotnet) via_dotnet && fetched=dotnet ;;
  https) via_https && fetched=https ;;
  *) if via_dotnet; then fetched=dotnet; elif via_https; then fetched=https; fi ;;
esac
if [[ -z $fetched ]]; then
  warn "Bicep CLI $BICEP_VERSION not installed: could not fetch $BICEP_PACKAGE (npm run bicep:build/bicep:lint will not work)"
  exit 0
fi

actual="$(sha512sum "$tmp/bicep.nupkg" | cut -d ' ' -f 1)"
if [[ $actual != "$BICEP_NUPKG_SHA512" ]]; then
  warn "Bicep CLI not installed: $nupkg_name (via $fetched) has SHA-512 $actual, expected $BICEP_NUPKG_SHA512"
  exit 0
fi

# The .nupkg is a zip; tools/bicep is the self-contained compiler.
if command -v unzip >/dev/null 2>&1; then
  unzip -p "$tmp/bicep.nupkg" tools/bicep >"$tmp/bicep" 2>"$tmp/unzip.log"
elif command -v python3 >/dev/null 2>&1; then
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("tools/bicep"))' \
    "$tmp/bicep.nupkg" >"$tmp/bicep" 2>"$tmp/unzip.log"
else
  warn "Bicep CLI not installed: neither unzip nor python3 is available to extract tools/bicep"
  exit 0
fi
if [[ ! -s $tmp/bicep ]]; then
  warn "Bicep CLI not installed: could not extract tools/bicep from $nupkg_name ($(tail -n 1 "$tmp/unzip.log"))"
  exit 0
fi
chmod 755 "$tmp/bicep"
if ! "$tmp/bicep" --version >/dev/null 2>&1; then
  warn "Bicep CLI not installed: the extracted tools/bicep does not run ($("$tmp/bicep" --version 2>&1 | tail -n 1))"
  exit 0
fi
mkdir -p "$(dirname "$BICEP_BIN_PINNED")"
# Copy next to the target then rename, so an interrupted run never leaves a half-written binary in place.
cp "$tmp/bicep" "$BICEP_BIN_PINNED.partial" && mv -f "$BICEP_BIN_PINNED.partial" "$BICEP_BIN_PINNED" || {
  warn "Bicep CLI not installed: could not write $BICEP_BIN_PINNED"
  exit 0
}
say "Bicep CLI $BICEP_VERSION installed to $BICEP_BIN_PINNED (via $fetched, SHA-512 verified)"
