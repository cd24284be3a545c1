# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash # busybox sh, which has "local"
#
# Checks and lookups shared by every test image, at
# /tests/e2e/lib-checks.sh in each: the scripts of tests/e2e (make e2e,
# make e2e-sim), and those of tests/e2e-domu in dom0 and in the domU (make
# e2e-domu). Sourced by their libraries (lib-virtio-argo.sh,
# ../e2e-domu/lib-domu.sh and ../e2e-domu/domu/lib.sh).

# Print "ok - $1" if the rest of the arguments succeed, else "not ok".
va_check() {
	local name
	name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name # failed: $*"
	fi
}

# The transport's platform device serving virtio device id $1.
va_platform_dev_of() {
	local dev id
	for dev in /sys/bus/platform/devices/virtio-argo.*; do
		for id in "$dev"/virtio*/device; do
			[ -r "$id" ] && [ $(($(cat "$id"))) -eq "$1" ] &&
				basename "$dev" && return 0
		done
	done
	return 1
}

# va_ext4_roundtrip DEV MNT: on block device DEV, make an ext4 file system,
# mount it on MNT, write a tree of files of many sizes and record their
# checksums, unmount, check it with fsck, mount it again and read every
# file back against its checksum, unmount. One result per step.
va_ext4_roundtrip() {
	local sums=/tmp/va-ext4-sums i
	va_check "mkfs.ext4" mkfs.ext4 -q -F "$1"
	mkdir -p "$2"
	va_check "mount" mount -t ext4 "$1" "$2"
	mkdir -p "$2/tree/a/b"
	i=1
	while [ "$i" -le 24 ]; do
		dd if=/dev/urandom of="$2/tree/a/b/f$i" bs=1k count=$((i * 41)) 2>/dev/null
		dd if=/dev/urandom of="$2/tree/g$i" bs=512 count=$((i * 3 + 1)) 2>/dev/null
		i=$((i + 1))
	done
	(cd "$2" && find tree -type f | sort | xargs sha256sum) >"$sums"
	sync
	va_check "umount" umount "$2"
	va_check "fsck -n is clean" e2fsck -fn "$1"
	va_check "remount" mount -t ext4 "$1" "$2"
	va_check "every file reads back with its checksum" \
		sh -c "cd $2 && sha256sum -c -s $sums"
	va_check "umount again" umount "$2"
	rm -f "$sums"
}

# va_hwrng_reads: 4096 bytes read from /dev/hwrng (the current hwrng),
# and not constant.
va_hwrng_reads() {
	local got distinct
	dd if=/dev/hwrng of=/tmp/rng.bin bs=256 count=16 2>/dev/null
	got=$(wc -c </tmp/rng.bin)
	va_check "read 4096 bytes from /dev/hwrng (got $got)" [ "$got" -eq 4096 ]
	distinct=$(od -An -v -tx1 /tmp/rng.bin | tr ' ' '\n' | grep . | sort -u | wc -l)
	va_check "the bytes are not constant ($distinct distinct values)" \
		[ "$distinct" -gt 200 ]
}
