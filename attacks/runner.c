/*
 * The attack suite's driver: every attack of attack_table on each backend, once with
 * all defences on and once with its own defence off, then the report.
 *
 *   attacks [--only ID] [--report FILE] [--qemu RESULTS] [--qemu-off RESULTS]
 *           [--weaken D_NAME] [--list] [--list-defences]
 *
 * RESULTS is what the QEMU backend printed, one "ATTACK <id> <result> [evidence]" line
 * per attack run against the real firmware (emulator/hypervisor/attacks/); attacks it
 * does not name stay "not run", and "not-applicable" reads "n/a". --qemu gives the
 * runs on the firmware with every defence on, --qemu-off those on firmware builds with
 * the attack's own defence off. The exit status is 1 if any attack got through with
 * every defence on, or failed to get through with its defence off, on either backend.
 * --weaken switches a defence off in every host run, the "all defences on" ones
 * included, to show that this exit status does fail. --list-defences prints each
 * defence switch with the attacks that target it, for the QEMU backend's builds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attack.h"
#include "host_backend.h"
#include "report.h"

static enum attack_result parse_result(const char *s)
{
	static const enum attack_result all[] = { AR_BLOCKED, AR_SUCCEEDED, AR_ERROR, AR_CRASHED, AR_NOT_RUN };
	if (strcmp(s, "not-applicable") == 0)
		return AR_NOT_APPLICABLE;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, result_name(all[i])) == 0)
			return all[i];
	return AR_ERROR;
}

/* Fills o[i].qemu (or .qemu_off) and its evidence from the QEMU backend's output;
 * false if the file cannot be read. */
static bool read_qemu_results(const char *path, struct outcome *o, bool defence_off)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[1024], id[128], result[64];
	int used;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "ATTACK %127s %63s%n", id, result, &used) != 2)
			continue;
		const char *evidence = line + used + strspn(line + used, " ");
		for (size_t i = 0; i < attack_count; i++) {
			if (strcmp(attack_table[i].id, id) != 0)
				continue;
			*(defence_off ? &o[i].qemu_off : &o[i].qemu) = parse_result(result);
			struct attack_run *ev = defence_off ? &o[i].qemu_off_ev : &o[i].qemu_on_ev;
			ev->evidence[0] = '\0';
			attack_note(ev, "%.*s", (int)strcspn(evidence, "\r\n"), evidence);
		}
	}
	fclose(f);
	return true;
}

static bool qemu_ran(enum attack_result r)
{
	return r != AR_NOT_RUN && r != AR_NOT_APPLICABLE;
}

static void judge(const struct attack *a, struct outcome *o)
{
	o->verdict = V_OK;
	o->why = NULL;
	if (!a->host) { /* the model lacks the hardware: the firmware on QEMU is the judge */
		if (qemu_ran(o->qemu) && o->qemu != AR_BLOCKED)
			o->why = "not blocked on QEMU";
		else if (a->defence && qemu_ran(o->qemu_off) && o->qemu_off != AR_SUCCEEDED)
			o->why = "did not succeed on QEMU with its defence off";
	} else if (o->host_on == AR_NOT_RUN && a->pending) {
		o->verdict = V_PENDING;
	} else if (o->host_on != AR_BLOCKED) {
		o->why = "not blocked with every defence on";
	} else if (a->defence && o->host_off != AR_SUCCEEDED) {
		o->why = "did not succeed with its defence off: the attack does not detect what it claims";
	} else if (qemu_ran(o->qemu) && o->qemu != AR_BLOCKED) {
		o->why = "not blocked on QEMU";
	} else if (a->defence && qemu_ran(o->qemu_off) && o->qemu_off != AR_SUCCEEDED) {
		o->why = "did not succeed on QEMU with its defence off";
	} else if (a->pending) {
		o->verdict = V_PENDING;
	}
	if (o->why)
		o->verdict = V_FAIL;
}

static void usage(void)
{
	fprintf(stderr, "usage: attacks [--only ID] [--report FILE] [--qemu RESULTS] [--qemu-off RESULTS]\n"
			"               [--weaken D_NAME] [--list] [--list-defences]\n");
	exit(2);
}

/* The switch a row of the table names `name`, or 0. */
static unsigned defence_named(const char *name)
{
	for (size_t i = 0; i < attack_count; i++)
		if (attack_table[i].defence && strcmp(attack_table[i].defence_name, name) == 0)
			return attack_table[i].defence;
	return 0;
}

/* "D_NAME id,id" for each defence switch of the table, in table order. */
static void list_defences(void)
{
	for (size_t k = 0; k < attack_count; k++) {
		const struct attack *a = &attack_table[k];
		bool first = true;
		for (size_t j = 0; j < k && first; j++)
			first = attack_table[j].defence != a->defence;
		if (!a->defence || !first)
			continue;
		printf("%s ", a->defence_name);
		const char *sep = "";
		for (size_t j = k; j < attack_count; j++) {
			if (attack_table[j].defence == a->defence) {
				printf("%s%s", sep, attack_table[j].id);
				sep = ",";
			}
		}
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	const char *only = NULL, *report = NULL, *qemu = NULL, *qemu_off = NULL;
	unsigned weakened = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--list") == 0) {
			for (size_t k = 0; k < attack_count; k++)
				printf("%-24s %s\n", attack_table[k].id, attack_table[k].name);
			return 0;
		}
		if (strcmp(argv[i], "--list-defences") == 0) {
			list_defences();
			return 0;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--only") == 0)
			only = argv[++i];
		else if (strcmp(argv[i], "--report") == 0)
			report = argv[++i];
		else if (strcmp(argv[i], "--qemu") == 0)
			qemu = argv[++i];
		else if (strcmp(argv[i], "--qemu-off") == 0)
			qemu_off = argv[++i];
		else if (strcmp(argv[i], "--weaken") == 0 && defence_named(argv[i + 1]))
			weakened |= defence_named(argv[++i]);
		else
			usage();
	}
	static struct outcome o[64];
	if (attack_count > sizeof(o) / sizeof(o[0]))
		return 2;
	for (size_t i = 0; i < attack_count; i++)
		o[i].host_on = o[i].host_off = o[i].qemu = o[i].qemu_off = AR_NOT_RUN;
	if ((qemu && !read_qemu_results(qemu, o, false)) ||
	    (qemu_off && !read_qemu_results(qemu_off, o, true))) {
		fprintf(stderr, "attacks: cannot read %s\n", qemu && !qemu_off ? qemu : "the QEMU results");
		return 2;
	}

	unsigned failed = 0, ran = 0;
	for (size_t i = 0; i < attack_count; i++) {
		const struct attack *a = &attack_table[i];
		if (only && strcmp(only, a->id) != 0)
			continue;
		ran++;
		o[i].host_on = host_run(a, weakened, &o[i].on);
		if (a->defence)
			o[i].host_off = host_run(a, weakened | a->defence, &o[i].off);
		judge(a, &o[i]);
		failed += o[i].verdict == V_FAIL;
		printf("%-8s %-24s on: %-9s off: %-9s qemu: %-9s qemu off: %-9s %s\n",
		       o[i].verdict == V_OK ? "ok" : o[i].verdict == V_PENDING ? "pending" : "FAIL", a->id,
		       result_name(o[i].host_on), a->defence ? result_name(o[i].host_off) : "n/a",
		       result_name(o[i].qemu), a->defence ? result_name(o[i].qemu_off) : "n/a",
		       o[i].why ? o[i].why : "");
		if (o[i].verdict == V_FAIL)
			printf("         on:  %s\n         off: %s\n         qemu: %s\n         qemu off: %s\n",
			       o[i].on.evidence, o[i].off.evidence, o[i].qemu_on_ev.evidence,
			       o[i].qemu_off_ev.evidence);
	}
	if (only && ran == 0) {
		fprintf(stderr, "attacks: no attack with id %s\n", only);
		return 2;
	}
	if (report && !only && !weakened) {
		FILE *f = fopen(report, "w");
		if (!f) {
			fprintf(stderr, "attacks: cannot write %s\n", report);
			return 2;
		}
		report_write(f, attack_table, o, attack_count);
		fclose(f);
	}
	printf("%u attacks, %u failing\n", ran, failed);
	return failed ? 1 : 0;
}
