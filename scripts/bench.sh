#!/usr/bin/env bash
# Every benchmark of docs/PERFORMANCE.md, one after the other (about 10
# minutes on the 2-core machine). Results go to artifacts/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh bench
out=artifacts/bench
mkdir -p "$out"
run() { echo "== $1"; shift; "$@" 2>&1 | tee -a "$out/$(date +%Y%m%d).log"; }

run "journal (store)" go test -run '^$' -bench . -benchtime 100x ./store
run "GOST" go test -run XXX -bench . -count 3 ./gost/streebog/ ./gost/gost3410/
run "SMEV signatures in process" go test ./signer -run '^$' -bench 'Sign|Verify' -benchtime 1s -count 3
run "XMLDSig per process against xmlsec1" sh bench/xmldsig-vs-xmlsec1.sh
run "printing" go test -run '^$' -bench . -benchmem -count 3 ./printing
run "transport" go test -run '^$' -bench 'Throughput|RoundTrip|Prepare|VerifyAnswer' -benchtime 400x ./transport
run "region sync (PostgreSQL)" bench/region-sync.sh 1
make build dev-binary >/dev/null
run "the window" bench/window.sh
