/*
 * completion.h: one-shot completions, modelled on the kernel's.  A waiter
 * declares a struct completion (usually on its own stack), hands it to
 * another thread with some work, and sleeps in wait_for_completion() until
 * that thread calls complete().  complete() releases every waiter and the
 * completion stays done until reinit_completion().
 *
 * Lifetime rule: the completer may touch the completion only until its
 * call to complete() returns -- and complete() itself stops touching it
 * at the instant the waiter can see it done -- so the waiter may free or
 * reuse the memory (return from the stack frame) as soon as
 * wait_for_completion() returns.  With several waiters, the memory must
 * outlive all of them (each re-reads the state as it wakes).
 *
 * Waiters spin for a short, bounded time before sleeping on a futex, which
 * saves two context switches when the completer is quick.  The spin budget
 * is one process-wide knob, also used by idle workqueue workers: set it
 * with completion_set_spin_us() or with the environment variable
 * LIBFROG_COMPLETION_SPIN=<microseconds> (0 disables spinning).
 */
#ifndef LIBFROG_COMPLETION_H_
#define LIBFROG_COMPLETION_H_

#include <stdatomic.h>
#include <stdbool.h>

struct completion {
	atomic_int	state;		/* private: COMPLETION_* in completion.c */
};

#define COMPLETION_INITIALIZER		{ .state = 0 }
#define DECLARE_COMPLETION_ONSTACK(name) \
	struct completion name = COMPLETION_INITIALIZER

/* Make @c pending (not done, no waiters). */
void init_completion(struct completion *c);

/*
 * Make @c pending again after it completed.  Nobody may be waiting on it
 * or about to complete it.
 */
void reinit_completion(struct completion *c);

/*
 * Mark @c done and wake all its waiters.  Memory writes made before
 * complete() are visible to a waiter once its wait returns.  Calling it
 * again before reinit_completion() is harmless.
 */
void complete(struct completion *c);

/* Same as complete(): every waiter is woken. */
static inline void complete_all(struct completion *c)
{
	complete(c);
}

/* Sleep (after a brief spin) until @c is done.  Returns at once if it is. */
void wait_for_completion(struct completion *c);

/* Has @c been completed?  Never blocks; true implies the data is visible. */
bool completion_done(struct completion *c);

/* Default spin budget on machines with more than one CPU. */
#define COMPLETION_SPIN_DEFAULT_US	20U
/* Budgets are clamped to this. */
#define COMPLETION_SPIN_MAX_US		10000U

/*
 * Current spin-before-sleep budget in microseconds (0: sleep at once).
 * The first call reads LIBFROG_COMPLETION_SPIN; on a single-CPU machine
 * the default is 0.
 */
unsigned int completion_spin_us(void);

/* Set the spin budget (clamped); returns the previous one. */
unsigned int completion_set_spin_us(unsigned int us);

/*
 * Poll @ready(@arg) for up to the spin budget; true as soon as it returns
 * true, false once the budget is spent (or is 0).  Used by the hand-off
 * path before it goes to sleep.
 */
bool frog_spin_until(bool (*ready)(void *arg), void *arg);

/* Tell the CPU we are busy-waiting (pause / yield instruction). */
static inline void frog_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

#endif /* LIBFROG_COMPLETION_H_ */
