#!/usr/bin/env bash
# Installs what Cluster needs on a fresh Debian 12 machine with the .NET SDK, and nothing already there.
# Idempotent: run it as often as you like; it says what it installs.
set -euo pipefail


need_apt=()
# OpenCvSharp's native runtime (video decoding) links against GTK 3.
dpkg-query -W -f='${Status}' libgtk-3-0 2>/dev/null | grep -q 'install ok installed' || need_apt+=(libgtk-3-0)
# Multi-silo clusters keep membership, grain state and reminders in Redis; tests start their own redis-server.
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v npm >/dev/null || need_apt+=(npm)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

# Azurite (the Azure Blob Storage emulator) for the blob backend's tests and a local multi-silo cluster.
azurite_version=3.37.0
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools"
if [ ! -x "$tools/azurite/node_modules/.bin/azurite-blob" ] || ! grep -q "\"version\": \"$azurite_version\"" "$tools/azurite/node_modules/azurite/package.json" 2>/dev/null; then
  echo "setup: installing Azurite $azurite_version from npm into .tools/azurite" >&2
  mkdir -p "$tools/azurite"
  npm install --silent --no-audit --no-fund --prefix "$tools/azurite" "azurite@$azurite_version" >&2
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK 10 is required (dotnet not found on PATH)" >&2; exit 1; }
