/*
 * test_populate.c: drive mkfs.xfs's -p writing pass (mkfs/populate*.c)
 * on an existing, empty filesystem image -- one made by the reference
 * mkfs -- without the rest of our mkfs:
 *
 *   test_populate IMG -p-ARGUMENT
 *
 * loads the tree as mkfs does, mounts IMG with libxfs, populates its root
 * directory and unmounts.  The p_populate case mounts the result with the
 * kernel and compares it with the source.  Without arguments it only
 * says so (it is not a self-contained unit test).
 *
 * TEST_POPULATE_REMOVE=PATH removes PATH after the tree is loaded and
 * before it is written, as if a source file vanished in between: the
 * copy must then fail with a message naming it (p_errors).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mkfs/populate.c"
#include "mkfs/populate_data.c"
#include "mkfs/populate_read.c"
#include "mkfs/proto_parse.c"
#include "mkfs/proto_tree.c"
#include "mkfs/proto_walk.c"
#include "mkfs/proto_acl.c"

const char *progname = "mkfs.xfs";

int main(int argc, char **argv)
{
	struct mkfs_proto_opts opts;
	struct xfs_mount *mp;
	struct xfs_inode *rootip;
	struct xfs_trans *tp;
	int error;

	if (argc != 3) {
		printf("usage: test_populate IMG -p-ARGUMENT (driven by p_populate)\n");
		return 0;
	}
	if (proto_opts_parse(&opts, argv[2]) < 0 || proto_load(&opts) < 0) {
		return 1;
	}
	opts.quiet = true;
	if (getenv("TEST_POPULATE_REMOVE") &&
	    unlink(getenv("TEST_POPULATE_REMOVE")) < 0) {
		perror("TEST_POPULATE_REMOVE");
		return 1;
	}
	error = libxfs_mount(argv[1], 0, &mp);
	if (error) {
		fprintf(stderr, "mount %s: %s\n", argv[1], strerror(-error));
		return 1;
	}
	error = xfs_trans_alloc(mp, 0, &tp);
	if (!error) {
		error = libxfs_trans_iget(mp, tp, mp->m_sb.sb_rootino, &rootip);
		if (error) {
			xfs_trans_cancel(tp);
		} else {
			error = xfs_trans_commit(tp);
		}
	}
	if (error) {
		fprintf(stderr, "root inode: %s\n", strerror(-error));
		libxfs_umount(mp);
		return 1;
	}
	error = mkfs_populate(mp, rootip, &opts);
	libxfs_irele(rootip);
	if (libxfs_umount(mp) < 0 && !error) {
		error = -EIO;
		fprintf(stderr, "unmount failed\n");
	}
	proto_opts_free(&opts);
	return error ? 1 : 0;
}
