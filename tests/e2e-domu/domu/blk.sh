#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-blk across domains: a file system on the disk dom0 serves, files
# with checksums, fsck, a remount that reads them back; then the checksum
# of the whole disk goes to dom0, which compares it with its backing file.
# domu-timeout: 240
set -u
. /tests/domu/lib.sh

mnt=/mnt/va
sums=/tmp/sums
if [ ! -b /dev/vda ]; then
	echo "not ok - virtio-blk disk present # no /dev/vda: $(va_dmesg)"
	exit 1
fi
size=$(blockdev --getsize64 /dev/vda)
va_check "disk size is the backing file's (64 MiB, got $size)" [ "$size" = 67108864 ]
va_check "mkfs.ext4" mkfs.ext4 -q -F /dev/vda
mkdir -p "$mnt"
va_check "mount" mount -t ext4 /dev/vda "$mnt"
mkdir -p "$mnt/tree/a/b"
i=1
while [ "$i" -le 24 ]; do
	dd if=/dev/urandom of="$mnt/tree/a/b/f$i" bs=1k count=$((i * 41)) 2>/dev/null
	dd if=/dev/urandom of="$mnt/tree/g$i" bs=512 count=$((i * 3 + 1)) 2>/dev/null
	i=$((i + 1))
done
(cd "$mnt" && find tree -type f | sort | xargs sha256sum) >"$sums"
sync
va_check "umount" umount "$mnt"
va_check "fsck -n is clean" e2fsck -fn /dev/vda
va_check "remount" mount -t ext4 /dev/vda "$mnt"
va_check "every file reads back with its checksum" \
	sh -c "cd $mnt && sha256sum -c -s $sums"
va_check "umount again" umount "$mnt"

# dom0 compares this with the backing file.
echo 3 >/proc/sys/vm/drop_caches
sum=$(sha256sum /dev/vda | cut -d ' ' -f 1)
va_event vda-sha256 "$sum"
echo "blk: sha256 of the disk: $sum"
va_check "the whole disk reads" [ -n "$sum" ]
