// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo provider for the real hypervisor: the argo_op hypercall, and the one
 * VIRQ_ARGO binding of this kernel, shared by every user of the layer (Xen
 * raises the VIRQ once per domain; a second binding would steal it).
 */

#define pr_fmt(fmt) "argo: " fmt

#include <linux/err.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <xen/events.h>
#include <xen/page.h>
#include <xen/xen.h>
#include <asm/xen/hypercall.h>

#include "argo_internal.h"

/**
 * struct argo_xen - The hypervisor as this domain's Argo.
 * @iface: common part
 * @irq: Linux irq bound to VIRQ_ARGO
 */
struct argo_xen {
	struct argo_iface iface;
	int irq;
};

/*
 * Xen 4.17's sendv returns its errors zero-extended from 32 bits (its
 * "ret < 0 ? ret : len" mixes int and unsigned int), so only the low 32
 * bits of any argo_op result are meaningful: no result exceeds 16 MiB.
 */
static int argo_op(unsigned int cmd, void *arg1, void *arg2, u32 arg3,
		   u32 arg4)
{
	return (int)xen_single_call(__HYPERVISOR_argo_op, cmd,
				    (unsigned long)arg1, (unsigned long)arg2,
				    arg3, arg4);
}

static int argo_xen_register_ring(struct argo_iface *iface,
				  const struct xen_argo_register_ring *reg,
				  struct page **pages, unsigned int npages,
				  unsigned int flags, gfp_t gfp)
{
	struct xen_argo_register_ring arg = *reg;
	xen_argo_gfn_t *gfns;
	unsigned int i;
	int ret;

	gfns = kmalloc_array(npages, sizeof(*gfns), gfp);
	if (!gfns)
		return -ENOMEM;
	/* Frame numbers as this guest's type sees them: MFNs on PV. */
	for (i = 0; i < npages; i++)
		gfns[i] = xen_page_to_gfn(pages[i]);
	ret = argo_op(XEN_ARGO_OP_register_ring, &arg, gfns, npages, flags);
	kfree(gfns);
	return ret;
}

static int argo_xen_unregister_ring(struct argo_iface *iface,
				    const struct xen_argo_unregister_ring *unreg)
{
	struct xen_argo_unregister_ring arg = *unreg;

	return argo_op(XEN_ARGO_OP_unregister_ring, &arg, NULL, 0, 0);
}

static int argo_xen_sendv(struct argo_iface *iface,
			  const struct xen_argo_send_addr *addr,
			  const struct kvec *iov, unsigned int niov,
			  u32 message_type)
{
	struct xen_argo_iov xiov[XEN_ARGO_MAXIOV];
	struct xen_argo_send_addr arg = *addr;
	unsigned int i;

	for (i = 0; i < niov; i++) {
		xiov[i].iov_hnd = (unsigned long)iov[i].iov_base;
		xiov[i].iov_len = iov[i].iov_len;
		xiov[i].pad = 0;
	}
	return argo_op(XEN_ARGO_OP_sendv, &arg, xiov, niov, message_type);
}

static int argo_xen_notify(struct argo_iface *iface,
			   struct xen_argo_ring_data *ring_data)
{
	return argo_op(XEN_ARGO_OP_notify, ring_data, NULL, 0, 0);
}

static irqreturn_t argo_xen_interrupt(int irq, void *dev_id)
{
	struct argo_xen *xa = dev_id;

	argo_iface_dispatch_virq(&xa->iface);
	return IRQ_HANDLED;
}

static void argo_xen_remove(struct argo_iface *iface)
{
	struct argo_xen *xa = container_of(iface, struct argo_xen, iface);

	unbind_from_irqhandler(xa->irq, xa);
	argo_iface_destroy(iface);
	kfree(xa);
}

static const struct argo_provider_ops argo_xen_ops = {
	.register_ring = argo_xen_register_ring,
	.unregister_ring = argo_xen_unregister_ring,
	.sendv = argo_xen_sendv,
	.notify = argo_xen_notify,
	.remove = argo_xen_remove,
};

/**
 * argo_xen_probe() - Check that the hypervisor offers Argo and bind its VIRQ.
 *
 * notify with no ring data is a harmless presence test: Xen answers
 * -EOPNOTSUPP when booted without argo=1, -ENOSYS when built without it,
 * and the XSM hook's error (-EACCES under FLASK) when the domain's label
 * may not use Argo.
 *
 * Return: the hypervisor's iface, or an ERR_PTR.
 */
struct argo_iface *argo_xen_probe(void)
{
	struct argo_xen *xa;
	int ret;

	if (!xen_domain()) {
		pr_err("not running on Xen\n");
		return ERR_PTR(-ENODEV);
	}
	ret = argo_op(XEN_ARGO_OP_notify, NULL, NULL, 0, 0);
	if (ret == -EACCES || ret == -EPERM) {
		pr_err("Argo is denied to this domain by Xen's access control (notify returned %d): its XSM label needs the argo enable permission\n",
		       ret);
		return ERR_PTR(ret);
	}
	if (ret) {
		pr_err("Argo is not enabled in Xen (notify returned %d): Xen needs CONFIG_ARGO=y and the argo=1 boot option\n",
		       ret);
		return ERR_PTR(-EOPNOTSUPP);
	}

	xa = kzalloc(sizeof(*xa), GFP_KERNEL);
	if (!xa)
		return ERR_PTR(-ENOMEM);
	/*
	 * Only dom0 knows its id without asking the toolstack; a guest's
	 * own id is never needed to send (Xen fills in the source).
	 */
	ret = argo_iface_init(&xa->iface, &argo_xen_ops, "xen",
			      xen_initial_domain() ? 0 : XEN_ARGO_DOMID_ANY);
	if (ret) {
		kfree(xa);
		return ERR_PTR(ret);
	}
	ret = bind_virq_to_irqhandler(VIRQ_ARGO, 0, argo_xen_interrupt, 0,
				      "argo", xa);
	if (ret < 0) {
		pr_err("cannot bind VIRQ_ARGO: %d\n", ret);
		argo_iface_destroy(&xa->iface);
		kfree(xa);
		return ERR_PTR(ret);
	}
	xa->irq = ret;
	return &xa->iface;
}
