#!/usr/bin/env bash
# Prints the Go build tags of one of Mezhved's builds, decided from what is
# installed *now* (the Makefile calls this when a recipe runs, after
# `make deps` has installed WebKitGTK, never when it parses the file):
#   window  the Wails window program      desktop,production[,webkit2_41]
#   dev     the dev build for the browser dev[,webkit2_41]
#   headless the shipped command-line face headless (finds mezhved-window beside it)
# WebKitGTK 4.0 (Debian 12, Astra 1.8) needs no tag; where only 4.1 exists
# (Debian 13, Ubuntu 24.04) Wails wants webkit2_41. PKG_CONFIG overrides the
# pkg-config program (the tests use a fake one).
set -euo pipefail
pc=${PKG_CONFIG:-pkg-config}
webkit() {
  if "$pc" --exists webkit2gtk-4.0 2>/dev/null; then
    echo ""
  elif "$pc" --exists webkit2gtk-4.1 2>/dev/null; then
    echo ",webkit2_41"
  else
    echo "build-tags: WebKitGTK development files not found (neither webkit2gtk-4.0 nor webkit2gtk-4.1):" >&2
    echo "build-tags: run 'make deps' (it installs libwebkit2gtk-4.0-dev or libwebkit2gtk-4.1-dev)" >&2
    return 1
  fi
}
case "${1:-}" in
  window) w=$(webkit); echo "desktop,production$w" ;;
  dev) w=$(webkit); echo "dev$w" ;;
  headless) echo "headless" ;;
  *) echo "usage: scripts/build-tags.sh window|dev|headless" >&2; exit 2 ;;
esac
