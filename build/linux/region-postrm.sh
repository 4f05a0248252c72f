#!/bin/sh
# The region's state (its CA, keys, database) goes only on purge.
set -e
if [ "$1" = purge ]; then
  rm -rf /var/lib/mezhved-region
  if getent passwd mezhved-region >/dev/null; then deluser --system mezhved-region >/dev/null 2>&1 || true; fi
  if getent group mezhved-region >/dev/null; then delgroup --system mezhved-region >/dev/null 2>&1 || true; fi
fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
exit 0
