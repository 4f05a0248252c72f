#!/usr/bin/env bash
# End-to-end tests of the window. Expects build/bin/mezhved (production) and
# build/bin/mezhved-dev (-tags dev) to be built (make e2e does that).
#  1. the dev binary under Xvfb serves the real frontend and Go core; Debian's
#     Chromium, driven by playwright-core, clicks through it (frontend/tests/e2e.mjs);
#  2. the production binary opens its real window under Xvfb; a screenshot is
#     taken and read back with OCR: the Russian headings must be on screen.
# Screenshots go to artifacts/e2e/. Exit status is non-zero on any failure.
# `scripts/e2e.sh browser` runs the first part only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
art=$root/artifacts/e2e
mkdir -p "$art"
work=$(mktemp -d)
pids=()
cleanup() {
  # Each background job leads its own process group (setsid): kill the
  # group, so the binary and its Xvfb go with xvfb-run.
  for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== browser end-to-end on the dev build"
port=$(free_port)
mkdir -p "$work/dev-data"
MEZHVED_DATA_DIR=$work/dev-data MEZHVED_TRAINING_DELAY=300ms setsid xvfb-run -a -s "-screen 0 1280x900x24" \
  ./build/bin/mezhved-dev -devserver "localhost:$port" >"$art/dev-binary.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://localhost:$port/wails/ipc.js" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://localhost:$port/" >/dev/null || { echo "the dev binary did not come up"; cat "$art/dev-binary.log"; exit 1; }
(cd frontend && node tests/e2e.mjs "http://localhost:$port" "$art")

[ "${1:-}" = browser ] && exit 0

echo "== real window of the production build"
# The shipped mezhved is headless: commands never load WebKit; without
# arguments it runs mezhved-window, which lies beside it, and nothing is
# unpacked anywhere.
if grep -q webkit <<<"$(ldd ./build/bin/mezhved 2>/dev/null)"; then echo "FAIL the shipped binary links WebKit"; exit 1; fi
echo "ok   the shipped binary runs commands without WebKit"
export XDG_CACHE_HOME=$work/cache
mkdir -p "$work/cache"
mkdir -p "$work/prod-data"
./build/bin/mezhved demo init --data-dir "$work/prod-data" >/dev/null
export MEZHVED_DATA_DIR=$work/prod-data
xvfb-run -a -s "-screen 0 1280x900x24" bash -c '
  set -e
  ./build/bin/mezhved >"'"$art"'/window.log" 2>&1 &
  pid=$!
  win=$(timeout 20 xdotool search --sync --onlyvisible --name "Межвед" | head -n1) || { echo "FAIL the window did not appear"; kill $pid; exit 1; }
  # Let WebKit paint: wait (up to 20 s) for a painted frame that stays
  # the same a second later. A page of the journal has hundreds of
  # colours, a frame not painted yet a handful; under load (two cores, a
  # CI run) the first frame after the window fits itself to the screen
  # stayed blank for more than 3 s once.
  for i in $(seq 20); do
    sleep 1
    import -window root "'"$art"'/window.png"
    if [ "$(convert "'"$art"'/window.png" -format %k info:)" -gt 50 ] && cmp -s "'"$art"'/window.png" "'"$art"'/window-before.png"; then break; fi
    cp "'"$art"'/window.png" "'"$art"'/window-before.png"
  done
  rm -f "'"$art"'/window-before.png"
  kill $pid; wait $pid 2>/dev/null
' || exit 1
echo "ok   the production window appeared"
[ -z "$(find "$work/cache" -type f -perm -u+x)" ] || { echo "FAIL a program was written into the cache folder: $(find "$work/cache" -type f -perm -u+x)"; exit 1; }
# A window program that others may change is not run: the headless program
# says why and stops.
mkdir -p "$work/tampered"
cp build/bin/mezhved build/bin/mezhved-window "$work/tampered/"
chmod g+w "$work/tampered/mezhved-window"
if out=$("$work/tampered/mezhved" 2>&1); then echo "FAIL a group-writable window program was run"; exit 1; fi
grep -q "другие пользователи" <<<"$out" || { echo "FAIL unclear refusal: $out"; exit 1; }
echo "ok   a window program others may change is refused"
# OCR reads dark text on light ground: read the picture and its negative
# (the navigation is light text on dark), scaled up for small letters.
convert "$art/window.png" -resize 200% "$work/ocr.png"
convert "$art/window.png" -crop 240x+0+0 +repage -negate -resize 300% "$work/ocr-nav.png"
text=$( (tesseract "$work/ocr.png" - -l rus; tesseract "$work/ocr-nav.png" - -l rus --psm 6) 2>/dev/null || true)
printf '%s\n' "$text" >"$art/window.ocr.txt"
missing=0
for word in "Исходящие" "Входящие" "Сроки" "Шаблоны" "Настройки" "Росреестр" "Учебный режим"; do
  if ! grep -q "$word" <<<"$text"; then echo "FAIL «$word» is not on the screen (OCR: artifacts/e2e/window.ocr.txt)"; missing=1; fi
done
[ "$missing" = 0 ] || exit 1
echo "ok   the production window shows the Russian sections"
echo "screenshots: $art"
