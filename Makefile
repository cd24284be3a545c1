# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-argo: out-of-tree build and test entry points.
#
#   make [KVER=<kernel>]   build the modules against that kernel's headers
#   make demo              virtio-blk over virtio-argo on the Xen test bed
#   make check             static checks (checkpatch, sparse, W=1; clang) on 6.1 and 6.12
#   make kunit             KUnit suites in a KUnit kernel under QEMU
#   make e2e               test bed: real Xen with Argo under QEMU, both kernels:
#                          e2e-dom0, then e2e-domu
#   make e2e-dom0          the tests/e2e suite, frontend and device side in dom0
#   make e2e-domu          cross-domain: frontend in a PV domU, FLASK allow/deny
#   make e2e-sim           the tests/e2e suite on argo.ko's simulated Argo, no Xen
#   make patches           the kernel patch series in build/patches/, checked
#   make dkms              the DKMS packaging (dkms.conf), checked on both kernels
#   make test              all of the above, ending with "N passed, N failed"
#   make bench             benchmarks on the test bed (the used-ring schemes)

include scripts/pins.env

KVER ?= $(KERNEL_6_12)
export KVER

.PHONY: all modules deps demo check kunit e2e e2e-dom0 e2e-domu e2e-sim patches dkms bench test clean

all: modules

deps:
	scripts/deps.sh

modules: deps
	scripts/build-modules.sh $(KVER)

demo: deps
	scripts/demo.sh

check: deps
	scripts/check.sh

kunit: deps
	scripts/kunit.sh

# Both parts run even when the first fails.
e2e: deps
	scripts/e2e.sh; dom0=$$?; scripts/e2e-domu.sh && exit $$dom0

e2e-dom0: deps
	scripts/e2e.sh

e2e-domu: deps
	scripts/e2e-domu.sh

e2e-sim: deps
	scripts/e2e-sim.sh

patches: deps
	scripts/patches.sh

dkms: deps
	scripts/dkms.sh

bench: deps
	scripts/bench.sh

test: deps
	scripts/test.sh

clean:
	rm -rf build
