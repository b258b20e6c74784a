/*
 * libxfs.h: the one header the tools (mkfs, repair, db) include.  It pulls
 * in the public libxfs interfaces and the libfrog helpers the tools use;
 * tools never include libxfs-internal headers directly.
 */
#ifndef LIBXFS_H
#define LIBXFS_H

#include "config.h"

#define XFS_TOOLS_VERSION PACKAGE_VERSION

/* libxfs: errors, on-disk format, I/O and buffers, the mount, verifiers. */
#include "xfs_errno.h"
#include "xfs_format.h"
#include "xfs_da_format.h"
#include "xfs_log_format.h"
#include "libxfs_io.h"
#include "xfs_mount.h"
#include "libxfs/xfs_shared.h"
#include "libxfs/xfs_btree.h"
#include "libxfs/xfs_inode.h"

/* The write half: transactions and the (offloaded) extent allocator. */
#include "libxfs/xfs_trans.h"
#include "libxfs/xfs_alloc.h"
#include "libxfs/xfs_inode_write.h"
#include "libxfs/xfs_log_write.h"
#include "libxfs/xfs_ialloc.h"
#include "libxfs/xfs_bmap_write.h"

/* libxfs read side: block mapping, directories, attributes, symlinks. */
#include "libxfs/xfs_bmap_read.h"
#include "libxfs/xfs_dir2_read.h"
#include "libxfs/xfs_attr_read.h"
#include "libxfs/xfs_symlink_read.h"

/* libxfs write side: directories, symlinks, extended attributes. */
#include "libxfs/xfs_dir2_write.h"
#include "libxfs/xfs_symlink_write.h"
#include "libxfs/xfs_attr_write.h"

#endif /* LIBXFS_H */
