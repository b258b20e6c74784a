/*
 * mkfs/proto.h: what mkfs.xfs -p puts into a new filesystem.
 *
 * Two sources describe the same thing -- a tree of files with their
 * metadata and where their contents come from:
 *
 *   proto_parse.c   a protofile (the reference's format: a dummy boot
 *                   token, two numbers, the root's mode uid gid, then
 *                   "name mode uid gid [arg]" entries, "$" closing a
 *                   directory, ":" starting a comment)
 *   proto_walk.c    a host directory, walked in sorted order (holes,
 *                   hard links, devices, fifos, sockets, xattrs, times)
 *
 * Both build a struct proto_tree in memory (proto_tree.c) before the
 * device is touched, so that every error the sources can show (a bad
 * line, a missing file, a name too long, an unsupported type) stops mkfs
 * before it writes anything.  populate.c then writes the tree into the
 * new filesystem in one pass.
 *
 * The -p argument is either a bare path (the reference's form) or
 * sub-options: file=PATH[,slashes_are_spaces=0|1][,atime=0|1].  PATH may
 * name a protofile or a directory.
 */
#ifndef MKFS_PROTO_H_
#define MKFS_PROTO_H_

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct stat;
struct xfs_mount;
struct xfs_inode;

/* One extended attribute of a node. */
struct proto_xattr {
	unsigned int	ns;		/* 0 user, XFS_ATTR_ROOT, XFS_ATTR_SECURE */
	unsigned int	namelen;	/* without the namespace prefix */
	unsigned int	valuelen;
	unsigned char	*name;
	unsigned char	*value;
};

/* A timestamp taken from the source. */
struct proto_time {
	int64_t		sec;
	uint32_t	nsec;
};

/*
 * One name in the tree.  A hard link is a node whose `link` points at the
 * node that names the same file first in traversal order (its primary);
 * only the primary carries the file's metadata and gets an inode.
 */
struct proto_node {
	struct proto_node	*parent;	/* NULL for the root */
	struct proto_node	*link;		/* hard link: the primary */
	char			*name;		/* NUL-terminated; "" for root */
	unsigned int		namelen;

	uint16_t		mode;		/* S_IFMT | 07777 */
	uint32_t		uid;
	uint32_t		gid;
	uint32_t		major;		/* block and char devices */
	uint32_t		minor;
	uint32_t		nlink;		/* computed by proto_tree_finish */

	bool			has_mtime;	/* else "now" */
	bool			has_atime;	/* else "now" */
	struct proto_time	mtime;
	struct proto_time	atime;

	char			*source;	/* regular: host path of the data */
	uint64_t		size;		/* regular: bytes at load time */
	char			*target;	/* symlink target */
	unsigned int		targetlen;

	struct proto_node	**kids;		/* directory entries, in the */
	uint32_t		nkids;		/* order they are created */
	uint32_t		kidcap;

	struct proto_xattr	*xattrs;	/* sorted by (ns, name) */
	uint32_t		nxattrs;

	uint64_t		ino;		/* set by populate */
};

struct proto_tree {
	struct proto_node	*root;
	uint64_t		nnodes;		/* names, root included */
	uint64_t		nfiles;		/* inodes to create, root excluded */
	uint64_t		nbytes;		/* regular file bytes to copy */
	/* Nodes, names, sources and targets: freed with the tree. */
	struct proto_chunk	*chunks;
	char			*chunk_next;
	size_t			chunk_left;
};

/* The -p option, parsed. */
struct mkfs_proto_opts {
	const char		*path;		/* protofile or directory */
	bool			slashes_are_spaces;
	bool			atime;		/* copy atimes (directory source) */
	bool			quiet;		/* -q: no progress */
	struct proto_tree	*tree;		/* filled by proto_load */
};

/*
 * Parse the -p argument into opts (path and flags).  Prints the reason
 * and returns -EINVAL on a bad sub-option.  The strings of opts point
 * into a copy owned by opts (freed by proto_opts_free).
 */
int proto_opts_parse(struct mkfs_proto_opts *opts, const char *arg);
void proto_opts_free(struct mkfs_proto_opts *opts);

/*
 * Build opts->tree from opts->path: a directory is walked, anything else
 * is read as a protofile.  Prints the reason (naming the path) and
 * returns a negative errno on failure, with opts->tree left NULL.
 */
int proto_load(struct mkfs_proto_opts *opts);

/* Protofile text in memory -> tree (the parser proper; used by tests). */
int proto_parse_buf(const char *buf, size_t len, const char *fname,
		    bool slashes_are_spaces, struct proto_tree **treep);

/* Host directory -> tree. */
int proto_walk_dir(const char *dir, bool atime, struct proto_tree **treep);

/*
 * Write the loaded tree into a new filesystem whose empty root directory
 * is rootip: the root takes the tree root's mode, owner, times and
 * xattrs; every other node becomes an inode linked into its parent.
 * Prints a message naming the path and the cause and returns a negative
 * errno on failure.  Loads the tree first if opts->tree is NULL.
 */
int mkfs_populate(struct xfs_mount *mp, struct xfs_inode *rootip,
		  const struct mkfs_proto_opts *opts);

/* ---- the tree (proto_tree.c) ---- */

struct proto_tree *proto_tree_new(void);
void proto_tree_free(struct proto_tree *tree);

/*
 * Zeroed memory that lives as long as the tree (nodes and their strings:
 * tens of thousands of small pieces, never freed one by one).
 */
void *proto_tree_alloc(struct proto_tree *tree, size_t size);
char *proto_tree_strdup(struct proto_tree *tree, const char *s, size_t len);

/* New node named name[0..namelen) under parent (NULL: the root). */
struct proto_node *proto_node_add(struct proto_tree *tree,
				  struct proto_node *parent,
				  const char *name, unsigned int namelen);

/* Attach an attribute (copies name and value). */
int proto_node_add_xattr(struct proto_node *node, unsigned int ns,
			 const char *name, unsigned int namelen,
			 const void *value, unsigned int valuelen);

/*
 * After loading: check names (length, no '/', no duplicates in a
 * directory), count links (directories: 2 + subdirectories; files: the
 * names that share them), the totals of the tree, and sort every node's
 * xattrs.  Prints and returns -errno on the first problem.
 */
int proto_tree_finish(struct proto_tree *tree);

/* "/a/b/c" for a node (malloc'd; "/" for the root). */
char *proto_node_path(const struct proto_node *node);

/* Visit every node depth-first, a directory before its entries. */
typedef int (*proto_visit_fn)(struct proto_node *node, void *priv);
int proto_tree_walk(struct proto_tree *tree, proto_visit_fn fn, void *priv);

/*
 * Source files are mostly opened one directory after another: resolve
 * the directory part of their paths once (an O_PATH descriptor) and the
 * last component against it.  Same results as the plain calls.
 */
struct proto_srcdir {
	char		*dir;
	size_t		len;
	int		fd;		/* -1: none */
};

void proto_srcdir_init(struct proto_srcdir *c);
void proto_srcdir_release(struct proto_srcdir *c);
int proto_srcdir_open(struct proto_srcdir *c, const char *path, int flags);
int proto_srcdir_stat(struct proto_srcdir *c, const char *path,
		      struct stat *st, int atflags);
int proto_srcdir_access(struct proto_srcdir *c, const char *path, int mode);

/*
 * proto_acl.c: a host POSIX ACL attribute (system.posix_acl_access or
 * _default) in XFS's form.  _xfs_name gives the XFS attribute name (root
 * namespace) for a host name, NULL for other names; _to_xfs converts the
 * value (-EINVAL: not a version 2 ACL of known tags; -E2BIG: no room).
 */
const char *proto_acl_xfs_name(const char *host_name);
int proto_acl_to_xfs(const unsigned char *in, size_t inlen,
		     unsigned char *out, size_t outcap, size_t *outlen);

/* Limits of what XFS can store. */
#define PROTO_NAME_MAX		255
#define PROTO_SYMLINK_MAX	1023	/* the kernel takes < 1024 */
#define PROTO_XATTR_NAME_MAX	255
#define PROTO_XATTR_VALUE_MAX	65536
#define PROTO_DEV_MAJOR_MAX	((1U << 14) - 1)	/* on-disk 14:18 */
#define PROTO_DEV_MINOR_MAX	((1U << 18) - 1)

/* The on-disk device number of a node. */
static inline uint32_t proto_node_rdev(const struct proto_node *node)
{
	return (node->major << 18) | (node->minor & PROTO_DEV_MINOR_MAX);
}

#endif /* MKFS_PROTO_H_ */
