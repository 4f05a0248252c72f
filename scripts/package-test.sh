#!/usr/bin/env bash
# Tests the .deb packages that `make package` wrote into build/dist, the
# way an administrator meets them: their control fields and contents, then a
# real installation on this machine (apt installs what they depend on),
# the installed programs run, the window opens under Xvfb and paints the
# journal, the regional server starts from its unit's ExecStart line as its
# own user, and removal leaves the clerk's journal untouched. Everything it
# installs is removed again (purged) at the end, also on failure.
# Needs root (or sudo without a password), as installing packages does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=${VERSION:-$(scripts/version.sh)}
ws=build/dist/mezhved_${version}_amd64.deb
rg=build/dist/mezhved-region_${version}_amd64.deb
art=$root/artifacts/package
mkdir -p "$art"
work=$(mktemp -d)
chmod 0755 "$work"

sudo=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "FAIL installing packages needs root or sudo without a password"; exit 1
  fi
fi

fail() { echo "FAIL $*"; exit 1; }
ok() { echo "ok   $*"; }

cleanup() {
  set +e
  [ -n "${server_pid:-}" ] && $sudo kill "$server_pid" 2>/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mezhved mezhved-region >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

[ -f "$ws" ] || fail "$ws is missing: run make package"
[ -f "$rg" ] || fail "$rg is missing: run make package"

echo "== the packages as files"
field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$ws" Package)" = mezhved ] || fail "package name: $(field "$ws" Package)"
[ "$(field "$ws" Version)" = "$version" ] || fail "version $(field "$ws" Version), git says $version"
[ "$(field "$ws" Architecture)" = amd64 ] || fail "architecture $(field "$ws" Architecture)"
grep -q "libwebkit2gtk-4.0-37 | libwebkit2gtk-4.1-0" <<<"$(field "$ws" Depends)" || fail "Depends: $(field "$ws" Depends)"
[ "$(field "$ws" Recommends)" = poppler-utils ] || fail "Recommends: $(field "$ws" Recommends)"
[ "$(field "$rg" Package)" = mezhved-region ] || fail "region package name"
[ "$(field "$rg" Version)" = "$version" ] || fail "region version"
ok "control fields: mezhved and mezhved-region $version, amd64, WebKitGTK 4.0 or 4.1"

# Every path the packages carry, exactly: nothing outside their own places.
paths() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ {p=$6; sub(/^\./, "", p); print $1, p}' | sort; }
cat >"$work/ws.want" <<'EOF'
-rw-r--r-- /usr/share/applications/mezhved.desktop
-rw-r--r-- /usr/share/doc/mezhved/copyright
-rw-r--r-- /usr/share/icons/hicolor/256x256/apps/mezhved.png
-rwxr-xr-x /usr/lib/mezhved/mezhved
-rwxr-xr-x /usr/lib/mezhved/mezhved-window
-rwxr-xr-x /usr/lib/mezhved/mezhved-window-webkit41
l--------- /usr/bin/mezhved
EOF
cat >"$work/rg.want" <<'EOF'
-rw-r----- /etc/mezhved-region/region.conf
-rw-r--r-- /lib/systemd/system/mezhved-region.service
-rw-r--r-- /usr/share/doc/mezhved-region/copyright
-rwxr-xr-x /usr/bin/mezhved-region
EOF
paths "$ws" >"$work/ws.got"
paths "$rg" >"$work/rg.got"
diff <(sort "$work/ws.want") "$work/ws.got" || fail "the workstation package carries other files (above)"
diff <(sort "$work/rg.want") "$work/rg.got" || fail "the region package carries other files (above)"
grep -q "./usr/bin/mezhved -> /usr/lib/mezhved/mezhved" <<<"$(dpkg-deb -c "$ws")" || fail "/usr/bin/mezhved is not a link to /usr/lib/mezhved/mezhved"
[ "$(dpkg-deb --ctrl-tarfile "$rg" | tar -xO ./conffiles)" = "/etc/mezhved-region/region.conf" ] ||
  fail "region.conf is not a configuration file of the package"
ok "contents: only /usr/lib/mezhved, /usr/bin, /usr/share (and the region's /etc, unit and binary)"

desk=$(dpkg-deb --fsys-tarfile "$ws" | tar -xO ./usr/share/applications/mezhved.desktop)
for line in "Name=Межвед" "Exec=/usr/bin/mezhved" "Icon=mezhved" "Terminal=false"; do
  grep -qx "$line" <<<"$desk" || fail "the desktop entry lacks $line"
done
ok "desktop entry in Russian, starting /usr/bin/mezhved"

echo "== the workstation package installed"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mezhved mezhved-region >/dev/null 2>&1 || true
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$root/$ws" >/dev/null ||
  fail "apt-get install $ws"
out=$(/usr/bin/mezhved version)
grep -q "mezhved $version (commit ${COMMIT:-$(scripts/version.sh commit)}" <<<"$out" || fail "installed mezhved version says: $out"
ok "installed: $out"
if grep -q webkit <<<"$(ldd /usr/lib/mezhved/mezhved 2>&1)"; then fail "the headless program links WebKit"; fi

# A clerk's journal, made by the installed program in a home-like folder.
data=$work/home/.local/share/mezhved
mkdir -p "$data"
/usr/bin/mezhved demo init --data-dir "$data" >/dev/null || fail "demo init with the installed program"
/usr/bin/mezhved journal list --data-dir "$data" >"$work/list.txt" || fail "journal list with the installed program"
grep -q "Росреестр" "$work/list.txt" || fail "the installed program lists no requests"
ok "the installed program keeps a journal"

# The installed window opens (the launcher picks the window program whose
# WebKitGTK is present) and paints the journal.
MEZHVED_DATA_DIR=$data xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  /usr/bin/mezhved >"'"$art"'/window.log" 2>&1 &
  pid=$!
  timeout 30 xdotool search --sync --onlyvisible --name "Межвед" >/dev/null || { echo "FAIL the installed window did not appear"; kill $pid; exit 1; }
  sleep 3
  import -window root "'"$art"'/window.png"
  ps -o args= -p $pid >"'"$art"'/window.process"
  kill $pid; wait $pid 2>/dev/null
  exit 0
' || fail "the installed window (log: $art/window.log)"
grep -q "^/usr/lib/mezhved/mezhved-window" "$art/window.process" || fail "the window ran as: $(cat "$art/window.process")"
convert "$art/window.png" -resize 200% "$work/ocr.png"
text=$(tesseract "$work/ocr.png" - -l rus 2>/dev/null || true)
printf '%s\n' "$text" >"$art/window.ocr.txt"
for word in "Исходящие" "Росреестр"; do
  grep -q "$word" <<<"$text" || fail "«$word» is not on the installed window (OCR: $art/window.ocr.txt)"
done
ok "the installed window paints the journal ($(cat "$art/window.process"))"

# The program built on WebKitGTK 4.1 (for systems where 4.0 is gone) opens
# too (this machine has both libraries).
MEZHVED_DATA_DIR=$data xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  /usr/lib/mezhved/mezhved-window-webkit41 >"'"$art"'/window41.log" 2>&1 &
  pid=$!
  timeout 30 xdotool search --sync --onlyvisible --name "Межвед" >/dev/null || { echo "FAIL the WebKitGTK 4.1 window did not appear"; kill $pid; exit 1; }
  kill $pid; wait $pid 2>/dev/null
  exit 0
' || fail "the WebKitGTK 4.1 window (log: $art/window41.log)"
grep -q "libwebkit2gtk-4.1" <<<"$(ldd /usr/lib/mezhved/mezhved-window-webkit41)" || fail "mezhved-window-webkit41 does not use WebKitGTK 4.1"
ok "the window program built on WebKitGTK 4.1 opens as well"

sum=$(sha256sum "$data/journal.db" | cut -d' ' -f1)
$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq mezhved >/dev/null || fail "apt-get remove mezhved"
[ ! -e /usr/lib/mezhved ] && [ ! -e /usr/bin/mezhved ] || fail "removal left the programs behind"
[ "$(sha256sum "$data/journal.db" | cut -d' ' -f1)" = "$sum" ] || fail "removal changed the clerk's journal"
ok "removed: programs gone, the clerk's journal untouched"

echo "== the region package installed"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$root/$rg" >/dev/null ||
  fail "apt-get install $rg"
getent passwd mezhved-region >/dev/null || fail "no system user mezhved-region"
[ "$(stat -c '%a %U' /var/lib/mezhved-region)" = "700 mezhved-region" ] || fail "state folder: $(stat -c '%a %U' /var/lib/mezhved-region)"
[ "$(stat -c '%a %U %G' /etc/mezhved-region/region.conf)" = "640 root mezhved-region" ] || fail "region.conf: $(stat -c '%a %U %G' /etc/mezhved-region/region.conf)"
ok "system user, /var/lib/mezhved-region 0700, region.conf 0640 root:mezhved-region"

# No systemd here: run the unit's ExecStart as its User, with its Environment.
unit=/lib/systemd/system/mezhved-region.service
exec_start=$(sed -n 's/^ExecStart=//p' $unit)
user=$(sed -n 's/^User=//p' $unit)
envs=$(sed -n 's/^Environment=//p' $unit)
[ "$user" = mezhved-region ] || fail "the unit runs as $user"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The listening address comes from region.conf: point it at a free port.
$sudo sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" /etc/mezhved-region/region.conf
$sudo runuser -u "$user" -- env $envs $exec_start >"$art/region.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sk -o /dev/null "https://127.0.0.1:$port/login" && break
  sleep 0.1
done
code=$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port/login")
[ "$code" = 200 ] || fail "the server from the unit's ExecStart answers $code (log: $art/region.log)"
$sudo test -f /var/lib/mezhved-region/region.db || fail "no region.db in the state folder"
[ "$($sudo stat -c '%a' /var/lib/mezhved-region/region.db)" = 600 ] || fail "region.db is not 0600"
ok "the unit's ExecStart serves https://127.0.0.1:$port as $user, state in /var/lib/mezhved-region"

# The admin commands are on the PATH; as the server's user they work, as
# root they are refused with the way to do it.
$sudo runuser -u "$user" -- env $envs mezhved-region settlement add 45612345 "Тестовое поселение" >/dev/null ||
  fail "settlement add as $user"
grep -q "Тестовое" <<<"$($sudo runuser -u "$user" -- env $envs mezhved-region settlement list)" || fail "settlement list as $user"
if [ "$(id -u)" = 0 ]; then
  if out=$(env $envs mezhved-region settlement list 2>&1); then fail "root may write into the server's state folder"; fi
  grep -q "sudo -u mezhved-region" <<<"$out" || fail "unclear refusal for root: $out"
fi
ok "admin commands on the PATH, as the server's user"
$sudo kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq mezhved-region >/dev/null
[ -d /var/lib/mezhved-region ] || fail "remove (not purge) deleted the region's state"
[ -f /etc/mezhved-region/region.conf ] || fail "remove (not purge) deleted the configuration"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq mezhved-region >/dev/null
[ ! -e /var/lib/mezhved-region ] || fail "purge left /var/lib/mezhved-region"
! getent passwd mezhved-region >/dev/null || fail "purge left the system user"
ok "remove keeps the region's state and settings; purge removes them and the user"
echo "package tests passed; artifacts: $art"
