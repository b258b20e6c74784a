/*
 * mkfs/populate.h: state shared by the files of the -p writing pass
 * (populate.c: the tree walk and inodes; populate_data.c: file data and
 * progress).
 */
#ifndef MKFS_POPULATE_H_
#define MKFS_POPULATE_H_

#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <time.h>

#include "libxfs.h"
#include "mkfs/proto.h"

struct populate {
	struct xfs_mount		*mp;
	const struct mkfs_proto_opts	*opts;
	struct proto_tree		*tree;
	struct xfs_trans		*tp;		/* the running batch */
	unsigned int			nops;		/* operations in it */
	struct xfs_ictime		now;		/* times not in the tree */
	bool				reported;	/* an error was printed */

	struct proto_srcdir		srcdir;		/* opening sources */
	unsigned char			*buf;		/* data copy buffer */
	size_t				bufsize;
	unsigned char			*rbuf;		/* a small file, whole */
	unsigned char			*wbuf;		/* write combining */
	size_t				wlen;		/* bytes pending in it */
	uint64_t			woff;		/* their device offset */

	struct pop_reader		*reader;	/* read-ahead thread */

	bool				show_progress;
	bool				progress_shown;
	uint64_t			files_done;
	uint64_t			bytes_done;
	struct timespec			last_progress;
};

/*
 * Opening a source file to copy it: a file that became a fifo since the
 * tree was loaded must not block the open (its read then fails).
 */
#define POP_SRC_OPEN	(O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* Transactions of the batch. */
int pop_trans_get(struct populate *pop);
int pop_trans_commit(struct populate *pop);
int pop_trans_room(struct populate *pop, const struct proto_node *node,
		   unsigned int limit);

/* "mkfs.xfs: PATH: WHAT: CAUSE" (only the first error is printed). */
void pop_error(struct populate *pop, const struct proto_node *node,
	       const char *what, int error);

/* populate_data.c */
int pop_data_init(struct populate *pop);
int pop_data_flush(struct populate *pop);
void pop_data_free(struct populate *pop);
int pop_copy_data(struct populate *pop, struct proto_node *node,
		  struct xfs_inode *ip);
/*
 * Read up to len bytes at offset 0; the count read, or -errno.  A short
 * read of a regular file is its end: no second call to see 0.
 */
ssize_t pop_read_head(int fd, unsigned char *buf, size_t len);
void pop_progress_start(struct populate *pop);
void pop_progress(struct populate *pop, bool force);
void pop_progress_end(struct populate *pop);

/* populate_read.c: small source files read ahead on a thread */
enum pop_read_state {
	POP_READ_NONE,		/* not read ahead: read it yourself */
	POP_READ_DATA,		/* whole file in the ring */
	POP_READ_GREW,		/* larger than at load: read it yourself */
	POP_READ_OPEN_FAILED,	/* error: -errno of open */
	POP_READ_FAILED,	/* error: -errno of read */
};

struct pop_read_file {
	const unsigned char	*data;	/* len bytes, zeros to the block end */
	size_t			len;
	int			error;
};

bool pop_read_wanted(const struct proto_node *node);
int pop_read_start(struct populate *pop);
void pop_read_stop(struct populate *pop);
enum pop_read_state pop_read_take(struct populate *pop,
				  const struct proto_node *node,
				  struct pop_read_file *f);
void pop_read_release(struct populate *pop);

#endif /* MKFS_POPULATE_H_ */
