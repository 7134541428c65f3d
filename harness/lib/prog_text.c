/* The readable text form of fuzz programs, used by corpora and crash reports. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prog.h"
#include "symbols.h"

const char *const sym_names[SYM_COUNT] = {
	"zero", "monitor_base", "monitor_end", "conf_base", "conf_end", "hv_base", "ram_end",
	"img0_root", "img0_l1", "img0_l0", "img0_fdt", "img0_data", "img1_root", "img1_l0",
	"img1_fdt", "cvm0_page", "uart", "clint", "all_ones", "pool",
};
const char *const gsym_names[GSYM_COUNT] = {
	"vm_base", "vm_fdt", "vm_end", "mmio", "share", "zero", "limit", "unmapped",
};
static const char *const class_names[VC_COUNT] = {
	"small", "sym", "id", "raw", "pool", "neg", "gpa", "pow2",
};

struct out {
	char *p;
	size_t left;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->p, o->left, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t k = (size_t)n < o->left ? (size_t)n : (o->left ? o->left - 1 : 0);
	o->p += k;
	o->left -= k;
}

static void emit_value(struct out *o, const struct value *v)
{
	switch (v->cls) {
	case VC_RAW: emit(o, "raw:0x%" PRIx64, v->raw); return;
	case VC_SYM:
	case VC_GPA: {
		const char *name = v->cls == VC_SYM ? sym_names[v->idx % SYM_COUNT] : gsym_names[v->idx % GSYM_COUNT];
		emit(o, "%s:%s", class_names[v->cls], name);
		if (v->off)
			emit(o, "%c0x%x", v->off < 0 ? '-' : '+', (unsigned)(v->off < 0 ? -v->off : v->off) * 8);
		return;
	}
	default: emit(o, "%s:%u", class_names[v->cls], v->idx); return;
	}
}

void prog_to_text(const struct prog *p, char *buf, size_t cap)
{
	struct out o = { buf, cap };
	if (cap)
		buf[0] = 0;
	emit(&o, "target %s\n", targets[p->target].name);
	for (unsigned n = 0; n < p->nsteps; n++) {
		const struct step *s = &p->steps[n];
		emit(&o, "%s h=%u", step_kind_name(s->kind), s->hart);
		if (s->kind == ST_HV_ECALL || s->kind == ST_CVM_ECALL) {
			emit(&o, " eid=%s", eid_names[s->sel % 16]);
			if (s->sel % 16 == EID_RAW_SEL)
				emit(&o, " raw_eid=0x%x", s->raw_eid);
		} else {
			emit(&o, " sel=%u", s->sel);
		}
		emit(&o, " fid=%u", s->fid);
		for (unsigned i = 0; i < step_nvalues(s->kind); i++) {
			emit(&o, " v%u=", i);
			emit_value(&o, &s->v[i]);
		}
		emit(&o, "\n");
	}
}

/* --- parsing ----------------------------------------------------------------- */

static bool lookup(const char *const *names, unsigned n, const char *s, size_t len, uint8_t *idx)
{
	for (unsigned i = 0; i < n; i++)
		if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0) {
			*idx = (uint8_t)i;
			return true;
		}
	return false;
}

static bool parse_value(const char *s, struct value *v)
{
	memset(v, 0, sizeof(*v));
	const char *colon = strchr(s, ':');
	if (!colon || !lookup(class_names, VC_COUNT, s, (size_t)(colon - s), &v->cls))
		return false;
	const char *arg = colon + 1;
	char *end;
	switch (v->cls) {
	case VC_RAW:
		v->raw = strtoull(arg, &end, 0);
		return *end == 0;
	case VC_SYM:
	case VC_GPA: {
		size_t len = strcspn(arg, "+-");
		bool ok = v->cls == VC_SYM ? lookup(sym_names, SYM_COUNT, arg, len, &v->idx)
					   : lookup(gsym_names, GSYM_COUNT, arg, len, &v->idx);
		if (!ok)
			return false;
		if (arg[len]) {
			long off = strtol(arg + len + 1, &end, 0);
			/* int8_t units: -128 * 8 is the one offset with no positive twin */
			if (*end || off % 8 || off < 0 || off / 8 > (arg[len] == '-' ? 128 : 127))
				return false;
			v->off = (int8_t)(arg[len] == '-' ? -off / 8 : off / 8);
		}
		return true;
	}
	default: {
		unsigned long x = strtoul(arg, &end, 0);
		v->idx = (uint8_t)x;
		return *end == 0 && x < 256;
	}
	}
}

static bool parse_step(char *line, const struct target_desc *d, struct step *s, char *err, size_t errcap)
{
	memset(s, 0, sizeof(*s));
	char *save = NULL, *tok = strtok_r(line, " \t", &save);
	uint8_t kind = 0;
	while (kind < ST_KIND_COUNT && strcmp(step_kind_name(kind), tok) != 0)
		kind++;
	if (kind == ST_KIND_COUNT) {
		snprintf(err, errcap, "unknown step '%s'", tok);
		return false;
	}
	s->kind = kind;
	while ((tok = strtok_r(NULL, " \t", &save))) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			snprintf(err, errcap, "expected key=value, got '%s'", tok);
			return false;
		}
		*eq = 0;
		const char *val = eq + 1;
		bool ok = true;
		if (!strcmp(tok, "h")) {
			s->hart = (uint8_t)strtoul(val, NULL, 0);
			ok = s->hart < d->nr_harts;
		} else if (!strcmp(tok, "sel")) {
			s->sel = (uint8_t)strtoul(val, NULL, 0);
		} else if (!strcmp(tok, "fid")) {
			s->fid = (uint8_t)strtoul(val, NULL, 0);
		} else if (!strcmp(tok, "eid")) {
			ok = lookup(eid_names, 16, val, strlen(val), &s->sel);
		} else if (!strcmp(tok, "raw_eid")) {
			s->raw_eid = (uint32_t)strtoul(val, NULL, 0);
		} else if (tok[0] == 'v' && tok[1] >= '0' && tok[1] < '0' + STEP_VALUES && !tok[2]) {
			ok = parse_value(val, &s->v[tok[1] - '0']);
		} else {
			ok = false;
		}
		if (!ok) {
			snprintf(err, errcap, "bad field %s=%s", tok, val);
			return false;
		}
	}
	return true;
}

bool prog_from_text(const char *text, struct prog *p, char *err, size_t errcap)
{
	char *copy = strdup(text), *save = NULL;
	bool have_target = false, ok = true;
	unsigned lineno = 0;
	p->nsteps = 0;
	for (char *line = strtok_r(copy, "\n", &save); line && ok; line = strtok_r(NULL, "\n", &save)) {
		lineno++;
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "target ", 7)) {
			int t = target_by_name(line + 7);
			if (t < 0) {
				snprintf(err, errcap, "line %u: unknown target '%s'", lineno, line + 7);
				ok = false;
			}
			p->target = (enum target_id)t;
			have_target = true;
			continue;
		}
		if (!have_target) {
			snprintf(err, errcap, "line %u: 'target NAME' must come first", lineno);
			ok = false;
		} else if (p->nsteps == PROG_MAX_STEPS) {
			snprintf(err, errcap, "line %u: more than %d steps", lineno, PROG_MAX_STEPS);
			ok = false;
		} else {
			char msg[160];
			ok = parse_step(line, &targets[p->target], &p->steps[p->nsteps], msg, sizeof(msg));
			if (!ok)
				snprintf(err, errcap, "line %u: %s", lineno, msg);
			p->nsteps++;
		}
	}
	free(copy);
	if (ok && !have_target) {
		snprintf(err, errcap, "no 'target NAME' line");
		ok = false;
	}
	return ok;
}

void prog_report_finding(const char *oracle, unsigned step, const char *where, const struct prog *p,
			 const char *fmt, va_list ap)
{
	fprintf(stderr, "==ORACLE== %s at step %u%s: ", oracle, step, where);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	if (p) {
		static char text[16384];
		prog_to_text(p, text, sizeof(text));
		fprintf(stderr, "==PROGRAM==\n%s==END==\n", text);
	}
	abort();
}
