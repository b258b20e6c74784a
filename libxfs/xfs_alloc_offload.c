/*
 * xfs_alloc_offload.c: the public allocation entry points, which hand
 * each request to an allocation worker thread and wait for it.
 *
 * The args block carries its own work item and completion, so queueing
 * allocates nothing; the caller sleeps (after a brief spin) in
 * wait_for_completion while a worker runs the real allocator
 * (__xfs_alloc_vextent) on its own, deep stack with PF_FSTRANS set, then
 * completes.  The transaction's buffers are used by the worker as they
 * stand: ownership is by transaction, not thread.  A request made on an
 * allocation worker runs inline (queueing on our own pool and waiting
 * could leave every worker waiting on itself); so does every request
 * when LIBXFS_ALLOC_OFFLOAD=0 or when no queue could be made.  Freeing
 * extents takes the same path (it is as deep: btree joins, free-list
 * upkeep) and counts among the calls.
 *
 * The workqueue (one worker per CPU, at least two, plus a rescuer made
 * at creation) starts with the first writable mount and stops at exit,
 * after LIBXFS_ALLOC_STATS=1 has printed the counters.
 */
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libfrog/task.h"
#include "xfs_mount.h"
#include "xfs_trans.h"
#include "xfs_alloc.h"

static struct workqueue alloc_wq;
static pthread_once_t alloc_wq_once = PTHREAD_ONCE_INIT;
static atomic_bool alloc_wq_ready;	/* the queue exists and runs */
static atomic_bool offload_on = true;

static atomic_uint_fast64_t stat_calls;
static atomic_uint_fast64_t stat_offloaded;
static atomic_uint_fast64_t stat_nested;
static atomic_uint_fast64_t stat_inline;
static atomic_uint_fast64_t stat_agf_waits;

static bool env_is(const char *name, const char *val)
{
	const char *v = getenv(name);

	return v && strcmp(v, val) == 0;
}

void xfs_alloc_offload_get_stats(struct xfs_alloc_offload_stats *st)
{
	struct workqueue_stats ws = { 0 };

	if (atomic_load(&alloc_wq_ready)) {
		workqueue_get_stats(&alloc_wq, &ws);
	}
	st->calls = atomic_load(&stat_calls);
	st->offloaded = atomic_load(&stat_offloaded);
	st->nested = atomic_load(&stat_nested);
	st->inline_calls = atomic_load(&stat_inline);
	st->workers = ws.workers_started;
	st->rescued = ws.items_rescued;
	st->agf_waits = atomic_load(&stat_agf_waits);
	st->deferred_frees = xfs_alloc_deferred_frees;
}

static void offload_exit(void)
{
	struct xfs_alloc_offload_stats st;

	if (atomic_load(&alloc_wq_ready)) {
		// Drain and join first so the counters are exact.
		workqueue_terminate(&alloc_wq);
	}
	if (env_is("LIBXFS_ALLOC_STATS", "1")) {
		xfs_alloc_offload_get_stats(&st);
		fprintf(stderr,
			"alloc: calls=%llu offloaded=%llu nested=%llu "
			"inline=%llu workers=%u rescued=%llu\n",
			(unsigned long long)st.calls,
			(unsigned long long)st.offloaded,
			(unsigned long long)st.nested,
			(unsigned long long)st.inline_calls, st.workers,
			(unsigned long long)st.rescued);
	}
	if (atomic_exchange(&alloc_wq_ready, false)) {
		workqueue_destroy(&alloc_wq);
	}
}

static void offload_start(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int nr = ncpu > 2 ? (unsigned int)ncpu : 2;

	if (env_is("LIBXFS_ALLOC_OFFLOAD", "0")) {
		atomic_store(&offload_on, false);
	}
	if (workqueue_create(&alloc_wq, "xfs_alloc", nr, 0, WQ_RESCUER) == 0) {
		atomic_store(&alloc_wq_ready, true);
	} else {
		fprintf(stderr, "libxfs: no allocation workers; "
			"allocating inline\n");
	}
	atexit(offload_exit);
}

void xfs_alloc_offload_init(void)
{
	pthread_once(&alloc_wq_once, offload_start);
}

bool xfs_alloc_offload_set_enabled(bool on)
{
	xfs_alloc_offload_init();
	return atomic_exchange(&offload_on, on);
}

bool xfs_alloc_current_is_worker(void)
{
	return atomic_load(&alloc_wq_ready) &&
	       workqueue_current_is_worker(&alloc_wq);
}

/* Run the real allocator on this thread, marked as inside a transaction. */
static int run_here(struct xfs_alloc_arg *args)
{
	unsigned int saved;
	int error;

	current_set_flags_nested(&saved, PF_FSTRANS);
	error = __xfs_alloc_vextent(args);
	current_restore_flags_nested(&saved, PF_FSTRANS);
	return error;
}

static void alloc_worker(struct work_item *item)
{
	struct xfs_alloc_arg *args = (struct xfs_alloc_arg *)
		((char *)item - offsetof(struct xfs_alloc_arg, work));

	args->result = run_here(args);
	// The caller may return (and reuse args) the moment this lands.
	complete(&args->done);
}

static int offload(struct xfs_alloc_arg *args)
{
	struct xfs_buf *agbp = NULL;	/* an AGF we waited for */

	atomic_fetch_add_explicit(&stat_calls, 1, memory_order_relaxed);
	xfs_alloc_offload_init();
	if (!atomic_load(&offload_on) || !atomic_load(&alloc_wq_ready)) {
		atomic_fetch_add_explicit(&stat_inline, 1,
					  memory_order_relaxed);
		return run_here(args);
	}
	if (workqueue_current_is_worker(&alloc_wq)) {
		atomic_fetch_add_explicit(&stat_nested, 1,
					  memory_order_relaxed);
		return run_here(args);
	}
	args->flags |= XFS_ALLOC_FLAG_HANDBACK;
	for (;;) {
		int error;

		args->work.fn = alloc_worker;
		init_completion(&args->done);
		if (workqueue_add(&alloc_wq, &args->work) != 0) {
			atomic_fetch_add_explicit(&stat_inline, 1,
						  memory_order_relaxed);
			args->flags &= ~XFS_ALLOC_FLAG_HANDBACK;
			error = run_here(args);
			xfs_trans_brelse(args->tp, agbp);
			return error;
		}
		wait_for_completion(&args->done);
		if (args->result != -EAGAIN ||
		    args->wait_agno == NULLAGNUMBER) {
			break;
		}
		// Busy AG: wait for its AGF here, where sleeping is free,
		// then try again with that AGF ours.  Only one AGF is held
		// this way at a time, and only one above every AGF the
		// transaction changed, so no two transactions wait on each
		// other.
		xfs_trans_brelse(args->tp, agbp);
		atomic_fetch_add_explicit(&stat_agf_waits, 1,
					  memory_order_relaxed);
		error = xfs_alloc_read_agf(args->mp, args->tp, args->wait_agno,
					   0, &agbp);
		if (error) {
			agbp = NULL;
			args->result = error;
			break;
		}
	}
	xfs_trans_brelse(args->tp, agbp);
	atomic_fetch_add_explicit(&stat_offloaded, 1, memory_order_relaxed);
	return args->result;
}

/* A caller's function to run on a worker (xfs_alloc_offload_run). */
struct offload_call {
	int			(*fn)(void *arg);
	void			*arg;
	int			result;
	struct work_item	work;
	struct completion	done;
};

static void call_worker(struct work_item *item)
{
	struct offload_call *oc = (struct offload_call *)
		((char *)item - offsetof(struct offload_call, work));
	unsigned int saved;

	current_set_flags_nested(&saved, PF_FSTRANS);
	oc->result = oc->fn(oc->arg);
	current_restore_flags_nested(&saved, PF_FSTRANS);
	complete(&oc->done);
}

int xfs_alloc_offload_run(int (*fn)(void *arg), void *arg)
{
	struct offload_call oc = { .fn = fn, .arg = arg };

	xfs_alloc_offload_init();
	if (!atomic_load(&offload_on) || !atomic_load(&alloc_wq_ready) ||
	    workqueue_current_is_worker(&alloc_wq)) {
		return fn(arg);
	}
	oc.work.fn = call_worker;
	init_completion(&oc.done);
	if (workqueue_add(&alloc_wq, &oc.work) != 0) {
		return fn(arg);
	}
	wait_for_completion(&oc.done);
	return oc.result;
}

static int vextent(struct xfs_alloc_arg *args, enum xfs_alloc_op op,
		   uint64_t target)
{
	if (args->tp && !args->mp) {
		args->mp = args->tp->t_mountp;
	}
	args->op = op;
	args->target = target;
	args->flags = 0;
	return offload(args);
}

int xfs_alloc_vextent_exact_bno(struct xfs_alloc_arg *args, uint64_t target)
{
	return vextent(args, XFS_ALLOC_OP_EXACT_BNO, target);
}

int xfs_alloc_vextent_near_bno(struct xfs_alloc_arg *args, uint64_t target)
{
	return vextent(args, XFS_ALLOC_OP_NEAR_BNO, target);
}

int xfs_alloc_vextent_this_ag(struct xfs_alloc_arg *args, uint32_t agno)
{
	return vextent(args, XFS_ALLOC_OP_THIS_AG, agno);
}

int xfs_alloc_vextent_start_ag(struct xfs_alloc_arg *args, uint64_t target)
{
	return vextent(args, XFS_ALLOC_OP_START_AG, target);
}

int xfs_alloc_vextent_first_ag(struct xfs_alloc_arg *args, uint64_t target)
{
	return vextent(args, XFS_ALLOC_OP_FIRST_AG, target);
}

int xfs_alloc_fix_freelist(struct xfs_trans *tp, uint32_t agno)
{
	struct xfs_alloc_arg args;

	memset(&args, 0, sizeof(args));
	args.tp = tp;
	args.mp = tp->t_mountp;
	return vextent(&args, XFS_ALLOC_OP_FIX_FREELIST, agno);
}

int xfs_free_extent(struct xfs_trans *tp, uint64_t fsbno, uint32_t len,
		    const struct xfs_owner_info *oinfo)
{
	struct xfs_alloc_arg args;

	memset(&args, 0, sizeof(args));
	args.tp = tp;
	args.mp = tp->t_mountp;
	args.len = len;
	args.oinfo = *oinfo;
	return vextent(&args, XFS_ALLOC_OP_FREE, fsbno);
}
