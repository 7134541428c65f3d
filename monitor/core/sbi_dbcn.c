/*
 * SBI DBCN: the debug console over a buffer the hypervisor names by physical address.
 * The address is the most dangerous argument of the standard extensions: unchecked, it
 * would let the hypervisor print monitor or CVM memory, or have console input written
 * over it. The whole range must lie in hypervisor RAM before a byte is touched.
 */
#include "defence.h"
#include <string.h>

#include "arch.h"
#include "monitor.h"
#include "platform.h"
#include "sbi.h"
#include "sbi_ext.h"

/*
 * The monitor runs with interrupts off, so one call must stay short; the spec lets
 * the console move fewer bytes than asked and the caller retries with the rest.
 */
#define DBCN_MAX_PER_CALL 4096UL
#define DBCN_CHUNK 64UL

/* The buffer as an rv64 physical range, or an SBI error. */
static long dbcn_buffer(const struct sbi_call *c, paddr_t *base, uint64_t *len)
{
	uint64_t n = c->a[0];

	/* rv64 addresses fit in base_lo; a high half is not an address here. */
	if (c->a[2] != 0)
		return SBI_ERR_INVALID_PARAM;
	*base = c->a[1];
	*len = n < DBCN_MAX_PER_CALL ? n : DBCN_MAX_PER_CALL;
	if (n == 0)
		return SBI_SUCCESS;
	/* All of what was asked, not just the part served now, must be the caller's. */
	if (!range_ok(*base, n) || (!mem_is_hypervisor(*base, n) && DEFENCE(D_ARGS_IN_HV_MEMORY)))
		return SBI_ERR_INVALID_PARAM;
	return SBI_SUCCESS;
}

static size_t chunk_len(uint64_t left)
{
	return left < DBCN_CHUNK ? (size_t)left : (size_t)DBCN_CHUNK;
}

static uint64_t console_write(paddr_t base, uint64_t len)
{
	char chunk[DBCN_CHUNK];

	for (uint64_t off = 0; off < len; off += DBCN_CHUNK) {
		size_t k = chunk_len(len - off);

		/* Copy first: another hart of the hypervisor may be rewriting the buffer. */
		memcpy(chunk, phys_ptr(base + off, k), k);
		for (size_t i = 0; i < k; i++)
			plat->console_putc(chunk[i]);
	}
	return len;
}

static uint64_t console_read(paddr_t base, uint64_t len)
{
	char chunk[DBCN_CHUNK];
	uint64_t done = 0;

	while (done < len) {
		size_t want = chunk_len(len - done);
		size_t k = 0;
		int ch;

		while (k < want && (ch = plat->console_getc()) >= 0)
			chunk[k++] = (char)ch;
		if (k)
			memcpy(phys_ptr(base + done, k), chunk, k);
		done += k;
		if (k < want)
			break;
	}
	return done;
}

static enum call_end dbcn_handle(struct sbi_call *c)
{
	paddr_t base;
	uint64_t len;

	switch (c->fid) {
	case SBI_DBCN_CONSOLE_WRITE:
	case SBI_DBCN_CONSOLE_READ:
		c->value = 0;
		c->error = dbcn_buffer(c, &base, &len);
		if (c->error != SBI_SUCCESS || len == 0)
			break;
		c->value = c->fid == SBI_DBCN_CONSOLE_WRITE ? console_write(base, len)
							     : console_read(base, len);
		break;
	case SBI_DBCN_CONSOLE_WRITE_BYTE:
		plat->console_putc((char)(c->a[0] & 0xff));
		c->error = SBI_SUCCESS;
		break;
	default:
		c->error = SBI_ERR_NOT_SUPPORTED;
		break;
	}
	return CALL_RETURNS;
}

const struct sbi_ext sbi_ext_dbcn = {
	.eid_lo = SBI_EXT_DBCN,
	.eid_hi = SBI_EXT_DBCN,
	.handle = dbcn_handle,
	.probe = NULL,
};
