/*
 * The virtio-style echo device behind DEV_GPA. Its registers are answered from MMIO
 * exits; its data path is the page the guest shared: on NOTIFY the device copies the
 * request out of that page once (the guest may change it meanwhile), checks it, and
 * writes the reversed data and a checksum back at DEV_RESP_OFF.
 */
#include <string.h>

#include "hv.h"

static struct {
	uint32_t int_status;
	uint8_t status;
	uint64_t queue_gpa;
	unsigned requests;
} dev;

static void put_le(uint8_t *regs, unsigned off, uint64_t v, unsigned width)
{
	for (unsigned i = 0; i < width; i++)
		regs[off + i] = (uint8_t)(v >> (8 * i));
}

unsigned long vdev_read(struct hv_cvm *c, unsigned long off, unsigned width)
{
	(void)c;
	uint8_t regs[0x110] = { 0 };
	put_le(regs, DEV_REG_MAGIC, DEV_MAGIC ^ ((hv_options & HV_OPT_BAD_MMIO) ? 1U : 0U), 4);
	put_le(regs, DEV_REG_VERSION, DEV_VERSION, 4);
	put_le(regs, DEV_REG_DEVICE_ID, DEV_DEVICE_ID, 4);
	put_le(regs, DEV_REG_VENDOR, DEV_VENDOR, 4);
	put_le(regs, DEV_REG_FEATURES, DEV_FEATURES, 8);
	put_le(regs, DEV_REG_INT_STATUS, dev.int_status, 4);
	put_le(regs, DEV_REG_STATUS, dev.status, 1);
	put_le(regs, DEV_REG_QUEUE_ADDR, dev.queue_gpa, 8);
	memcpy(regs + DEV_REG_CONFIG, DEV_CONFIG_STR, sizeof(DEV_CONFIG_STR) - 1);
	if (width > 8 || off >= sizeof(regs) || width > sizeof(regs) - off)
		return 0; /* unimplemented registers read as zero */
	unsigned long v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (unsigned long)regs[off + i] << (8 * i);
	return v;
}

static void process(struct hv_cvm *c)
{
	if (!c->share.len || dev.queue_gpa != c->share.gpa)
		return; /* the queue must be the page the guest shared with us */
	struct dev_req req;
	memcpy(&req, (const void *)c->share.hpa, sizeof(req));
	if (req.len > DEV_DATA_MAX)
		return;
	struct dev_resp resp = { .id = req.id, .len = req.len };
	for (uint32_t i = 0; i < req.len; i++) {
		resp.data[i] = req.data[req.len - 1 - i];
		resp.sum += req.data[i];
	}
	memcpy((void *)(c->share.hpa + DEV_RESP_OFF), &resp, sizeof(resp));
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	dev.int_status |= 1;
	dev.requests++;
}

void vdev_write(struct hv_cvm *c, unsigned long off, unsigned width, unsigned long val)
{
	switch (off) {
	case DEV_REG_NOTIFY:
		if (width == 4)
			process(c);
		break;
	case DEV_REG_INT_ACK:
		if (width == 4)
			dev.int_status &= ~(uint32_t)val;
		break;
	case DEV_REG_STATUS:
		if (width == 1)
			dev.status = (uint8_t)val;
		break;
	case DEV_REG_QUEUE_ADDR:
		if (width == 8)
			dev.queue_gpa = val;
		break;
	default:
		break; /* writes to read-only or unknown registers are ignored */
	}
}
