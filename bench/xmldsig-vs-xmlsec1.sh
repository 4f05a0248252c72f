#!/bin/sh
# Per-process signing: `mezhved sign --profile xmldsig` (the real binary, which
# links WebKitGTK, and bench/mezhved-headless: the same cli package without the
# window) and the small command bench/xmldsig-sign (signer/xmldsig alone)
# against xmlsec1 --sign on the same RSA-2048 documents of 1 KB, 100 KB and
# 1 MB, side by side in one hyperfine run. All sign SenderProvidedRequestData
# (Id SIGNED_BY_CONSUMER): enveloped, exclusive c14n, rsa-sha256, the
# certificate in KeyInfo; every output is checked with xmlsec1 --verify first.
# Needs Debian: xmlsec1, hyperfine. Run from the repository root:
#   HYPERFINE_OPTS="--export-markdown FILE" sh bench/xmldsig-vs-xmlsec1.sh
set -eu
cd "$(dirname "$0")/.."
for t in xmlsec1 hyperfine go; do
	command -v "$t" >/dev/null || { echo "missing $t (Debian package: $t)" >&2; exit 2; }
done
out=.cache/bench/xmldsig
mkdir -p "$out"
bin=$out/xmldsig-sign
go build -o "$bin" ./bench/xmldsig-sign
hl=$out/mezhved-headless
go build -o "$hl" ./bench/mezhved-headless || { echo "the cli package does not build: headless rows are left out" >&2; hl=""; }
mez=$out/mezhved
# the shipped binary, as `make build` makes it (headless, the window inside)
{ make -s build >/dev/null && cp build/bin/mezhved "$mez"; } || { echo "mezhved does not build: its rows are left out" >&2; mez=""; }
key=signer/keys/testdata/rsa.key
crt=signer/keys/testdata/rsa.crt
idattr="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2:SenderProvidedRequestData"
cmds=""
for size in 1024 102400 1048576; do
	"$bin" --gen "$size" >"$out/doc-$size.xml"
	"$bin" --gen "$size" --xmlsec1-template >"$out/tmpl-$size.xml"
	# Both outputs must verify with xmlsec1 before they are timed.
	"$bin" --key "$key" --cert "$crt" --id SIGNED_BY_CONSUMER "$out/doc-$size.xml" >"$out/ours-$size.xml"
	xmlsec1 --sign --privkey-pem "$key,$crt" --id-attr:Id "$idattr" --output "$out/theirs-$size.xml" "$out/tmpl-$size.xml"
	if [ -n "$mez" ]; then
		"$mez" sign --profile xmldsig --key "$key" --cert "$crt" --id SIGNED_BY_CONSUMER "$out/doc-$size.xml" >"$out/mezhved-$size.xml"
	else
		cp "$out/ours-$size.xml" "$out/mezhved-$size.xml"
	fi
	if [ -n "$hl" ]; then
		"$hl" sign --profile xmldsig --key "$key" --cert "$crt" --id SIGNED_BY_CONSUMER "$out/doc-$size.xml" >"$out/headless-$size.xml"
	else
		cp "$out/ours-$size.xml" "$out/headless-$size.xml"
	fi
	for f in ours mezhved headless theirs; do
		xmlsec1 --verify --trusted-pem "$crt" --id-attr:Id "$idattr" "$out/$f-$size.xml" >/dev/null 2>&1 ||
			{ echo "$f-$size.xml does not verify" >&2; exit 1; }
	done
done
set --
for size in 1024 102400 1048576; do
	n=$((size / 1024))KB
	[ "$size" = 1048576 ] && n=1MB
	[ -n "$mez" ] && set -- "$@" -n "mezhved sign $n" "$mez sign --profile xmldsig --key $key --cert $crt --id SIGNED_BY_CONSUMER $out/doc-$size.xml"
	[ -n "$hl" ] && set -- "$@" -n "mezhved-headless sign $n" "$hl sign --profile xmldsig --key $key --cert $crt --id SIGNED_BY_CONSUMER $out/doc-$size.xml"
	set -- "$@" -n "xmldsig-sign $n" "$bin --key $key --cert $crt --id SIGNED_BY_CONSUMER $out/doc-$size.xml"
	set -- "$@" -n "xmlsec1 $n" "xmlsec1 --sign --privkey-pem $key,$crt --id-attr:Id $idattr $out/tmpl-$size.xml"
done
hyperfine -N --warmup 5 --min-runs 30 ${HYPERFINE_OPTS:-} "$@"
