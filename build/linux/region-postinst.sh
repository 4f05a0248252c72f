#!/bin/sh
# mezhved-region: the system user and its state folder.
set -e
if [ "$1" = configure ]; then
  if ! getent passwd mezhved-region >/dev/null; then
    adduser --system --group --home /var/lib/mezhved-region --no-create-home \
      --gecos "Mezhved regional server" mezhved-region >/dev/null
  fi
  install -d -m 0700 -o mezhved-region -g mezhved-region /var/lib/mezhved-region
  chown root:mezhved-region /etc/mezhved-region/region.conf
  chmod 0640 /etc/mezhved-region/region.conf
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null || true
    systemctl enable mezhved-region.service >/dev/null || true
    systemctl restart mezhved-region.service >/dev/null || true
  fi
fi
exit 0
