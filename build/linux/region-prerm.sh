#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
  systemctl stop mezhved-region.service >/dev/null 2>&1 || true
  if [ "$1" = remove ]; then systemctl disable mezhved-region.service >/dev/null 2>&1 || true; fi
fi
exit 0
