// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs the Argo layer's test cases against this kernel's Argo, normally the
 * real hypervisor, when loaded with run=1. Results go to the kernel log in
 * KTAP, every line prefixed "argo-selftest: ".
 *
 * Load it only where nothing else uses Argo: the cases count on owning the
 * domain's whole ring budget, and the last one leaks one ring slot of the
 * domain for good (it shows that Xen does).
 */

#define pr_fmt(fmt) "argo-selftest: " fmt

#include <linux/delay.h>
#include <linux/module.h>

#include "argo_cases.h"

/* Ports the cases use: 256 per case from here on. */
#define ARGO_SELFTEST_PORT_BASE	0x7e570000U

static bool run;
module_param(run, bool, 0444);
MODULE_PARM_DESC(run, "Run the test cases at load time");

static bool slots;
module_param(slots, bool, 0444);
MODULE_PARM_DESC(slots,
		 "At load time, print how many more rings the hypervisor grants this domain");

/*
 * A real VIRQ gives no completion to wait for; under emulation it lands
 * within microseconds, so this leaves a wide margin.
 */
static void argo_selftest_settle(struct argo_case_ctx *ctx)
{
	msleep(100);
}

static int __init argo_selftest_init(void)
{
	struct argo_iface *iface = argo_iface_default();
	unsigned int i, failed = 0;

	if (slots)
		pr_info("free ring slots: %d\n",
			argo_free_ring_slots(iface, ARGO_SELFTEST_PORT_BASE));
	if (!run)
		return 0;

	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", argo_ncases);
	for (i = 0; i < argo_ncases; i++) {
		struct argo_case_ctx ctx = {
			.iface = iface,
			.port_base = ARGO_SELFTEST_PORT_BASE + i * 0x100,
			.settle = argo_selftest_settle,
		};

		argo_cases[i].run(&ctx);
		if (ctx.failures) {
			failed++;
			pr_info("not ok %u %s # %s\n", i + 1, argo_cases[i].name,
				ctx.msg);
		} else {
			pr_info("ok %u %s\n", i + 1, argo_cases[i].name);
		}
	}
	pr_info("# %s provider, domain %u: %u passed, %u failed\n",
		argo_iface_name(iface), argo_iface_domid(iface),
		argo_ncases - failed, failed);
	return 0;
}

static void __exit argo_selftest_exit(void)
{
}

module_init(argo_selftest_init);
module_exit(argo_selftest_exit);

MODULE_DESCRIPTION("Argo layer test cases, runnable on the real hypervisor");
MODULE_LICENSE("GPL");
