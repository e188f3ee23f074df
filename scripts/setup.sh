#!/usr/bin/env bash
# Installs what Cluster needs on a fresh Debian 12 machine with the .NET SDK, and nothing already there.
# Idempotent: run it as often as you like; it says what it installs.
set -euo pipefail


need_apt=()
# OpenCvSharp's native runtime (video decoding) links against GTK 3.
dpkg-query -W -f='${Status}' libgtk-3-0 2>/dev/null | grep -q 'install ok installed' || need_apt+=(libgtk-3-0)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK 10 is required (dotnet not found on PATH)" >&2; exit 1; }
