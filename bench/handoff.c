/*
 * handoff.c: hand-off latency benchmark.  Times one round trip of the
 * allocation offload pattern -- queue a work item carrying an on-stack
 * completion, let a worker run it, wait for the completion -- with the
 * completion / idle-worker spin on and off, and compare with calling the
 * work inline.
 *
 * usage: handoff [iterations [workers]]   (defaults 10000 and 1)
 * output: one line per mode,
 *   handoff spin=on spin_us=N median_us=X p90_us=Y iterations=I
 *   handoff spin=off spin_us=0 median_us=X p90_us=Y iterations=I
 *   handoff spin=on spin_us=N cpus=split median_us=X p90_us=Y iterations=I
 *   handoff spin=off spin_us=0 cpus=split median_us=X p90_us=Y iterations=I
 *   inline call median_us=X p90_us=Y iterations=I
 * The first two leave thread placement to the scheduler, which tends to
 * put caller and worker on the same CPU; the cpus=split lines pin the
 * caller to one CPU and every worker to another (skipped with one CPU or
 * when pinning is not allowed).
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libfrog/completion.h"
#include "libfrog/task.h"
#include "libfrog/workqueue.h"

#define DEFAULT_ITERATIONS	10000
#define WARMUP			500

struct handoff {
	struct work_item	work;
	struct completion	done;
	unsigned long		input;
	unsigned long		result;
};

// A stand-in for a short allocation: enter the transaction scope, do a
// little arithmetic, publish the result.
static void handoff_fn(struct work_item *w)
{
	struct handoff *h = (struct handoff *)((char *)w -
					       offsetof(struct handoff, work));
	unsigned int saved;

	current_set_flags_nested(&saved, PF_FSTRANS);
	h->result = h->input * 2654435761UL;
	current_restore_flags_nested(&saved, PF_FSTRANS);
	complete(&h->done);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *label, uint64_t *ns, unsigned int n)
{
	qsort(ns, n, sizeof(*ns), cmp_u64);
	printf("%s median_us=%.3f p90_us=%.3f iterations=%u\n", label,
	       ns[n / 2] / 1000.0, ns[(n * 9) / 10] / 1000.0, n);
	fflush(stdout);
}

/* One timed round trip through @wq (or inline if @wq is NULL). */
static int round_trip(struct workqueue *wq, unsigned long i, uint64_t *ns)
{
	struct handoff h = { .work.fn = handoff_fn, .input = i };
	uint64_t start;
	int error;

	init_completion(&h.done);
	start = now_ns();
	if (wq) {
		error = workqueue_add(wq, &h.work);
		if (error)
			return error;
	} else {
		handoff_fn(&h.work);
	}
	wait_for_completion(&h.done);
	*ns = now_ns() - start;
	return h.result == i * 2654435761UL ? 0 : -EIO;
}

static int run_mode(struct workqueue *wq, const char *label, uint64_t *ns,
		    unsigned int n)
{
	uint64_t dummy;
	unsigned int i;
	int error;

	for (i = 0; i < WARMUP; i++) {
		error = round_trip(wq, i, &dummy);
		if (error)
			return error;
	}
	for (i = 0; i < n; i++) {
		error = round_trip(wq, i, &ns[i]);
		if (error)
			return error;
	}
	report(label, ns, n);
	return 0;
}

struct pin_work {
	struct work_item	work;
	struct completion	done;
	struct completion	*release;	/* hold the worker until all pinned */
	int			cpu;
	int			error;
};

// Pinning state.  The pin items block their workers on release, so it
// must outlive them: it is freed only after workqueue_destroy().
struct pin_state {
	struct completion	release;
	unsigned int		nr;
	struct pin_work		items[];
};

static void pin_fn(struct work_item *w)
{
	struct pin_work *p = (struct pin_work *)((char *)w -
					       offsetof(struct pin_work, work));
	struct completion *release = p->release;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	p->error = sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
	complete(&p->done);
	wait_for_completion(release);
}

// Pin the caller to the first allowed CPU and each worker to the second:
// one item per worker, each holding its worker until all are pinned so
// that no worker takes two.  Returns 0 or a negative errno.
static int pin_split(struct workqueue *wq, struct pin_state *ps,
		     cpu_set_t *orig)
{
	int cpus[2], n = 0, cpu, error = 0;
	unsigned int i, queued = 0;
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(*orig), orig))
		return -errno;
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++)
		if (CPU_ISSET(cpu, orig))
			cpus[n++] = cpu;
	if (n < 2)
		return -ENODEV;

	init_completion(&ps->release);
	for (i = 0; i < ps->nr; i++) {
		ps->items[i].work.fn = pin_fn;
		ps->items[i].release = &ps->release;
		ps->items[i].cpu = cpus[1];
		init_completion(&ps->items[i].done);
		error = workqueue_add(wq, &ps->items[i].work);
		if (error)
			break;
		queued++;
	}
	for (i = 0; i < queued; i++) {
		wait_for_completion(&ps->items[i].done);
		if (ps->items[i].error && !error)
			error = ps->items[i].error;
	}
	complete(&ps->release);

	CPU_ZERO(&set);
	CPU_SET(cpus[0], &set);
	if (!error && sched_setaffinity(0, sizeof(set), &set))
		error = -errno;
	return error;
}

static int parse_uint(const char *s, unsigned int *val)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 100000000UL)
		return -EINVAL;
	*val = (unsigned int)v;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int iterations = DEFAULT_ITERATIONS, workers = 1;
	unsigned int spin_us;
	struct pin_state *ps = NULL;
	struct workqueue wq;
	cpu_set_t orig;
	char label[96];
	uint64_t *ns;
	int error;

	if (argc > 3 || (argc > 1 && parse_uint(argv[1], &iterations)) ||
	    (argc > 2 && parse_uint(argv[2], &workers))) {
		fprintf(stderr, "usage: %s [iterations [workers]]\n", argv[0]);
		return 2;
	}
	ns = calloc(iterations, sizeof(*ns));
	ps = calloc(1, sizeof(*ps) + workers * sizeof(ps->items[0]));
	if (!ns || !ps) {
		fprintf(stderr, "handoff: out of memory\n");
		free(ns);
		free(ps);
		return 1;
	}
	ps->nr = workers;
	error = workqueue_create(&wq, "handoff", workers, 64, WQ_RESCUER);
	if (error) {
		fprintf(stderr, "handoff: workqueue_create: %s\n",
			strerror(-error));
		free(ns);
		free(ps);
		return 1;
	}

	// With spin: the configured budget, or the default if it is off.
	spin_us = completion_spin_us();
	if (!spin_us)
		spin_us = COMPLETION_SPIN_DEFAULT_US;

	completion_set_spin_us(spin_us);
	snprintf(label, sizeof(label), "handoff spin=on spin_us=%u", spin_us);
	error = run_mode(&wq, label, ns, iterations);
	if (!error) {
		completion_set_spin_us(0);
		error = run_mode(&wq, "handoff spin=off spin_us=0", ns,
				 iterations);
	}

	if (!error) {
		int pin_error = pin_split(&wq, ps, &orig);

		if (!pin_error) {
			completion_set_spin_us(spin_us);
			snprintf(label, sizeof(label),
				 "handoff spin=on spin_us=%u cpus=split",
				 spin_us);
			error = run_mode(&wq, label, ns, iterations);
			if (!error) {
				completion_set_spin_us(0);
				error = run_mode(&wq,
					"handoff spin=off spin_us=0 cpus=split",
					ns, iterations);
			}
			sched_setaffinity(0, sizeof(orig), &orig);
		} else {
			printf("# cpus=split skipped: %s\n",
			       strerror(-pin_error));
		}
	}

	if (!error)
		error = run_mode(NULL, "inline call", ns, iterations);

	workqueue_destroy(&wq);
	free(ps);
	free(ns);
	if (error) {
		fprintf(stderr, "handoff: %s\n", strerror(-error));
		return 1;
	}
	return 0;
}
