/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Argo layer's test cases, written once against <linux/argo.h> and run
 * by two runners: KUnit on the simulated provider (tests/kunit/argo_kunit.c)
 * and argo_selftest.ko on the real hypervisor (argo_selftest_main.c).
 */

#ifndef _ARGO_CASES_H
#define _ARGO_CASES_H

#include <linux/argo.h>

/**
 * struct argo_case_ctx - What a case runs against, and what it found.
 * @iface: the Argo under test; the case sends to its own rings
 * @port_base: first of 256 ports the case may use
 * @settle: wait until every VIRQ raised so far has been handled
 * @failures: number of failed expectations
 * @msg: the first failure, for the report
 */
struct argo_case_ctx {
	struct argo_iface *iface;
	u32 port_base;
	void (*settle)(struct argo_case_ctx *ctx);
	unsigned int failures;
	char msg[256];
};

/**
 * struct argo_case - One test case.
 * @name: short name, reported by the runners
 * @run: the case; records failures in its context
 */
struct argo_case {
	const char *name;
	void (*run)(struct argo_case_ctx *ctx);
};

extern const struct argo_case argo_cases[];
extern const unsigned int argo_ncases;

__printf(3, 4)
void argo_case_fail(struct argo_case_ctx *ctx, int line, const char *fmt, ...);
int argo_free_ring_slots(struct argo_iface *iface, u32 first_port);

#define ARGO_EXPECT(ctx, cond)						\
	do {								\
		if (!(cond))						\
			argo_case_fail(ctx, __LINE__, "expected %s", #cond); \
	} while (0)

#define ARGO_EXPECT_EQ(ctx, got, want)					\
	do {								\
		long long __got = (got), __want = (want);		\
									\
		if (__got != __want)					\
			argo_case_fail(ctx, __LINE__,			\
				       "%s is %lld, expected %lld",	\
				       #got, __got, __want);		\
	} while (0)

#endif /* _ARGO_CASES_H */
