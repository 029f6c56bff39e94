#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine (with Node 20+) to build, test and run azl-rebuilder locally.
#
#   scripts/setup.sh
#
# Installs the system tools the pipeline uses (rpmbuild, createrepo_c, dnf, qemu-img, mkfs.ext4, git, CA
# certificates, RabbitMQ for the bridge's tests, zip, and Chromium for the dashboard's browser test, driven by
# playwright-core) with apt-get, the pinned Bicep CLI (scripts/install-bicep.sh, into .tools/), then the npm
# dependencies, then builds. Safe to run again: when every tool is already there apt is skipped entirely, and the
# Bicep CLI is not fetched again. A tool that cannot be installed is reported and skipped (the steps that need it
# fail later with their own message); only a failing npm step makes the script fail.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*"; }
warn() { printf 'setup: WARNING: %s\n' "$*" >&2; }

# --- Node ------------------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "Node.js 20 or newer (with npm) is required but 'node' or 'npm' is not on PATH; install it first" >&2
  exit 1
fi
node_version="$(node -p 'process.versions.node')"
IFS=. read -r node_major node_minor _ <<<"$node_version"
if ((node_major < 20)); then
  say "Node.js $node_version is too old: azl-rebuilder needs Node 20 or newer (package.json engines: >=20.19)" >&2
  exit 1
fi
if ((node_major == 20 && node_minor < 19)); then
  warn "Node.js $node_version is older than package.json's engines (>=20.19); npm may warn"
fi
say "Node.js $node_version"

# --- System tools ----------------------------------------------------------------------------------------
# package:probe, where a probe is a command name or, when it starts with '/', a file that must exist.
tools=(
  rpm:rpmbuild
  createrepo-c:createrepo_c
  dnf:dnf
  qemu-utils:qemu-img
  e2fsprogs:mkfs.ext4
  fdisk:sfdisk
  dosfstools:mkfs.vfat
  mtools:mcopy
  util-linux:fallocate
  xz-utils:xz
  zstd:zstd
  git:git
  ca-certificates:/etc/ssl/certs/ca-certificates.crt
  openssl:openssl
  rabbitmq-server:/usr/lib/rabbitmq/bin/rabbitmq-server
  zip:zip
  unzip:unzip
  chromium:chromium
)

present() {
  if [[ $1 == /* ]]; then [[ -e $1 ]]; else command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; fi
}

missing=()
for entry in "${tools[@]}"; do
  present "${entry#*:}" || missing+=("${entry%%:*}")
done

failed=()
if ((${#missing[@]} == 0)); then
  say "system tools already installed; skipping apt-get"
elif ! command -v apt-get >/dev/null 2>&1; then
  failed=("${missing[@]}")
  for package in "${missing[@]}"; do warn "could not install $package: apt-get is not available on this system"; done
else
  sudo=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      warn "not root and sudo is missing: cannot install ${missing[*]}"
      failed=("${missing[@]}")
      missing=()
    fi
  fi
  if ((${#missing[@]} > 0)); then
    export DEBIAN_FRONTEND=noninteractive
    apt_install() { "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@"; }
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    say "installing ${missing[*]} (apt-get update first)"
    if ! "${sudo[@]}" apt-get update -q >"$log" 2>&1; then
      warn "apt-get update failed ($(grep -E '^(E|W):' "$log" | tail -n 1 || true)); trying the cached package lists"
    fi
    # One transaction when possible (fast); package by package when not, to tell which one failed and why.
    if ! apt_install "${missing[@]}" >"$log" 2>&1; then
      for package in "${missing[@]}"; do
        if ! apt_install "$package" >"$log" 2>&1; then
          reason="$(grep -E '^E:' "$log" | head -n 1 || true)"
          warn "could not install $package: ${reason:-apt-get install failed (see apt-get output)}"
          failed+=("$package")
        fi
      done
    fi
  fi
fi

# Check the probes again: a package can install without providing the tool (or not install at all).
for entry in "${tools[@]}"; do
  package="${entry%%:*}" probe="${entry#*:}"
  if ! present "$probe" && [[ " ${failed[*]} " != *" $package "* ]]; then
    warn "could not install $package: $probe is still missing after installation"
    failed+=("$package")
  fi
done
if ((${#failed[@]} > 0)); then
  warn "continuing without: ${failed[*]}"
else
  say "system tools ready: $(for entry in "${tools[@]}"; do printf '%s ' "${entry%%:*}"; done)"
fi

# --- Bicep CLI (deployment templates) ---------------------------------------------------------------------
# Warns and carries on when it cannot install (no network, no dotnet/curl, another platform).
bash scripts/install-bicep.sh || warn "scripts/install-bicep.sh failed unexpectedly; continuing without the Bicep CLI"

# --- npm -------------------------------------------------------------------------------------------------
if [[ -f package-lock.json ]]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
else
  say "installing npm dependencies (npm install; no package-lock.json)"
  npm install --no-audit --no-fund
fi
say "building (npm run build)"
npm run build
say "done"
