#!/usr/bin/env bash
# Installs what building, running and testing Mezhved needs on a fresh
# Debian or Ubuntu machine, and nothing that is already there:
#  - Debian packages (as root, or through sudo);
#  - the Wails CLI pinned at v2.16.0 into .cache/bin;
#  - the frontend's npm packages.
# Usage: scripts/install-deps.sh [run|test|bench]   (test adds the test tools,
# bench the benchmark tools too)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

run_pkgs=(build-essential pkg-config libgtk-3-dev xvfb xauth x11-utils fonts-dejavu-core curl ca-certificates)
test_pkgs=(xdotool imagemagick chromium tesseract-ocr tesseract-ocr-rus xmlsec1 libxml2-utils
  libengine-gost-openssl softhsm2 opensc poppler-utils fonts-liberation2 postgresql python3
  gcc-mingw-w64-x86-64 nsis wine64 p7zip-full)
# make package builds the window program on WebKitGTK 4.1 too (the .deb
# carries both): where 4.0 is the default, test adds the 4.1 files.
webkit41=(libwebkit2gtk-4.1-dev)

pkgs=("${run_pkgs[@]}")
case "$mode" in
  test) pkgs+=("${test_pkgs[@]}" "${webkit41[@]}") ;;
  bench) pkgs+=("${test_pkgs[@]}" hyperfine libssl-dev) ;;
esac

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# WebKitGTK: 4.0 on Debian 12, 4.1 where 4.0 is gone (Ubuntu 24.04); the
# Makefile picks the build tag from what pkg-config finds.
if ! pkg-config --exists webkit2gtk-4.0 2>/dev/null && ! pkg-config --exists webkit2gtk-4.1 2>/dev/null; then
  missing+=(WEBKIT)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] && [ -z "$sudo" ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them as root (apt-get install ...) and run make again." >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  final=()
  for p in "${missing[@]}"; do
    if [ "$p" = WEBKIT ]; then
      if apt-cache show libwebkit2gtk-4.0-dev >/dev/null 2>&1; then final+=(libwebkit2gtk-4.0-dev); else final+=(libwebkit2gtk-4.1-dev); fi
    else
      final+=("$p")
    fi
  done
  $sudo apt-get install -y -qq --no-install-recommends "${final[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1; then
  echo "Go is not installed: install Go 1.26 or newer (https://go.dev/dl) and run make again." >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js 20.19+ with npm is needed for the window's pages: install it and run make again." >&2
  exit 1
fi

# The Wails CLI, pinned (the proxy's @latest is an old release that does not
# build with current Go).
WAILS_VERSION=v2.16.0
if ! .cache/bin/wails version 2>/dev/null | grep -q "$WAILS_VERSION"; then
  echo "Installing the Wails CLI $WAILS_VERSION"
  GOBIN=$PWD/.cache/bin go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
fi

# nfpm, pinned (make package builds the .deb packages with it).
NFPM_VERSION=v2.48.0
# (go install leaves no version in the program: a stamp file says which.)
if [ "$mode" != run ] && ! { [ -x .cache/bin/nfpm ] && [ -f ".cache/bin/.nfpm-$NFPM_VERSION" ]; }; then
  echo "Installing nfpm $NFPM_VERSION"
  GOFLAGS= GOBIN=$PWD/.cache/bin go install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION"
  touch ".cache/bin/.nfpm-$NFPM_VERSION"
fi

# staticcheck, pinned (make vet runs it).
STATICCHECK_VERSION=v0.8.2
if ! .cache/bin/staticcheck -version 2>/dev/null | grep -q "${STATICCHECK_VERSION#v}"; then
  echo "Installing staticcheck $STATICCHECK_VERSION"
  GOFLAGS= GOBIN=$PWD/.cache/bin go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi

# npm packages, when package.json changed since the last install.
stamp=frontend/node_modules/.installed-stamp
if [ ! -f "$stamp" ] || [ frontend/package.json -nt "$stamp" ] || [ frontend/package-lock.json -nt "$stamp" ]; then
  echo "Installing the frontend's npm packages"
  (cd frontend && npm install --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
