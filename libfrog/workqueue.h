/*
 * workqueue.h: a fixed pool of worker threads fed from a bounded FIFO of
 * caller-embedded work items.  Queueing never allocates; a full queue makes
 * workqueue_add() wait for room.  With WQ_RESCUER the queue also owns a
 * rescuer thread, created before any worker, which runs queued work when
 * no worker could be started or when none has picked an item up within
 * the rescue delay, so queued work always makes forward progress.
 *
 * Typical use (the allocation offload):
 *
 *	struct my_args { struct work_item work; struct completion done; ... };
 *
 *	if (workqueue_current_is_worker(wq))
 *		run inline;		// queue-and-wait on our own pool: deadlock
 *	else {
 *		args.work.fn = my_worker; init_completion(&args.done);
 *		error = workqueue_add(wq, &args.work);
 *		if (!error)
 *			wait_for_completion(&args.done);
 *	}
 *
 * Functions return 0 or a negative errno; nothing here exits the process.
 */
#ifndef LIBFROG_WORKQUEUE_H_
#define LIBFROG_WORKQUEUE_H_

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct work_item;
typedef void (*work_fn_t)(struct work_item *item);

/*
 * Embed this in the caller's own structure and recover the structure in
 * @fn with container_of().  The queue owns the item from workqueue_add()
 * until @fn is called; after @fn returns the workqueue never touches it
 * again, so @fn may free it or complete a waiter that frees it.
 */
struct work_item {
	struct work_item	*next;		/* private: queue link */
	work_fn_t		fn;		/* set by the caller */
	uint64_t		queued_ns;	/* private: enqueue timestamp */
};

/* Flags for workqueue_create(). */
#define WQ_RESCUER	(1U << 0)	/* own a rescuer thread */
#define WQ_ALL_FLAGS	(WQ_RESCUER)

/* How long a queued item may wait for a worker before the rescuer runs it. */
#define WQ_RESCUE_DELAY_US_DEFAULT	2000U

struct workqueue_stats {
	uint64_t	items_run;	/* all items run, rescuer included */
	uint64_t	items_rescued;	/* of which run by the rescuer */
	unsigned int	workers_started; /* normal workers actually running */
	bool		has_rescuer;
};

/*
 * A workqueue.  The caller provides the storage; all fields are private
 * (read the counters through workqueue_get_stats()).
 */
struct workqueue {
	pthread_mutex_t		lock;
	pthread_cond_t		work_cond;	/* workers: items or shutdown */
	pthread_cond_t		space_cond;	/* producers: room in queue */
	pthread_cond_t		rescue_cond;	/* rescuer (CLOCK_MONOTONIC) */

	/* Protected by lock. */
	struct work_item	*head;
	struct work_item	*tail;
	unsigned int		nr_idle;	/* workers in cond_wait */
	unsigned int		nr_space_waiters;
	bool			rescuer_asleep;	/* untimed wait: signal it */
	int			state;		/* WQS_* in workqueue.c */

	/* Written under lock, read locklessly by spinning workers. */
	atomic_uint		nr_queued;
	atomic_bool		stopping;

	/* Set up by workqueue_create(), then read-only. */
	unsigned int		max_queued;	/* 0: unbounded */
	unsigned int		nr_workers;	/* requested */
	unsigned int		nr_started;	/* threads[0..nr_started) */
	unsigned int		flags;
	pthread_t		*threads;
	pthread_t		rescuer;
	bool			rescuer_started;
	atomic_uint		rescue_delay_us;
	char			name[32];

	atomic_uint_fast64_t	items_run;
	atomic_uint_fast64_t	items_rescued;
};

/*
 * Start @nr_workers workers (plus the rescuer if WQ_RESCUER) named after
 * @name.  @max_queued bounds the number of queued, not yet running items
 * (0: no bound).  With WQ_RESCUER, creation succeeds as soon as the
 * rescuer exists, even if no worker can be started (@nr_workers may also
 * be 0); without it, at least one worker must start.  Workers that fail to
 * start are not retried; workqueue_get_stats() reports how many run.
 * Returns 0 or -EINVAL, -ENOMEM, -EAGAIN (or another thread creation
 * error); on error nothing is left running or allocated.
 */
int workqueue_create(struct workqueue *wq, const char *name,
		     unsigned int nr_workers, unsigned int max_queued,
		     unsigned int flags);

/*
 * Queue @item (whose fn must be set) at the tail.  Waits while the queue
 * holds max_queued items.  A worker adding to its own full queue waits for
 * another thread to make room; without WQ_RESCUER that can deadlock if
 * every worker does it, so run such work inline instead.  Returns 0,
 * -EINVAL for a NULL fn, or -ESHUTDOWN once workqueue_terminate() has
 * begun (also for callers that were waiting for room at that time); on
 * error @item was not queued.
 */
int workqueue_add(struct workqueue *wq, struct work_item *item);

/*
 * Stop accepting work, run everything already queued, then wait for all
 * workers and the rescuer to exit.  Returns 0 (also when already
 * terminated), -EDEADLK when called from one of @wq's own threads, or
 * -EBUSY while another thread is terminating @wq.
 */
int workqueue_terminate(struct workqueue *wq);

/* Terminate @wq if that has not been done, and free its resources. */
void workqueue_destroy(struct workqueue *wq);

/* Is the calling thread one of @wq's workers or its rescuer? */
bool workqueue_current_is_worker(const struct workqueue *wq);

/* Snapshot @wq's counters (exact once workqueue_terminate() returned). */
void workqueue_get_stats(struct workqueue *wq, struct workqueue_stats *st);

/* Change the rescue delay (microseconds, at least 1) of a running queue. */
void workqueue_set_rescue_delay_us(struct workqueue *wq, unsigned int us);

/*
 * Test hook, called before each thread a workqueue would create.  Return
 * 0 to create the thread, or a negative errno to make that creation fail
 * as if pthread_create() had returned it.  @index counts the normal
 * workers of one workqueue_create() call from 0.  Process-wide; pass NULL
 * to remove.  Returns the previous hook.
 */
typedef int (*workqueue_thread_hook_t)(const char *wq_name, bool rescuer,
				       unsigned int index);
workqueue_thread_hook_t workqueue_set_thread_create_hook(
		workqueue_thread_hook_t hook);

#endif /* LIBFROG_WORKQUEUE_H_ */
