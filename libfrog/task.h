/*
 * task.h: per-thread task state, modelled on the kernel's `current`: a
 * thread-local struct task whose flags word records what the calling
 * thread is doing (inside a filesystem transaction, reclaiming
 * memory).  The buffer cache asks current_may_fs_reclaim() before writing
 * back or waiting on dirty buffers while it shrinks; allocation workers
 * set PF_FSTRANS around the work they run on behalf of a transaction.
 *
 * Every thread, including workqueue workers, starts with flags == 0.  The
 * state is strictly per thread: nothing set here is visible to, or
 * inherited by, any other thread.
 */
#ifndef LIBFROG_TASK_H_
#define LIBFROG_TASK_H_

#include <stdbool.h>

/*
 * Task flags.  Values are our own; only the names follow the kernel.
 *
 * PF_MEMALLOC:      the thread is itself reclaiming memory; reclaim must not
 *                   recurse into the filesystem from here.
 * PF_FSTRANS:       the thread is inside a filesystem transaction (or works
 *                   for one); reclaim may drop clean buffers only, never
 *                   write back or wait on dirty ones.
 * PF_MEMALLOC_NOFS: the modern name of PF_FSTRANS (same bit).
 */
#define PF_MEMALLOC		(1U << 0)
#define PF_FSTRANS		(1U << 1)
#define PF_MEMALLOC_NOFS	PF_FSTRANS

struct task {
	unsigned int	flags;		/* PF_* */
};

/* Storage for the calling thread's task; use current_task(). */
extern _Thread_local struct task libfrog_current_task;

/* The calling thread's task (the kernel's `current`). */
static inline struct task *current_task(void)
{
	return &libfrog_current_task;
}

/*
 * `current` names the calling thread's task, as in the kernel
 * (current->flags).  It is a function-like use of an object-like macro:
 * a variable or member spelled `current` fails to compile rather than
 * silently aliasing the task.
 */
#define current (current_task())

/* Return the subset of @flags that is set on the calling thread. */
static inline unsigned int current_test_flags(unsigned int flags)
{
	return current_task()->flags & flags;
}

/* Set / clear @flags unconditionally (no nesting; prefer the _nested pair). */
static inline void current_set_flags(unsigned int flags)
{
	current_task()->flags |= flags;
}

static inline void current_clear_flags(unsigned int flags)
{
	current_task()->flags &= ~flags;
}

/*
 * Set @flags on the calling thread, remembering in *@saved which of them
 * were already set.  Pair with current_restore_flags_nested() using the
 * same @flags; the pair may nest to any depth.
 */
void current_set_flags_nested(unsigned int *saved, unsigned int flags);

/*
 * Put the bits in @flags back to the state recorded in *@saved.  Bits
 * outside @flags are left exactly as they are now.
 */
void current_restore_flags_nested(unsigned int *saved, unsigned int flags);

/*
 * Enter a no-fs-reclaim scope; returns the previous PF_MEMALLOC_NOFS state
 * for memalloc_nofs_restore().  Scopes nest.
 */
unsigned int memalloc_nofs_save(void);
void memalloc_nofs_restore(unsigned int saved);

/*
 * May memory reclaim running on this thread write back or wait on dirty
 * filesystem buffers?  False inside a transaction (PF_FSTRANS, a.k.a.
 * PF_MEMALLOC_NOFS) and while the thread is already reclaiming
 * (PF_MEMALLOC); reclaim may then only drop clean buffers.
 */
bool current_may_fs_reclaim(void);

#endif /* LIBFROG_TASK_H_ */
