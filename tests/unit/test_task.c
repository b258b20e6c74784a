/*
 * test_task.c: unit test for libfrog/task: per-thread task flags, nested
 * save/restore that touches only its own bits, the NOFS scope helpers and
 * current_may_fs_reclaim().  Prints "ok - ..." / "not ok - ..." per check
 * and exits non-zero if any check failed.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libfrog/completion.h"
#include "libfrog/task.h"

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

// Bits the task code knows nothing about, standing in for other users.
#define OTHER_A		(1U << 20)
#define OTHER_B		(1U << 27)

static void test_basics(void)
{
	check(current_task() != NULL && current_task()->flags == 0,
	      "main thread starts with no task flags");
	check(PF_MEMALLOC_NOFS == PF_FSTRANS,
	      "PF_MEMALLOC_NOFS is the same bit as PF_FSTRANS");
	check(__builtin_popcount(PF_FSTRANS) == 1 &&
	      __builtin_popcount(PF_MEMALLOC) == 1 &&
	      (PF_FSTRANS & PF_MEMALLOC) == 0,
	      "PF_FSTRANS and PF_MEMALLOC are distinct single bits");
	check(current_may_fs_reclaim(), "fs reclaim allowed with no flags");

	current_set_flags(OTHER_A | PF_FSTRANS);
	check(current_test_flags(PF_FSTRANS | PF_MEMALLOC) == PF_FSTRANS,
	      "current_test_flags returns only the requested bits that are set");
	check(!current_may_fs_reclaim(), "fs reclaim refused under PF_FSTRANS");
	current_clear_flags(PF_FSTRANS);
	check(current_task()->flags == OTHER_A,
	      "current_clear_flags clears only the given bit");
	current_clear_flags(OTHER_A);

	current_set_flags(PF_MEMALLOC);
	check(!current_may_fs_reclaim(),
	      "fs reclaim refused while already reclaiming (PF_MEMALLOC)");
	current_clear_flags(PF_MEMALLOC);
	check(current_may_fs_reclaim() && current_task()->flags == 0,
	      "fs reclaim allowed again once the flags are cleared");
}

static void test_nested(void)
{
	unsigned int outer, inner, base;

	current_set_flags(OTHER_A);
	base = current_task()->flags;

	current_set_flags_nested(&outer, PF_FSTRANS);
	check(outer == 0 && current_task()->flags == (base | PF_FSTRANS),
	      "outer nested set adds PF_FSTRANS and saves it as clear");

	current_set_flags_nested(&inner, PF_FSTRANS | PF_MEMALLOC);
	check(inner == PF_FSTRANS &&
	      current_task()->flags == (base | PF_FSTRANS | PF_MEMALLOC),
	      "inner nested set saves the already-set PF_FSTRANS");

	// Someone else sets an unrelated bit inside our scope.
	current_set_flags(OTHER_B);

	current_restore_flags_nested(&inner, PF_FSTRANS | PF_MEMALLOC);
	check(current_task()->flags == (base | PF_FSTRANS | OTHER_B),
	      "inner restore clears only PF_MEMALLOC, keeps PF_FSTRANS and unrelated bits");
	check(!current_may_fs_reclaim(),
	      "still no fs reclaim between inner and outer restore");

	current_restore_flags_nested(&outer, PF_FSTRANS);
	check(current_task()->flags == (base | OTHER_B),
	      "outer restore clears PF_FSTRANS, unrelated bits untouched");
	check(current_may_fs_reclaim(), "fs reclaim allowed after the scopes end");

	// A scope entered with the bit already set must leave it set.
	current_set_flags(PF_FSTRANS);
	current_set_flags_nested(&outer, PF_FSTRANS);
	current_restore_flags_nested(&outer, PF_FSTRANS);
	check(current_test_flags(PF_FSTRANS) == PF_FSTRANS,
	      "restore keeps a bit that was set before the scope");
	current_clear_flags(PF_FSTRANS | OTHER_A | OTHER_B);
	check(current_task()->flags == 0, "flags back to zero");
}

static void test_nofs(void)
{
	unsigned int s1, s2;

	current_set_flags(OTHER_A);
	s1 = memalloc_nofs_save();
	check(s1 == 0 && current_test_flags(PF_MEMALLOC_NOFS) &&
	      !current_may_fs_reclaim(),
	      "memalloc_nofs_save enters a NOFS scope");
	s2 = memalloc_nofs_save();
	check(s2 == PF_MEMALLOC_NOFS, "nested memalloc_nofs_save reports NOFS held");
	current_set_flags(OTHER_B);
	memalloc_nofs_restore(s2);
	check(current_test_flags(PF_MEMALLOC_NOFS) && !current_may_fs_reclaim(),
	      "inner memalloc_nofs_restore keeps the outer scope");
	memalloc_nofs_restore(s1);
	check(current_task()->flags == (OTHER_A | OTHER_B) &&
	      current_may_fs_reclaim(),
	      "outer memalloc_nofs_restore ends NOFS, unrelated bits untouched");
	current_clear_flags(OTHER_A | OTHER_B);
}

/* ---- per-thread isolation ---- */

struct flag_thread {
	struct completion	set_done;	/* thread has set its flags */
	struct completion	may_exit;	/* main has looked */
	unsigned int		initial;	/* flags the thread started with */
	unsigned int		final;		/* flags just before exit */
};

static void *flag_thread_fn(void *arg)
{
	struct flag_thread *ft = arg;
	unsigned int saved;

	ft->initial = current_task()->flags;
	current_set_flags_nested(&saved, PF_FSTRANS);
	current_set_flags(OTHER_B);
	complete(&ft->set_done);
	wait_for_completion(&ft->may_exit);
	ft->final = current_task()->flags;
	return NULL;
}

static void test_threads(void)
{
	struct flag_thread ft;
	pthread_t t;
	unsigned int saved;
	int error;

	// The main thread holds flags while the new thread starts.
	current_set_flags_nested(&saved, PF_MEMALLOC);
	init_completion(&ft.set_done);
	init_completion(&ft.may_exit);
	error = pthread_create(&t, NULL, flag_thread_fn, &ft);
	check(error == 0, "create flag thread");
	if (error)
		return;
	wait_for_completion(&ft.set_done);
	check(ft.initial == 0, "new thread starts with clean flags (no inheritance)");
	check(current_task()->flags == PF_MEMALLOC,
	      "flags set by another thread are not visible here");
	current_restore_flags_nested(&saved, PF_MEMALLOC);
	complete(&ft.may_exit);
	pthread_join(t, NULL);
	check(ft.final == (PF_FSTRANS | OTHER_B),
	      "our restore did not change the other thread's flags");
	check(current_task()->flags == 0, "main thread flags clean after join");
}

int main(void)
{
	alarm(60);
	test_basics();
	test_nested();
	test_nofs();
	test_threads();

	printf("# test_task: %d checks, %d passed, %d failed\n",
	       nr_checks, nr_checks - nr_failed, nr_failed);
	return nr_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
