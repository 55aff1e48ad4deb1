#!/usr/bin/env bash
# Install a software Vulkan driver (Mesa lavapipe) so Dawn (npm `webgpu`) finds an
# adapter on machines without a GPU. See GUIDE.md section 4 ("Software GPU").
#
# - Debian 12 (bookworm): Mesa 22.3 from bookworm itself is rejected by Dawn, so
#   mesa-vulkan-drivers (Mesa 25) comes from the official bookworm-backports suite.
# - Newer Debian/Ubuntu: the distribution's own mesa-vulkan-drivers is new enough.
# - No apt-get (other distros, macOS): prints a note and exits 0.
# Idempotent: does nothing when a new-enough lavapipe is already installed.
# Run it as you are (`npm run setup`): as root it installs directly (containers, CI images have
# no sudo); as a user it re-runs itself through sudo only when it has something to install.
set -euo pipefail

MIN_MESA_MAJOR=24
PKGS=(mesa-vulkan-drivers libvulkan1)
BACKPORTS_FILE=/etc/apt/sources.list.d/bookworm-backports.sources

log() { echo "setup-gpu: $*"; }

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  log "apt-get not found; install a Vulkan driver (Mesa >= ${MIN_MESA_MAJOR} lavapipe) or use a real GPU yourself. Nothing done."
  exit 0
fi

installed_major() { # prints the installed major version of $1, or 0
  local v
  v=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null || true)
  case "$v" in
    ii*) v=${v#* }; v=${v#*:}; echo "${v%%.*}" ;;
    *) echo 0 ;;
  esac
}

lvp_ready() {
  [ "$(installed_major mesa-vulkan-drivers)" -ge "$MIN_MESA_MAJOR" ] &&
    [ "$(installed_major libvulkan1)" -gt 0 ] &&
    ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1
}

if lvp_ready; then
  log "lavapipe already installed (mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers))."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    log "installing packages needs root: running again through sudo"
    exec sudo bash "$0" "$@"
  fi
  log "must run as root to install packages, and sudo is not installed: run it as root." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_Q=(-qq -o=Dpkg::Use-Pty=0 -o=Dpkg::Options::=--force-confdef -o=Dpkg::Options::=--force-confold)

codename=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
fi

if [ "$codename" = bookworm ]; then
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Use the mirror the machine already uses for bookworm itself.
    mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
    [ -n "$mirror" ] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | awk '{for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; exit }}' | head -n 1 || true)
    if [ -z "$mirror" ]; then
      log "cannot find the Debian mirror in /etc/apt; add bookworm-backports yourself." >&2
      exit 1
    fi
    log "adding bookworm-backports source ($BACKPORTS_FILE, mirror $mirror)"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" >"$BACKPORTS_FILE"
  fi
  log "apt-get update"
  apt-get "${APT_Q[@]}" update >/dev/null
  log "installing ${PKGS[*]} from bookworm-backports"
  apt-get "${APT_Q[@]}" install -y --no-install-recommends -t bookworm-backports "${PKGS[@]}" >/dev/null
else
  log "apt-get update"
  apt-get "${APT_Q[@]}" update >/dev/null
  log "installing ${PKGS[*]}"
  apt-get "${APT_Q[@]}" install -y --no-install-recommends "${PKGS[@]}" >/dev/null
fi

if lvp_ready; then
  log "done: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)."
else
  log "installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || echo '?'), but it is older than ${MIN_MESA_MAJOR} or lavapipe's ICD is missing; Dawn may reject it." >&2
  exit 1
fi
echo "setup-gpu: set XDG_RUNTIME_DIR to a writable directory before running Dawn (Mesa warns otherwise)."
