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
# least two 100 MB hashes); ours and the engine's alternate measure by
# measure, REPS times, so that load from other work on the machine hits both;
# the best of the REPS means is kept. Ends with one line per measure:
#   ratio <measure> <ours/engine time>
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
declare -A ours engine

# ours <measure>: ns/op from go test -bench
run_ours() {
  local bin pat bt
  read -r bin pat bt <<<"${gobench[$1]}"
  "$tmp/$bin" -test.run '^$' -test.bench "$pat" -test.benchtime "$bt" |
    awk '/^Benchmark/ { for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") { print $i; exit } }'
}

run_engine() { "$tmp/engine" "$1" 1000 | awk '{print $2}'; }

min() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) CPUs; $(go version | cut -d' ' -f3-4); $(openssl version | cut -d' ' -f1-2)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= reps; r++)); do
  for m in "${measures[@]}"; do
    o=$(run_ours "$m")
    e=$(run_engine "$m")
    ours[$m]=$(min "${ours[$m]:-}" "$o")
    engine[$m]=$(min "${engine[$m]:-}" "$e")
    printf 'rep %d %-17s ours %12s ns  engine %12s ns\n' "$r" "$m" "$o" "$e"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-17s %14s %14s %7s\n' measure "ours" "engine" ratio
for m in "${measures[@]}"; do
  awk -v m="$m" -v o="${ours[$m]}" -v e="${engine[$m]}" 'BEGIN {
    if (m ~ /^streebog/) { printf "%-17s %9.1f MB/s %9.1f MB/s %7.2f\n", m, 1e8 / o * 1e3, 1e8 / e * 1e3, o / e }
    else { printf "%-17s %11.1f µs %11.1f µs %7.2f\n", m, o / 1e3, e / 1e3, o / e } }'
done
echo
for m in "${measures[@]}"; do
  awk -v m="$m" -v o="${ours[$m]}" -v e="${engine[$m]}" 'BEGIN { printf "ratio %s %.2f\n", m, o / e }'
done
