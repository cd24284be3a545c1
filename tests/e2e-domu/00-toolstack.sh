#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Start Xen's toolstack daemons in dom0 (what Debian's xencommons does):
# xenstored, xen-init-dom0, xenconsoled logging every guest's console
# under /var/log/xen/console. They stay up for the following scripts.
#
# e2e-timeout: 120
set -u
. /tests/e2e/lib-domu.sh

mkdir -p /run/xen /run/xenstored /var/run /var/lib/xen /var/lib/xenstored \
	/var/log/xen "$VA_CONSOLE_LOGS" /var/lock
[ -e /var/run/xen ] || ln -s /run/xen /var/run/xen
[ -e /var/run/xenstored ] || ln -s /run/xenstored /var/run/xenstored

# The daemons leave this script's session, so its end does not kill them.
if ! setsid xenstored --pid-file /run/xenstored.pid </dev/null >/var/log/xen/xenstored.out 2>&1; then
	echo "not ok - xenstored starts # $(tail -n 2 /var/log/xen/xenstored.out | tr '\n' ' ')"
	exit 1
fi
i=0
while ! xenstore-read /local >/dev/null 2>&1 && [ "$i" -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
va_check "xenstored answers" xenstore-ls -f /local/domain/0
va_check "xen-init-dom0" xen-init-dom0
va_check "xenconsoled starts" setsid xenconsoled --pid-file=/run/xenconsoled.pid \
	--log=guest --log-dir="$VA_CONSOLE_LOGS"
va_check "xl info" sh -c 'xl info >/tmp/xl-info'
grep -E '^(xen_version|xen_commandline|free_memory|xen_caps)' /tmp/xl-info
va_check "xl list shows dom0" sh -c 'xl list | grep -q "^Domain-0 "'
