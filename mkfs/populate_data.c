/*
 * mkfs/populate_data.c: regular file data for mkfs.xfs -p, and the
 * progress line.
 *
 * A source file is read region by region as SEEK_DATA/SEEK_HOLE report
 * them (so holes stay holes; a file system without them gives one region,
 * the whole file).  Each region, widened to whole blocks, is mapped with
 * libxfs_bmapi_write inside the running batch transaction -- its blocks
 * come from the offloaded allocator, next to the previous extent -- and
 * the data goes straight to the device at the mapped blocks, the tail of
 * the last block zero-filled.  Then i_size is set from the source.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkfs/mkfs.h"
#include "mkfs/populate.h"

#define POP_BUFSIZE	(1U << 20)	/* bytes read from a source at once */
#define POP_MAPS	64
#define POP_MAP_CHUNK	8192		/* blocks mapped per bmapi call */
#define POP_DATA_OPS	64		/* mapping calls per transaction */

int pop_data_init(struct populate *pop)
{
	proto_srcdir_init(&pop->srcdir);
	pop->bufsize = POP_BUFSIZE;
	pop->buf = malloc(pop->bufsize);
	pop->rbuf = malloc(POP_BUFSIZE);
	pop->wbuf = malloc(POP_BUFSIZE);
	pop->wlen = 0;
	return pop->buf && pop->rbuf && pop->wbuf ? 0 : -ENOMEM;
}

void pop_data_free(struct populate *pop)
{
	free(pop->buf);
	proto_srcdir_release(&pop->srcdir);
	free(pop->wbuf);
	free(pop->rbuf);
	pop->rbuf = NULL;
	pop->buf = NULL;
	pop->wbuf = NULL;
}

/* Write out the combined data. */
int pop_data_flush(struct populate *pop)
{
	int error = 0;

	if (pop->wlen) {
		error = libxfs_dev_write(pop->mp->m_ddev, pop->wbuf, pop->wlen,
					 pop->woff);
	}
	pop->wlen = 0;
	return error;
}

/*
 * Data for device offset off: small pieces that follow each other on
 * disk (the blocks of consecutive small files usually do) are combined
 * into one write.
 */
static int pop_data_write(struct populate *pop, const void *buf, size_t len,
			  uint64_t off)
{
	int error;

	if (pop->wlen && (off != pop->woff + pop->wlen ||
			  pop->wlen + len > POP_BUFSIZE)) {
		error = pop_data_flush(pop);
		if (error) {
			return error;
		}
	}
	if (len > POP_BUFSIZE) {
		return libxfs_dev_write(pop->mp->m_ddev, buf, len, off);
	}
	if (!pop->wlen) {
		pop->woff = off;
	}
	memcpy(pop->wbuf + pop->wlen, buf, len);
	pop->wlen += len;
	return 0;
}

/*
 * Copy file bytes [start, end) (block aligned; end may pass EOF, the
 * excess is zero) from fd -- or from data, when the caller has them in
 * memory -- to blocks mapped for them.
 */
static int copy_mapped(struct populate *pop, struct proto_node *node, int fd,
		       const unsigned char *data, uint64_t datalen,
		       const struct xfs_bmbt_irec *map, uint64_t start,
		       uint64_t end)
{
	struct xfs_mount *mp = pop->mp;
	unsigned int blocklog = mp->m_sb.sb_blocklog;
	uint64_t foff = start, daddr_off;
	ssize_t n;
	int error;

	daddr_off = BBTOB(xfs_mp_fsb_to_daddr(mp, map->br_startblock)) +
		    (start - (map->br_startoff << blocklog));
	while (foff < end) {
		size_t want = end - foff < pop->bufsize ?
			      (size_t)(end - foff) : pop->bufsize;
		const unsigned char *src = pop->buf;
		size_t got = 0;

		if (data) {
			// Zero to the block end already: written from there.
			src = data + foff;
			got = foff >= datalen ? 0 :
			      (size_t)(datalen - foff < want ?
				       datalen - foff : want);
		}
		while (!data && got < want) {
			n = pread(fd, pop->buf + got, want - got,
				  (off_t)(foff + got));
			if (n < 0 && errno == EINTR) {
				continue;
			}
			if (n < 0) {
				error = -errno;
				pop_error(pop, node, "read failed", error);
				return error;
			}
			if (n == 0) {
				break;		// EOF: the rest is zero
			}
			got += (size_t)n;
		}
		if (!data && got < want) {
			memset(pop->buf + got, 0, want - got);
		}
		error = pop_data_write(pop, src, want, daddr_off);
		if (error) {
			pop_error(pop, node, "cannot write data", error);
			return error;
		}
		foff += want;
		daddr_off += want;
		pop->bytes_done += got;
	}
	return 0;
}

/* Give file blocks [fb, fb + nb) space and fill them from fd. */
static int copy_region(struct populate *pop, struct proto_node *node,
		       struct xfs_inode *ip, int fd, const unsigned char *data,
		       uint64_t datalen, uint64_t fb, uint64_t nb)
{
	unsigned int blocklog = pop->mp->m_sb.sb_blocklog;
	struct xfs_bmbt_irec maps[POP_MAPS];
	uint64_t end = fb + nb;
	int error, nmap, i;

	while (fb < end) {
		uint64_t len = end - fb < POP_MAP_CHUNK ? end - fb :
							  POP_MAP_CHUNK;

		error = pop_trans_room(pop, node, POP_DATA_OPS);
		if (error) {
			return error;
		}
		nmap = POP_MAPS;
		error = libxfs_bmapi_write(pop->tp, ip, fb, len, 0, maps, &nmap);
		pop->nops++;
		if (error) {
			pop_error(pop, node, "cannot allocate data blocks",
				  error);
			return error;
		}
		if (nmap <= 0) {
			pop_error(pop, node, "cannot allocate data blocks",
				  -ENOSPC);
			return -ENOSPC;
		}
		for (i = 0; i < nmap; i++) {
			uint64_t s = maps[i].br_startoff;
			uint64_t e = s + maps[i].br_blockcount;

			if (s < fb) {
				s = fb;
			}
			if (e > end) {
				e = end;
			}
			if (s >= e || xfs_bmap_is_hole(&maps[i])) {
				continue;
			}
			error = copy_mapped(pop, node, fd, data, datalen,
					    &maps[i], s << blocklog,
					    e << blocklog);
			if (error) {
				return error;
			}
		}
		fb = maps[nmap - 1].br_startoff + maps[nmap - 1].br_blockcount;
	}
	return 0;
}

static bool block_is_zero(const unsigned char *p, size_t len)
{
	const uint64_t *w = (const uint64_t *)p;
	size_t i;

	for (i = 0; i < len / 8; i++) {
		if (w[i]) {
			return false;
		}
	}
	return true;
}

/*
 * A file read whole into buf (len bytes, then zeros to the end of the
 * block): map and write its blocks, leaving blocks of zeros as holes
 * (small files are not worth two lseeks each).
 */
static int copy_small(struct populate *pop, struct proto_node *node,
		      struct xfs_inode *ip, const unsigned char *buf,
		      size_t len)
{
	unsigned int blocklog = pop->mp->m_sb.sb_blocklog;
	size_t bsize = (size_t)1 << blocklog;
	uint64_t nblocks = (len + bsize - 1) >> blocklog, b = 0, e;
	int error;

	while (b < nblocks) {
		if (block_is_zero(buf + (b << blocklog), bsize)) {
			b++;
			continue;
		}
		for (e = b + 1; e < nblocks &&
		     !block_is_zero(buf + (e << blocklog), bsize); e++) {
		}
		error = copy_region(pop, node, ip, -1, buf, len, b, e - b);
		if (error) {
			return error;
		}
		b = e;
	}
	return 0;
}

/* The file is copied: its size, from the source as read. */
static int set_size(struct populate *pop, struct proto_node *node,
		    struct xfs_inode *ip, uint64_t base, uint64_t size)
{
	int error;

	pop->bytes_done = base + size;		// holes count as done
	ip->i_size = size;
	error = libxfs_trans_log_inode(pop->tp, ip);
	if (error) {
		pop_error(pop, node, "cannot write inode", error);
	}
	return error;
}

/* A file the reader thread has read (or failed to). */
static int copy_read_ahead(struct populate *pop, struct proto_node *node,
			   struct xfs_inode *ip, enum pop_read_state state,
			   const struct pop_read_file *f)
{
	uint64_t base = pop->bytes_done;
	int error;

	switch (state) {
	case POP_READ_OPEN_FAILED:
		pop_error(pop, node, node->source, f->error);
		return f->error;
	case POP_READ_FAILED:
		pop_error(pop, node, "read failed", f->error);
		return f->error;
	default:
		break;
	}
	error = copy_small(pop, node, ip, f->data, f->len);
	if (!error) {
		error = set_size(pop, node, ip, base, f->len);
	}
	return error;
}

ssize_t pop_read_head(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		size_t want = len - got;

		n = pread(fd, buf + got, want, (off_t)got);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return -errno;
		}
		got += (size_t)n;
		if ((size_t)n < want) {
			break;
		}
	}
	return (ssize_t)got;
}

int pop_copy_data(struct populate *pop, struct proto_node *node,
		  struct xfs_inode *ip)
{
	unsigned int blocklog = pop->mp->m_sb.sb_blocklog;
	uint64_t bmask = (1ULL << blocklog) - 1;
	uint64_t size, off = 0, base = pop->bytes_done;
	struct pop_read_file f;
	enum pop_read_state state;
	struct stat st;
	int fd, error = 0;

	state = pop_read_take(pop, node, &f);
	if (state != POP_READ_NONE) {
		if (state != POP_READ_GREW) {
			error = copy_read_ahead(pop, node, ip, state, &f);
		}
		pop_read_release(pop);
		if (state != POP_READ_GREW) {
			return error;
		}
	}
	fd = proto_srcdir_open(&pop->srcdir, node->source, POP_SRC_OPEN);
	if (fd < 0) {
		error = -errno;
		pop_error(pop, node, node->source, error);
		return error;
	}
	// Most files are small: one read, no lseeks.  A block of the
	// buffer is kept free for zeroing the tail.
	if (node->size < POP_BUFSIZE - 65536) {
		ssize_t n = pop_read_head(fd, pop->rbuf, POP_BUFSIZE - 65536);

		if (n < 0) {
			error = (int)n;
			pop_error(pop, node, "read failed", error);
			goto out;
		}
		if ((size_t)n < POP_BUFSIZE - 65536) {
			memset(pop->rbuf + n, 0,
			       (((uint64_t)n + bmask) & ~bmask) - (uint64_t)n);
			error = copy_small(pop, node, ip, pop->rbuf, (size_t)n);
			if (!error) {
				error = set_size(pop, node, ip, base,
						 (uint64_t)n);
			}
			goto out;
		}
	}
	if (fstat(fd, &st) < 0) {
		error = -errno;
		pop_error(pop, node, node->source, error);
		goto out;
	}
	size = (uint64_t)st.st_size;
	while (off < size) {
		off_t data, hole;
		uint64_t start, end;

		data = lseek(fd, (off_t)off, SEEK_DATA);
		if (data < 0 && errno == ENXIO) {
			break;			// only a hole is left
		}
		if (data < 0) {
			// No SEEK_DATA here: all of the rest is data.
			data = (off_t)off;
			hole = (off_t)size;
		} else {
			hole = lseek(fd, data, SEEK_HOLE);
			if (hole < 0) {
				hole = (off_t)size;
			}
		}
		if ((uint64_t)hole > size) {
			hole = (off_t)size;
		}
		start = (uint64_t)data & ~bmask;
		end = ((uint64_t)hole + bmask) & ~bmask;
		if (start < off) {
			start = off;		// already copied
		}
		if (end > start) {
			error = copy_region(pop, node, ip, fd, NULL, 0,
					    start >> blocklog,
					    (end - start) >> blocklog);
			if (error) {
				goto out;
			}
		}
		off = end > (uint64_t)hole ? end : (uint64_t)hole;
		pop_progress(pop, false);
	}
	error = set_size(pop, node, ip, base, size);
out:
	close(fd);
	return error;
}

/* ---- progress ---- */

void pop_progress_start(struct populate *pop)
{
	pop->show_progress = !pop->opts->quiet && isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &pop->last_progress);
}

void pop_progress(struct populate *pop, bool force)
{
	struct timespec now;
	int64_t ms;

	if (!pop->show_progress) {
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - pop->last_progress.tv_sec) * 1000 +
	     (now.tv_nsec - pop->last_progress.tv_nsec) / 1000000;
	if (!force && ms < 250) {
		return;
	}
	pop->last_progress = now;
	pop->progress_shown = true;
	fprintf(stderr, "\rpopulating: %llu/%llu files, %llu/%llu MiB ",
		(unsigned long long)pop->files_done,
		(unsigned long long)pop->tree->nfiles,
		(unsigned long long)(pop->bytes_done >> 20),
		(unsigned long long)(pop->tree->nbytes >> 20));
}

void pop_progress_end(struct populate *pop)
{
	if (!pop->progress_shown) {
		return;
	}
	pop_progress(pop, true);
	fputc('\n', stderr);
	pop->progress_shown = false;
	pop->show_progress = false;
}
