/*
 * dev.c: the device layer under the buffer cache.
 *
 * Owns struct libxfs_dev and two implementations of its ops: image files /
 * block devices (pread/pwrite on a file descriptor) and a memory device.
 * The generic entry points here loop over short transfers, turn "end of
 * device" into -EIO, count I/O, and refuse every write on a read-only
 * device before it reaches the implementation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>

#include "libxfs_io.h"

static void dev_count(uint64_t *ctr, uint64_t n)
{
	__atomic_fetch_add(ctr, n, __ATOMIC_RELAXED);
}

/* ---- generic layer ---- */

int libxfs_dev_create(const struct libxfs_dev_ops *ops, void *priv,
		      const char *name, bool readonly,
		      struct libxfs_dev **devp)
{
	struct libxfs_dev *dev;

	*devp = NULL;
	if (!ops || !ops->pread || !ops->size) {
		return -EINVAL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		return -ENOMEM;
	}
	dev->name = strdup(name ? name : "(anonymous)");
	if (!dev->name) {
		free(dev);
		return -ENOMEM;
	}
	dev->ops = ops;
	dev->priv = priv;
	dev->readonly = readonly;
	*devp = dev;
	return 0;
}

void libxfs_dev_close(struct libxfs_dev *dev)
{
	if (!dev) {
		return;
	}
	if (dev->ops->destroy) {
		dev->ops->destroy(dev);
	}
	free(dev->name);
	free(dev);
}

int libxfs_dev_read(struct libxfs_dev *dev, void *buf, size_t len,
		    uint64_t off)
{
	char *p = buf;
	size_t done = 0;

	// Invariant: [off, off + done) has been read into buf.
	while (done < len) {
		ssize_t n = dev->ops->pread(dev, p + done, len - done,
					    off + done);
		if (n == -EINTR) {
			continue;
		}
		if (n < 0) {
			return (int)n;
		}
		if (n == 0) {
			return -EIO;	/* past the end of the device */
		}
		done += (size_t)n;
	}
	dev_count(&dev->stats.reads, 1);
	dev_count(&dev->stats.bytes_read, len);
	return 0;
}

int libxfs_dev_write(struct libxfs_dev *dev, const void *buf, size_t len,
		     uint64_t off)
{
	const char *p = buf;
	size_t done = 0;

	if (dev->readonly || !dev->ops->pwrite) {
		return -EROFS;
	}
	// Invariant: [off, off + done) has been handed to the device.
	while (done < len) {
		ssize_t n = dev->ops->pwrite(dev, p + done, len - done,
					     off + done);
		if (n == -EINTR) {
			continue;
		}
		if (n < 0) {
			return (int)n;
		}
		if (n == 0) {
			return -EIO;	/* device full / past its end */
		}
		done += (size_t)n;
	}
	dev_count(&dev->stats.writes, 1);
	dev_count(&dev->stats.bytes_written, len);
	return 0;
}

/* Zero buffer for libxfs_dev_zero's fallback: one large write at a time. */
#define DEV_ZERO_CHUNK	(1U << 20)

int libxfs_dev_zero(struct libxfs_dev *dev, uint64_t off, uint64_t len)
{
	void *zbuf;
	int error = -EOPNOTSUPP;

	if (dev->readonly || !dev->ops->pwrite) {
		return -EROFS;
	}
	if (len == 0) {
		return 0;
	}
	if (dev->ops->zero) {
		error = dev->ops->zero(dev, off, len);
		if (error != -EOPNOTSUPP) {
			if (!error) {
				dev_count(&dev->stats.writes, 1);
				dev_count(&dev->stats.bytes_written, len);
			}
			return error;
		}
	}
	zbuf = calloc(1, len < DEV_ZERO_CHUNK ? (size_t)len : DEV_ZERO_CHUNK);
	if (!zbuf) {
		return -ENOMEM;
	}
	error = 0;
	// Invariant: [original off, off) reads back as zeroes.
	while (len && !error) {
		size_t n = len < DEV_ZERO_CHUNK ? (size_t)len : DEV_ZERO_CHUNK;

		error = libxfs_dev_write(dev, zbuf, n, off);
		off += n;
		len -= n;
	}
	free(zbuf);
	return error;
}

int libxfs_dev_flush(struct libxfs_dev *dev)
{
	int error = 0;

	if (dev->readonly) {
		return 0;
	}
	if (dev->ops->flush) {
		error = dev->ops->flush(dev);
	}
	if (!error) {
		dev_count(&dev->stats.flushes, 1);
	}
	return error;
}

int libxfs_dev_size(struct libxfs_dev *dev, uint64_t *bytes)
{
	return dev->ops->size(dev, bytes);
}

void libxfs_dev_get_stats(struct libxfs_dev *dev,
			  struct libxfs_dev_stats *stats)
{
	stats->reads = __atomic_load_n(&dev->stats.reads, __ATOMIC_RELAXED);
	stats->writes = __atomic_load_n(&dev->stats.writes, __ATOMIC_RELAXED);
	stats->bytes_read = __atomic_load_n(&dev->stats.bytes_read,
					    __ATOMIC_RELAXED);
	stats->bytes_written = __atomic_load_n(&dev->stats.bytes_written,
					       __ATOMIC_RELAXED);
	stats->flushes = __atomic_load_n(&dev->stats.flushes,
					 __ATOMIC_RELAXED);
}

/* ---- image files and block devices ---- */

struct fdev {
	int	fd;
	bool	blockdev;
};

static ssize_t fdev_pread(struct libxfs_dev *dev, void *buf, size_t len,
			  uint64_t off)
{
	struct fdev *f = dev->priv;
	ssize_t n = pread(f->fd, buf, len, (off_t)off);

	return n < 0 ? -errno : n;
}

static ssize_t fdev_pwrite(struct libxfs_dev *dev, const void *buf,
			   size_t len, uint64_t off)
{
	struct fdev *f = dev->priv;
	ssize_t n = pwrite(f->fd, buf, len, (off_t)off);

	return n < 0 ? -errno : n;
}

static int fdev_flush(struct libxfs_dev *dev)
{
	struct fdev *f = dev->priv;

	if (fsync(f->fd) < 0) {
		return -errno;
	}
	return 0;
}

static int fdev_size(struct libxfs_dev *dev, uint64_t *bytes)
{
	struct fdev *f = dev->priv;
	struct stat st;

	if (f->blockdev) {
		uint64_t sz;

		if (ioctl(f->fd, BLKGETSIZE64, &sz) < 0) {
			return -errno;
		}
		*bytes = sz;
		return 0;
	}
	if (fstat(f->fd, &st) < 0) {
		return -errno;
	}
	*bytes = (uint64_t)st.st_size;
	return 0;
}

/*
 * Image files: punch a hole (the range then reads as zeroes and takes no
 * space); block devices: BLKZEROOUT.  -EOPNOTSUPP sends the caller to
 * plain writes.
 */
static int fdev_zero(struct libxfs_dev *dev, uint64_t off, uint64_t len)
{
	struct fdev *f = dev->priv;

	if (f->blockdev) {
		uint64_t range[2] = { off, len };

		if (ioctl(f->fd, BLKZEROOUT, range) == 0) {
			return 0;
		}
		return -EOPNOTSUPP;
	}
	if (fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)len) == 0) {
		return 0;
	}
	return -EOPNOTSUPP;
}

static void fdev_destroy(struct libxfs_dev *dev)
{
	struct fdev *f = dev->priv;

	close(f->fd);
	free(f);
}

static const struct libxfs_dev_ops fdev_ops = {
	.name		= "file",
	.pread		= fdev_pread,
	.pwrite		= fdev_pwrite,
	.flush		= fdev_flush,
	.size		= fdev_size,
	.destroy	= fdev_destroy,
	.zero		= fdev_zero,
};

int libxfs_dev_open(const char *path, unsigned int flags,
		    struct libxfs_dev **devp)
{
	bool ro = flags & LIBXFS_DEV_RDONLY;
	struct fdev *f;
	struct stat st;
	int oflags = (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC;
	int error;

	*devp = NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		return -ENOMEM;
	}
	if (flags & LIBXFS_DEV_EXCL) {
		oflags |= O_EXCL;	/* only meaningful for block devices */
	}
	f->fd = open(path, oflags);
	if (f->fd < 0 && (flags & LIBXFS_DEV_EXCL) && errno == EEXIST) {
		f->fd = open(path, oflags & ~O_EXCL);	/* regular file */
	}
	if (f->fd < 0) {
		error = -errno;
		free(f);
		return error;
	}
	if (fstat(f->fd, &st) < 0) {
		error = -errno;
		goto out_close;
	}
	if (S_ISBLK(st.st_mode)) {
		f->blockdev = true;
	} else if (!S_ISREG(st.st_mode)) {
		error = -ENODEV;
		goto out_close;
	}
	error = libxfs_dev_create(&fdev_ops, f, path, ro, devp);
	if (error) {
		goto out_close;
	}
	return 0;

out_close:
	close(f->fd);
	free(f);
	return error;
}

/* ---- memory device ---- */

struct mdev {
	char		*data;
	uint64_t	size;
};

static ssize_t mdev_pread(struct libxfs_dev *dev, void *buf, size_t len,
			  uint64_t off)
{
	struct mdev *m = dev->priv;

	if (off >= m->size) {
		return 0;
	}
	if (len > m->size - off) {
		len = (size_t)(m->size - off);
	}
	memcpy(buf, m->data + off, len);
	return (ssize_t)len;
}

static ssize_t mdev_pwrite(struct libxfs_dev *dev, const void *buf,
			   size_t len, uint64_t off)
{
	struct mdev *m = dev->priv;

	if (off >= m->size) {
		return -ENOSPC;
	}
	if (len > m->size - off) {
		len = (size_t)(m->size - off);
	}
	memcpy(m->data + off, buf, len);
	return (ssize_t)len;
}

static int mdev_size(struct libxfs_dev *dev, uint64_t *bytes)
{
	struct mdev *m = dev->priv;

	*bytes = m->size;
	return 0;
}

static void mdev_destroy(struct libxfs_dev *dev)
{
	struct mdev *m = dev->priv;

	free(m->data);
	free(m);
}

static const struct libxfs_dev_ops mdev_ops = {
	.name		= "memory",
	.pread		= mdev_pread,
	.pwrite		= mdev_pwrite,
	.size		= mdev_size,
	.destroy	= mdev_destroy,
};

int libxfs_dev_open_mem(const void *image, uint64_t size, bool readonly,
			struct libxfs_dev **devp)
{
	struct mdev *m;
	int error;

	*devp = NULL;
	if (size > SIZE_MAX) {
		return -EFBIG;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		return -ENOMEM;
	}
	m->data = calloc(1, size ? (size_t)size : 1);
	if (!m->data) {
		free(m);
		return -ENOMEM;
	}
	m->size = size;
	if (image && size) {
		memcpy(m->data, image, (size_t)size);
	}
	error = libxfs_dev_create(&mdev_ops, m, "(memory)", readonly, devp);
	if (error) {
		free(m->data);
		free(m);
	}
	return error;
}
