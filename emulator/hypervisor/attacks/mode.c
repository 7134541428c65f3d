/*
 * Attack mode: which attacks to run (the option block's text), one line per attack on
 * the console, and the end of the run. Before an attack starts, a line tells the
 * collector how to read the machine going down in the middle of it: for most attacks
 * that is a crash; for an attack whose goal is to take the machine down, it is the
 * attacker's success (emulator/hypervisor/attacks/run-attacks.py).
 */
#include <string.h>

#include "atk.h"


struct atk_env atk_env;

struct entry {
	const char *id;
	atk_fn fn;
	bool down_is_success;
};

/* The catalog's attacks that have a QEMU implementation, in the catalog's order. */
#define ENTRY(sym, id, down_is_success) { id, atk_##sym, down_is_success },
#define ATTACK(sym, id, name, goal, policy, defence, backends, down_is_success)               \
	CATALOG_IF_QEMU(backends, ENTRY, CATALOG_NOTHING)(sym, id, down_is_success)
static const struct entry attacks[] = {
#include "../../../catalog/attacks.def"
};
#undef ENTRY

void ev(struct atk_report *r, const char *s)
{
	while (*s && r->len + 1 < sizeof(r->text))
		r->text[r->len++] = *s++;
	r->text[r->len] = '\0';
}

void ev_dec(struct atk_report *r, unsigned long v)
{
	char buf[FMT_BUF];
	ev(r, fmt_dec(buf, v));
}

void ev_hex(struct atk_report *r, unsigned long v)
{
	char buf[FMT_BUF];
	ev(r, fmt_hex(buf, v));
}

void ev_err(struct atk_report *r, long err)
{
	ev(r, err < 0 ? "error -" : "error ");
	ev_dec(r, (unsigned long)(err < 0 ? -err : err));
}

static const char *verdict_word(enum atk_verdict v)
{
	switch (v) {
	case ATK_BLOCKED: return "blocked";
	case ATK_SUCCEEDED: return "succeeded";
	case ATK_NOT_APPLICABLE: return "not-applicable";
	default: return "error";
	}
}

void atk_unexpected_trap(struct atk_ctx *x);
void atk_unexpected_trap(struct atk_ctx *x)
{
	con_lock();
	con_puts("attacks: unexpected trap in HS, scause ");
	con_put_hex(x->scause);
	con_puts(" sepc ");
	con_put_hex(x->sepc);
	con_puts(" stval ");
	con_put_hex(x->stval);
	con_puts("\n");
	con_unlock();
	hv_exit(0xe1);
}

/* Does the comma-separated list name `id` (or say "all")? */
static bool selected(const char *list, unsigned len, const char *id)
{
	unsigned idlen = (unsigned)strlen(id);
	for (unsigned i = 0; i < len;) {
		unsigned j = i;
		while (j < len && list[j] != ',')
			j++;
		if ((j - i == 3 && memcmp(list + i, "all", 3) == 0) ||
		    (j - i == idlen && memcmp(list + i, id, idlen) == 0))
			return true;
		i = j + 1;
	}
	return false;
}

static unsigned long parse_hex(const char *s, unsigned len)
{
	unsigned long v = 0;
	for (unsigned i = (len > 2 && s[0] == '0' && s[1] == 'x') ? 2 : 0; i < len; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
		if (d > 15)
			break;
		v = v << 4 | d;
	}
	return v;
}

/* The value of `key=` in the option text: its start and length. */
static bool option(const char *text, unsigned len, const char *key, const char **val, unsigned *vlen)
{
	unsigned klen = (unsigned)strlen(key);
	for (unsigned i = 0; i + klen < len; i++) {
		if ((i == 0 || text[i - 1] == ' ') && memcmp(text + i, key, klen) == 0 &&
		    text[i + klen] == '=') {
			unsigned j = i + klen + 1, k = j;
			while (k < len && text[k] != ' ' && text[k] != '\n')
				k++;
			*val = text + j;
			*vlen = k - j;
			return true;
		}
	}
	return false;
}

static void say(const char *a, const char *b, const char *c)
{
	con_lock();
	con_puts(a);
	con_puts(b);
	con_puts(c);
	con_unlock();
}

_Noreturn void attack_mode(unsigned long hartid, unsigned long ram_end)
{
	static char text[ATK_TEXT_MAX + 1];
	const volatile char *src = (const volatile char *)ATK_TEXT_ADDR;
	unsigned len = 0;
	while (len < ATK_TEXT_MAX && src[len])
		len++;
	for (unsigned i = 0; i < len; i++)
		text[i] = src[i];
	text[len] = '\0';
	const char *ids = "all", *word;
	unsigned ids_len = 3, word_len;
	option(text, len, "ids", &ids, &ids_len);
	if (option(text, len, "monitor-word", &word, &word_len))
		atk_env.monitor_word = parse_hex(word, word_len);
	if (option(text, len, "monitor-mem", &word, &word_len))
		atk_env.monitor_mem = parse_hex(word, word_len);
	if (option(text, len, "monitor-keys", &word, &word_len))
		atk_env.monitor_keys = parse_hex(word, word_len);
	atk_env.boot_hart = (unsigned)hartid;
	atk_env.nr_harts = hv_nr_harts;
	atk_env.conf_base = ram_end;
	__asm__ __volatile__("csrs sstatus, %0" ::"r"(3UL << 13)); /* FP on: the run wrapper loads it */
	/* the agent's image is in hypervisor memory: a secret in it would be found anywhere */
	if (secrets_scan(agent_image, (unsigned long)(agent_image_end - agent_image)))
		say("attacks: FAIL the agent's image holds a secret value: a leak oracle would find it anywhere", "", "\n");
	bool harts_ok = atk_harts_start();
	con_lock();
	con_puts("attacks: attack mode on hart ");
	con_put_dec(hartid);
	con_puts(", ");
	con_put_dec(atk_env.nr_harts);
	con_puts(atk_env.other_hart >= 0 ? " harts (a second one for the concurrency attacks)"
					  : " hart(s) (no second one for the concurrency attacks)");
	con_puts(", confidential memory from ");
	con_put_hex(atk_env.conf_base);
	con_puts("\n");
	con_unlock();
	if (!harts_ok)
		say("attacks: could not start a second hart", "", "\n");

	unsigned ran = 0;
	for (unsigned i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		const struct entry *a = &attacks[i];
		if (!selected(ids, ids_len, a->id))
			continue;
		say("attack-start ", a->id, a->down_is_success ? " down=succeeded\n" : " down=crashed\n");
		static struct atk_report r;
		r.len = 0;
		r.text[0] = '\0';
		enum atk_verdict v = a->fn(&r);
		con_lock();
		con_puts("ATTACK ");
		con_puts(a->id);
		con_puts(" ");
		con_puts(verdict_word(v));
		con_puts(" ");
		con_puts(r.text);
		con_puts("\n");
		con_unlock();
		ran++;
	}
	con_lock();
	con_puts("attacks: done, ");
	con_put_dec(ran);
	con_puts(" attacks run\n");
	con_unlock();
	hv_exit(0);
}
