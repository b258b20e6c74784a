/*
 * libxfs.h: the one header the tools (mkfs, repair, db) include.  It pulls
 * in the public libxfs interfaces and the libfrog helpers the tools use;
 * tools never include libxfs-internal headers directly.
 */
#ifndef LIBXFS_H
#define LIBXFS_H

#include "config.h"

#define XFS_TOOLS_VERSION PACKAGE_VERSION

#endif /* LIBXFS_H */
