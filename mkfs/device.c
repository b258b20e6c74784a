/*
 * mkfs/device.c: what mkfs learns about its target devices before laying
 * anything out -- whether each is a regular file or a block device, how
 * big it is, its sector sizes and stripe geometry, and whether it already
 * holds a filesystem (XFS, ext2/3/4, btrfs, swap) that -f is needed to
 * overwrite.  Nothing here writes to a device.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>

#include "mkfs/mkfs.h"

/* The XFS ioctl that reports direct I/O constraints of a file. */
struct mkfs_dioattr {
	uint32_t	d_mem;
	uint32_t	d_miniosz;
	uint32_t	d_maxiosz;
};
#define MKFS_IOC_DIOINFO	_IOR('X', 30, struct mkfs_dioattr)

enum mkfs_status dev_check_type(struct mkfs_dev *dev, bool size_given,
				bool dry_run, const char *optname)
{
	struct stat st;

	if (dev->isfile && (!size_given || !dev->name)) {
		fprintf(stderr,
			"if -%s file then -%s name and -%s size are required\n",
			optname, optname, optname);
		return MKFS_USAGE;
	}
	if (!dev->name) {
		fprintf(stderr, "No device name specified\n");
		return MKFS_USAGE;
	}
	if (stat(dev->name, &st) != 0) {
		if (errno == ENOENT && dev->isfile) {
			dev->create = !dry_run;
			return MKFS_OK;
		}
		fprintf(stderr, "Error accessing specified device %s: %s\n",
			dev->name, strerror(errno));
		return MKFS_USAGE;
	}
	if (S_ISREG(st.st_mode)) {
		// Only an explicit "-X file" recreates an existing file.
		if (!dev->isfile) {
			dev->isfile = true;
		} else {
			dev->create = !dry_run;
		}
		return MKFS_OK;
	}
	if (S_ISBLK(st.st_mode)) {
		if (dev->isfile) {
			fprintf(stderr,
				"specified \"-%s file\" on a block device %s\n",
				optname, dev->name);
			return MKFS_USAGE;
		}
		return MKFS_OK;
	}
	fprintf(stderr, "specified device %s not a file or block device\n",
		dev->name);
	return MKFS_USAGE;
}

/* Read a number from /sys/dev/block/MAJ:MIN/queue/<attr>; 0 if absent. */
static unsigned int sysfs_queue_attr(dev_t rdev, const char *attr)
{
	char path[PATH_MAX];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/%s",
		 major(rdev), minor(rdev), attr);
	f = fopen(path, "r");
	if (!f) {
		// A partition keeps its queue in the parent device.
		snprintf(path, sizeof(path),
			 "/sys/dev/block/%u:%u/../queue/%s",
			 major(rdev), minor(rdev), attr);
		f = fopen(path, "r");
	}
	if (!f) {
		return 0;
	}
	if (fscanf(f, "%lu", &v) != 1) {
		v = 0;
	}
	fclose(f);
	return (unsigned int)v;
}

void dev_get_topology(struct mkfs_dev *dev)
{
	struct stat st;
	int fd;

	dev->lsectorsize = dev->psectorsize = 0;
	dev->sunit_bb = dev->swidth_bb = 0;
	if (!dev->name) {
		return;
	}
	if (dev->isfile || (stat(dev->name, &st) == 0 && S_ISREG(st.st_mode))) {
		struct mkfs_dioattr da;

		// An image file: direct I/O on the host filesystem decides
		// the smallest sector we can use.  Like the reference, this
		// creates a missing "-d file" target even in a dry run.
		fd = open(dev->name, O_RDONLY | (dev->isfile ? O_CREAT : 0),
			  0666);
		if (fd < 0) {
			dev->lsectorsize = dev->psectorsize = BBSIZE;
			return;
		}
		if (ioctl(fd, MKFS_IOC_DIOINFO, &da) == 0 && da.d_miniosz) {
			dev->lsectorsize = da.d_miniosz;
		} else {
			dev->lsectorsize = BBSIZE;
		}
		dev->psectorsize = dev->lsectorsize;
		close(fd);
		return;
	}

	fd = open(dev->name, O_RDONLY);
	if (fd < 0) {
		return;
	}
	{
		int lss = 0;
		unsigned int pss = 0;
		unsigned int min_io, opt_io;

		if (ioctl(fd, BLKSSZGET, &lss) == 0) {
			dev->lsectorsize = (unsigned int)lss;
		}
		if (ioctl(fd, BLKPBSZGET, &pss) == 0) {
			dev->psectorsize = pss;
		}
		if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) {
			min_io = sysfs_queue_attr(st.st_rdev, "minimum_io_size");
			opt_io = sysfs_queue_attr(st.st_rdev, "optimal_io_size");
			// A stripe equal to the sector size is no stripe.
			if (min_io == dev->psectorsize ||
			    opt_io == dev->psectorsize) {
				min_io = opt_io = 0;
			}
			dev->sunit_bb = min_io >> BBSHIFT;
			dev->swidth_bb = opt_io >> BBSHIFT;
		}
	}
	close(fd);
}

enum mkfs_status dev_open_size(struct mkfs_dev *dev)
{
	struct stat st;
	int fd;

	dev->size_bb = 0;
	if (!dev->name) {
		return MKFS_OK;
	}
	if (stat(dev->name, &st) != 0) {
		// A "-X file" target that does not exist yet.
		return MKFS_OK;
	}
	if (S_ISREG(st.st_mode)) {
		dev->size_bb = (uint64_t)st.st_size >> BBSHIFT;
		return MKFS_OK;
	}
	fd = open(dev->name, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", progname,
			dev->name, strerror(errno));
		return MKFS_FAIL;
	}
	{
		uint64_t bytes = 0;

		if (ioctl(fd, BLKGETSIZE64, &bytes) == 0) {
			dev->size_bb = bytes >> BBSHIFT;
		}
	}
	close(fd);
	return MKFS_OK;
}

/* What an existing signature is called, as blkid names it. */
struct fs_signature {
	const char	*name;
	uint64_t	offset;
	const char	*magic;
	size_t		len;
};

static const struct fs_signature signatures[] = {
	{ "xfs",   0,			"XFSB",		4 },
	{ "btrfs", 65536 + 64,		"_BHRfS_M",	8 },
	{ "swap",  4096 - 10,		"SWAPSPACE2",	10 },
	{ "swap",  4096 - 10,		"SWAP-SPACE",	10 },
	{ "ext",   1024 + 56,		"\x53\xef",	2 },
};

/* ext2, ext3 or ext4, from the feature words of the ext superblock. */
static const char *ext_flavour(int fd)
{
	unsigned char sb[12];
	uint32_t compat, incompat, ro_compat;

	if (pread(fd, sb, sizeof(sb), 1024 + 92) != (ssize_t)sizeof(sb)) {
		return "ext2";
	}
	compat = sb[0] | sb[1] << 8 | sb[2] << 16 | (uint32_t)sb[3] << 24;
	incompat = sb[4] | sb[5] << 8 | sb[6] << 16 | (uint32_t)sb[7] << 24;
	ro_compat = sb[8] | sb[9] << 8 | sb[10] << 16 | (uint32_t)sb[11] << 24;
	// Anything beyond the ext3 feature set makes it ext4.
	if ((incompat & ~0x16u) || (ro_compat & ~0x7u)) {
		return "ext4";
	}
	return (compat & 0x4) ? "ext3" : "ext2";
}

enum mkfs_status dev_check_overwrite(const struct mkfs_dev *dev, bool force)
{
	const char *found = NULL;
	unsigned char buf[16];
	size_t i;
	int fd;

	if (force || !dev->name) {
		return MKFS_OK;
	}
	fd = open(dev->name, O_RDONLY);
	if (fd < 0) {
		return MKFS_OK;
	}
	for (i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++) {
		const struct fs_signature *sig = &signatures[i];

		if (pread(fd, buf, sig->len, (off_t)sig->offset) ==
			    (ssize_t)sig->len &&
		    memcmp(buf, sig->magic, sig->len) == 0) {
			found = strcmp(sig->name, "ext") ? sig->name :
							   ext_flavour(fd);
			break;
		}
	}
	close(fd);
	if (!found) {
		return MKFS_OK;
	}
	fprintf(stderr, "%s: %s appears to contain an existing filesystem (%s).\n",
		progname, dev->name, found);
	fprintf(stderr, "%s: Use the -f option to force overwrite.\n",
		progname);
	return MKFS_FAIL;
}
