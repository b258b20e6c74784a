/*
 * mkfs/proto_walk.c: mkfs.xfs -p DIR -- turn a host directory into a
 * proto_tree.  Entries are visited in byte order of their names so that
 * the same tree always gives the same filesystem.  Every file's type,
 * permission bits (setuid, setgid and sticky included), owner, mtime
 * (and atime when asked), device numbers, symlink target and extended
 * attributes (user, trusted and security namespaces) are recorded; a
 * regular file's data is read later, at populate time, from its path.
 * Files seen under several names (st_nlink > 1, same st_dev and st_ino)
 * become one primary node and hard-link nodes pointing at it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>

#include "mkfs/mkfs.h"
#include "mkfs/proto.h"

/* Open-addressing table (st_dev, st_ino) -> primary node. */
struct link_slot {
	dev_t			dev;
	ino_t			ino;
	struct proto_node	*node;
};

struct walker {
	struct proto_tree	*tree;
	bool			atime;
	bool			warned_system_xattr;
	struct link_slot	*links;
	size_t			nlinks;
	size_t			linkcap;	/* power of two */
	char			*xlist;		/* listxattr buffer */
	size_t			xlistcap;
	unsigned char		*xval;		/* getxattr buffer */
	unsigned char		*xacl;		/* an ACL in XFS's form */
	struct proto_srcdir	srcdir;		/* stat/access by directory */
	bool			reads_all;	/* file modes cannot stop us */
};

/*
 * Whether file permission bits cannot keep us from reading: the
 * effective capabilities hold CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH
 * (root, as image builders usually run).  Then the per-file access()
 * check is skipped; a read that fails anyway (a security module, say)
 * is still reported, when the file is copied.
 */
static bool can_read_all(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) < 0) {
		return false;
	}
	return data[0].effective & ((1U << CAP_DAC_OVERRIDE) |
				    (1U << CAP_DAC_READ_SEARCH));
}

static size_t link_hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)dev * 0xc2b2ae3d27d4eb4fULL;
	return (size_t)(h ^ (h >> 29));
}

/* The primary node of (dev, ino), or NULL after recording node as it. */
static struct proto_node *link_lookup(struct walker *w, dev_t dev, ino_t ino,
				      struct proto_node *node, int *error)
{
	size_t i, mask;

	*error = 0;
	if ((w->nlinks + 1) * 2 > w->linkcap) {
		size_t ncap = w->linkcap ? w->linkcap * 2 : 256, j;
		struct link_slot *nl = calloc(ncap, sizeof(*nl));

		if (!nl) {
			*error = -ENOMEM;
			return NULL;
		}
		for (j = 0; j < w->linkcap; j++) {
			struct link_slot *s = &w->links[j];

			if (!s->node) {
				continue;
			}
			i = link_hash(s->dev, s->ino) & (ncap - 1);
			while (nl[i].node) {
				i = (i + 1) & (ncap - 1);
			}
			nl[i] = *s;
		}
		free(w->links);
		w->links = nl;
		w->linkcap = ncap;
	}
	mask = w->linkcap - 1;
	i = link_hash(dev, ino) & mask;
	while (w->links[i].node) {
		if (w->links[i].dev == dev && w->links[i].ino == ino) {
			return w->links[i].node;
		}
		i = (i + 1) & mask;
	}
	w->links[i] = (struct link_slot){ dev, ino, node };
	w->nlinks++;
	return NULL;
}

static void walk_error(const char *path, const char *what, int err)
{
	fprintf(stderr, "%s: %s %s: %s\n", progname, what, path,
		strerror(err));
}

/* Copy the user, trusted and security attributes of path. */
/* Is name in the NUL-separated list of len bytes? */
static bool list_has(const char *list, ssize_t len, const char *name)
{
	const char *p;

	for (p = list; p < list + len; p += strlen(p) + 1) {
		if (!strcmp(p, name)) {
			return true;
		}
	}
	return false;
}

static int take_xattrs(struct walker *w, const char *path,
		       struct proto_node *node)
{
	static const struct { const char *pfx; size_t len; unsigned int ns; }
	spaces[] = {
		{ "user.", 5, 0 },
		{ "trusted.", 8, XFS_ATTR_ROOT },
		{ "security.", 9, XFS_ATTR_SECURE },
	};
	ssize_t len, vlen;
	const char *acl;
	char *name;
	size_t i;
	int error;

	for (;;) {
		len = llistxattr(path, w->xlist, w->xlistcap);
		if (len >= 0) {
			break;
		}
		if (errno == ENOTSUP || errno == ENOSYS) {
			return 0;
		}
		if (errno != ERANGE) {
			walk_error(path, "cannot list attributes of", errno);
			return -errno;
		}
		len = llistxattr(path, NULL, 0);
		if (len < 0) {
			walk_error(path, "cannot list attributes of", errno);
			return -errno;
		}
		free(w->xlist);
		w->xlistcap = (size_t)len + 256;
		w->xlist = malloc(w->xlistcap);
		if (!w->xlist) {
			w->xlistcap = 0;
			return -ENOMEM;
		}
	}
	for (name = w->xlist; name < w->xlist + len;
	     name += strlen(name) + 1) {
		const char *bare = NULL;
		unsigned int ns = 0;

		for (i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
			if (!strncmp(name, spaces[i].pfx, spaces[i].len)) {
				bare = name + spaces[i].len;
				ns = spaces[i].ns;
				break;
			}
		}
		acl = proto_acl_xfs_name(name);
		// An XFS source lists its ACLs twice: copy the system.* form.
		if (bare && ns == XFS_ATTR_ROOT &&
		    ((!strcmp(bare, "SGI_ACL_FILE") &&
		      list_has(w->xlist, len, "system.posix_acl_access")) ||
		     (!strcmp(bare, "SGI_ACL_DEFAULT") &&
		      list_has(w->xlist, len, "system.posix_acl_default")))) {
			continue;
		}
		if (!bare && !acl) {
			if (!w->warned_system_xattr) {
				fprintf(stderr,
"%s: warning: %s: attribute %s not copied (only user, trusted and security attributes and POSIX ACLs are)\n",
					progname, path, name);
				w->warned_system_xattr = true;
			}
			continue;
		}
		vlen = lgetxattr(path, name, w->xval, PROTO_XATTR_VALUE_MAX);
		if (vlen < 0) {
			if (errno == ENODATA) {
				continue;	// removed meanwhile
			}
			fprintf(stderr, "%s: cannot read attribute %s of %s: %s\n",
				progname, name, path, strerror(errno));
			return -errno;
		}
		if (acl) {
			size_t xlen;

			if (proto_acl_to_xfs(w->xval, (size_t)vlen, w->xacl,
					     PROTO_XATTR_VALUE_MAX, &xlen) < 0) {
				fprintf(stderr,
					"%s: %s: attribute %s is not a POSIX ACL that can be copied\n",
					progname, path, name);
				return -EINVAL;
			}
			error = proto_node_add_xattr(node, XFS_ATTR_ROOT, acl,
						     (unsigned int)strlen(acl),
						     w->xacl,
						     (unsigned int)xlen);
		} else {
			error = proto_node_add_xattr(node, ns, bare,
						     (unsigned int)strlen(bare),
						     w->xval,
						     (unsigned int)vlen);
		}
		if (error) {
			return error;
		}
	}
	return 0;
}

/* Metadata of path (already lstat'ed into st) into node. */
static int take_inode(struct walker *w, const char *path,
		      const struct stat *st, struct proto_node *node)
{
	char target[PROTO_SYMLINK_MAX + 2];
	ssize_t n;

	node->mode = (uint16_t)(st->st_mode & (S_IFMT | 07777));
	node->uid = st->st_uid;
	node->gid = st->st_gid;
	node->has_mtime = true;
	node->mtime.sec = st->st_mtim.tv_sec;
	node->mtime.nsec = (uint32_t)st->st_mtim.tv_nsec;
	if (w->atime) {
		node->has_atime = true;
		node->atime.sec = st->st_atim.tv_sec;
		node->atime.nsec = (uint32_t)st->st_atim.tv_nsec;
	}

	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
		if (!w->reads_all &&
		    proto_srcdir_access(&w->srcdir, path, R_OK) < 0) {
			walk_error(path, "cannot open", errno);
			return -errno;
		}
		node->source = proto_tree_strdup(w->tree, path, strlen(path));
		if (!node->source) {
			return -ENOMEM;
		}
		node->size = (uint64_t)st->st_size;
		break;
	case S_IFLNK:
		n = readlink(path, target, sizeof(target));
		if (n < 0) {
			walk_error(path, "cannot read link", errno);
			return -errno;
		}
		if (n > PROTO_SYMLINK_MAX) {
			fprintf(stderr,
				"%s: %s: symbolic link target too long\n",
				progname, path);
			return -ENAMETOOLONG;
		}
		node->target = proto_tree_alloc(w->tree, (size_t)n + 1);
		if (!node->target) {
			return -ENOMEM;
		}
		memcpy(node->target, target, (size_t)n);
		node->target[n] = '\0';
		node->targetlen = (unsigned int)n;
		break;
	case S_IFCHR:
	case S_IFBLK:
		node->major = major(st->st_rdev);
		node->minor = minor(st->st_rdev);
		break;
	case S_IFDIR:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		fprintf(stderr, "%s: %s: unsupported file type\n", progname,
			path);
		return -EOPNOTSUPP;
	}
	return take_xattrs(w, path, node);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory path, sorted; NULL-free array in *namesp. */
static int read_names(const char *path, char ***namesp, size_t *np)
{
	char **names = NULL, **nn;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int error = 0;

	d = opendir(path);
	if (!d) {
		walk_error(path, "cannot open", errno);
		return -errno;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				error = -errno;
				walk_error(path, "cannot read directory",
					   errno);
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) {
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				error = -ENOMEM;
				break;
			}
			names = nn;
		}
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			error = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (error) {
		while (n) {
			free(names[--n]);
		}
		free(names);
		return error;
	}
	if (n > 1) {
		qsort(names, n, sizeof(*names), cmp_name);
	}
	*namesp = names;
	*np = n;
	return 0;
}

static int walk_dir(struct walker *w, const char *path, struct proto_node *dir,
		    unsigned int depth)
{
	size_t plen = strlen(path), n = 0, i;
	char **names = NULL;
	char *child = NULL;
	size_t childcap = 0;
	int error;

	if (depth > 4096) {
		fprintf(stderr, "%s: %s: directories nested too deep\n",
			progname, path);
		return -ELOOP;
	}
	error = read_names(path, &names, &n);
	if (error) {
		return error;
	}
	for (i = 0; i < n && !error; i++) {
		size_t need = plen + 1 + strlen(names[i]) + 1;
		struct proto_node *node, *primary;
		struct stat st;

		if (need > childcap) {
			char *c = realloc(child, need);

			if (!c) {
				error = -ENOMEM;
				break;
			}
			child = c;
			childcap = need;
		}
		snprintf(child, childcap, "%s/%s", path, names[i]);
		if (proto_srcdir_stat(&w->srcdir, child, &st,
				      AT_SYMLINK_NOFOLLOW) < 0) {
			error = -errno;
			walk_error(child, "cannot stat", errno);
			break;
		}
		node = proto_node_add(w->tree, dir, names[i],
				      (unsigned int)strlen(names[i]));
		if (!node) {
			error = -ENOMEM;
			break;
		}
		if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
			primary = link_lookup(w, st.st_dev, st.st_ino, node,
					      &error);
			if (error) {
				break;
			}
			if (primary) {
				node->link = primary;
				node->mode = primary->mode;
				continue;
			}
		}
		error = take_inode(w, child, &st, node);
		if (!error && S_ISDIR(st.st_mode)) {
			error = walk_dir(w, child, node, depth + 1);
		}
	}
	for (i = 0; i < n; i++) {
		free(names[i]);
	}
	free(names);
	free(child);
	return error;
}

int proto_walk_dir(const char *dir, bool atime, struct proto_tree **treep)
{
	struct walker w = { .atime = atime };
	struct proto_node *root;
	struct stat st;
	int error;

	*treep = NULL;
	proto_srcdir_init(&w.srcdir);
	w.reads_all = can_read_all();
	if (stat(dir, &st) < 0) {
		walk_error(dir, "cannot stat", errno);
		return -errno;
	}
	w.tree = proto_tree_new();
	w.xval = malloc(PROTO_XATTR_VALUE_MAX);
	w.xacl = malloc(PROTO_XATTR_VALUE_MAX);
	w.xlistcap = 4096;
	w.xlist = malloc(w.xlistcap);
	if (!w.tree || !w.xval || !w.xacl || !w.xlist) {
		error = -ENOMEM;
		goto out;
	}
	root = proto_node_add(w.tree, NULL, "", 0);
	if (!root) {
		error = -ENOMEM;
		goto out;
	}
	error = take_inode(&w, dir, &st, root);
	if (!error) {
		error = walk_dir(&w, dir, root, 0);
	}
	if (!error) {
		error = proto_tree_finish(w.tree);
	}
out:
	if (error) {
		proto_tree_free(w.tree);
	} else {
		*treep = w.tree;
	}
	proto_srcdir_release(&w.srcdir);
	free(w.links);
	free(w.xlist);
	free(w.xval);
	free(w.xacl);
	return error;
}
