#!/usr/bin/env bash
# Side by side: gost/ (Go) against OpenSSL's GOST engine (libengine-gost-openssl),
# five measures, interleaved in one run, best of REPS (default 5) for each side.
#
#   bench/gost-vs-openssl.sh [REPS]
#
#   streebog256-100m  Streebog-256 of 100,000,000 bytes (BenchmarkStreebog256_100M / EVP_Digest md_gost12_256)
#   gost256-sign      GOST 2012-256 signature of a digest, id-GostR3410-2001-CryptoPro-A-ParamSet
#                     (BenchmarkSignDigest256 / EVP_PKEY_sign)
#   gost256-verify    its verification (BenchmarkVerifyDigest256 / EVP_PKEY_verify)
#   gost512-sign      GOST 2012-512 on id-tc26-gost-3410-12-512-paramSetA (BenchmarkSignDigest512)
#   gost512-verify    (BenchmarkVerifyDigest512)
#
# Each side reports the mean time per op over about a second (the hash: at
# least two 100 MB hashes), both wall-clock and CPU time of the process
# (ours: ns/op and cpu-ns/op of go test -bench; the engine's: CLOCK_MONOTONIC
# and CLOCK_PROCESS_CPUTIME_ID). Ours and the engine's alternate measure by
# measure (who goes first alternates too), REPS times, so that load from
# other work on the machine hits both; the best of the REPS means is kept.
# The ratio is taken on CPU time, which time spent waiting for a CPU on a
# busy machine does not inflate; the wall-clock ratio is printed beside it.
# Ends with one line per measure:
#   ratio <measure> <ours/engine CPU time>
# Needs cc, libssl-dev and libengine-gost-openssl (scripts/install-deps.sh bench).
# Extra flags for the Go build (e.g. GOFLAGS=-tags=purego) pass through.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -O2 -o "$tmp/engine" bench/gost-engine-bench.c -lcrypto
go test -c -o "$tmp/gost3410.test" ./gost/gost3410/
go test -c -o "$tmp/streebog.test" ./gost/streebog/

measures=(streebog256-100m gost256-sign gost256-verify gost512-sign gost512-verify)
declare -A gobench=(
  [streebog256-100m]='streebog.test ^BenchmarkStreebog256_100M$ 2x'
  [gost256-sign]='gost3410.test ^BenchmarkSignDigest256$ 1s'
  [gost256-verify]='gost3410.test ^BenchmarkVerifyDigest256$ 1s'
  [gost512-sign]='gost3410.test ^BenchmarkSignDigest512$ 1s'
  [gost512-verify]='gost3410.test ^BenchmarkVerifyDigest512$ 1s'
)
declare -A ours engine oursc enginec

# run_ours <measure>: "wall cpu" ns per op from go test -bench
run_ours() {
  local bin pat bt
  read -r bin pat bt <<<"${gobench[$1]}"
  "$tmp/$bin" -test.run '^$' -test.bench "$pat" -test.benchtime "$bt" |
    awk '/^Benchmark/ { for (i = 1; i <= NF; i++) { if ($(i+1) == "ns/op") w = $i; if ($(i+1) == "cpu-ns/op") c = $i }
      print w, c; exit }'
}

run_engine() { "$tmp/engine" "$1" 1000 | awk '{print $2, $3}'; }

min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs; $(go version | cut -d' ' -f3-4); $(openssl version | cut -d' ' -f1-2)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
  for m in "${measures[@]}"; do
    if ((r % 2)); then o=$(run_ours "$m"); e=$(run_engine "$m"); else e=$(run_engine "$m"); o=$(run_ours "$m"); fi
    read -r ow oc <<<"$o"
    read -r ew ec <<<"$e"
    ours[$m]=$(min "${ours[$m]:-}" "$ow")
    engine[$m]=$(min "${engine[$m]:-}" "$ew")
    oursc[$m]=$(min "${oursc[$m]:-}" "$oc")
    enginec[$m]=$(min "${enginec[$m]:-}" "$ec")
    printf 'rep %d %-17s ours %12s ns (cpu %12s)  engine %12s ns (cpu %12s)\n' "$r" "$m" "$ow" "$oc" "$ew" "$ec"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-17s %14s %14s %7s   %14s %14s %7s\n' measure "ours (cpu)" "engine (cpu)" ratio "ours (wall)" "engine (wall)" ratio
for m in "${measures[@]}"; do
  awk -v m="$m" -v o="${oursc[$m]}" -v e="${enginec[$m]}" -v ow="${ours[$m]}" -v ew="${engine[$m]}" 'BEGIN {
    if (m ~ /^streebog/) { printf "%-17s %9.1f MB/s %9.1f MB/s %7.2f   %9.1f MB/s %9.1f MB/s %7.2f\n", m, 1e11 / o, 1e11 / e, o / e, 1e11 / ow, 1e11 / ew, ow / ew }
    else { printf "%-17s %11.1f µs %11.1f µs %7.2f   %11.1f µs %11.1f µs %7.2f\n", m, o / 1e3, e / 1e3, o / e, ow / 1e3, ew / 1e3, ow / ew } }'
done
echo
for m in "${measures[@]}"; do
  awk -v m="$m" -v o="${oursc[$m]}" -v e="${enginec[$m]}" 'BEGIN { printf "ratio %s %.2f\n", m, o / e }'
done
