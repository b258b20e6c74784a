/*
 * mkfs/proto_tree.c: the in-memory tree mkfs.xfs -p builds from a
 * protofile or a host directory: node and xattr storage, the checks that
 * need the whole tree (names, duplicates), link counts and totals, and a
 * depth-first visitor.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkfs/mkfs.h"
#include "mkfs/proto.h"

struct proto_tree *proto_tree_new(void)
{
	return calloc(1, sizeof(struct proto_tree));
}

/* Tree memory comes in chunks of CHUNK_BYTES, larger pieces alone. */
#define CHUNK_BYTES	(1U << 20)

struct proto_chunk {
	struct proto_chunk	*next;
	max_align_t		data[];
};

void *proto_tree_alloc(struct proto_tree *tree, size_t size)
{
	struct proto_chunk *c;
	size_t room;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (size > tree->chunk_left) {
		room = size > CHUNK_BYTES / 4 ? size : CHUNK_BYTES;
		c = calloc(1, sizeof(*c) + room);
		if (!c) {
			return NULL;
		}
		c->next = tree->chunks;
		tree->chunks = c;
		if (room != size) {
			tree->chunk_next = (char *)c->data;
			tree->chunk_left = room;
		} else {
			return c->data;		// a piece of its own
		}
	}
	p = tree->chunk_next;
	tree->chunk_next += size;
	tree->chunk_left -= size;
	return p;
}

char *proto_tree_strdup(struct proto_tree *tree, const char *s, size_t len)
{
	char *d = proto_tree_alloc(tree, len + 1);

	if (d) {
		memcpy(d, s, len);	// zeroed: terminated
	}
	return d;
}

static void node_free(struct proto_node *node)
{
	uint32_t i;

	for (i = 0; i < node->nkids; i++) {
		node_free(node->kids[i]);
	}
	for (i = 0; i < node->nxattrs; i++) {
		free(node->xattrs[i].name);
		free(node->xattrs[i].value);
	}
	free(node->xattrs);
	free(node->kids);
}

void proto_tree_free(struct proto_tree *tree)
{
	if (!tree) {
		return;
	}
	if (tree->root) {
		node_free(tree->root);
	}
	while (tree->chunks) {
		struct proto_chunk *c = tree->chunks;

		tree->chunks = c->next;
		free(c);
	}
	free(tree);
}

struct proto_node *proto_node_add(struct proto_tree *tree,
				  struct proto_node *parent,
				  const char *name, unsigned int namelen)
{
	struct proto_node *node;

	node = proto_tree_alloc(tree, sizeof(*node));
	if (!node) {
		return NULL;
	}
	node->name = proto_tree_strdup(tree, name, namelen);
	if (!node->name) {
		return NULL;
	}
	node->namelen = namelen;
	node->parent = parent;

	if (!parent) {
		tree->root = node;
	} else {
		if (parent->nkids == parent->kidcap) {
			uint32_t cap = parent->kidcap ? parent->kidcap * 2 : 8;
			struct proto_node **kids;

			kids = realloc(parent->kids, cap * sizeof(*kids));
			if (!kids) {
				return NULL;	// node is the tree's memory
			}
			parent->kids = kids;
			parent->kidcap = cap;
		}
		parent->kids[parent->nkids++] = node;
	}
	tree->nnodes++;
	return node;
}

int proto_node_add_xattr(struct proto_node *node, unsigned int ns,
			 const char *name, unsigned int namelen,
			 const void *value, unsigned int valuelen)
{
	struct proto_xattr *xa, *arr;

	arr = realloc(node->xattrs, (node->nxattrs + 1) * sizeof(*arr));
	if (!arr) {
		return -ENOMEM;
	}
	node->xattrs = arr;
	xa = &arr[node->nxattrs];
	memset(xa, 0, sizeof(*xa));
	xa->name = malloc(namelen + 1);
	xa->value = malloc(valuelen ? valuelen : 1);
	if (!xa->name || !xa->value) {
		free(xa->name);
		free(xa->value);
		return -ENOMEM;
	}
	memcpy(xa->name, name, namelen);
	xa->name[namelen] = '\0';
	if (valuelen) {
		memcpy(xa->value, value, valuelen);
	}
	xa->ns = ns;
	xa->namelen = namelen;
	xa->valuelen = valuelen;
	node->nxattrs++;
	return 0;
}

char *proto_node_path(const struct proto_node *node)
{
	const struct proto_node *n;
	size_t len = 0, pos;
	char *path;

	if (!node->parent) {
		return strdup("/");
	}
	for (n = node; n->parent; n = n->parent) {
		len += n->namelen + 1;
	}
	path = malloc(len + 1);
	if (!path) {
		return NULL;
	}
	pos = len;
	path[pos] = '\0';
	for (n = node; n->parent; n = n->parent) {
		pos -= n->namelen;
		memcpy(path + pos, n->name, n->namelen);
		path[--pos] = '/';
	}
	return path;
}

/* Print "mkfs.xfs: PATH: what" for a node. */
static void node_error(const struct proto_node *node, const char *what)
{
	char *path = proto_node_path(node);

	fprintf(stderr, "%s: %s: %s\n", progname, path ? path : node->name,
		what);
	free(path);
}

static int cmp_kid(const void *a, const void *b)
{
	const struct proto_node *x = *(const struct proto_node *const *)a;
	const struct proto_node *y = *(const struct proto_node *const *)b;
	unsigned int n = x->namelen < y->namelen ? x->namelen : y->namelen;
	int c = memcmp(x->name, y->name, n);

	if (c) {
		return c;
	}
	return (x->namelen > y->namelen) - (x->namelen < y->namelen);
}

static int cmp_xattr(const void *a, const void *b)
{
	const struct proto_xattr *x = a, *y = b;
	unsigned int n = x->namelen < y->namelen ? x->namelen : y->namelen;
	int c;

	if (x->ns != y->ns) {
		return x->ns < y->ns ? -1 : 1;
	}
	c = memcmp(x->name, y->name, n);
	if (c) {
		return c;
	}
	return (x->namelen > y->namelen) - (x->namelen < y->namelen);
}

/* Names of one directory: valid, and no two alike. */
static int check_names(struct proto_node *dir)
{
	struct proto_node **sorted;
	uint32_t i;

	for (i = 0; i < dir->nkids; i++) {
		struct proto_node *k = dir->kids[i];

		if (k->namelen == 0) {
			node_error(dir, "empty file name");
			return -EINVAL;
		}
		if (k->namelen > PROTO_NAME_MAX) {
			node_error(k, "file name too long");
			return -ENAMETOOLONG;
		}
		if (memchr(k->name, '/', k->namelen) ||
		    memchr(k->name, '\0', k->namelen)) {
			node_error(k, "invalid character in file name");
			return -EINVAL;
		}
		if ((k->namelen == 1 && k->name[0] == '.') ||
		    (k->namelen == 2 && !memcmp(k->name, "..", 2))) {
			node_error(k, "reserved file name");
			return -EINVAL;
		}
	}
	if (dir->nkids < 2) {
		return 0;
	}
	sorted = malloc(dir->nkids * sizeof(*sorted));
	if (!sorted) {
		return -ENOMEM;
	}
	memcpy(sorted, dir->kids, dir->nkids * sizeof(*sorted));
	qsort(sorted, dir->nkids, sizeof(*sorted), cmp_kid);
	for (i = 1; i < dir->nkids; i++) {
		if (!cmp_kid(&sorted[i - 1], &sorted[i])) {
			node_error(sorted[i], "duplicate file name");
			free(sorted);
			return -EEXIST;
		}
	}
	free(sorted);
	return 0;
}

static int check_node(struct proto_node *node, struct proto_tree *tree)
{
	uint32_t i;
	int error;

	if (node->link) {
		node->link->nlink++;
		return 0;
	}
	if (node->parent) {
		tree->nfiles++;
	}
	if (node->nxattrs > 1) {
		qsort(node->xattrs, node->nxattrs, sizeof(*node->xattrs),
		      cmp_xattr);
	}
	for (i = 0; i < node->nxattrs; i++) {
		const struct proto_xattr *xa = &node->xattrs[i];

		if (xa->namelen == 0 || xa->namelen > PROTO_XATTR_NAME_MAX) {
			node_error(node, "extended attribute name too long");
			return -ENAMETOOLONG;
		}
		if (xa->valuelen > PROTO_XATTR_VALUE_MAX) {
			node_error(node, "extended attribute value too large");
			return -E2BIG;
		}
		if (i && !cmp_xattr(&node->xattrs[i - 1], xa)) {
			node_error(node, "duplicate extended attribute");
			return -EEXIST;
		}
	}

	switch (node->mode & S_IFMT) {
	case S_IFDIR:
		node->nlink += 2;
		if (node->parent) {
			node->parent->nlink++;
		}
		error = check_names(node);
		if (error) {
			return error;
		}
		break;
	case S_IFREG:
		node->nlink++;
		tree->nbytes += node->size;
		break;
	case S_IFLNK:
		node->nlink++;
		if (node->targetlen == 0) {
			node_error(node, "empty symbolic link target");
			return -EINVAL;
		}
		if (node->targetlen > PROTO_SYMLINK_MAX) {
			node_error(node, "symbolic link target too long");
			return -ENAMETOOLONG;
		}
		break;
	case S_IFCHR:
	case S_IFBLK:
		node->nlink++;
		if (node->major > PROTO_DEV_MAJOR_MAX ||
		    node->minor > PROTO_DEV_MINOR_MAX) {
			node_error(node, "device number too large");
			return -ERANGE;
		}
		break;
	case S_IFIFO:
	case S_IFSOCK:
		node->nlink++;
		break;
	default:
		node_error(node, "unsupported file type");
		return -EOPNOTSUPP;
	}
	if (node->nkids && !S_ISDIR(node->mode)) {
		node_error(node, "entries under a non-directory");
		return -ENOTDIR;
	}
	return 0;
}

static int finish_visit(struct proto_node *node, void *priv)
{
	return check_node(node, priv);
}

int proto_tree_finish(struct proto_tree *tree)
{
	if (!tree->root || !S_ISDIR(tree->root->mode)) {
		fprintf(stderr, "%s: the root must be a directory\n", progname);
		return -ENOTDIR;
	}
	tree->nfiles = 0;
	tree->nbytes = 0;
	return proto_tree_walk(tree, finish_visit, tree);
}

/*
 * Depth-first, iteratively (trees can be deep): an explicit stack of
 * (directory, next entry) pairs.
 */
int proto_tree_walk(struct proto_tree *tree, proto_visit_fn fn, void *priv)
{
	struct frame {
		struct proto_node	*dir;
		uint32_t		next;
	} *stack = NULL;
	size_t depth = 0, cap = 0;
	int error;

	if (!tree->root) {
		return 0;
	}
	error = fn(tree->root, priv);
	if (error) {
		return error;
	}
	cap = 16;
	stack = malloc(cap * sizeof(*stack));
	if (!stack) {
		return -ENOMEM;
	}
	stack[depth++] = (struct frame){ tree->root, 0 };
	while (depth) {
		struct frame *f = &stack[depth - 1];
		struct proto_node *node;

		if (f->next == f->dir->nkids) {
			depth--;
			continue;
		}
		node = f->dir->kids[f->next++];
		error = fn(node, priv);
		if (error) {
			break;
		}
		if (node->nkids && !node->link) {
			if (depth == cap) {
				struct frame *s;

				cap *= 2;
				s = realloc(stack, cap * sizeof(*stack));
				if (!s) {
					error = -ENOMEM;
					break;
				}
				stack = s;
			}
			stack[depth++] = (struct frame){ node, 0 };
		}
	}
	free(stack);
	return error;
}

/* ---- source paths, one directory at a time ---- */

void proto_srcdir_init(struct proto_srcdir *c)
{
	c->dir = NULL;
	c->len = 0;
	c->fd = -1;
}

void proto_srcdir_release(struct proto_srcdir *c)
{
	if (c->fd >= 0) {
		close(c->fd);
	}
	free(c->dir);
	proto_srcdir_init(c);
}

/*
 * The descriptor to resolve the last component of path against, and
 * that component; AT_FDCWD and the whole path when there is no
 * directory part or it cannot be opened (the real call then reports).
 */
static const char *srcdir_split(struct proto_srcdir *c, const char *path,
				int *dfd)
{
	const char *slash = strrchr(path, '/');
	size_t len;
	char *dir;
	int fd;

	*dfd = AT_FDCWD;
	if (!slash || slash == path || !slash[1]) {
		return path;
	}
	len = (size_t)(slash - path);
	if (c->fd >= 0 && len == c->len && !memcmp(c->dir, path, len)) {
		*dfd = c->fd;
		return slash + 1;
	}
	dir = malloc(len + 1);
	if (!dir) {
		return path;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		free(dir);
		return path;
	}
	proto_srcdir_release(c);
	c->dir = dir;
	c->len = len;
	c->fd = fd;
	*dfd = fd;
	return slash + 1;
}

int proto_srcdir_open(struct proto_srcdir *c, const char *path, int flags)
{
	int dfd;
	const char *name = srcdir_split(c, path, &dfd);

	return openat(dfd, name, flags);
}

int proto_srcdir_stat(struct proto_srcdir *c, const char *path,
		      struct stat *st, int atflags)
{
	int dfd;
	const char *name = srcdir_split(c, path, &dfd);

	return fstatat(dfd, name, st, atflags);
}

int proto_srcdir_access(struct proto_srcdir *c, const char *path, int mode)
{
	int dfd;
	const char *name = srcdir_split(c, path, &dfd);

	return faccessat(dfd, name, mode, 0);
}
