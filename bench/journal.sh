#!/bin/sh
# The journal at realistic size (issue 18): journals of 10,000, 100,000 and
# 1,000,000 requests written through the transport's own store calls from
# envelopes the demo loop wrote (store/testdata/journal-sample.json.gz,
# bench/journal-sample.sh), then every page, count and search the window
# runs, best of REPS. The journals are built once into .cache/bench/
# (about 3 minutes for 100,000, 8 more for 1,000,000, ≈ 13 GB) and reused.
#   sh bench/journal.sh [REPS] [SIZES]   e.g. sh bench/journal.sh 5 10000,100000
set -eu
cd "$(dirname "$0")/.."
reps=${1:-5}
sizes=${2:-10000,100000,1000000}
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
MEZHVED_BENCH_SIZES=$sizes go test -run '^$' -bench 'RealJournal' -benchtime 200x -count "$reps" -timeout 60m ./store |
  awk '/^BenchmarkRealJournal/ {
         name = $1; sub(/-[0-9]+$/, "", name); sub(/^BenchmarkRealJournal\//, "", name)
         if ($0 ~ /B\/request/) { for (i = 1; i < NF; i++) if ($(i+1) == "B/request") size[name] = $i; next }
         v = $3 / 1e6; if (!(name in best) || v < best[name]) best[name] = v; order[name] = ++n
       }
       END {
         for (k in size) printf "%-40s %10.0f B/request\n", k, size[k]
         for (k in best) printf "%-40s %10.3f ms (best of runs)\n", k, best[k]
       }' | sort
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
