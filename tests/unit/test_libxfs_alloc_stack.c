/*
 * test_libxfs_alloc_stack.c: why allocations run on workers -- stack.
 *
 * 1. The allocator's peak stack: on an allocation worker, paint the
 *    unused stack below our frame, run an allocation-heavy workload
 *    (inline there, as nested calls), scan for the deepest byte touched.
 * 2. The caller's peak with the offload on: the same workload from a
 *    thread whose whole (painted) stack we provide.
 * 3. A thread made with pthread_attr_setstacksize(PTHREAD_STACK_MIN)
 *    burns its own stack down (a caller already deep in its call chain)
 *    until less headroom is left than the allocator's peak, and runs the
 *    workload from there: it succeeds because the allocations run on the
 *    workers' stacks.
 * 4. The same from a child with LIBXFS_ALLOC_OFFLOAD=0 must die of the
 *    overflow (SIGSEGV, or the sanitizer's stack-overflow report).
 * Also the cost of a hand-off per allocation (offload on vs off).
 * Prints the figures as "# ..." lines.
 *
 * The test runs itself with LD_BIND_NOW=1: otherwise the first call of
 * each library function goes through the dynamic linker's lazy binding,
 * which saves the vector registers on the stack (about 3 KiB with
 * AVX-512) wherever it happens, and the figures would measure that.
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "test_libxfs_util.h"

#define PAINT_BYTES	(512 * 1024)
#define PAINT_SKIP	256		/* below our frame: our own callees */
#define PAINT_BYTE	0xA5
#define WORK_OPS	400		/* allocation + free pairs */

static struct xfs_mount *mp;

/* ---- the workload: allocations and frees in small transactions ---- */

static int workload(unsigned int ops, uint64_t seed)
{
	uint64_t held[16], offs[16];
	unsigned int i, n = 0;
	int error = 0;

	for (i = 0; i < ops && !error; i++) {
		struct xfs_owner_info oi = xfs_rmap_ino_owner(4242, i, 0);
		struct xfs_alloc_arg a;
		struct xfs_trans *tp;
		uint32_t agno;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		agno = (uint32_t)(seed >> 33) % mp->m_sb.sb_agcount;
		error = xfs_trans_alloc(mp, 4, &tp);
		if (error) {
			break;
		}
		memset(&a, 0, sizeof(a));
		a.tp = tp;
		a.mp = mp;
		a.minlen = a.maxlen = 1;
		a.oinfo = oi;
		error = xfs_alloc_vextent_near_bno(&a, xfs_agbno_to_fsbno(
				mp->m_sb.sb_agblklog, agno,
				(uint32_t)(seed >> 40) %
				libxfs_ag_block_count(mp, agno)));
		if (!error && a.fsbno != NULLFSBLOCK) {
			offs[n] = i;
			held[n++] = a.fsbno;
		}
		// Free them in bursts: bnobt/rmapbt merges and joins.
		while (!error && (n == 16 || (n && i + 1 == ops))) {
			n--;
			oi = xfs_rmap_ino_owner(4242, offs[n], 0);
			error = xfs_free_extent(tp, held[n], 1, &oi);
		}
		if (error) {
			xfs_trans_cancel(tp);
			break;
		}
		error = xfs_trans_commit(tp);
	}
	return error;
}

/* ---- painting ---- */

static __attribute__((noinline)) void paint_below(volatile uint8_t *top,
						  size_t bytes)
{
	size_t i;

	for (i = PAINT_SKIP; i < bytes; i++) {
		top[-(ptrdiff_t)i] = PAINT_BYTE;
	}
}

/* Deepest byte below top that is no longer paint. */
static __attribute__((noinline)) size_t deepest_below(volatile uint8_t *top,
						      size_t bytes)
{
	size_t i;

	for (i = bytes - 1; i >= PAINT_SKIP; i--) {
		if (top[-(ptrdiff_t)i] != PAINT_BYTE) {
			return i;
		}
	}
	return 0;
}

struct measure {
	size_t		peak;
	uintptr_t	low;		/* bottom of a stack we painted */
	int		error;
};

/* Runs on an allocation worker: the allocator's own depth. */
static int worker_measure(void *p)
{
	struct measure *m = p;
	volatile uint8_t here = 0;

	paint_below(&here, PAINT_BYTES);
	m->error = workload(WORK_OPS, 1);
	m->peak = deepest_below(&here, PAINT_BYTES);
	return 0;
}

/* Runs on a thread whose painted stack we own: the caller's depth. */
static void *caller_measure(void *p)
{
	struct measure *m = p;
	volatile uint8_t here = 0;

	m->error = workload(WORK_OPS, 1);
	m->peak = deepest_below(&here, (uintptr_t)&here - m->low);
	return NULL;
}

/* ---- the small thread ---- */

struct small {
	size_t		headroom;	/* leave at most this much */
	size_t		left;		/* what was left when we started */
	size_t		stacksize;
	int		error;
};

static uintptr_t stack_low;

/* Eat stack until at most headroom is left, then run the workload. */
static __attribute__((noinline)) int burn_then_work(struct small *s,
						    unsigned int depth)
{
	volatile uint8_t pad[192];
	uintptr_t sp = (uintptr_t)&pad[0];
	int error;

	pad[0] = (uint8_t)depth;
	if (sp - stack_low > s->headroom) {
		error = burn_then_work(s, depth + 1);
		return error + pad[0] - (uint8_t)depth;	/* no tail call */
	}
	s->left = sp - stack_low;
	return workload(WORK_OPS, 1);
}

static void *small_main(void *p)
{
	struct small *s = p;
	pthread_attr_t attr;
	void *addr;
	size_t size;

	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	stack_low = (uintptr_t)addr;
	s->stacksize = size;
	s->error = burn_then_work(s, 0);
	return NULL;
}

static int run_small(size_t headroom, struct small *s)
{
	pthread_attr_t attr;
	pthread_t th;
	int error;

	memset(s, 0, sizeof(*s));
	s->headroom = headroom;
	pthread_attr_init(&attr);
	error = pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	if (!error) {
		error = pthread_create(&th, &attr, small_main, s);
	}
	pthread_attr_destroy(&attr);
	if (error) {
		return -error;
	}
	pthread_join(th, NULL);
	return s->error;
}

/* ---- hand-off cost ---- */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double time_workload(bool offload)
{
	bool old = xfs_alloc_offload_set_enabled(offload);
	double t0 = now_us();
	int error = workload(2000, 9);
	double t = now_us() - t0;

	xfs_alloc_offload_set_enabled(old);
	return error ? -1 : t / 2000;
}

static int batch_fn(void *arg)
{
	return workload(2000, 9);
}

/* The same run as one batch on a worker: one hand-off in all. */
static double time_batched(void)
{
	double t0 = now_us();
	int error = xfs_alloc_offload_run(batch_fn, NULL);

	return error ? -1 : (now_us() - t0) / 2000;
}

/* ---- main ---- */

static int child_main(const char *img, size_t headroom)
{
	struct small s;
	int error;

	if (libxfs_mount(img, LIBXFS_MOUNT_QUIET, &mp)) {
		return 2;
	}
	// Warm the caches (buffers, allocator state) on a roomy stack.
	if (workload(16, 5)) {
		return 2;
	}
	error = run_small(headroom, &s);
	printf("child: workload with %zu bytes of stack left: %d\n", s.left,
	       error);
	libxfs_umount(mp);
	return error ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct measure wm = { 0 }, cm = { 0 };
	struct xfs_alloc_offload_stats st0, st1;
	size_t headroom, stack_min = PTHREAD_STACK_MIN;
	pthread_attr_t attr;
	pthread_t th;
	struct small s;
	void *stack;
	double on, off, batched;
	const char *img;
	int error, st;

	if (!getenv("LD_BIND_NOW")) {
		setenv("LD_BIND_NOW", "1", 1);
		execv("/proc/self/exe", argv);
		perror("re-exec with LD_BIND_NOW=1");
		return 1;
	}
	if (argc == 4 && strcmp(argv[1], "--child") == 0) {
		return child_main(argv[2], strtoull(argv[3], NULL, 0));
	}
	t_require_reference();
	t_setup_dir();
	setvbuf(stdout, NULL, _IOLBF, 0);
	img = t_path("stack.img");
	if (t_mkfs(img, "512m", "-b size=1024 -m rmapbt=1") != 0 ||
	    libxfs_mount(img, 0, &mp) != 0) {
		CHECK(0, "make and mount an image");
		return 1;
	}

	// 1. The allocator, on a worker.
	error = xfs_alloc_offload_run(worker_measure, &wm);
	CHECK(error == 0 && wm.error == 0 && wm.peak > PAINT_SKIP,
	      "allocator's peak stack on a worker: %zu bytes", wm.peak);

	// 2. The caller, offload on, on a painted stack of our own.
	stack = aligned_alloc(65536, PAINT_BYTES);
	memset(stack, PAINT_BYTE, PAINT_BYTES);
	cm.low = (uintptr_t)stack;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, PAINT_BYTES);
	xfs_alloc_offload_get_stats(&st0);
	pthread_create(&th, &attr, caller_measure, &cm);
	pthread_join(th, NULL);
	pthread_attr_destroy(&attr);
	xfs_alloc_offload_get_stats(&st1);
	free(stack);
	CHECK(cm.error == 0 && st1.offloaded > st0.offloaded &&
	      cm.peak < wm.peak,
	      "the same workload handed off needs %zu bytes of the caller's "
	      "stack (%llu hand-offs), less than the allocator's %zu",
	      cm.peak, (unsigned long long)(st1.offloaded - st0.offloaded),
	      wm.peak);

	// 3. A PTHREAD_STACK_MIN thread left with less than the peak
	// (but more than the hand-off itself needs).
	headroom = (wm.peak + cm.peak) / 2;
	error = run_small(headroom, &s);
	printf("# PTHREAD_STACK_MIN %zu; small thread's stack %zu bytes; "
	       "workload started with %zu bytes left (allocator needs %zu)\n",
	       stack_min, s.stacksize, s.left, wm.peak);
	CHECK(s.left < wm.peak && s.stacksize >= stack_min,
	      "stack left (%zu) < allocator's peak (%zu)", s.left, wm.peak);
	CHECK(error == 0, "the workload succeeds there: every allocation "
	      "ran on a worker's stack");

	// 4. Without the offload it cannot: show it in a child.
	st = t_run("LIBXFS_ALLOC_OFFLOAD=0 ASAN_OPTIONS=detect_leaks=0 "
		   "'%s' --child '%s' %zu >%s 2>&1", argv[0], img, headroom,
		   t_path("child.log"));
	CHECK(st != 0, "with LIBXFS_ALLOC_OFFLOAD=0 the same workload "
	      "overflows the small thread (child status %d)", st);
	st = t_run("'%s' --child '%s' %zu >%s 2>&1", argv[0], img, headroom,
		   t_path("child2.log"));
	CHECK(st == 0, "and with the offload on the child completes");

	// Cost of the hand-off.
	xfs_alloc_offload_get_stats(&st0);
	on = time_workload(true);
	xfs_alloc_offload_get_stats(&st1);
	off = time_workload(false);
	batched = time_batched();
	CHECK(on > 0 && off > 0 && batched > 0,
	      "timed 2000 allocate/free transactions three ways");
	printf("# per transaction (1 allocation + commit, 16 frees every 16): "
	       "handed off %.1f us (%.2f hand-offs each), inline %.1f us, "
	       "batched on one worker %.1f us; ~%.1f us per hand-off\n", on,
	       (st1.offloaded - st0.offloaded) / 2000.0, off, batched,
	       (on - off) * 2000.0 / (double)(st1.offloaded - st0.offloaded));

	CHECK(libxfs_umount(mp) == 0, "unmount");
	CHECK(t_run("/usr/sbin/xfs_repair -n '%s' >/dev/null 2>&1", img) == 0,
	      "reference xfs_repair -n finds nothing");
	printf("%s\n", t_failures ? "FAILED" : "all passed");
	return t_failures ? 1 : 0;
}
