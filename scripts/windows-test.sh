#!/usr/bin/env bash
# Runs the Windows build's headless face (build/bin/windows/mezhved.exe,
# made by `make windows`) under Wine, with Windows paths: version, the
# journal in %APPDATA%\Mezhved, the template catalogue, the verification of
# real SMEV signatures, signing with a GOST key, the whole training loop,
# and a reply printed to PDF. What Wine cannot show (the WebView2 window,
# the installer, which NSIS makes as a 32-bit program) is listed in
# docs/CONTRIBUTING.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
exe=build/bin/windows/mezhved.exe
[ -f "$exe" ] || { echo "FAIL $exe is missing: run make windows"; exit 1; }
[ -f build/bin/windows/mezhved-window.exe ] || { echo "FAIL build/bin/windows/mezhved-window.exe is missing: run make windows"; exit 1; }
ls build/dist/mezhved-*-windows-amd64-setup.exe >/dev/null 2>&1 || { echo "FAIL no Windows installer in build/dist: run make windows"; exit 1; }

wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64 || true)
[ -n "$wine" ] && [ -x "$wine" ] || { echo "FAIL Wine is missing: install the Debian package wine64 (make deps does)"; exit 1; }
export WINEPREFIX=$root/.cache/wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
art=$root/artifacts/windows
mkdir -p "$art"

fail() { echo "FAIL $*"; exit 1; }
ok() { echo "ok   $*"; }

# A prefix of its own, made once and kept in .cache. Wine 8 (Debian 12)
# lacks bcryptprimitives.dll, from which Go's runtime takes its random
# numbers; the tests' prefix gets a stand-in that asks RtlGenRandom
# (build/windows/wine). Real Windows 10 and 11 have the DLL.
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "preparing the Wine prefix (once)"
  "$wine" wineboot -i >/dev/null 2>&1 || true
  /usr/lib/wine/wineserver64 -w 2>/dev/null || true
fi
sys32=$WINEPREFIX/drive_c/windows/system32
if [ ! -f "$sys32/bcryptprimitives.dll" ] || [ build/windows/wine/bcryptprimitives.c -nt "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$sys32/bcryptprimitives.dll" \
    build/windows/wine/bcryptprimitives.c build/windows/wine/bcryptprimitives.def -ladvapi32 ||
    fail "the bcryptprimitives stand-in did not build (mingw-w64 missing? make deps installs it)"
fi

run() { "$wine" "$root/$exe" "$@" 2>&1 | tr -d '\r'; }
# Windows paths: Z: is the Linux root in Wine; C: the prefix.
winpath() { printf 'Z:%s' "${1//\//\\}"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
appdata="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Mezhved"
rm -rf "$appdata"

out=$(run version)
grep -q "windows/amd64" <<<"$out" && grep -q "mezhved ${VERSION:-$(scripts/version.sh)}" <<<"$out" || fail "version: $out"
ok "mezhved.exe version: $out"

# No --data-dir: the journal goes to %APPDATA%\Mezhved.
out=$(run journal list)
grep -q "The journal has no such requests." <<<"$out" || fail "journal list on a fresh data folder: $out"
[ -f "$appdata/journal.db" ] || fail "no journal in %APPDATA%\\Mezhved ($appdata)"
ok "journal list: a fresh journal in %APPDATA%\\Mezhved"

out=$(run templates list)
grep -q "egrn" <<<"$out" || fail "templates list: $out"
ok "templates list: $(grep -c . <<<"$out") lines"

vec="$root/signer/testdata/real-signed/01_SendRequestRequest_v1.2_consumer/message.xml"
out=$(run verify --no-trust --at 2020-05-20 "$(winpath "$vec")") || fail "verify: $out"
grep -q "digest ok, signature ok" <<<"$out" || fail "verify of a real SMEV signature: $out"
out=$(run verify --offline --at 2020-05-20 --data-dir 'C:\mezhved-verify' "$(winpath "$vec")") && fail "an untrusted chain verified: $out"
grep -q "UNTRUSTED" <<<"$out" || fail "verify against the trust store: $out"
ok "verify: a real SMEV signature's mathematics, and its untrusted chain"

cat >"$work/req.xml" <<'EOF'
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2"><ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER"><ns:MessageID>5a0e2f1c-0000-11f1-8000-000000000001</ns:MessageID><x xmlns="urn://example">данные</x></ns:SenderProvidedRequestData><ns:CallerInformationSystemSignature/></ns:SendRequestRequest></soap:Body></soap:Envelope>
EOF
keys=$root/signer/keys/testdata
run sign --key "$(winpath "$keys/gost256.key")" --cert "$(winpath "$keys/gost256.crt")" --id SIGNED_BY_CONSUMER "$(winpath "$work/req.xml")" >"$work/signed.xml" ||
  fail "sign: $(cat "$work/signed.xml")"
grep -q "SignatureValue" "$work/signed.xml" || fail "sign wrote no signature"
out=$(run verify --no-trust "$(winpath "$work/signed.xml")") || fail "the signed file does not verify: $out"
ok "sign with a GOST R 34.10-2012 key, verified"

out=$(run demo --headless --requests 5 --data-dir 'C:\mezhved-demo' --timeout 120s) || fail "demo: $out"
printf '%s\n' "$out" >"$art/demo.txt"
grep -q "5/5 answered and verified" <<<"$out" || fail "demo: $out"
ok "demo --headless --requests 5 ($(tail -n1 <<<"$out"))"

msg=$(run journal list --data-dir 'C:\mezhved-demo' --json --status answered | python3 -c '
import json,sys
page=json.load(sys.stdin)
for r in page.get("requests") or []:
    if r.get("messageId"): print(r["messageId"]); break')
[ -n "$msg" ] || fail "no answered request in the demo journal"
out=$(run print reply --message-id "$msg" --data-dir 'C:\mezhved-demo' --out 'C:\mezhved-reply.pdf') || fail "print reply: $out"
pdf=$WINEPREFIX/drive_c/mezhved-reply.pdf
[ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "print reply wrote no PDF"
cp "$pdf" "$art/reply.pdf"
ok "print reply to C:\\mezhved-reply.pdf ($(stat -c %s "$pdf") bytes)"
# The installer (a 32-bit NSIS program, beyond Wine's 64-bit package): its
# contents, read by 7-Zip.
setup=$(ls build/dist/mezhved-"${VERSION:-$(scripts/version.sh)}"-windows-amd64-setup.exe 2>/dev/null) || fail "no installer for version ${VERSION:-$(scripts/version.sh)} in build/dist"
list=$(7z l "$setup") || fail "7z cannot read $setup"
for f in mezhved.exe mezhved-window.exe uninstall.exe MicrosoftEdgeWebview2Setup.exe; do
  grep -q "$f" <<<"$list" || fail "the installer lacks $f"
done
ok "installer $(basename "$setup"): both programs, the WebView2 bootstrapper, the uninstaller"
echo "windows tests passed under $("$wine" --version 2>/dev/null); artifacts: $art"
