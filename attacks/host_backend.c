/*
 * Each run gets a process of its own: a switched-off defence may leave the model in a
 * state the next run must not inherit, and a run that aborts (a sanitizer report, the
 * model refusing an impossible state) is reported as a crash instead of ending the suite.
 */
#include "host_backend.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "defence.h"
#include "host_env.h"
#include "invariants.h"

#define RUN_SECONDS 30

struct verdict_msg {
	int result;
	struct attack_run run;
};

static void child(const struct attack *a, unsigned off, int fd)
{
	struct verdict_msg m = { .result = AR_ERROR };
	alarm(RUN_SECONDS);
	defences_off = off;
	env_boot();
	m.result = a->host(&m.run);
	struct inv_violation v;
	if (off == 0 && m.result == AR_BLOCKED && !inv_check_all(&v)) {
		m.result = AR_ERROR;
		attack_note(&m.run, "but invariant %s broke: %s", v.invariant, v.detail);
	}
	env_shutdown();
	ssize_t n = write(fd, &m, sizeof(m));
	_exit(n == (ssize_t)sizeof(m) ? 0 : 1);
}

enum attack_result host_run(const struct attack *a, unsigned off, struct attack_run *run)
{
	memset(run, 0, sizeof(*run));
	if (!a->host)
		return AR_NOT_RUN;
	int fds[2];
	if (pipe(fds) != 0) {
		attack_note(run, "pipe failed");
		return AR_ERROR;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		attack_note(run, "fork failed");
		close(fds[0]);
		close(fds[1]);
		return AR_ERROR;
	}
	if (pid == 0) {
		close(fds[0]);
		child(a, off, fds[1]);
	}
	close(fds[1]);
	struct verdict_msg m;
	size_t got = 0;
	while (got < sizeof(m)) {
		ssize_t n = read(fds[0], (char *)&m + got, sizeof(m) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	if (got != sizeof(m) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFSIGNALED(status))
			attack_note(run, "the run died with signal %d%s", WTERMSIG(status),
				    WTERMSIG(status) == SIGALRM ? " (time-out)" : "");
		else
			attack_note(run, "the run exited with status %d", WEXITSTATUS(status));
		return AR_CRASHED;
	}
	*run = m.run;
	run->evidence[sizeof(run->evidence) - 1] = '\0';
	return (enum attack_result)m.result;
}
