/*
 * mkfs/write.c: the writer stage's driver (see write.h).  Prepares the
 * devices, clears the log, writes the primary superblock, then mounts
 * the new filesystem with libxfs for the rest (every AG's headers, the
 * inodes, the final superblock).
 *
 * What is zeroed, besides what is written: the first and the last
 * MKFS_WHACK_BYTES of the data device (old signatures, MD superblocks,
 * partition table copies), the superblock sectors of an XFS that was
 * there before (so that no stale secondary superblock survives past the
 * new AG boundaries), and the whole log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "mkfs/mkfs.h"
#include "mkfs/write.h"

#define MKFS_WHACK_BYTES	(128U * 1024)

static enum mkfs_status fail(const char *what, const char *name, int error)
{
	fprintf(stderr, "%s: %s %s failed: %s\n", progname, what,
		name ? name : "", strerror(-error));
	return MKFS_FAIL;
}

/*
 * An image file is made (or recreated, for an explicit "-d file") and
 * grown to hold the data section; then the device is opened for libxfs.
 */
static enum mkfs_status open_device(const struct mkfs_dev *dev,
				    uint64_t min_bytes, struct libxfs_dev **devp)
{
	struct stat st;
	int error, fd;

	if (dev->isfile) {
		fd = open(dev->name, O_RDWR | O_CREAT |
			  (dev->create ? O_TRUNC : 0), 0666);
		if (fd < 0) {
			return fail("open", dev->name, -errno);
		}
		if (fstat(fd, &st) == 0 && (uint64_t)st.st_size < min_bytes &&
		    ftruncate(fd, (off_t)min_bytes) < 0) {
			error = -errno;
			close(fd);
			return fail("size", dev->name, error);
		}
		close(fd);
	}
	error = libxfs_dev_open(dev->name, LIBXFS_DEV_EXCL, devp);
	if (error) {
		return fail("open", dev->name, error);
	}
	return MKFS_OK;
}

/* Tell a block device that its old contents are garbage (-K: don't). */
static void discard_device(struct libxfs_dev *dev, const char *name)
{
	uint64_t range[2] = { 0, 0 };
	struct stat st;
	int fd;

	if (libxfs_dev_size(dev, &range[1]) != 0 || stat(name, &st) != 0 ||
	    !S_ISBLK(st.st_mode)) {
		return;
	}
	fd = open(name, O_RDWR);
	if (fd >= 0) {
		// A device that cannot discard is no error.
		(void)ioctl(fd, BLKDISCARD, range);
		close(fd);
	}
}

/* The superblock sectors of an XFS that was on the device before. */
static int zero_old_xfs(struct libxfs_dev *dev, uint64_t devbytes)
{
	uint8_t buf[BBSIZE];
	struct xfs_sb old;
	uint64_t off;
	uint32_t agno;
	int error;

	if (libxfs_dev_read(dev, buf, sizeof(buf), 0) != 0) {
		return 0;
	}
	libxfs_sb_from_disk(&old, buf);
	if (old.sb_magicnum != XFS_SB_MAGIC || old.sb_sectsize < BBSIZE ||
	    old.sb_blocksize < BBSIZE || old.sb_agblocks == 0) {
		return 0;
	}
	for (agno = 1; agno < old.sb_agcount; agno++) {
		off = (uint64_t)agno * old.sb_agblocks * old.sb_blocksize;
		if (off + old.sb_sectsize > devbytes) {
			break;
		}
		error = libxfs_dev_zero(dev, off, old.sb_sectsize);
		if (error) {
			return error;
		}
	}
	return 0;
}

static int zero_edges(struct libxfs_dev *dev, uint64_t devbytes)
{
	uint64_t n = devbytes < MKFS_WHACK_BYTES ? devbytes : MKFS_WHACK_BYTES;
	int error;

	error = libxfs_dev_zero(dev, 0, n);
	if (!error && devbytes > n) {
		error = libxfs_dev_zero(dev, devbytes - n, n);
	}
	return error;
}

/*
 * The superblock every AG gets now: counters as the headers leave them,
 * still "in progress", realtime inodes not made yet.  The primary is
 * finished after the mounted stage.
 */
static void initial_sb(const struct mkfs_geometry *g, struct xfs_sb *sb)
{
	uint64_t agno, fdblocks = 0;

	geometry_to_sb(g, sb);
	for (agno = 0; agno < g->agcount; agno++) {
		fdblocks += ag_free_blocks(g, (uint32_t)agno);
	}
	sb->sb_fdblocks = fdblocks;
	sb->sb_frextents = g->rtextents;
	sb->sb_inprogress = 1;
	sb->sb_rbmino = NULLFSINO;
	sb->sb_rsumino = NULLFSINO;
}

/* The primary superblock alone: what the mount needs to start. */
static int write_primary_sb(const struct mkfs_geometry *g,
			    struct libxfs_dev *dev, const struct xfs_dsb *dsb)
{
	uint8_t *sect = calloc(1, g->sectorsize);
	int error;

	if (!sect) {
		return -ENOMEM;
	}
	memcpy(sect, dsb, sizeof(*dsb));
	libxfs_update_cksum(sect, g->sectorsize, XFS_SB_CRC_OFF);
	error = libxfs_dev_write(dev, sect, g->sectorsize, 0);
	free(sect);
	return error;
}

static int clear_log(const struct mkfs_geometry *g, struct libxfs_dev *ddev,
		     struct libxfs_dev *logdev)
{
	struct xfs_log_clear_args args = {
		.bbs		= g->logblocks << (g->blocklog - BBSHIFT),
		.uuid		= g->uuid,
		.logsunit	= g->lsunit ? g->lsunit << g->blocklog : 1,
		.sectsize	= g->lsectorsize,
		.cycle		= 1,
	};

	if (g->loginternal) {
		args.daddr = xfs_fsbno_to_daddr(g->blocklog, g->agblklog,
						(uint32_t)g->agsize,
						g->logstart);
		return libxfs_log_clear(ddev, &args);
	}
	return libxfs_log_clear(logdev, &args);
}

enum mkfs_status write_filesystem(const struct mkfs_cli *cli,
				  const struct mkfs_devices *devs,
				  const struct mkfs_geometry *g,
				  const struct mkfs_write_hooks *hooks)
{
	struct libxfs_dev *ddev = NULL, *logdev = NULL;
	struct xfs_mount *mp = NULL;
	struct xfs_dsb dsb;
	struct xfs_sb sb;
	enum mkfs_status st;
	uint64_t devbytes;
	int error;

	if (!g->feat.crc) {
		fprintf(stderr, "%s: V4 (crc=0) filesystems cannot be "
			"written yet\n", progname);
		return MKFS_FAIL;
	}
	if (g->rtblocks) {
		fprintf(stderr, "%s: realtime sections cannot be written "
			"yet\n", progname);
		return MKFS_FAIL;
	}
	st = open_device(&devs->data, g->dblocks << g->blocklog, &ddev);
	if (st == MKFS_OK && !g->loginternal) {
		st = open_device(&devs->log,
				 g->logblocks << g->blocklog, &logdev);
	}
	if (st != MKFS_OK) {
		goto out_close;
	}
	if (cli->discard) {
		discard_device(ddev, devs->data.name);
		if (logdev) {
			discard_device(logdev, devs->log.name);
		}
	}

	error = libxfs_dev_size(ddev, &devbytes);
	if (!error) {
		error = zero_old_xfs(ddev, devbytes);
	}
	if (!error) {
		error = zero_edges(ddev, devbytes);
	}
	if (error) {
		st = fail("zeroing", devs->data.name, error);
		goto out_close;
	}
	initial_sb(g, &sb);
	memset(&dsb, 0, sizeof(dsb));
	libxfs_sb_to_disk(&dsb, &sb);
	error = write_primary_sb(g, ddev, &dsb);
	if (error) {
		st = fail("writing the superblock on", devs->data.name, error);
		goto out_close;
	}
	error = clear_log(g, ddev, logdev);
	if (error) {
		st = fail("clearing the log on", g->loginternal ?
			  devs->data.name : devs->log.name, error);
		goto out_close;
	}

	error = libxfs_mount_dev(ddev, logdev, LIBXFS_MOUNT_QUIET, &mp);
	if (error) {
		st = fail("mounting the new filesystem on", devs->data.name,
			  error);
		goto out_close;
	}
	// The mount owns the devices now.
	ddev = logdev = NULL;
	st = write_fs_contents(g, mp, &dsb, hooks);
	error = libxfs_umount(mp);
	if (error && st == MKFS_OK) {
		st = fail("flushing", devs->data.name, error);
	}
	return st;

out_close:
	if (logdev) {
		libxfs_dev_close(logdev);
	}
	if (ddev) {
		libxfs_dev_close(ddev);
	}
	return st;
}
