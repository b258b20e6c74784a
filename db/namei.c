/*
 * db/namei.c: the `path` and `ls` commands -- directories by name.
 *
 * `path P` walks P from the root (absolute) or from the current inode
 * (relative: it must be a directory shown as an inode) and makes the
 * inode found the current object, as `inode N` would.  Symbolic links
 * are not followed.  `ls [-i] [P...]` lists the current directory or each
 * P (absolute only: like the reference, the walk for an argument starts
 * from a fresh stack entry that is no inode), one line per entry: cookie,
 * inode number, file type, name hash, name length, name and whether the
 * name is acceptable; -i prints only the inode numbers.  A failing walk
 * sets the exit status to 1 and, for ls, ends the command.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "db/command.h"
#include "db/inode.h"
#include "db/io.h"

static const char *const ftype_names[XFS_DIR3_FT_MAX] = {
	[XFS_DIR3_FT_UNKNOWN] = "unknown",
	[XFS_DIR3_FT_REG_FILE] = "regular",
	[XFS_DIR3_FT_DIR] = "directory",
	[XFS_DIR3_FT_CHRDEV] = "chardev",
	[XFS_DIR3_FT_BLKDEV] = "blkdev",
	[XFS_DIR3_FT_FIFO] = "fifo",
	[XFS_DIR3_FT_SOCK] = "socket",
	[XFS_DIR3_FT_SYMLINK] = "symlink",
	[XFS_DIR3_FT_WHT] = "whiteout",
};

/* Is the current object an inode, and a directory? */
static bool cur_is_dir_inode(const struct db_ctx *ctx)
{
	const struct db_loc *loc = db_cur_const(ctx);
	const uint8_t *dip = db_cur_data(ctx);

	if (!loc || loc->type != &inode_type || !dip ||
	    loc->len < sizeof(struct xfs_dinode)) {
		return false;
	}
	return (get_unaligned_be16(dip + offsetof(struct xfs_dinode,
						  di_mode)) & XFS_IFMT) ==
	       XFS_IFDIR;
}

/* The inode path leads to from start; 0 or a negative errno. */
static int path_lookup(struct db_ctx *ctx, uint64_t start, const char *path,
		       uint64_t *inop)
{
	struct xfs_mount *mp = ctx->mp;
	struct xfs_inode *dp;
	uint64_t ino = start;
	const char *p = path;
	int error;

	error = libxfs_iget(mp, ino, 0, &dp);
	if (error) {
		return error;
	}
	for (;;) {
		const char *end;
		size_t len;

		while (*p == '/') {
			p++;
		}
		if (!*p) {
			break;
		}
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!dp || (dp->i_mode & XFS_IFMT) != XFS_IFDIR) {
			error = -ENOTDIR;
			goto out;
		}
		error = libxfs_dir_lookup(mp, dp, (const uint8_t *)p,
					  (unsigned int)len, &ino, NULL);
		if (error) {
			goto out;
		}
		if (!libxfs_verify_ino(mp, ino)) {
			error = -EFSCORRUPTED;
			goto out;
		}
		libxfs_irele(dp);
		dp = NULL;
		error = libxfs_iget(mp, ino, 0, &dp);
		if (error && error != -EFSCORRUPTED && error != -EFSBADCRC) {
			return error;
		}
		dp = error ? NULL : dp;
		p += len;
	}
	*inop = ino;
	error = 0;
out:
	if (dp) {
		libxfs_irele(dp);
	}
	return error;
}

/*
 * Walk path and make its inode current.  relative_ok says whether a
 * relative path may start from the current inode.
 */
static int path_walk(struct db_ctx *ctx, const char *path, bool relative_ok)
{
	const struct db_loc *loc = db_cur_const(ctx);
	uint64_t start = db_sb(ctx)->sb_rootino, ino;
	int error;

	if (*path != '/') {
		if (!relative_ok || !cur_is_dir_inode(ctx)) {
			return -ENOTDIR;
		}
		start = (uint64_t)loc->ino;
	}
	error = path_lookup(ctx, start, path, &ino);
	if (error) {
		return error;
	}
	return db_set_cur_inode(ctx, ino) ? -EINVAL : 0;
}

static int path_f(struct db_ctx *ctx, int argc, char **argv)
{
	int error, c;

	optind = 0;
	while ((c = getopt(argc, argv, "")) != -1) {
		printf("\n Navigate to an inode via directory path.\n");
		return 0;
	}
	if (optind != argc - 1) {
		printf("\n Navigate to an inode via directory path.\n");
		return 0;
	}
	error = path_walk(ctx, argv[optind], true);
	if (error) {
		printf("%s: %s\n", argv[optind], strerror(-error));
		ctx->exitcode = 1;
	}
	return 0;
}

const struct db_command path_cmd = {
	.name = "path",
	.func = path_f,
	.argmin = 1,
	.argmax = 1,
	.args = "",
	.oneline = "navigate to an inode by path",
	.help = "\n Navigate to an inode via directory path.\n",
};

/* ---- ls ---- */

/* A name the directory code would accept: no '/' and no NUL. */
static bool name_ok(const uint8_t *name, unsigned int len)
{
	return len < 256 && !memchr(name, '/', len) && !memchr(name, 0, len);
}

static int ls_entry(struct xfs_inode *dp, const struct xfs_dir_ent *de,
		    void *priv)
{
	struct xfs_mount *mp = dp->i_mount;
	const char *type = ftype_names[XFS_DIR3_FT_UNKNOWN];
	uint32_t hash = libxfs_dir_hashname(mp, de->name, de->namelen);
	bool good = name_ok(de->name, de->namelen);

	if (xfs_has_ftype(mp) && de->ftype < XFS_DIR3_FT_MAX) {
		type = ftype_names[de->ftype];
	}
	printf("%-10u %-18llu %-14s 0x%08llx %3d %.*s %s\n", de->cookie,
	       (unsigned long long)de->ino, type, (unsigned long long)hash,
	       (int)de->namelen, (int)(good ? de->namelen :
				      strnlen((const char *)de->name,
					      de->namelen)),
	       (const char *)de->name, good ? "(good)" : "(corrupt)");
	return 0;
}

/* List the current directory, under a "tag:" line when tag is set. */
static int ls_cur(struct db_ctx *ctx, const char *tag)
{
	const struct db_loc *loc = db_cur_const(ctx);
	struct xfs_inode *dp;
	int error;

	if (!cur_is_dir_inode(ctx)) {
		return -ENOTDIR;
	}
	error = libxfs_iget(ctx->mp, (uint64_t)loc->ino, 0, &dp);
	if (error) {
		return error;
	}
	if ((dp->i_mode & XFS_IFMT) != XFS_IFDIR) {
		libxfs_irele(dp);
		return -ENOTDIR;
	}
	if (tag) {
		printf("%s:\n", tag);
	}
	error = libxfs_dir_iterate(ctx->mp, dp, ls_entry, NULL);
	libxfs_irele(dp);
	return error;
}

static void ls_help(void)
{
	printf("\n"
	       " List the contents of the currently selected directory inode.\n"
	       "\n"
	       " Options:\n"
	       "   -i -- Resolve the given paths to their corresponding inode "
	       "numbers.\n"
	       "         If no paths are given, display the current inode "
	       "number.\n"
	       "\n"
	       " Directory contents will be listed in the format:\n"
	       " dir_cookie\tinode_number\ttype\thash\tname_length\tname\n");
}

static int ls_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_loc *loc;
	bool inum_only = false;
	int c, error = 0;

	optind = 0;
	while ((c = getopt(argc, argv, "i")) != -1) {
		if (c != 'i') {
			ls_help();
			return 0;
		}
		inum_only = true;
	}
	if (optind == argc) {
		loc = db_cur_const(ctx);
		if (inum_only) {
			if (loc && loc->type == &inode_type && loc->ino >= 0) {
				printf("%llu\n", (unsigned long long)loc->ino);
			} else {
				error = -ENOENT;
			}
		} else {
			error = ls_cur(ctx, NULL);
		}
		if (error) {
			printf("%s\n", strerror(-error));
			ctx->exitcode = 1;
		}
		return 0;
	}
	for (c = optind; c < argc; c++) {
		db_push_cur(ctx);
		error = path_walk(ctx, argv[c], false);
		if (!error) {
			if (inum_only) {
				printf("%llu\n", (unsigned long long)
				       db_cur_const(ctx)->ino);
			} else {
				error = ls_cur(ctx, argv[c]);
			}
		}
		db_pop_cur(ctx);
		if (error) {
			printf("%s: %s\n", argv[c], strerror(-error));
			ctx->exitcode = 1;
			break;
		}
	}
	return 0;
}

const struct db_command ls_cmd = {
	.name = "ls",
	.func = ls_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[-i] [paths...]",
	.oneline = "list directory contents",
	.help =
"\n"
" List the contents of the currently selected directory inode.\n"
"\n"
" Options:\n"
"   -i -- Resolve the given paths to their corresponding inode numbers.\n"
"         If no paths are given, display the current inode number.\n"
"\n"
" Directory contents will be listed in the format:\n"
" dir_cookie\tinode_number\ttype\thash\tname_length\tname\n",
};
