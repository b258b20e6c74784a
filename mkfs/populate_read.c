/*
 * mkfs/populate_read.c: reading small source files ahead of the -p walk.
 *
 * The walk (populate.c) runs on an allocation worker; opening, reading
 * and closing tens of thousands of small source files used to happen
 * there too, in line with the inode and directory work, and took about
 * as long.  Now the files to read ahead are listed first, in the order
 * the walk creates them (depth first, entries in creation order), and
 * reader threads read each whole into a ring of memory while the worker
 * is still busy with the files before it.  The worker takes them from
 * the ring in the same order, so reading and writing run side by side.
 *
 * The ring holds RING_BYTES of file data and RING_SLOTS files.  Readers
 * claim slots in list order; a slot takes whole blocks (the tail of the
 * last one zeroed, as the device copy needs) and never wraps: when a
 * file does not fit before the end of the ring, its slot starts at the
 * beginning.  Offsets only grow; a slot's end is the ring's new tail
 * once the worker is done with it.  Slots are handed to the worker in
 * order, however the readers finish.  Readers wait only when the ring is
 * full.  When the next file is not read yet, the worker does not sleep
 * at once: it claims and reads the next unclaimed file itself, so on a
 * machine where reading is the slower side the two share it.  A side is
 * woken only when it waits.
 *
 * Which files are read ahead is decided by pop_read_wanted(), from the
 * tree alone, so both sides agree.  A file that grew past its slot
 * since the tree was loaded is left to the worker to read itself, as is
 * every large file.  Errors are kept in the slot and reported by the
 * worker when it reaches the file, so messages and their order are the
 * same as without read-ahead.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkfs/mkfs.h"
#include "mkfs/populate.h"

#define RING_BYTES	(2U << 20)
#define RING_SLOTS	1024U		/* a power of two */
#define READ_MAX	(256U << 10)	/* larger files: read by the walk */
#define READERS_MAX	4		/* reader threads, at most */

struct read_slot {
	struct proto_node	*node;
	uint64_t		start;		/* ring offsets, growing */
	uint64_t		end;
	size_t			len;		/* bytes read */
	int			error;		/* -errno, or 0 */
	bool			ready;		/* read (or failed) */
	enum pop_read_state	state;
};

struct pop_reader {
	pthread_t		threads[READERS_MAX];
	unsigned int		nthreads;
	pthread_mutex_t		lock;
	pthread_cond_t		cond;
	unsigned char		*ring;
	struct read_slot	slots[RING_SLOTS];
	struct proto_node	**files;	/* to read, in the walk's order */
	uint64_t		nfiles;
	uint64_t		claimed;	/* slots handed to readers */
	uint64_t		produced;	/* leading slots all ready */
	uint64_t		consumed;	/* slots released */
	uint64_t		head;		/* ring offset of the next slot */
	uint64_t		tail;		/* end of the last released one */
	unsigned int		readers_wait;	/* readers asleep */
	/* MKFS_PROTO_STATS=1: what became of the files. */
	uint64_t		by_walk;	/* read by the walk's worker */
	uint64_t		taken;		/* handed over whole */
	uint64_t		grew;		/* grew: the walk read them */
	uint64_t		missed;		/* not found in order (a bug) */
	bool			walk_waits;
	bool			stop;

	unsigned int		blocklog;
};

bool pop_read_wanted(const struct proto_node *node)
{
	return S_ISREG(node->mode) && !node->link && node->size &&
	       node->size <= READ_MAX;
}

/* Ring bytes for node: whole blocks, with room to see that it grew. */
static uint64_t slot_bytes(const struct pop_reader *r,
			   const struct proto_node *node)
{
	uint64_t bmask = (1ULL << r->blocklog) - 1;

	return (node->size + 1 + bmask) & ~bmask;
}

/* Read the file of node into its slot (no lock held). */
static void read_one(struct pop_reader *r, struct proto_srcdir *dir,
		     struct read_slot *s)
{
	unsigned char *buf = r->ring + s->start % RING_BYTES;
	size_t cap = (size_t)(s->end - s->start), got;
	ssize_t n;
	int fd;

	fd = proto_srcdir_open(dir, s->node->source, POP_SRC_OPEN);
	if (fd < 0) {
		s->error = -errno;
		s->state = POP_READ_OPEN_FAILED;
		return;
	}
	n = pop_read_head(fd, buf, cap);
	close(fd);
	if (n < 0) {
		s->error = (int)n;
		s->state = POP_READ_FAILED;
		return;
	}
	got = (size_t)n;
	if (got == cap) {
		s->state = POP_READ_GREW;	// the walk reads it itself
		return;
	}
	memset(buf + got, 0, cap - got);
	s->len = got;
	s->state = POP_READ_DATA;
}

/*
 * Claim the slot of the next file, waiting for room in the ring if wait;
 * NULL when every file is claimed, the walk stopped, or (!wait) the ring
 * is full.  Lock held.
 */
static struct read_slot *claim(struct pop_reader *r, bool wait)
{
	struct proto_node *node;
	struct read_slot *s;
	uint64_t need, start;

	for (;;) {
		if (r->stop || r->claimed == r->nfiles) {
			return NULL;
		}
		node = r->files[r->claimed];
		need = slot_bytes(r, node);
		start = r->head;
		if (start % RING_BYTES + need > RING_BYTES) {
			start += RING_BYTES - start % RING_BYTES;
		}
		if (r->claimed - r->consumed < RING_SLOTS &&
		    start + need - r->tail <= RING_BYTES) {
			break;
		}
		if (!wait) {
			return NULL;
		}
		r->readers_wait++;
		pthread_cond_wait(&r->cond, &r->lock);
		r->readers_wait--;
	}
	s = &r->slots[r->claimed % RING_SLOTS];
	s->node = node;
	s->start = start;
	s->end = start + need;
	s->len = 0;
	s->error = 0;
	s->ready = false;
	r->head = s->end;
	r->claimed++;
	return s;
}

/* Slot s is read: hand over every leading slot that is.  Lock held. */
static void slot_done(struct pop_reader *r, struct read_slot *s)
{
	uint64_t before = r->produced;

	s->ready = true;
	while (r->produced < r->claimed &&
	       r->slots[r->produced % RING_SLOTS].ready) {
		r->produced++;
	}
	if (r->produced != before && r->walk_waits) {
		r->walk_waits = false;
		pthread_cond_broadcast(&r->cond);
	}
}

/* Claim, read, hand over in order; as many readers as there are. */
static void *reader_main(void *arg)
{
	struct pop_reader *r = arg;
	struct proto_srcdir dir;
	struct read_slot *s;

	proto_srcdir_init(&dir);
	pthread_mutex_lock(&r->lock);
	while ((s = claim(r, true)) != NULL) {
		pthread_mutex_unlock(&r->lock);
		read_one(r, &dir, s);
		pthread_mutex_lock(&r->lock);
		slot_done(r, s);
	}
	pthread_mutex_unlock(&r->lock);
	proto_srcdir_release(&dir);
	return NULL;
}

/* The files to read ahead, in the order the walk creates them. */
static int list_files(struct pop_reader *r, struct proto_node *root)
{
	struct proto_node **stack_node = NULL;
	uint32_t *stack_next = NULL;
	size_t depth = 0, cap = 0, fcap = 0;
	int error = 0;

	for (struct proto_node *dir = root;;) {
		struct proto_node *node;

		if (dir) {
			// Enter dir: push it.
			if (depth == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				void *a = realloc(stack_node,
						  ncap * sizeof(*stack_node));

				if (!a) {
					error = -ENOMEM;
					break;
				}
				stack_node = a;
				a = realloc(stack_next,
					    ncap * sizeof(*stack_next));
				if (!a) {
					error = -ENOMEM;
					break;
				}
				stack_next = a;
				cap = ncap;
			}
			stack_node[depth] = dir;
			stack_next[depth++] = 0;
			dir = NULL;
		}
		if (!depth) {
			break;
		}
		if (stack_next[depth - 1] == stack_node[depth - 1]->nkids) {
			depth--;
			continue;
		}
		node = stack_node[depth - 1]->kids[stack_next[depth - 1]++];
		if (pop_read_wanted(node)) {
			if (r->nfiles == fcap) {
				size_t ncap = fcap ? fcap * 2 : 1024;
				void *a = realloc(r->files,
						  ncap * sizeof(*r->files));

				if (!a) {
					error = -ENOMEM;
					break;
				}
				r->files = a;
				fcap = ncap;
			}
			r->files[r->nfiles++] = node;
		}
		if (S_ISDIR(node->mode) && !node->link) {
			dir = node;
		}
	}
	free(stack_node);
	free(stack_next);
	return error;
}

/*
 * Reader threads: one beside the walk's worker on two CPUs, two from
 * four CPUs up (a machine of two is busy with one reader and the walk).
 * MKFS_PROTO_READERS=N overrides it (0: no read-ahead; tests use 2).
 */
static unsigned int pop_read_threads(void)
{
	const char *env = getenv("MKFS_PROTO_READERS");
	long cpus;

	if (env && *env) {
		long n = strtol(env, NULL, 10);

		return n <= 0 ? 0 : n > READERS_MAX ? READERS_MAX :
						     (unsigned int)n;
	}
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus >= 4 ? 2 : 1;
}

static void reader_free(struct pop_reader *r)
{
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r->files);
	free(r->ring);
	free(r);
}

int pop_read_start(struct populate *pop)
{
	struct pop_reader *r;
	unsigned int want = pop_read_threads();

	pop->reader = NULL;
	if (!want) {
		return 0;
	}
	// Without read-ahead the walk reads every file itself: not an error.
	r = calloc(1, sizeof(*r));
	if (!r) {
		return 0;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	r->blocklog = pop->mp->m_sb.sb_blocklog;
	if (posix_memalign((void **)&r->ring, 4096, RING_BYTES) ||
	    list_files(r, pop->tree->root) || !r->nfiles) {
		reader_free(r);
		return 0;
	}
	while (r->nthreads < want &&
	       !pthread_create(&r->threads[r->nthreads], NULL, reader_main,
			       r)) {
		r->nthreads++;
	}
	if (!r->nthreads) {
		reader_free(r);
		return 0;
	}
	pop->reader = r;
	return 0;
}

void pop_read_stop(struct populate *pop)
{
	struct pop_reader *r = pop->reader;
	unsigned int i;

	if (!r) {
		return;
	}
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < r->nthreads; i++) {
		pthread_join(r->threads[i], NULL);
	}
	if (getenv("MKFS_PROTO_STATS")) {
		fprintf(stderr,
			"read-ahead: files=%llu readers=%u taken=%llu by-walk=%llu grew=%llu missed=%llu\n",
			(unsigned long long)r->nfiles, r->nthreads,
			(unsigned long long)r->taken,
			(unsigned long long)r->by_walk,
			(unsigned long long)r->grew,
			(unsigned long long)r->missed);
	}
	reader_free(r);
	pop->reader = NULL;
}

enum pop_read_state pop_read_take(struct populate *pop,
				  const struct proto_node *node,
				  struct pop_read_file *f)
{
	struct pop_reader *r = pop->reader;
	struct read_slot *s;
	enum pop_read_state state = POP_READ_NONE;

	if (!r || !pop_read_wanted(node)) {
		return POP_READ_NONE;
	}
	pthread_mutex_lock(&r->lock);
	while (r->produced == r->consumed && r->consumed < r->nfiles &&
	       !r->stop) {
		// Rather than wait for the readers, read the next file too.
		s = claim(r, false);
		if (s) {
			r->by_walk++;
			pthread_mutex_unlock(&r->lock);
			read_one(r, &pop->srcdir, s);
			pthread_mutex_lock(&r->lock);
			slot_done(r, s);
			continue;
		}
		r->walk_waits = true;
		pthread_cond_wait(&r->cond, &r->lock);
	}
	if (r->produced != r->consumed) {
		s = &r->slots[r->consumed % RING_SLOTS];
		if (s->node == node) {
			state = s->state;
			f->data = r->ring + s->start % RING_BYTES;
			f->len = s->len;
			f->error = s->error;
		}
	}
	pthread_mutex_unlock(&r->lock);
	if (state == POP_READ_NONE) {
		r->missed++;
	} else if (state == POP_READ_GREW) {
		r->grew++;
	} else {
		r->taken++;
	}
	return state;
}

void pop_read_release(struct populate *pop)
{
	struct pop_reader *r = pop->reader;
	struct read_slot *s;

	pthread_mutex_lock(&r->lock);
	s = &r->slots[r->consumed % RING_SLOTS];
	r->tail = s->end;
	r->consumed++;
	if (r->readers_wait) {
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
}
