/*
 * test_workqueue.c: unit test for libfrog/completion and
 * libfrog/workqueue: completions (spin and futex paths, waiter freeing the
 * completion at once), work run exactly once, results handed back through
 * on-stack completions, task flags isolated per item, the rescuer (no
 * worker could start; head item stuck behind a blocked worker), the queue
 * bound, shutdown rules and a multi-producer stress run meant for
 * TSan/ASan builds.  Prints "ok - ..." / "not ok - ..." per check and exits
 * non-zero on failure.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
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

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

static int nr_checks;
static int nr_failed;

static void __attribute__((format(printf, 2, 3)))
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	nr_checks++;
	if (!ok)
		nr_failed++;
	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_us(unsigned int us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (long)(us % 1000000) * 1000,
	};

	nanosleep(&ts, NULL);
}

/* ---- completions ---- */

static void test_completion_knob(void)
{
	unsigned int old;

	// Runs first, before anything has read the knob.
	setenv("LIBFROG_COMPLETION_SPIN", "7", 1);
	check(completion_spin_us() == 7,
	      "LIBFROG_COMPLETION_SPIN sets the spin budget");
	old = completion_set_spin_us(0);
	check(old == 7 && completion_spin_us() == 0,
	      "completion_set_spin_us returns the old budget and switches spin off");
	completion_set_spin_us(~0U);
	check(completion_spin_us() == COMPLETION_SPIN_MAX_US,
	      "spin budget is clamped");
	completion_set_spin_us(COMPLETION_SPIN_DEFAULT_US);
	unsetenv("LIBFROG_COMPLETION_SPIN");
}

static void test_completion_local(void)
{
	DECLARE_COMPLETION_ONSTACK(c);

	check(!completion_done(&c), "on-stack completion starts pending");
	complete(&c);
	check(completion_done(&c), "complete marks it done");
	wait_for_completion(&c);
	complete(&c);
	wait_for_completion(&c);
	check(completion_done(&c), "wait on a done completion returns; double complete is harmless");
	reinit_completion(&c);
	check(!completion_done(&c), "reinit_completion makes it pending again");
	init_completion(&c);
	check(!completion_done(&c), "init_completion makes it pending");
}

struct delayed_complete {
	struct completion	*c;
	unsigned int		delay_us;
	int			*result;
	int			value;
};

static void *delayed_complete_fn(void *arg)
{
	struct delayed_complete *dc = arg;

	sleep_us(dc->delay_us);
	*dc->result = dc->value;
	complete(dc->c);
	return NULL;
}

struct multi_waiter {
	struct completion	*c;
	int			*shared;
	int			seen;
};

static void *multi_waiter_fn(void *arg)
{
	struct multi_waiter *mw = arg;

	wait_for_completion(mw->c);
	mw->seen = *mw->shared;
	return NULL;
}

static void test_completion_threads(void)
{
	unsigned int spins[] = { 0, COMPLETION_SPIN_DEFAULT_US, 5000 };
	struct multi_waiter mw[3];
	pthread_t t, tw[3];
	unsigned int i;
	int shared = 0;
	bool all;

	for (i = 0; i < 3; i++) {
		DECLARE_COMPLETION_ONSTACK(c);
		int result = 0;
		struct delayed_complete dc = {
			.c = &c, .delay_us = 3000, .result = &result,
			.value = 42 + (int)i,
		};

		completion_set_spin_us(spins[i]);
		pthread_create(&t, NULL, delayed_complete_fn, &dc);
		wait_for_completion(&c);
		check(result == 42 + (int)i,
		      "waiter (spin %u us) wakes and sees the completer's result",
		      spins[i]);
		pthread_join(t, NULL);
	}
	completion_set_spin_us(0);

	{
		DECLARE_COMPLETION_ONSTACK(c);

		for (i = 0; i < 3; i++) {
			mw[i] = (struct multi_waiter){ .c = &c, .shared = &shared };
			pthread_create(&tw[i], NULL, multi_waiter_fn, &mw[i]);
		}
		sleep_us(5000);
		shared = 7;
		complete(&c);
		all = true;
		for (i = 0; i < 3; i++) {
			pthread_join(tw[i], NULL);
			all &= mw[i].seen == 7;
		}
		check(all, "one complete wakes every waiter");
	}
	completion_set_spin_us(COMPLETION_SPIN_DEFAULT_US);
}

// The waiter frees the heap block holding the completion as soon as it
// wakes; ASan / TSan flag any access complete() made after that point.
struct freed_after_wait {
	struct work_item	work;
	struct completion	done;
	unsigned int		value;
};

static void freed_after_wait_fn(struct work_item *w)
{
	struct freed_after_wait *f = container_of(w, struct freed_after_wait,
						  work);

	f->value *= 2;
	complete(&f->done);
}

static void test_completion_free_after_wait(void)
{
	struct workqueue wq;
	unsigned int i, bad = 0;
	int error;

	error = workqueue_create(&wq, "freewait", 1, 4, 0);
	check(error == 0, "create queue for free-after-wait test");
	if (error)
		return;
	for (i = 0; i < 3000; i++) {
		struct freed_after_wait *f = malloc(sizeof(*f));

		if (!f) {
			bad++;
			break;
		}
		// Alternate: futex sleep path and spin path.
		completion_set_spin_us(i & 1 ? COMPLETION_SPIN_DEFAULT_US : 0);
		f->work.fn = freed_after_wait_fn;
		init_completion(&f->done);
		f->value = i;
		if (workqueue_add(&wq, &f->work)) {
			free(f);
			bad++;
			break;
		}
		wait_for_completion(&f->done);
		if (f->value != 2 * i)
			bad++;
		free(f);
	}
	completion_set_spin_us(COMPLETION_SPIN_DEFAULT_US);
	workqueue_destroy(&wq);
	check(bad == 0, "3000 waiters freed their completion right after waking");
}

/* ---- basic workqueue behaviour ---- */

struct counted {
	struct work_item	work;
	atomic_uint		runs;
};

static void counted_fn(struct work_item *w)
{
	struct counted *c = container_of(w, struct counted, work);

	atomic_fetch_add(&c->runs, 1);
}

static void test_create_args(void)
{
	struct workqueue wq;
	struct workqueue_stats st;
	struct work_item none = { 0 };
	int error;

	check(workqueue_create(&wq, "bad", 0, 0, 0) == -EINVAL,
	      "zero workers without a rescuer is -EINVAL");
	check(workqueue_create(&wq, "bad", 1, 0, 0x80) == -EINVAL,
	      "unknown flags are -EINVAL");

	error = workqueue_create(&wq, "basic", 4, 64, 0);
	check(error == 0, "create 4 workers");
	if (error)
		return;
	workqueue_get_stats(&wq, &st);
	check(st.workers_started == 4 && !st.has_rescuer && st.items_run == 0,
	      "stats: 4 workers started, no rescuer, nothing run");
	check(workqueue_add(&wq, &none) == -EINVAL, "adding an item without fn is -EINVAL");
	check(workqueue_terminate(&wq) == 0, "terminate");
	check(workqueue_terminate(&wq) == 0, "terminate again is a no-op");
	{
		struct counted late = { .work.fn = counted_fn };

		check(workqueue_add(&wq, &late.work) == -ESHUTDOWN,
		      "add after terminate is -ESHUTDOWN");
	}
	workqueue_destroy(&wq);
}

#define NR_ONCE		10000

static void run_exactly_once(const char *what, unsigned int nr_workers,
			     unsigned int flags, unsigned int delay_us)
{
	struct counted *items = calloc(NR_ONCE, sizeof(*items));
	struct workqueue wq;
	struct workqueue_stats st;
	unsigned int i, once = 0, adds_failed = 0;
	int error;

	if (!items) {
		check(false, "%s: allocate items", what);
		return;
	}
	error = workqueue_create(&wq, "once", nr_workers, 64, flags);
	check(error == 0, "%s: create", what);
	if (error) {
		free(items);
		return;
	}
	if (delay_us)
		workqueue_set_rescue_delay_us(&wq, delay_us);
	for (i = 0; i < NR_ONCE; i++) {
		items[i].work.fn = counted_fn;
		atomic_init(&items[i].runs, 0);
		if (workqueue_add(&wq, &items[i].work))
			adds_failed++;
	}
	check(workqueue_terminate(&wq) == 0, "%s: terminate drains", what);
	for (i = 0; i < NR_ONCE; i++)
		once += atomic_load(&items[i].runs) == 1;
	workqueue_get_stats(&wq, &st);
	check(adds_failed == 0 && once == NR_ONCE,
	      "%s: all %d items ran exactly once", what, NR_ONCE);
	check(st.items_run == NR_ONCE,
	      "%s: items_run counter is %d (rescued %llu)", what, NR_ONCE,
	      (unsigned long long)st.items_rescued);
	workqueue_destroy(&wq);
	free(items);
}

struct result_work {
	struct work_item	work;
	struct completion	done;
	long			input;
	long			result;
};

static void result_fn(struct work_item *w)
{
	struct result_work *r = container_of(w, struct result_work, work);

	r->result = r->input * 3 + 1;
	complete(&r->done);
}

static void test_result_handoff(void)
{
	struct workqueue wq;
	unsigned int i, good = 0;
	int error;

	error = workqueue_create(&wq, "result", 2, 8, WQ_RESCUER);
	check(error == 0, "create queue for result hand-off");
	if (error)
		return;
	for (i = 0; i < 200; i++) {
		struct result_work r = { .work.fn = result_fn, .input = i,
					 .result = -1 };

		init_completion(&r.done);
		if (workqueue_add(&wq, &r.work))
			continue;
		wait_for_completion(&r.done);
		good += r.result == (long)i * 3 + 1;
	}
	check(good == 200, "caller reads the worker's result after waiting (200 round trips)");
	workqueue_destroy(&wq);
}

/* ---- task flags inside work ---- */

#define CALLER_BIT	(1U << 9)
#define ITEM_BIT	(1U << 12)

struct flags_work {
	struct work_item	work;
	struct completion	done;
	unsigned int		at_entry;
	unsigned int		in_outer;
	unsigned int		in_inner;
	unsigned int		after_inner;
	unsigned int		after_outer;
	bool			reclaim_inside;
	bool			reclaim_after;
	bool			leak;		/* leave PF_FSTRANS set */
};

static void flags_fn(struct work_item *w)
{
	struct flags_work *f = container_of(w, struct flags_work, work);
	unsigned int outer, inner;

	f->at_entry = current_task()->flags;
	current_set_flags(ITEM_BIT);		/* unrelated bit */
	current_set_flags_nested(&outer, PF_FSTRANS);
	f->in_outer = current_task()->flags;
	current_set_flags_nested(&inner, PF_FSTRANS | PF_MEMALLOC);
	f->in_inner = current_task()->flags;
	f->reclaim_inside = current_may_fs_reclaim();
	current_restore_flags_nested(&inner, PF_FSTRANS | PF_MEMALLOC);
	f->after_inner = current_task()->flags;
	current_restore_flags_nested(&outer, PF_FSTRANS);
	f->after_outer = current_task()->flags;
	f->reclaim_after = current_may_fs_reclaim();
	if (f->leak)
		current_set_flags(PF_FSTRANS);
	complete(&f->done);
}

static void test_flags_in_work(void)
{
	struct workqueue wq;
	struct flags_work f = { .work.fn = flags_fn, .leak = true };
	struct flags_work g = { .work.fn = flags_fn };
	unsigned int caller_flags;
	int error;

	error = workqueue_create(&wq, "flags", 1, 4, 0);
	check(error == 0, "create single-worker queue for flag tests");
	if (error)
		return;

	current_set_flags(CALLER_BIT | PF_MEMALLOC);
	caller_flags = current_task()->flags;

	init_completion(&f.done);
	workqueue_add(&wq, &f.work);
	wait_for_completion(&f.done);
	check(f.at_entry == 0, "worker starts the item with clean flags");
	check(f.in_outer == (ITEM_BIT | PF_FSTRANS),
	      "outer nested set: PF_FSTRANS on, unrelated bit kept");
	check(f.in_inner == (ITEM_BIT | PF_FSTRANS | PF_MEMALLOC) &&
	      !f.reclaim_inside,
	      "inner nested set: both bits on, fs reclaim refused");
	check(f.after_inner == (ITEM_BIT | PF_FSTRANS),
	      "inner restore drops only PF_MEMALLOC");
	check(f.after_outer == ITEM_BIT && f.reclaim_after,
	      "outer restore drops PF_FSTRANS, unrelated bit untouched");
	check(current_task()->flags == caller_flags,
	      "flags set in the work did not leak to the caller");

	// f left PF_FSTRANS set on the (only) worker; g must not see it.
	init_completion(&g.done);
	workqueue_add(&wq, &g.work);
	wait_for_completion(&g.done);
	check(g.at_entry == 0,
	      "flags leaked by a previous item are wiped before the next");

	current_clear_flags(CALLER_BIT | PF_MEMALLOC);
	workqueue_destroy(&wq);
}

/* ---- is-worker query ---- */

struct who_work {
	struct work_item	work;
	struct completion	done;
	const struct workqueue	*mine;
	const struct workqueue	*other;
	bool			is_mine;
	bool			is_other;
	int			terminate_ret;
};

static void who_fn(struct work_item *w)
{
	struct who_work *ww = container_of(w, struct who_work, work);

	ww->is_mine = workqueue_current_is_worker(ww->mine);
	ww->is_other = workqueue_current_is_worker(ww->other);
	ww->terminate_ret = workqueue_terminate((struct workqueue *)ww->mine);
	complete(&ww->done);
}

static void test_current_is_worker(void)
{
	struct workqueue a, b;
	struct who_work ww = { .work.fn = who_fn, .mine = &a, .other = &b };
	int error;

	error = workqueue_create(&a, "who-a", 1, 4, 0);
	if (!error) {
		error = workqueue_create(&b, "who-b", 1, 4, 0);
		if (error)
			workqueue_destroy(&a);
	}
	check(error == 0, "create two queues for is-worker test");
	if (error)
		return;
	check(!workqueue_current_is_worker(&a) && !workqueue_current_is_worker(NULL),
	      "main thread is not a worker");
	init_completion(&ww.done);
	workqueue_add(&a, &ww.work);
	wait_for_completion(&ww.done);
	check(ww.is_mine, "an item knows it runs on its own queue's worker");
	check(!ww.is_other, "... and not on another queue's");
	check(ww.terminate_ret == -EDEADLK,
	      "workqueue_terminate from the queue's own worker is -EDEADLK");
	workqueue_destroy(&b);
	workqueue_destroy(&a);
}

/* ---- rescuer ---- */

static atomic_uint hook_calls;

static int fail_workers_hook(const char *name, bool rescuer, unsigned int idx)
{
	atomic_fetch_add(&hook_calls, 1);
	return rescuer ? 0 : -EAGAIN;
}

static int fail_rescuer_hook(const char *name, bool rescuer, unsigned int idx)
{
	return rescuer ? -ENOMEM : 0;
}

static int fail_odd_workers_hook(const char *name, bool rescuer,
				 unsigned int idx)
{
	return !rescuer && (idx & 1) ? -EAGAIN : 0;
}

#define NR_RESCUE	2000

static void test_rescuer_no_workers(void)
{
	struct counted *items = calloc(NR_RESCUE, sizeof(*items));
	struct workqueue wq;
	struct workqueue_stats st;
	unsigned int i, once = 0;
	int error;

	if (!items) {
		check(false, "allocate rescue items");
		return;
	}
	workqueue_set_thread_create_hook(fail_workers_hook);

	error = workqueue_create(&wq, "nowork", 4, 0, 0);
	check(error == -EAGAIN,
	      "without WQ_RESCUER, create fails with the thread error when no worker starts (%d)",
	      error);

	atomic_store(&hook_calls, 0);
	error = workqueue_create(&wq, "rescueonly", 4, 16, WQ_RESCUER);
	workqueue_set_thread_create_hook(NULL);
	check(error == 0, "with WQ_RESCUER, create succeeds although every worker failed");
	if (error) {
		free(items);
		return;
	}
	workqueue_get_stats(&wq, &st);
	check(st.workers_started == 0 && st.has_rescuer &&
	      atomic_load(&hook_calls) == 5,
	      "no worker started, the rescuer did (hook saw 1 rescuer + 4 workers)");

	{
		struct who_work ww = { .work.fn = who_fn, .mine = &wq,
				       .other = NULL };
		struct result_work r = { .work.fn = result_fn, .input = 5 };

		init_completion(&ww.done);
		workqueue_add(&wq, &ww.work);
		wait_for_completion(&ww.done);
		check(ww.is_mine, "the rescuer counts as the queue's worker");

		init_completion(&r.done);
		workqueue_add(&wq, &r.work);
		wait_for_completion(&r.done);
		check(r.result == 16, "queue-and-wait works through the rescuer alone");
	}

	for (i = 0; i < NR_RESCUE; i++) {
		items[i].work.fn = counted_fn;
		atomic_init(&items[i].runs, 0);
		workqueue_add(&wq, &items[i].work);
	}
	workqueue_terminate(&wq);
	for (i = 0; i < NR_RESCUE; i++)
		once += atomic_load(&items[i].runs) == 1;
	workqueue_get_stats(&wq, &st);
	check(once == NR_RESCUE, "all %d queued items ran exactly once via the rescuer",
	      NR_RESCUE);
	check(st.items_rescued > 0 && st.items_rescued == st.items_run,
	      "rescued counter %llu > 0 and equals items run",
	      (unsigned long long)st.items_rescued);
	workqueue_destroy(&wq);
	free(items);

	workqueue_set_thread_create_hook(fail_rescuer_hook);
	error = workqueue_create(&wq, "norescuer", 2, 0, WQ_RESCUER);
	workqueue_set_thread_create_hook(NULL);
	check(error == -ENOMEM, "create fails if the rescuer itself cannot start");

	workqueue_set_thread_create_hook(fail_odd_workers_hook);
	error = workqueue_create(&wq, "half", 4, 0, 0);
	workqueue_set_thread_create_hook(NULL);
	check(error == 0, "create succeeds when some workers fail");
	if (!error) {
		workqueue_get_stats(&wq, &st);
		check(st.workers_started == 2, "workers_started reports 2 of 4");
		workqueue_destroy(&wq);
	}
}

// Item A blocks the only worker until item B, queued behind it, runs.
// Only the rescuer can run B.
struct gate_work {
	struct work_item	work;
	struct completion	started;
	struct completion	*gate;
	struct completion	done;
};

static void gate_wait_fn(struct work_item *w)
{
	struct gate_work *g = container_of(w, struct gate_work, work);

	complete(&g->started);
	wait_for_completion(g->gate);
	complete(&g->done);
}

static void gate_open_fn(struct work_item *w)
{
	struct gate_work *g = container_of(w, struct gate_work, work);

	complete(g->gate);
	complete(&g->done);
}

static void test_rescuer_stuck_worker(void)
{
	struct workqueue wq;
	struct workqueue_stats st;
	DECLARE_COMPLETION_ONSTACK(gate);
	struct gate_work a = { .work.fn = gate_wait_fn, .gate = &gate };
	struct gate_work b = { .work.fn = gate_open_fn, .gate = &gate };
	uint64_t start;
	int error;

	error = workqueue_create(&wq, "stuck", 1, 4, WQ_RESCUER);
	check(error == 0, "create 1 worker + rescuer");
	if (error)
		return;
	init_completion(&a.started);
	init_completion(&a.done);
	init_completion(&b.started);
	init_completion(&b.done);
	start = now_ns();
	workqueue_add(&wq, &a.work);
	wait_for_completion(&a.started);
	workqueue_add(&wq, &b.work);
	wait_for_completion(&a.done);
	wait_for_completion(&b.done);
	workqueue_get_stats(&wq, &st);
	check(st.items_rescued >= 1,
	      "item stuck behind a blocked worker was rescued (%llu rescued, %.1f ms)",
	      (unsigned long long)st.items_rescued,
	      (now_ns() - start) / 1e6);
	workqueue_destroy(&wq);
}

/* ---- queue bound ---- */

struct producer_arg {
	struct workqueue	*wq;
	struct counted		*items;
	unsigned int		nr;
	atomic_uint		added;
	int			error;
};

static void *bounded_producer(void *arg)
{
	struct producer_arg *pa = arg;
	unsigned int i;

	for (i = 0; i < pa->nr; i++) {
		pa->error = workqueue_add(pa->wq, &pa->items[i].work);
		if (pa->error)
			break;
		atomic_fetch_add(&pa->added, 1);
	}
	return NULL;
}

static void test_bounded_add(void)
{
	struct workqueue wq;
	DECLARE_COMPLETION_ONSTACK(gate);
	struct gate_work a = { .work.fn = gate_wait_fn, .gate = &gate };
	struct counted items[3];
	struct producer_arg pa = { .wq = &wq, .items = items, .nr = 3 };
	pthread_t t;
	unsigned int i, once = 0;
	int error;

	error = workqueue_create(&wq, "bounded", 1, 2, 0);
	check(error == 0, "create 1 worker, bound 2, no rescuer");
	if (error)
		return;
	for (i = 0; i < 3; i++) {
		items[i].work.fn = counted_fn;
		atomic_init(&items[i].runs, 0);
	}
	init_completion(&a.started);
	init_completion(&a.done);
	workqueue_add(&wq, &a.work);
	wait_for_completion(&a.started);

	pthread_create(&t, NULL, bounded_producer, &pa);
	sleep_us(30000);
	check(atomic_load(&pa.added) == 2,
	      "third add blocks while 2 items are queued (added %u)",
	      atomic_load(&pa.added));
	complete(&gate);
	pthread_join(t, NULL);
	check(pa.error == 0 && atomic_load(&pa.added) == 3,
	      "blocked add proceeds once the worker frees a slot");
	workqueue_terminate(&wq);
	for (i = 0; i < 3; i++)
		once += atomic_load(&items[i].runs) == 1;
	check(once == 3 && completion_done(&a.done), "bounded queue ran everything once");
	workqueue_destroy(&wq);
}

/* ---- stress ---- */

#define NR_PRODUCERS	8
#define PER_PRODUCER	2500
#define BATCH		4

struct stress_work {
	struct work_item	work;
	struct completion	done;
	unsigned int		producer;
	unsigned int		seq;
	unsigned int		result;
	unsigned int		entry_flags;
};

static void stress_fn(struct work_item *w)
{
	struct stress_work *s = container_of(w, struct stress_work, work);
	unsigned int saved;

	s->entry_flags = current_task()->flags;
	current_set_flags_nested(&saved, PF_FSTRANS);
	s->result = s->producer * 100000 + s->seq;
	if (!(s->seq % 7))
		sched_yield();
	current_restore_flags_nested(&saved, PF_FSTRANS);
	complete(&s->done);
}

struct stress_producer {
	struct workqueue	*wq;
	unsigned int		id;
	unsigned int		good;
	unsigned int		errors;
};

static void *stress_producer_fn(void *arg)
{
	struct stress_producer *sp = arg;
	unsigned int seq = 0, i;

	current_set_flags(CALLER_BIT);
	while (seq < PER_PRODUCER) {
		struct stress_work batch[BATCH];
		unsigned int n = 0;

		for (i = 0; i < BATCH && seq < PER_PRODUCER; i++, seq++) {
			batch[i] = (struct stress_work){
				.work.fn = stress_fn, .producer = sp->id,
				.seq = seq, .result = ~0U, .entry_flags = ~0U,
			};
			init_completion(&batch[i].done);
			if (workqueue_add(sp->wq, &batch[i].work)) {
				sp->errors++;
				break;
			}
			n++;
		}
		for (i = 0; i < n; i++) {
			wait_for_completion(&batch[i].done);
			if (batch[i].result == sp->id * 100000 + batch[i].seq &&
			    batch[i].entry_flags == 0)
				sp->good++;
		}
	}
	if (current_task()->flags != CALLER_BIT)
		sp->errors++;
	return NULL;
}

static void test_stress(void)
{
	struct stress_producer sp[NR_PRODUCERS];
	pthread_t t[NR_PRODUCERS];
	struct workqueue wq;
	struct workqueue_stats st;
	unsigned int i, good = 0, errors = 0;
	uint64_t start;
	int error;

	error = workqueue_create(&wq, "stress", 3, 8, WQ_RESCUER);
	check(error == 0, "create stress queue (3 workers + rescuer, bound 8)");
	if (error)
		return;
	// A short rescue delay makes the rescuer race the workers too.
	workqueue_set_rescue_delay_us(&wq, 200);
	start = now_ns();
	for (i = 0; i < NR_PRODUCERS; i++) {
		sp[i] = (struct stress_producer){ .wq = &wq, .id = i };
		pthread_create(&t[i], NULL, stress_producer_fn, &sp[i]);
	}
	for (i = 0; i < NR_PRODUCERS; i++) {
		pthread_join(t[i], NULL);
		good += sp[i].good;
		errors += sp[i].errors;
	}
	workqueue_terminate(&wq);
	workqueue_get_stats(&wq, &st);
	check(errors == 0 && good == NR_PRODUCERS * PER_PRODUCER,
	      "stress: %u producers x %u items, every result correct (%.0f ms, %llu rescued)",
	      NR_PRODUCERS, PER_PRODUCER, (now_ns() - start) / 1e6,
	      (unsigned long long)st.items_rescued);
	check(st.items_run == NR_PRODUCERS * PER_PRODUCER,
	      "stress: items_run == %u", NR_PRODUCERS * PER_PRODUCER);
	workqueue_destroy(&wq);
}

int main(void)
{
	alarm(120);
	test_completion_knob();
	test_completion_local();
	test_completion_threads();
	test_completion_free_after_wait();

	test_create_args();
	run_exactly_once("4 workers", 4, 0, 0);
	run_exactly_once("2 workers + rescuer racing (1 us delay)", 2,
			 WQ_RESCUER, 1);
	test_result_handoff();
	test_flags_in_work();
	test_current_is_worker();
	test_rescuer_no_workers();
	test_rescuer_stuck_worker();
	test_bounded_add();
	test_stress();

	printf("# test_workqueue: %d checks, %d passed, %d failed\n",
	       nr_checks, nr_checks - nr_failed, nr_failed);
	return nr_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
