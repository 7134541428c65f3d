/* Binary form of fuzz programs: decoding (total: every byte string) and encoding. */
#include "prog.h"

#include <string.h>

#include "cove.h"
#include "sbi.h"

static const uint8_t hv_kinds[] = {
	ST_HV_ECALL, ST_HV_ECALL, ST_HV_ECALL, ST_HV_PROMOTE, ST_HV_RUN, ST_HV_WRITE,
	ST_HV_ACCESS, ST_HV_BUILD, ST_IRQ, ST_CVM_ECALL, ST_CVM_ACCESS, ST_HV_DMA, ST_HV_CSR,
	ST_CVM_CSR, ST_HV_VM, ST_FENCE,
};
static const uint8_t cvm_kinds[] = {
	ST_CVM_ECALL, ST_CVM_ECALL, ST_CVM_ECALL, ST_CVM_ACCESS, ST_CVM_ACCESS, ST_HV_RUN,
	ST_HV_RUN, ST_HV_ECALL, ST_IRQ, ST_HV_WRITE, ST_CVM_CSR, ST_HV_CSR,
};
static const uint8_t promote_kinds[] = {
	ST_HV_WRITE, ST_HV_WRITE, ST_HV_WRITE, ST_HV_WRITE, ST_HV_PROMOTE, ST_HV_PROMOTE,
	ST_HV_BUILD, ST_HV_ECALL, ST_HV_RUN, ST_CVM_ECALL, ST_CVM_ACCESS,
};
static const uint8_t multi_kinds[] = {
	ST_HV_ECALL, ST_HV_ECALL, ST_HV_RUN, ST_HV_RUN, ST_HV_PROMOTE, ST_HV_WRITE, ST_HV_ACCESS,
	ST_CVM_ECALL, ST_CVM_ECALL, ST_CVM_ACCESS, ST_IRQ, ST_IRQ, ST_HV_BUILD, ST_HV_DMA,
	ST_HV_CSR, ST_CVM_CSR, ST_HV_VM, ST_FENCE,
};

const struct target_desc targets[TGT_COUNT] = {
	[TGT_HV_CALLS] = { "hv_calls", 2, hv_kinds, sizeof(hv_kinds) },
	[TGT_CVM_CALLS] = { "cvm_calls", 1, cvm_kinds, sizeof(cvm_kinds) },
	[TGT_PROMOTE] = { "promote", 1, promote_kinds, sizeof(promote_kinds) },
	[TGT_MULTI_HART] = { "multi_hart", 4, multi_kinds, sizeof(multi_kinds) },
};

int target_by_name(const char *name)
{
	for (int i = 0; i < TGT_COUNT; i++)
		if (strcmp(targets[i].name, name) == 0)
			return i;
	return -1;
}

const uint64_t eid_table[16] = {
	SBI_EXT_COVH, SBI_EXT_COVG, SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI, SBI_EXT_RFENCE,
	SBI_EXT_HSM, SBI_EXT_SRST, SBI_EXT_DBCN, SBI_EXT_LEGACY_SET_TIMER, SBI_EXT_LEGACY_PUTCHAR,
	SBI_EXT_LEGACY_GETCHAR, 0x0A000000 /* a hypervisor-defined call */, SBI_EXT_COVH,
	SBI_EXT_COVG, 0,
};
const char *const eid_names[16] = {
	"COVH", "COVG", "BASE", "TIME", "IPI", "RFENCE", "HSM", "SRST", "DBCN", "LEGACY_TIMER",
	"LEGACY_PUTC", "LEGACY_GETC", "VENDOR", "COVH2", "COVG2", "RAW",
};

static const char *const kind_names[ST_KIND_COUNT] = {
	"hv_ecall", "hv_build", "hv_promote", "hv_run", "hv_write", "hv_access",
	"cvm_ecall", "cvm_access", "irq", "hv_dma", "hv_csr", "cvm_csr", "hv_vm", "fence",
};
static const uint8_t kind_nvalues[ST_KIND_COUNT] = { 6, 1, 2, 4, 2, 1, 6, 2, 1, 2, 1, 1, 2, 0 };

const char *step_kind_name(unsigned kind) { return kind < ST_KIND_COUNT ? kind_names[kind] : "?"; }
unsigned step_nvalues(unsigned kind) { return kind < ST_KIND_COUNT ? kind_nvalues[kind] : 0; }

static bool is_ecall(unsigned kind) { return kind == ST_HV_ECALL || kind == ST_CVM_ECALL; }

/* --- decoding ---------------------------------------------------------------- */

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint8_t rd8(struct reader *r)
{
	if (!r->left)
		return 0;
	r->left--;
	return *r->p++;
}

static uint64_t rdn(struct reader *r, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)rd8(r) << (8 * i);
	return v;
}

static void read_value(struct reader *r, struct value *v)
{
	memset(v, 0, sizeof(*v));
	v->cls = rd8(r) % VC_COUNT;
	switch (v->cls) {
	case VC_RAW: v->raw = rdn(r, 8); break;
	case VC_SYM:
	case VC_GPA:
		v->idx = rd8(r);
		v->off = (int8_t)rd8(r);
		break;
	default: v->idx = rd8(r); break;
	}
}

void prog_decode(enum target_id t, const uint8_t *data, size_t size, struct prog *p)
{
	struct reader r = { data, size };
	const struct target_desc *d = &targets[t];
	p->target = t;
	p->nsteps = 0;
	while (r.left && p->nsteps < PROG_MAX_STEPS) {
		struct step *s = &p->steps[p->nsteps++];
		memset(s, 0, sizeof(*s));
		s->kind = d->kinds[rd8(&r) % d->nkinds];
		s->hart = rd8(&r) % d->nr_harts;
		s->sel = rd8(&r);
		s->fid = rd8(&r);
		if (is_ecall(s->kind) && s->sel % 16 == EID_RAW_SEL)
			s->raw_eid = (uint32_t)rdn(&r, 4);
		for (unsigned i = 0; i < kind_nvalues[s->kind]; i++)
			read_value(&r, &s->v[i]);
	}
}

/* --- encoding ---------------------------------------------------------------- */

struct writer {
	uint8_t *p;
	size_t left;
	bool overflow;
};

static void wr8(struct writer *w, uint8_t b)
{
	if (!w->left) {
		w->overflow = true;
		return;
	}
	w->left--;
	*w->p++ = b;
}

static void wrn(struct writer *w, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		wr8(w, (uint8_t)(v >> (8 * i)));
}

static void write_value(struct writer *w, const struct value *v)
{
	wr8(w, v->cls);
	switch (v->cls) {
	case VC_RAW: wrn(w, v->raw, 8); break;
	case VC_SYM:
	case VC_GPA:
		wr8(w, v->idx);
		wr8(w, (uint8_t)v->off);
		break;
	default: wr8(w, v->idx); break;
	}
}

size_t prog_encode(const struct prog *p, uint8_t *out, size_t cap)
{
	struct writer w = { out, cap, false };
	const struct target_desc *d = &targets[p->target];
	for (unsigned n = 0; n < p->nsteps; n++) {
		const struct step *s = &p->steps[n];
		unsigned op = 0;
		while (op < d->nkinds && d->kinds[op] != s->kind)
			op++;
		if (op == d->nkinds)
			return 0; /* this target cannot express the step */
		wr8(&w, (uint8_t)op);
		wr8(&w, s->hart);
		wr8(&w, s->sel);
		wr8(&w, s->fid);
		if (is_ecall(s->kind) && s->sel % 16 == EID_RAW_SEL)
			wrn(&w, s->raw_eid, 4);
		for (unsigned i = 0; i < kind_nvalues[s->kind]; i++)
			write_value(&w, &s->v[i]);
	}
	return w.overflow ? 0 : cap - w.left;
}
