#!/usr/bin/env bash
# Region sync benchmarks: 100,000 events from one workstation over loopback
# HTTPS into PostgreSQL (and SQLite), and 200 workstations pushing at once
# with p50/p99 batch latency. Starts the throwaway PostgreSQL when needed.
# Usage: bench/region-sync.sh [count]   (default 3 runs of each)
set -euo pipefail
cd "$(dirname "$0")/.."
export MEZHVED_TEST_PG_DSN=${MEZHVED_TEST_PG_DSN:-$(scripts/pg-test.sh start)}
go test -run '^$' -bench 'Sync100k|Concurrent200' -benchtime "${1:-3}x" ./region/
