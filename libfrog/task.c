/*
 * task.c: per-thread task flags.  Owns the thread-local struct task behind
 * current_task() and the nested save/restore helpers around its flags.
 */
#include "libfrog/task.h"

// Zero-initialised per thread by the C runtime, so every new thread
// (workers included) starts with no flags set.
_Thread_local struct task libfrog_current_task;

void current_set_flags_nested(unsigned int *saved, unsigned int flags)
{
	struct task *tsk = current_task();

	*saved = tsk->flags & flags;
	tsk->flags |= flags;
}

void current_restore_flags_nested(unsigned int *saved, unsigned int flags)
{
	struct task *tsk = current_task();

	// Only the bits this pair owns are rewritten; all others keep their
	// current value, whoever set them in between.
	tsk->flags = (tsk->flags & ~flags) | (*saved & flags);
}

unsigned int memalloc_nofs_save(void)
{
	struct task *tsk = current_task();
	unsigned int old = tsk->flags & PF_MEMALLOC_NOFS;

	tsk->flags |= PF_MEMALLOC_NOFS;
	return old;
}

void memalloc_nofs_restore(unsigned int saved)
{
	struct task *tsk = current_task();

	tsk->flags = (tsk->flags & ~PF_MEMALLOC_NOFS) |
		     (saved & PF_MEMALLOC_NOFS);
}

bool current_may_fs_reclaim(void)
{
	return !current_test_flags(PF_FSTRANS | PF_MEMALLOC);
}
