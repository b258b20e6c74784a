/*
 * completion.c: futex-backed one-shot completions that waiters may keep
 * on their stack, plus the process-wide spin-before-sleep knob and spin
 * helper shared with the workqueue.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libfrog/completion.h"

// State machine of completion.state.  The only transitions are
//   PENDING  -> SLEEPING   (a waiter is about to FUTEX_WAIT)
//   PENDING  -> DONE       (complete(), nobody asleep)
//   SLEEPING -> DONE       (complete(), must FUTEX_WAKE)
//   DONE     -> PENDING    (reinit_completion(), nobody around)
enum {
	COMPLETION_PENDING	= 0,
	COMPLETION_DONE		= 1,
	COMPLETION_SLEEPING	= 2,
};

_Static_assert(sizeof(atomic_int) == sizeof(int),
	       "futex word must be a plain int");

static long futex_op(atomic_int *addr, int op, int val)
{
	return syscall(SYS_futex, (int *)addr, op, val, NULL, NULL, 0);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- spin knob ---- */

#define SPIN_UNSET	UINT_MAX

static atomic_uint spin_us_knob = SPIN_UNSET;

static unsigned int spin_clamp(unsigned long us)
{
	return us > COMPLETION_SPIN_MAX_US ? COMPLETION_SPIN_MAX_US :
					     (unsigned int)us;
}

static unsigned int spin_initial(void)
{
	const char *env = getenv("LIBFROG_COMPLETION_SPIN");
	char *end;
	unsigned long us;

	if (env && *env) {
		errno = 0;
		us = strtoul(env, &end, 10);
		if (!errno && *end == '\0')
			return spin_clamp(us);
		// Unparsable values fall back to the default.
	}
	// Spinning only helps when the completer runs on another CPU.
	if (sysconf(_SC_NPROCESSORS_ONLN) <= 1)
		return 0;
	return COMPLETION_SPIN_DEFAULT_US;
}

unsigned int completion_spin_us(void)
{
	unsigned int us = atomic_load_explicit(&spin_us_knob,
					       memory_order_relaxed);
	unsigned int expected = SPIN_UNSET;

	if (us != SPIN_UNSET)
		return us;
	us = spin_initial();
	// Lose gracefully to a concurrent completion_set_spin_us().
	if (!atomic_compare_exchange_strong(&spin_us_knob, &expected, us))
		us = expected;
	return us;
}

unsigned int completion_set_spin_us(unsigned int us)
{
	unsigned int old = completion_spin_us();

	atomic_store_explicit(&spin_us_knob, spin_clamp(us),
			      memory_order_relaxed);
	return old;
}

/* ---- completions ---- */

void init_completion(struct completion *c)
{
	atomic_init(&c->state, COMPLETION_PENDING);
}

void reinit_completion(struct completion *c)
{
	atomic_store_explicit(&c->state, COMPLETION_PENDING,
			      memory_order_relaxed);
}

bool completion_done(struct completion *c)
{
	return atomic_load_explicit(&c->state, memory_order_acquire) ==
	       COMPLETION_DONE;
}

// Why complete() is safe against the waiter freeing *c right after it wakes:
//
// Invariant: the atomic exchange that publishes DONE is complete()'s last
// access to the memory of *c.  A waiter returns only after it has read
// DONE, hence only after that exchange; whatever complete() does afterwards
// must not dereference c.  The one thing it does afterwards is FUTEX_WAKE,
// and only if a waiter announced SLEEPING.  For a private futex the kernel
// uses the address purely as a hash key (mm, address): it never reads or
// writes the word, and an unmapped address just yields EFAULT, which we
// ignore.  If the memory has meanwhile been reused for another futex word
// (typically the waiter's next completion at the same stack address), its
// waiters get a spurious wake-up; every futex user must tolerate those
// (wait_for_completion() re-checks the state in a loop, as glibc's own
// primitives do).
//
// No lost wake-ups: a waiter sleeps only via FUTEX_WAIT(SLEEPING), which
// the kernel checks atomically against the current value.  SLEEPING can
// only be left by complete()'s exchange, which then sees SLEEPING and
// wakes every waiter queued on the word; if the exchange came first, the
// FUTEX_WAIT sees DONE and returns immediately.
void complete(struct completion *c)
{
	atomic_int *word = &c->state;
	int old;

	old = atomic_exchange_explicit(word, COMPLETION_DONE,
				       memory_order_acq_rel);
	// From here on, c may be gone: use only the saved address, as a key.
	if (old == COMPLETION_SLEEPING)
		futex_op(word, FUTEX_WAKE_PRIVATE, INT_MAX);
}

// Spin-before-sleep shared by completion waiters and idle workers.
//
// The first half microsecond polls with a pause instruction between
// reads: the cheapest way to catch a quick completer on another CPU.
// After that, each poll also calls sched_yield(), because the thread we
// wait for may be runnable on *this* CPU (the scheduler likes to put a
// waker and its wakee together, and on a 2-CPU box it usually does); a
// pure busy-wait would burn the whole budget before it could run, making
// every round trip slower than sleeping.  Measured on 2 vCPUs: pause-only
// spinning of 2 us cost 8.4 us per co-located round trip, 0.5 us then
// yields 4.6 us, sleeping at once 4.4 us.
#define SPIN_PAUSE_NS	500

bool frog_spin_until(bool (*ready)(void *arg), void *arg)
{
	unsigned int us = completion_spin_us();
	uint64_t start, now;
	unsigned int i;

	if (!us)
		return false;
	start = mono_ns();
	for (;;) {
		// Poll a few times between clock reads; a vDSO clock read
		// costs about as much as a handful of pause instructions.
		for (i = 0; i < 16; i++) {
			if (ready(arg))
				return true;
			frog_cpu_relax();
		}
		now = mono_ns();
		if (now - start >= (uint64_t)us * 1000)
			return false;
		if (now - start >= SPIN_PAUSE_NS)
			sched_yield();
	}
}

static bool completion_ready(void *arg)
{
	return completion_done(arg);
}

void wait_for_completion(struct completion *c)
{
	int state;

	if (completion_done(c) || frog_spin_until(completion_ready, c))
		return;

	for (;;) {
		state = atomic_load_explicit(&c->state, memory_order_acquire);
		if (state == COMPLETION_DONE)
			return;
		if (state == COMPLETION_PENDING &&
		    !atomic_compare_exchange_weak_explicit(&c->state, &state,
				COMPLETION_SLEEPING, memory_order_acquire,
				memory_order_acquire))
			continue;	/* state changed under us: re-check */
		// Returns at once if the word is no longer SLEEPING; EINTR
		// and spurious wake-ups just go round the loop again.
		futex_op(&c->state, FUTEX_WAIT_PRIVATE, COMPLETION_SLEEPING);
	}
}
