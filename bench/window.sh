#!/usr/bin/env bash
# Window benchmark (issue 6) on a journal of 1,000,000 requests:
#  1. the production binary in a real window (Xvfb already running): time from
#     exec to the first painted journal view (the window reports it to the log),
#     and the resident memory of the whole app (the binary and its WebKit
#     processes) once painted;
#  2. the dev binary with Debian's Chromium: time of filtering, searching and
#     paging actions (bench/window.mjs).
# Usage: bench/window.sh [DATA_DIR]   (default: the store benchmark's 1M journal)
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:-.cache/bench/journal-1m-v4}
if [ ! -f "$src/journal.db" ]; then
  echo "building the 1,000,000-request journal (store benchmark fixture)…"
  go test -run '^$' -bench 'ListPage1M' -benchtime 1x ./store >/dev/null
fi
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$src" "$work/data"

disp=:$((90 + RANDOM % 100))
Xvfb "$disp" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
sleep 1

# mem_tree FIELD PID: a memory figure (Rss or Pss, KiB) summed over a
# process and its descendants. RSS counts the shared GTK/WebKit libraries
# once per process; PSS shares them out, so the PSS sum is what the app
# really holds.
mem_tree() {
  local total=0 p
  total=$(awk -v f="$1:" '$1 == f {print $2}' /proc/"$2"/smaps_rollup 2>/dev/null || echo 0)
  for p in $(pgrep -P "$2" 2>/dev/null); do
    total=$((total + $(mem_tree "$1" "$p")))
  done
  echo "$total"
}

paints=()
rss=()
pss=()
for run in 1 2 3; do
  DISPLAY=$disp MEZHVED_DATA_DIR=$work/data ./build/bin/mezhved 2>"$work/log" &
  pid=$!
  for _ in $(seq 1 300); do grep -q "first journal view painted" "$work/log" && break; sleep 0.1; done
  ms=$(sed -n 's/.*first journal view painted\" ms=\([0-9]*\).*/\1/p' "$work/log" | head -n1)
  [ -n "$ms" ] || { echo "the window did not paint the journal"; cat "$work/log"; exit 1; }
  sleep 2
  paints+=("$ms")
  rss+=("$(( $(mem_tree Rss "$pid") / 1024 ))")
  pss+=("$(( $(mem_tree Pss "$pid") / 1024 ))")
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
echo "real window: first paint ms: ${paints[*]}; memory of the app with its WebKit processes, MB: PSS ${pss[*]}, RSS ${rss[*]}"
node bench/window.mjs "$work/data"
