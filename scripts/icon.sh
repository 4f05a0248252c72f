#!/usr/bin/env bash
# Scales the application icon for the Linux desktop: icon.sh SRC SIZE OUT.
set -euo pipefail
src=$1 size=$2 out=$3
command -v convert >/dev/null || { echo "icon.sh: ImageMagick's convert is missing: run make deps" >&2; exit 1; }
convert "$src" -resize "${size}x${size}" -strip -define png:exclude-chunks=date,time "$out"
