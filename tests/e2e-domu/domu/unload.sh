#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The transport unloads cleanly and takes its devices with it.
# domu-timeout: 60
set -u
. /tests/domu/lib.sh

va_check "transport unloads" timeout 30 rmmod virtio_argo
va_check "the disk is gone" [ ! -e /sys/block/vda ]
va_check "no virtio-argo platform device is left" \
	[ ! -e /sys/bus/platform/devices/virtio-argo.0 ]
