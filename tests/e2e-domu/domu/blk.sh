#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-blk across domains: a file system on the disk dom0 serves, files
# with checksums, fsck, a remount that reads them back; then the checksum
# of the whole disk goes to dom0, which compares it with its backing file.
# domu-timeout: 240
set -u
. /tests/domu/lib.sh

if [ ! -b /dev/vda ]; then
	echo "not ok - virtio-blk disk present # no /dev/vda: $(va_dmesg)"
	exit 1
fi
size=$(blockdev --getsize64 /dev/vda)
va_check "disk size is the backing file's (64 MiB, got $size)" [ "$size" = 67108864 ]
va_ext4_roundtrip /dev/vda /mnt/va

# dom0 compares this with the backing file.
echo 3 >/proc/sys/vm/drop_caches
sum=$(sha256sum /dev/vda | cut -d ' ' -f 1)
va_event vda-sha256 "$sum"
echo "blk: sha256 of the disk: $sum"
va_check "the whole disk reads" [ -n "$sum" ]
