#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-net over virtio-argo: the device side bridges the
# guest's NIC to a netdev of its own in dom0 (va-net0), and the unmodified
# virtio_net driver runs the guest's end through the transport (device
# given on the module command line). Both ends are in dom0, so the guest's
# interface moves to a network namespace of its own: the two addresses
# then only meet across the link. Checks: ping both ways, full-size frames,
# and a TCP transfer each way whose checksum must match.
#
# e2e-timeout: 420
set -u
. /tests/e2e/lib-virtio-argo.sh

port=0x30000
mac=02:56:41:00:00:01
host_ip=10.250.0.1
guest_ip=10.250.0.2
kib=8192
send=/tmp/virtio-argo-net.bin

# Centiseconds since boot.
now_cs() {
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

# The interface with MAC address $1, within $2 seconds.
wait_iface() {
	i=0
	while [ "$i" -lt "$2" ]; do
		for dev in /sys/class/net/*; do
			if [ "$(cat "$dev/address")" = "$1" ]; then
				basename "$dev"
				return 0
			fi
		done
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# Wait up to $3 seconds for file $1 to reach $2 bytes.
wait_size() {
	i=0
	while [ "$(wc -c <"$1")" -lt "$2" ] && [ "$i" -lt $(($3 * 10)) ]; do
		usleep 100000
		i=$((i + 1))
	done
	[ "$(wc -c <"$1")" -eq "$2" ]
}

in_ns() {
	nsenter -t "$nspid" -n "$@"
}

link_up() {
	in_ns ip link show "$ifname" | grep -q LOWER_UP
}

# Whether ping output $1 reports no loss.
no_loss() {
	echo "$1" | grep -q ' 0% packet loss'
}

nspid=
hold=
cleanup() {
	[ -n "$hold" ] && kill "$hold" 2>/dev/null
	[ -n "$nspid" ] && kill "$nspid" 2>/dev/null
	rmmod virtio_argo 2>/dev/null
	rmmod virtio_argo_backend 2>/dev/null
}

if ! va_backend_load "net:port=$port,mac=$mac"; then
	echo "not ok - device side loads # $(dmesg | tail -n 1)"
	exit 1
fi
echo "ok - device side loads"
va_check "backend netdev va-net0 exists" [ -e /sys/class/net/va-net0 ]
# The ACPI disk has no device side here: it must fail alone, cleanly.
if ! modprobe virtio_argo device=0:$port:1:2:256; then
	echo "not ok - transport loads # $(dmesg | tail -n 1)"
	cleanup
	exit 1
fi
echo "ok - transport loads"

if ! ifname=$(wait_iface "$mac" 30); then
	echo "not ok - virtio_net interface appears # $(dmesg | grep -i -e argo -e virtio_net | tail -n 2 | tr '\n' ' ')"
	cleanup
	exit 1
fi
echo "ok - virtio_net interface $ifname appears with MAC $mac"
va_check "the guest sees MTU 1500" [ "$(cat "/sys/class/net/$ifname/mtu")" = 1500 ]

# The guest's end in a network namespace of its own.
unshare -n sleep 1000 &
nspid=$!
i=0
while [ "$(readlink "/proc/$nspid/ns/net")" = "$(readlink /proc/$$/ns/net)" ] &&
	[ "$i" -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
va_check "interface moves to a network namespace" ip link set "$ifname" netns "$nspid"
in_ns ip link set lo up
in_ns ip addr add "$guest_ip/24" dev "$ifname"
in_ns ip link set "$ifname" up
ip addr add "$host_ip/24" dev va-net0
ip link set va-net0 up
i=0
while ! link_up && [ "$i" -lt 10 ]; do
	sleep 1
	i=$((i + 1))
done
va_check "guest link is up (VIRTIO_NET_S_LINK_UP)" link_up

rx0=$(cat /sys/class/net/va-net0/statistics/rx_packets)
out=$(in_ns ping -c 5 -W 10 "$host_ip" 2>&1)
echo "$out"
va_check "guest pings the backend ($(echo "$out" | tail -n 1))" no_loss "$out"
out=$(ping -c 5 -W 10 "$guest_ip" 2>&1)
echo "$out"
va_check "backend pings the guest ($(echo "$out" | tail -n 1))" no_loss "$out"
out=$(ping -c 3 -s 1472 -W 10 "$guest_ip" 2>&1)
echo "$out"
va_check "1500-byte packets both ways ($(echo "$out" | tail -n 1))" \
	no_loss "$out"
rx1=$(cat /sys/class/net/va-net0/statistics/rx_packets)
va_check "the pings crossed va-net0 ($((rx1 - rx0)) frames from the guest)" \
	[ $((rx1 - rx0)) -ge 13 ]

dd if=/dev/urandom of="$send" bs=1024 count="$kib" 2>/dev/null
want=$(sha256sum <"$send" | cut -d' ' -f1)
bytes=$((kib * 1024))
mkfifo /tmp/virtio-argo-hold

# transfer NAME LISTEN-PREFIX CONNECT-PREFIX ADDR PORT: $bytes by TCP, timed
# from connect until the listener has them all.
transfer() {
	name=$1
	recv=/tmp/virtio-argo-net-$5.bin
	: >"$recv"
	sleep 600 >/tmp/virtio-argo-hold &
	hold=$!
	$2 nc -l -p "$5" </tmp/virtio-argo-hold >"$recv" &
	i=0
	while ! $2 netstat -ltn | grep -q ":$5 " && [ "$i" -lt 50 ]; do
		usleep 100000
		i=$((i + 1))
	done
	t0=$(now_cs)
	$3 nc "$4" "$5" <"$send"
	wait_size "$recv" "$bytes" 150
	t1=$(now_cs)
	kill "$hold"
	hold=
	got=$(sha256sum <"$recv" | cut -d' ' -f1)
	cs=$((t1 - t0))
	[ "$cs" -gt 0 ] || cs=1
	echo "$name: $(wc -c <"$recv") of $bytes bytes in $((cs / 100)).$((cs % 100 / 10)) s, $((kib * 100 / cs)) KiB/s"
	va_check "TCP $name: $kib KiB arrive with their SHA-256 ($((kib * 100 / cs)) KiB/s)" \
		[ "$got" = "$want" ]
	rm -f "$recv"
}
transfer "backend to guest" in_ns "" "$guest_ip" 5001
transfer "guest to backend" "" in_ns "$host_ip" 5002
rm -f "$send" /tmp/virtio-argo-hold

for stat in rx_packets rx_errors rx_dropped tx_packets tx_dropped; do
	printf '%s=%s ' "$stat" "$(cat "/sys/class/net/va-net0/statistics/$stat")"
done
echo
va_check "the device side refused no guest frame" \
	[ "$(cat /sys/class/net/va-net0/statistics/rx_errors)" = 0 ]
va_check "the device side dropped no frame to the guest" \
	[ "$(cat /sys/class/net/va-net0/statistics/tx_dropped)" = 0 ]

va_check "transport unloads" rmmod virtio_argo
kill "$nspid"
nspid=
va_check "device side unloads" rmmod virtio_argo_backend
va_check "backend netdev is gone" [ ! -e /sys/class/net/va-net0 ]
