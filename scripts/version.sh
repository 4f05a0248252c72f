#!/usr/bin/env bash
# Prints the version of this build, from git tags (vX.Y.Z), in a form that
# Debian packages, Windows installers and `mezhved version` all accept:
#   on a tag:            0.9.0
#   3 commits after it:  0.9.0+3.g1a2b3c4
#   no tag at all:       0.0.0+g1a2b3c4
#   uncommitted changes: ... + ".dirty"
# With "commit" as its argument it prints the commit instead.
set -euo pipefail
if [ "${1:-}" = commit ]; then
  git rev-parse --short=12 HEAD 2>/dev/null || echo unknown
  exit 0
fi
dirty=""
if ! git -c core.fileMode=false diff --quiet HEAD -- 2>/dev/null; then dirty=".dirty"; fi
if d=$(git describe --tags --long --match 'v[0-9]*' 2>/dev/null); then
  # v0.9.0-3-g1a2b3c4
  base=${d%-*-g*}; rest=${d#"$base"-}; n=${rest%%-*}; h=${rest#*-}
  base=${base#v}
  if [ "$n" = 0 ]; then v=$base; else v="$base+$n.$h"; fi
else
  v="0.0.0+g$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)"
fi
case "$v" in
  [0-9]*) ;;
  *) echo "version.sh: a tag must look like v1.2.3, found: $d" >&2; exit 1 ;;
esac
echo "$v$dirty"
