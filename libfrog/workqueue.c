/*
 * workqueue.c: owns the worker and rescuer threads of each struct
 * workqueue, the FIFO of caller-embedded work items between them, and the
 * thread-creation test hook.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libfrog/completion.h"
#include "libfrog/task.h"
#include "libfrog/workqueue.h"

enum {
	WQS_RUNNING,		/* accepting work */
	WQS_TERMINATING,	/* draining; threads being joined */
	WQS_DEAD,		/* all threads joined */
};

// After this many empty polls in a row the rescuer stops polling and
// sleeps until workqueue_add() wakes it.
#define RESCUER_IDLE_POLLS	64

// The queue a thread works for (NULL for every other thread).
static _Thread_local const struct workqueue *current_wq;

static _Atomic(workqueue_thread_hook_t) thread_hook;

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static struct timespec ns_to_timespec(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ULL),
		.tv_nsec = (long)(ns % 1000000000ULL),
	};

	return ts;
}

workqueue_thread_hook_t workqueue_set_thread_create_hook(
		workqueue_thread_hook_t hook)
{
	return atomic_exchange(&thread_hook, hook);
}

bool workqueue_current_is_worker(const struct workqueue *wq)
{
	return wq && current_wq == wq;
}

/* ---- running items (all called with wq->lock held) ---- */

static struct work_item *wq_dequeue(struct workqueue *wq, bool *wake_producer)
{
	struct work_item *item = wq->head;
	unsigned int nr = atomic_load_explicit(&wq->nr_queued,
					       memory_order_relaxed);

	wq->head = item->next;
	if (!wq->head)
		wq->tail = NULL;
	atomic_store_explicit(&wq->nr_queued, nr - 1, memory_order_relaxed);
	*wake_producer = wq->nr_space_waiters > 0;
	return item;
}

// Take the head item and run it with the lock dropped.  Exactly-once: an
// item leaves the list only here, under the lock, and whoever unlinks it
// is the only one to run it.  After fn returns the item is never touched:
// fn may have freed it or woken a waiter that did.
static void wq_run_head(struct workqueue *wq, bool rescuing)
{
	struct work_item *item;
	work_fn_t fn;
	bool wake_producer;

	item = wq_dequeue(wq, &wake_producer);
	fn = item->fn;
	pthread_mutex_unlock(&wq->lock);

	if (wake_producer)
		pthread_cond_signal(&wq->space_cond);

	// Every item starts with clean task flags, and whatever it leaves
	// behind is wiped before the thread goes idle or runs the next one.
	current_task()->flags = 0;
	fn(item);
	current_task()->flags = 0;

	atomic_fetch_add_explicit(&wq->items_run, 1, memory_order_relaxed);
	if (rescuing)
		atomic_fetch_add_explicit(&wq->items_rescued, 1,
					  memory_order_relaxed);
	pthread_mutex_lock(&wq->lock);
}

/* ---- threads ---- */

static bool wq_has_work(void *arg)
{
	struct workqueue *wq = arg;

	return atomic_load_explicit(&wq->nr_queued, memory_order_relaxed) ||
	       atomic_load_explicit(&wq->stopping, memory_order_relaxed);
}

static void *wq_worker(void *arg)
{
	struct workqueue *wq = arg;
	bool spun = false;

	current_wq = wq;
	pthread_mutex_lock(&wq->lock);
	for (;;) {
		if (wq->head) {
			wq_run_head(wq, false);
			spun = false;
			continue;
		}
		if (wq->state != WQS_RUNNING)
			break;
		// Just went idle: a caller doing queue-and-wait in a loop
		// will usually queue its next item within microseconds, so
		// look for it briefly before paying for a sleep and a wake.
		if (!spun) {
			spun = true;
			pthread_mutex_unlock(&wq->lock);
			frog_spin_until(wq_has_work, wq);
			pthread_mutex_lock(&wq->lock);
			continue;
		}
		wq->nr_idle++;
		pthread_cond_wait(&wq->work_cond, &wq->lock);
		wq->nr_idle--;
		spun = false;
	}
	pthread_mutex_unlock(&wq->lock);
	return NULL;
}

// The rescuer runs the head item when the queue has no worker at all, or
// when the head has waited longer than the rescue delay (every worker is
// busy or blocked, perhaps on this very item).  While the queue is in use
// it polls at the rescue delay instead of being signalled per item, so
// workqueue_add() stays cheap; after RESCUER_IDLE_POLLS empty polls (and
// always when it is the only runner) it sleeps until an add wakes it.
static void *wq_rescuer(void *arg)
{
	struct workqueue *wq = arg;
	unsigned int idle_polls = 0;
	uint64_t delay_ns, now, deadline;
	struct timespec ts;

	current_wq = wq;
	pthread_mutex_lock(&wq->lock);
	for (;;) {
		delay_ns = (uint64_t)atomic_load_explicit(&wq->rescue_delay_us,
				memory_order_relaxed) * 1000;
		now = mono_ns();
		if (wq->head) {
			idle_polls = 0;
			deadline = wq->head->queued_ns + delay_ns;
			if (wq->nr_started == 0 || now >= deadline) {
				wq_run_head(wq, true);
				continue;
			}
			ts = ns_to_timespec(deadline);
			pthread_cond_timedwait(&wq->rescue_cond, &wq->lock, &ts);
			continue;
		}
		if (wq->state != WQS_RUNNING)
			break;
		if (wq->nr_started == 0 || idle_polls >= RESCUER_IDLE_POLLS) {
			wq->rescuer_asleep = true;
			pthread_cond_wait(&wq->rescue_cond, &wq->lock);
			wq->rescuer_asleep = false;
			idle_polls = 0;
			continue;
		}
		idle_polls++;
		ts = ns_to_timespec(now + delay_ns);
		pthread_cond_timedwait(&wq->rescue_cond, &wq->lock, &ts);
	}
	pthread_mutex_unlock(&wq->lock);
	return NULL;
}

static int wq_spawn(struct workqueue *wq, pthread_t *thread,
		    void *(*fn)(void *), bool rescuer, unsigned int index)
{
	workqueue_thread_hook_t hook = atomic_load(&thread_hook);
	char tname[16];
	int error;

	if (hook) {
		error = hook(wq->name, rescuer, index);
		if (error)
			return error < 0 ? error : -error;
	}
	error = pthread_create(thread, NULL, fn, wq);
	if (error)
		return -error;

	// Thread names are limited to 15 characters; truncation is fine.
	if (rescuer)
		error = snprintf(tname, sizeof(tname), "%s/R", wq->name);
	else
		error = snprintf(tname, sizeof(tname), "%s/%u", wq->name,
				 index);
	if (error > 0)
		pthread_setname_np(*thread, tname);
	return 0;
}

/* Tell every thread to drain and exit.  Called with wq->lock held. */
static void wq_begin_stop(struct workqueue *wq)
{
	wq->state = WQS_TERMINATING;
	atomic_store_explicit(&wq->stopping, true, memory_order_relaxed);
	pthread_cond_broadcast(&wq->work_cond);
	pthread_cond_broadcast(&wq->space_cond);
	pthread_cond_broadcast(&wq->rescue_cond);
}

/* Join every thread that was started, once wq_begin_stop() was called. */
static void wq_join_threads(struct workqueue *wq)
{
	unsigned int i;

	for (i = 0; i < wq->nr_started; i++)
		pthread_join(wq->threads[i], NULL);
	if (wq->rescuer_started)
		pthread_join(wq->rescuer, NULL);

	pthread_mutex_lock(&wq->lock);
	wq->state = WQS_DEAD;
	pthread_mutex_unlock(&wq->lock);
}

static void wq_free(struct workqueue *wq)
{
	pthread_cond_destroy(&wq->rescue_cond);
	pthread_cond_destroy(&wq->space_cond);
	pthread_cond_destroy(&wq->work_cond);
	pthread_mutex_destroy(&wq->lock);
	free(wq->threads);
	wq->threads = NULL;
}

static int wq_init_sync(struct workqueue *wq)
{
	pthread_condattr_t attr;
	int error;

	error = pthread_mutex_init(&wq->lock, NULL);
	if (error)
		return -error;
	error = pthread_cond_init(&wq->work_cond, NULL);
	if (error)
		goto out_mutex;
	error = pthread_cond_init(&wq->space_cond, NULL);
	if (error)
		goto out_work;
	error = pthread_condattr_init(&attr);
	if (error)
		goto out_space;
	error = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (!error)
		error = pthread_cond_init(&wq->rescue_cond, &attr);
	pthread_condattr_destroy(&attr);
	if (error)
		goto out_space;
	return 0;

out_space:
	pthread_cond_destroy(&wq->space_cond);
out_work:
	pthread_cond_destroy(&wq->work_cond);
out_mutex:
	pthread_mutex_destroy(&wq->lock);
	return -error;
}

int workqueue_create(struct workqueue *wq, const char *name,
		     unsigned int nr_workers, unsigned int max_queued,
		     unsigned int flags)
{
	unsigned int i;
	pthread_t thread;
	int error, last_error = 0;

	if (!wq || (flags & ~WQ_ALL_FLAGS) ||
	    (nr_workers == 0 && !(flags & WQ_RESCUER)))
		return -EINVAL;

	memset(wq, 0, sizeof(*wq));
	snprintf(wq->name, sizeof(wq->name), "%s", name ? name : "wq");
	wq->max_queued = max_queued;
	wq->nr_workers = nr_workers;
	wq->flags = flags;
	wq->state = WQS_RUNNING;
	atomic_init(&wq->nr_queued, 0);
	atomic_init(&wq->stopping, false);
	atomic_init(&wq->rescue_delay_us, WQ_RESCUE_DELAY_US_DEFAULT);
	atomic_init(&wq->items_run, 0);
	atomic_init(&wq->items_rescued, 0);

	wq->threads = calloc(nr_workers ? nr_workers : 1, sizeof(pthread_t));
	if (!wq->threads)
		return -ENOMEM;
	error = wq_init_sync(wq);
	if (error) {
		free(wq->threads);
		wq->threads = NULL;
		return error;
	}

	// The rescuer comes first: once it exists, the queue can make
	// progress whatever happens to the workers.
	if (flags & WQ_RESCUER) {
		error = wq_spawn(wq, &wq->rescuer, wq_rescuer, true, 0);
		if (error)
			goto out_free;
		wq->rescuer_started = true;
	}

	for (i = 0; i < nr_workers; i++) {
		error = wq_spawn(wq, &thread, wq_worker, false, i);
		if (error) {
			last_error = error;
			continue;
		}
		pthread_mutex_lock(&wq->lock);
		wq->threads[wq->nr_started++] = thread;
		pthread_mutex_unlock(&wq->lock);
	}

	if (wq->nr_started == 0 && !(flags & WQ_RESCUER)) {
		error = last_error;
		goto out_free;
	}
	return 0;

out_free:
	pthread_mutex_lock(&wq->lock);
	wq_begin_stop(wq);
	pthread_mutex_unlock(&wq->lock);
	wq_join_threads(wq);
	wq_free(wq);
	return error;
}

int workqueue_add(struct workqueue *wq, struct work_item *item)
{
	bool wake_worker, wake_rescuer;

	if (!item || !item->fn)
		return -EINVAL;

	item->next = NULL;
	item->queued_ns = (wq->flags & WQ_RESCUER) ? mono_ns() : 0;

	pthread_mutex_lock(&wq->lock);
	while (wq->state == WQS_RUNNING && wq->max_queued &&
	       atomic_load_explicit(&wq->nr_queued, memory_order_relaxed) >=
			wq->max_queued) {
		wq->nr_space_waiters++;
		pthread_cond_wait(&wq->space_cond, &wq->lock);
		wq->nr_space_waiters--;
	}
	if (wq->state != WQS_RUNNING) {
		pthread_mutex_unlock(&wq->lock);
		return -ESHUTDOWN;
	}

	if (wq->tail)
		wq->tail->next = item;
	else
		wq->head = item;
	wq->tail = item;
	atomic_store_explicit(&wq->nr_queued,
			atomic_load_explicit(&wq->nr_queued,
					     memory_order_relaxed) + 1,
			memory_order_relaxed);

	// Workers spinning after their last item are not counted idle and
	// will see nr_queued change; only sleeping ones need a signal.
	wake_worker = wq->nr_idle > 0;
	wake_rescuer = wq->rescuer_asleep;
	wq->rescuer_asleep = false;
	pthread_mutex_unlock(&wq->lock);

	// Signalling after the unlock spares the woken thread a trip
	// through the mutex; the state it needs was changed under the lock,
	// and the wq outlives this call, so no wake-up is lost.
	if (wake_worker)
		pthread_cond_signal(&wq->work_cond);
	if (wake_rescuer)
		pthread_cond_signal(&wq->rescue_cond);
	return 0;
}

int workqueue_terminate(struct workqueue *wq)
{
	if (workqueue_current_is_worker(wq))
		return -EDEADLK;

	pthread_mutex_lock(&wq->lock);
	if (wq->state == WQS_DEAD) {
		pthread_mutex_unlock(&wq->lock);
		return 0;
	}
	if (wq->state == WQS_TERMINATING) {
		pthread_mutex_unlock(&wq->lock);
		return -EBUSY;
	}
	// Workers and the rescuer keep taking items until the list is
	// empty and only then exit, so everything queued gets run.
	wq_begin_stop(wq);
	pthread_mutex_unlock(&wq->lock);

	wq_join_threads(wq);
	return 0;
}

void workqueue_destroy(struct workqueue *wq)
{
	if (!wq || !wq->threads)
		return;
	// Failing to terminate means a worker is calling us or another
	// thread is still joining; freeing now would be a use-after-free,
	// so leak instead.
	if (workqueue_terminate(wq))
		return;
	wq_free(wq);
}

void workqueue_get_stats(struct workqueue *wq, struct workqueue_stats *st)
{
	st->items_run = atomic_load_explicit(&wq->items_run,
					     memory_order_relaxed);
	st->items_rescued = atomic_load_explicit(&wq->items_rescued,
						 memory_order_relaxed);
	st->workers_started = wq->nr_started;
	st->has_rescuer = wq->rescuer_started;
}

void workqueue_set_rescue_delay_us(struct workqueue *wq, unsigned int us)
{
	atomic_store_explicit(&wq->rescue_delay_us, us ? us : 1,
			      memory_order_relaxed);
}
