# SPDX-License-Identifier: GPL-2.0-only
#
# Turn a test bed serial log into unnumbered TAP lines
# ("ok - <suite>/<kver>/<script>/<case>", ...), from the @@E2E- markers
# that scripts/testbed/init prints. Variables:
#   suite       the runner, for the names (default e2e)
#   kver        the kernel tested, for the names
#   hypervisor  "xen" when the kernel ran as dom0 of Xen, empty when it
#               ran on its own (the simulated Argo)
#   tests       the script names expected to run, in order, space-separated
#   reason      why boot.sh stopped QEMU (empty when QEMU exited by itself)

function result(name, line,    status, directive, at) {
	if (line ~ /^not ok/) {
		status = "not ok"
		line = substr(line, 7)
	} else {
		status = "ok"
		line = substr(line, 3)
	}
	# Tolerate "ok 3 - case" and "ok case" as well as "ok - case".
	sub(/^[ \t]+/, "", line)
	sub(/^[0-9]+[ \t]+/, "", line)
	sub(/^-[ \t]*/, "", line)
	directive = ""
	at = match(line, /[ \t]*#/)
	if (at) {
		directive = substr(line, at + RLENGTH)
		sub(/^[ \t]+/, "", directive)
		directive = " # " directive
		line = substr(line, 1, at - 1)
	}
	sub(/[ \t]+$/, "", line)
	if (line == "")
		line = "(unnamed)"
	print status " - " prefix name "/" line directive
	received[name]++
	if (status == "not ok")
		failures[name]++
}

function field(f, n, key,    i) {
	for (i = 1; i <= n; i++)
		if (index(f[i], key "=") == 1)
			return substr(f[i], length(key) + 2)
	return ""
}

function end_of(name, f, n,    rc, status, count, got) {
	ended[name] = 1
	current = ""
	rc = field(f, n, "rc")
	status = field(f, n, "status")
	count = field(f, n, "results") + 0
	got = received[name] + 0
	if (got != count)
		print "not ok - " prefix name "/console # " count \
			" results announced, " got " received on the console"
	if (status == "timeout")
		print "not ok - " prefix name " # timed out after " limit[name] " s"
	else if (status == "stuck")
		print "not ok - " prefix name " # timed out after " limit[name] \
			" s and could not be killed"
	else if (count == 0)
		print "not ok - " prefix name " # exited with status " rc \
			" and printed no result"
	else if (rc != "0" && !failures[name])
		print "not ok - " prefix name " # exited with status " rc \
			" after its results"
}

BEGIN {
	prefix = (suite != "" ? suite : "e2e") "/" kver "/"
	# Stages before /init: Xen's and dom0's boot, or the kernel's.
	if (hypervisor != "") {
		no_linux = "stage xen-boot: no dom0 kernel output"
		no_init = "stage dom0-boot: /init did not start"
		guest = "dom0"
	} else {
		no_linux = "stage kernel-boot: no kernel output"
		no_init = "stage kernel-boot: /init did not start"
		guest = "the VM"
	}
}

{ sub(/\r+$/, "") }
/Xen version/ { saw_xen = 1 }
/Linux version / { saw_linux = 1 }

{
	at = index($0, "@@E2E-")
	if (!at)
		next
	marker = substr($0, at + 6)
	n = split(marker, f, " ")
	if (f[1] == "INIT") {
		saw_init = 1
	} else if (f[1] == "MODULES") {
		saw_modules = 1
	} else if (f[1] == "DONE") {
		saw_done = 1
	} else if (f[1] == "START") {
		current = f[2]
		started[current] = 1
		limit[current] = field(f, n, "timeout")
	} else if (f[1] == "R") {
		result(f[2], substr(marker, length("R " f[2] " ") + 1))
	} else if (f[1] == "END") {
		end_of(f[2], f, n)
	}
}

END {
	detail = (reason != "") ? " (" reason ")" : ""
	if (saw_done) {
		print "ok - " prefix "boot"
	} else if (hypervisor != "" && !saw_xen) {
		print "not ok - " prefix "boot # stage xen-boot: no output from Xen" detail
	} else if (!saw_linux) {
		print "not ok - " prefix "boot # " no_linux detail
	} else if (!saw_init) {
		print "not ok - " prefix "boot # " no_init detail
	} else if (!saw_modules) {
		print "not ok - " prefix "boot # stage module-load: /init did not get past" \
			" loading the stock modules" detail
	} else if (current != "") {
		print "not ok - " prefix current " # stage test: it hung or crashed " guest "," \
			" no end marker" detail
	} else {
		print "not ok - " prefix "boot # stage shutdown: the tests ended without" \
			" the completion marker" detail
	}
	n = split(tests, names, " ")
	for (i = 1; i <= n; i++) {
		if (started[names[i]])
			continue
		if (saw_done)
			print "not ok - " prefix names[i] " # not run"
		else
			print "ok - " prefix names[i] " # SKIP not run: the boot stopped early"
	}
}
