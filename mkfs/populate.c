/*
 * mkfs/populate.c: mkfs.xfs -p, the writing pass.  Takes the proto_tree
 * loaded before the device was touched and creates it under the new
 * root directory: every node becomes an inode (libxfs_inode_create),
 * directories get their entries (libxfs_dir_init/createname), symlinks
 * their targets, regular files their data (populate_data.c), and every
 * inode its extended attributes.  Hard links are extra directory entries
 * for the inode of their primary node, which the depth-first order
 * always creates first.
 *
 * Changes go into batched transactions (committed every POP_BATCH
 * operations, and around the data of large files) so that a tree of tens
 * of thousands of files costs a few hundred commits.  Directory inodes
 * stay referenced while their entries are created; the walk keeps an
 * explicit stack of them.  The same tree and the same environment
 * (SOURCE_DATE_EPOCH, DETERMINISTIC_SEED=1, -m uuid=) give the same
 * image: the order of every allocation is fixed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mkfs/mkfs.h"
#include "mkfs/populate.h"

/* Operations per transaction. */
#define POP_BATCH	256
/* Blocks reserved per transaction (the allocator asks for more). */
#define POP_RESBLKS	64

/* Open a new transaction if there is none. */
int pop_trans_get(struct populate *pop)
{
	int error;

	if (pop->tp) {
		return 0;
	}
	error = xfs_trans_alloc(pop->mp, POP_RESBLKS, &pop->tp);
	if (error) {
		pop->tp = NULL;
	}
	pop->nops = 0;
	return error;
}

/* Commit the running transaction, if any. */
int pop_trans_commit(struct populate *pop)
{
	struct xfs_trans *tp = pop->tp;

	pop->tp = NULL;
	pop->nops = 0;
	return tp ? xfs_trans_commit(tp) : 0;
}

static void pop_trans_cancel(struct populate *pop)
{
	if (pop->tp) {
		xfs_trans_cancel(pop->tp);
	}
	pop->tp = NULL;
}

/*
 * When the running transaction holds limit operations, commit it and
 * start the next; a failure is reported for node.
 */
int pop_trans_room(struct populate *pop, const struct proto_node *node,
		   unsigned int limit)
{
	int error;

	if (pop->nops < limit) {
		return 0;
	}
	error = pop_trans_commit(pop);
	if (!error) {
		error = pop_trans_get(pop);
	}
	if (error) {
		pop_error(pop, node, "cannot commit", error);
	}
	return error;
}

/* Count an operation; commit when the batch is full. */
static int pop_trans_tick(struct populate *pop)
{
	if (++pop->nops < POP_BATCH) {
		return 0;
	}
	return pop_trans_commit(pop);
}

/* Print "mkfs.xfs: PATH: CAUSE" once. */
void pop_error(struct populate *pop, const struct proto_node *node,
	       const char *what, int error)
{
	char *path;

	if (pop->reported) {
		return;
	}
	pop->reported = true;
	pop_progress_end(pop);
	path = proto_node_path(node);
	if (error == -ENOSPC) {
		fprintf(stderr,
			"%s: %s: %s: no space left on device (the tree does not fit)\n",
			progname, path ? path : node->name, what);
	} else {
		fprintf(stderr, "%s: %s: %s: %s\n", progname,
			path ? path : node->name, what, strerror(-error));
	}
	free(path);
}

static void node_times(const struct populate *pop,
		       const struct proto_node *node,
		       struct xfs_icreate_args *args)
{
	args->ctime = pop->now;
	args->crtime = pop->now;
	args->mtime = pop->now;
	args->atime = pop->now;
	if (node->has_mtime) {
		args->mtime.sec = node->mtime.sec;
		args->mtime.nsec = node->mtime.nsec;
	}
	if (node->has_atime) {
		args->atime.sec = node->atime.sec;
		args->atime.nsec = node->atime.nsec;
	}
	args->times_set = true;
}

static int set_xattrs(struct populate *pop, struct proto_node *node,
		      struct xfs_inode *ip)
{
	uint32_t i;
	int error;

	for (i = 0; i < node->nxattrs; i++) {
		const struct proto_xattr *xa = &node->xattrs[i];

		error = libxfs_attr_set(pop->tp, ip, xa->ns, xa->name,
					xa->namelen, xa->value, xa->valuelen);
		if (error) {
			pop_error(pop, node, "cannot set extended attribute",
				  error);
			return error;
		}
		pop->nops++;
		error = pop_trans_room(pop, node, POP_BATCH);
		if (error) {
			return error;
		}
	}
	return 0;
}

/* The root: its metadata from the tree, and its xattrs. */
static int setup_root(struct populate *pop, struct xfs_inode *rootip)
{
	struct proto_node *root = pop->tree->root;
	struct xfs_icreate_args args = { 0 };
	int error;

	error = pop_trans_get(pop);
	if (error) {
		pop_error(pop, root, "cannot start a transaction", error);
		return error;
	}
	node_times(pop, root, &args);
	rootip->i_mode = (uint16_t)(S_IFDIR | (root->mode & 07777));
	rootip->i_uid = root->uid;
	rootip->i_gid = root->gid;
	rootip->i_atime = args.atime;
	rootip->i_mtime = args.mtime;
	rootip->i_ctime = args.ctime;
	error = set_xattrs(pop, root, rootip);
	if (error) {
		return error;
	}
	error = libxfs_trans_log_inode(pop->tp, rootip);
	if (error) {
		pop_error(pop, root, "cannot write inode", error);
	}
	root->ino = rootip->i_ino;
	return error;
}

/* Make the inode of node (not a hard link) inside directory dp. */
static int create_inode(struct populate *pop, struct proto_node *node,
			struct xfs_inode *dp, struct xfs_inode **ipp)
{
	struct xfs_icreate_args args = { 0 };
	struct xfs_inode *ip = NULL;
	int error;

	args.mode = node->mode;
	args.uid = node->uid;
	args.gid = node->gid;
	args.nlink = node->nlink;
	if (S_ISCHR(node->mode) || S_ISBLK(node->mode)) {
		args.rdev = proto_node_rdev(node);
	}
	node_times(pop, node, &args);

	error = libxfs_inode_create(pop->tp, dp, &args, &ip);
	if (error) {
		pop_error(pop, node, "cannot allocate inode", error);
		return error;
	}
	node->ino = ip->i_ino;
	switch (node->mode & S_IFMT) {
	case S_IFDIR:
		error = libxfs_dir_init(pop->tp, ip, dp->i_ino);
		if (error) {
			pop_error(pop, node, "cannot make directory", error);
		}
		break;
	case S_IFLNK:
		error = libxfs_symlink_write(pop->tp, ip, node->target,
					     node->targetlen);
		if (error) {
			pop_error(pop, node, "cannot write symbolic link",
				  error);
		}
		break;
	default:
		break;
	}
	if (!error) {
		error = set_xattrs(pop, node, ip);
	}
	if (!error) {
		error = libxfs_trans_log_inode(pop->tp, ip);
		if (error) {
			pop_error(pop, node, "cannot write inode", error);
		}
	}
	if (error) {
		libxfs_irele(ip);
		return error;
	}
	*ipp = ip;
	return 0;
}

/* The name of node in dp (node's own inode, or its primary's). */
static int link_name(struct populate *pop, struct proto_node *node,
		     struct xfs_inode *dp)
{
	const struct proto_node *target = node->link ? node->link : node;
	int error;

	error = libxfs_dir_createname(pop->tp, dp,
				      (const unsigned char *)node->name,
				      node->namelen, target->ino,
				      xfs_mode_to_ftype(target->mode));
	if (error) {
		pop_error(pop, node, "cannot add directory entry", error);
	}
	return error;
}

/* Stack of open directories for the depth-first walk. */
struct pop_frame {
	struct proto_node	*node;
	struct xfs_inode	*ip;
	uint32_t		next;		/* next entry to create */
};

struct pop_walk {
	struct populate		*pop;
	struct pop_frame	*stack;
	size_t			depth;
	size_t			cap;
};

/* Steps per hand-off to an allocation worker. */
#define POP_STEPS	512

/*
 * One step of the walk: finish the directory on top of the stack, or
 * create its next entry (and open it when it is a directory).
 */
static int pop_step(struct pop_walk *w)
{
	struct populate *pop = w->pop;
	struct pop_frame *f = &w->stack[w->depth - 1];
	struct proto_node *node;
	struct xfs_inode *ip = NULL;
	int error;

	if (f->next == f->node->nkids) {
		// The directory is complete: log its final state.
		if (w->depth > 1) {
			error = pop_trans_get(pop);
			if (!error) {
				error = libxfs_trans_log_inode(pop->tp, f->ip);
			}
			if (error) {
				pop_error(pop, f->node, "cannot write inode",
					  error);
				return error;
			}
			libxfs_irele(f->ip);
		}
		w->depth--;
		return 0;
	}
	node = f->node->kids[f->next++];
	error = pop_trans_get(pop);
	if (error) {
		pop_error(pop, node, "cannot start a transaction", error);
		return error;
	}
	if (!node->link) {
		error = create_inode(pop, node, f->ip, &ip);
		if (error) {
			return error;
		}
	}
	error = link_name(pop, node, f->ip);
	if (!error && S_ISREG(node->mode) && !node->link && node->size) {
		error = pop_copy_data(pop, node, ip);
	}
	if (!error) {
		error = pop_trans_tick(pop);
		if (error) {
			pop_error(pop, node, "cannot commit", error);
		}
	}
	if (!node->link) {
		pop->files_done++;
		pop_progress(pop, false);
	}
	if (error || !ip || !S_ISDIR(node->mode)) {
		if (ip) {
			libxfs_irele(ip);
		}
		return error;
	}
	if (w->depth == w->cap) {
		struct pop_frame *st;

		st = realloc(w->stack, w->cap * 2 * sizeof(*st));
		if (!st) {
			libxfs_irele(ip);
			return -ENOMEM;
		}
		w->stack = st;
		w->cap *= 2;
	}
	w->stack[w->depth++] = (struct pop_frame){ node, ip, 0 };
	return 0;
}

/*
 * A batch of steps, run on an allocation worker: the allocations made
 * inside are nested (no hand-off each), so a tree of small files costs
 * one hand-off per POP_STEPS entries instead of one per file.
 */
static int pop_batch(void *arg)
{
	struct pop_walk *w = arg;
	unsigned int i;
	int error = 0;

	for (i = 0; i < POP_STEPS && w->depth && !error; i++) {
		error = pop_step(w);
	}
	return error;
}

static int populate_tree(struct populate *pop, struct xfs_inode *rootip)
{
	struct pop_walk w = { .pop = pop, .cap = 64 };
	int error = 0;

	w.stack = malloc(w.cap * sizeof(*w.stack));
	if (!w.stack) {
		return -ENOMEM;
	}
	w.stack[w.depth++] = (struct pop_frame){ pop->tree->root, rootip, 0 };
	pop_read_start(pop);
	while (w.depth && !error) {
		error = xfs_alloc_offload_run(pop_batch, &w);
	}
	pop_read_stop(pop);
	// On error, drop the directories still open (never the root).
	while (w.depth > 1) {
		libxfs_irele(w.stack[--w.depth].ip);
	}
	free(w.stack);
	return error;
}

int mkfs_populate(struct xfs_mount *mp, struct xfs_inode *rootip,
		  const struct mkfs_proto_opts *opts)
{
	struct mkfs_proto_opts local;
	struct populate pop = { 0 };
	int error;

	if (!opts->tree) {
		local = *opts;
		local.tree = NULL;
		error = proto_load(&local);
		if (error) {
			return error;
		}
		pop.tree = local.tree;
	} else {
		pop.tree = opts->tree;
	}
	pop.mp = mp;
	pop.opts = opts;
	libxfs_current_time(&pop.now);
	error = pop_data_init(&pop);
	if (!error) {
		pop_progress_start(&pop);
		error = setup_root(&pop, rootip);
	}
	if (!error) {
		error = populate_tree(&pop, rootip);
	}
	if (!error) {
		error = pop_data_flush(&pop);
		if (error) {
			pop_error(&pop, pop.tree->root, "cannot write data",
				  error);
		}
	}
	if (!error) {
		error = pop_trans_get(&pop);
		if (!error) {
			// The root's link count and size, as the tree made them.
			rootip->i_nlink = pop.tree->root->nlink;
			error = libxfs_trans_log_inode(pop.tp, rootip);
		}
		if (!error) {
			error = pop_trans_commit(&pop);
		}
		if (error) {
			pop_error(&pop, pop.tree->root, "cannot commit", error);
		}
	}
	if (error) {
		pop_trans_cancel(&pop);
		if (!pop.reported) {
			fprintf(stderr, "%s: populating the filesystem: %s\n",
				progname, strerror(-error));
		}
	}
	pop_progress_end(&pop);
	pop_data_free(&pop);
	if (!opts->tree) {
		proto_tree_free(pop.tree);
	}
	return error;
}
