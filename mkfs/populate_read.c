/*
 * mkfs/populate_read.c: reading small source files ahead of the -p walk.
 *
 * The walk (populate.c) runs on an allocation worker; opening, reading
 * and closing tens of thousands of small source files used to happen
 * there too, in line with the inode and directory work, and took about
 * as long.  A reader thread now visits the tree in the walk's own order
 * (depth first, entries in creation order) and reads every small file
 * whole into a ring of memory while the worker is still busy with the
 * files before it.  The worker takes the files from the ring in the same
 * order, so the two run side by side on two cores.
 *
 * The ring holds RING_BYTES of file data and RING_SLOTS files.  A slot
 * takes whole blocks (the tail of the last one zeroed, as the device
 * copy needs) and never wraps: when a file does not fit before the end
 * of the ring, the reader starts it at the beginning.  Offsets only
 * grow; a slot's end is the ring's new tail once the worker is done
 * with it.  The reader waits only when the ring is full and the worker
 * only when the ring is empty; each wakes the other only when it waits.
 *
 * Which files are read ahead is decided by pop_read_wanted(), from the
 * tree alone, so both sides agree.  A file that grew past its slot
 * since the tree was loaded is left to the worker to read itself, as is
 * every large file.  Errors are kept in the slot and reported by the
 * worker when it reaches the file, so messages and their order are the
 * same as without the reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkfs/mkfs.h"
#include "mkfs/populate.h"

#define RING_BYTES	(2U << 20)
#define RING_SLOTS	1024U		/* a power of two */
#define READ_MAX	(256U << 10)	/* larger files: read by the walk */

struct read_slot {
	struct proto_node	*node;
	uint64_t		start;		/* ring offsets, growing */
	uint64_t		end;
	size_t			len;		/* bytes read */
	int			error;		/* -errno, or 0 */
	enum pop_read_state	state;
};

struct pop_reader {
	pthread_t		thread;
	pthread_mutex_t		lock;
	pthread_cond_t		cond;
	unsigned char		*ring;
	struct read_slot	slots[RING_SLOTS];
	uint64_t		produced;	/* slots filled */
	uint64_t		consumed;	/* slots released */
	uint64_t		head;		/* ring offset of the next slot */
	uint64_t		tail;		/* end of the last released one */
	bool			reader_waits;
	bool			walk_waits;
	bool			stop;

	struct proto_tree	*tree;
	struct proto_srcdir	srcdir;
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
static void read_one(struct pop_reader *r, struct read_slot *s)
{
	unsigned char *buf = r->ring + s->start % RING_BYTES;
	size_t cap = (size_t)(s->end - s->start), got = 0;
	ssize_t n;
	int fd;

	fd = proto_srcdir_open(&r->srcdir, s->node->source, O_RDONLY);
	if (fd < 0) {
		s->error = -errno;
		s->state = POP_READ_OPEN_FAILED;
		return;
	}
	while (got < cap) {
		n = pread(fd, buf + got, cap - got, (off_t)got);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			s->error = -errno;
			s->state = POP_READ_FAILED;
			close(fd);
			return;
		}
		if (n == 0) {
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (got == cap) {
		s->state = POP_READ_GREW;	// the walk reads it itself
		return;
	}
	memset(buf + got, 0, cap - got);
	s->len = got;
	s->state = POP_READ_DATA;
}

/*
 * Claim the next slot for node, waiting for room; NULL when told to
 * stop.
 */
static struct read_slot *claim(struct pop_reader *r, struct proto_node *node)
{
	uint64_t need = slot_bytes(r, node), start;
	struct read_slot *s = NULL;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		start = r->head;
		if (start % RING_BYTES + need > RING_BYTES) {
			start += RING_BYTES - start % RING_BYTES;
		}
		if (r->stop || (r->produced - r->consumed < RING_SLOTS &&
				start + need - r->tail <= RING_BYTES)) {
			break;
		}
		r->reader_waits = true;
		pthread_cond_wait(&r->cond, &r->lock);
	}
	if (!r->stop) {
		s = &r->slots[r->produced % RING_SLOTS];
		s->node = node;
		s->start = start;
		s->end = start + need;
		s->len = 0;
		s->error = 0;
		r->head = s->end;
	}
	pthread_mutex_unlock(&r->lock);
	return s;
}

/* The slot is filled: hand it to the walk. */
static void publish(struct pop_reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->produced++;
	if (r->walk_waits) {
		r->walk_waits = false;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
}

/* Depth first, in the walk's order. */
static void *reader_main(void *arg)
{
	struct pop_reader *r = arg;
	struct proto_node **stack_node;
	uint32_t *stack_next;
	size_t depth = 0, cap = 64;

	stack_node = malloc(cap * sizeof(*stack_node));
	stack_next = malloc(cap * sizeof(*stack_next));
	if (stack_node && stack_next) {
		stack_node[0] = r->tree->root;
		stack_next[0] = 0;
		depth = 1;
	}
	while (depth) {
		struct proto_node *dir = stack_node[depth - 1], *node;
		struct read_slot *s;

		if (stack_next[depth - 1] == dir->nkids) {
			depth--;
			continue;
		}
		node = dir->kids[stack_next[depth - 1]++];
		if (pop_read_wanted(node)) {
			s = claim(r, node);
			if (!s) {
				break;
			}
			read_one(r, s);
			publish(r);
		}
		if (!S_ISDIR(node->mode) || node->link) {
			continue;
		}
		if (depth == cap) {
			void *a = realloc(stack_node, 2 * cap * sizeof(*stack_node));

			if (a) {
				stack_node = a;
			}
			a = a ? realloc(stack_next, 2 * cap * sizeof(*stack_next)) :
				NULL;
			if (!a) {
				break;	// the walk reads the rest itself
			}
			stack_next = a;
			cap *= 2;
		}
		stack_node[depth] = node;
		stack_next[depth] = 0;
		depth++;
	}
	free(stack_node);
	free(stack_next);
	// Whatever was not read: the walk finds no slot and reads it.
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	if (r->walk_waits) {
		r->walk_waits = false;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int pop_read_start(struct populate *pop)
{
	struct pop_reader *r;

	pop->reader = NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		return 0;			// no read-ahead; not an error
	}
	if (posix_memalign((void **)&r->ring, 4096, RING_BYTES)) {
		free(r);
		return 0;
	}
	r->tree = pop->tree;
	r->blocklog = pop->mp->m_sb.sb_blocklog;
	proto_srcdir_init(&r->srcdir);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (pthread_create(&r->thread, NULL, reader_main, r)) {
		pthread_cond_destroy(&r->cond);
		pthread_mutex_destroy(&r->lock);
		free(r->ring);
		free(r);
		return 0;
	}
	pop->reader = r;
	return 0;
}

void pop_read_stop(struct populate *pop)
{
	struct pop_reader *r = pop->reader;

	if (!r) {
		return;
	}
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	if (r->reader_waits) {
		r->reader_waits = false;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	proto_srcdir_release(&r->srcdir);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	free(r->ring);
	free(r);
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
	while (r->produced == r->consumed && !r->stop) {
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
	if (r->reader_waits) {
		r->reader_waits = false;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
}
