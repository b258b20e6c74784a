/*
 * mkfs/layout.h: the second half of the geometry computation (layout.c),
 * called by compute_geometry() once sizes and features are settled.
 */
#ifndef MKFS_LAYOUT_H_
#define MKFS_LAYOUT_H_

#include "mkfs/mkfs.h"

/*
 * Size the devices, refuse to overwrite an existing filesystem, settle
 * the section sizes, stripe geometry, AG layout, inode limits, log and
 * root inode, and apply the supported-configuration limits.
 */
enum mkfs_status compute_layout(struct mkfs_cli *cli,
				struct mkfs_devices *devs,
				struct mkfs_geometry *g);

#endif /* MKFS_LAYOUT_H_ */
