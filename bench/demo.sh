#!/bin/sh
# 200 requests a second through the training node (issue 18): builds the
# headless mezhved and runs `mezhved demo --headless --requests N --stats`
# REPS times (composed from the built-in cards, ЭП-СП + ЭП-ОВ GOST-256,
# queued, sent over loopback mutual TLS, answered, every signature and
# certificate chain checked, committed, acknowledged), printing each run's
# rate, Go heap and peak RSS, and the best rate, with the load.
#   sh bench/demo.sh [REPS] [N...]     e.g. sh bench/demo.sh 3 200 1000 3000
set -eu
cd "$(dirname "$0")/.."
reps=${1:-3}
[ $# -gt 0 ] && shift
sizes=${*:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -tags headless -o "$tmp/mezhved" .
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  best=0
  for r in $(seq "$reps"); do
    line=$("$tmp/mezhved" demo --headless --requests "$n" --stats --data-dir "$tmp/d-$n-$r" | grep '^demo-stats:')
    echo "$line (load $(cut -d' ' -f1 /proc/loadavg))"
    rate=$(echo "$line" | sed 's/.*per-second \([0-9.]*\).*/\1/')
    best=$(echo "$rate $best" | awk '{print ($1 > $2) ? $1 : $2}')
    rm -rf "$tmp/d-$n-$r"
  done
  echo "best of $reps, $n requests: $best per second"
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
