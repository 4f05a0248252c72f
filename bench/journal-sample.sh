#!/bin/sh
# Writes store/testdata/journal-sample.json.gz: one request of each template
# with its signed envelope and its verified answer, as `mezhved demo
# --headless` (the training node, the real transport) puts them into a
# journal. store's realistic benchmark journals are built from it (issue 18).
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -tags headless -o "$tmp/mezhved" .
"$tmp/mezhved" demo --headless --requests 40 --data-dir "$tmp/d" >/dev/null
mkdir -p store/testdata
go run ./bench/journal-sample "$tmp/d/journal.db" store/testdata/journal-sample.json.gz
