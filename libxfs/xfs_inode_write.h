/*
 * xfs_inode_write.h: changing inodes inside a transaction -- reading an
 * inode through a transaction, putting the in-core inode (core and both
 * forks) back into its slot of the cluster buffer, and the two sources
 * of values a new inode needs (the time, a generation number).
 *
 * Fork data ownership: after libxfs_iget a fork's if_data points into
 * the inode's copy of the on-disk inode (i_dinode).  A writer that wants
 * to change a fork calls libxfs_ifork_realloc, which gives the fork a
 * heap buffer of its own (keeping the old bytes); libxfs_irele frees
 * such buffers.  libxfs_trans_iget and libxfs_trans_log_inode leave
 * every fork in a heap buffer whose if_size is the bytes in use:
 *   DEV      4 (the big-endian device number)
 *   LOCAL    the local bytes (data fork: i_size; attr fork: the sf
 *            header's total size)
 *   EXTENTS  16 * if_nextents
 *   BTREE    the whole fork area of the inode (the bmdr root's pointer
 *            array sits at an offset computed from it)
 */
#ifndef LIBXFS_XFS_INODE_WRITE_H_
#define LIBXFS_XFS_INODE_WRITE_H_

#include <stdint.h>

#include "xfs_inode.h"

struct xfs_mount;
struct xfs_trans;

/*
 * Read inode ino through tp (its cluster buffer joins tp, so inodes
 * written earlier in tp are seen as they stand).  Errors as libxfs_iget.
 */
int libxfs_trans_iget(struct xfs_mount *mp, struct xfs_trans *tp,
		      uint64_t ino, struct xfs_inode **ipp);

/*
 * Encode the in-core inode into its slot of the cluster buffer (joined
 * to tp) and log the slot.  The inode CRC is set by the buffer's write
 * verifier at commit.  The fork contents must fit the fork sizes that
 * i_forkoff gives: -EINVAL otherwise (nothing changed).  i_dinode is
 * refreshed to the encoded inode.
 */
int libxfs_trans_log_inode(struct xfs_trans *tp, struct xfs_inode *ip);

/*
 * Make the fork's if_data a heap buffer of `size` bytes owned by the
 * inode, keeping min(old if_size, size) bytes of the old contents and
 * zeroing the rest; if_size becomes size.  -ENOMEM on failure (nothing
 * changed).
 */
int libxfs_ifork_realloc(struct xfs_inode *ip, int whichfork,
			 unsigned int size);

/* Bytes available to each fork given i_forkoff (and the inode size). */
unsigned int libxfs_inode_data_fork_size(const struct xfs_inode *ip);
unsigned int libxfs_inode_attr_fork_size(const struct xfs_inode *ip);

/*
 * The current time for timestamps: SOURCE_DATE_EPOCH (seconds, nsec 0)
 * when that is set to a number, else the real-time clock.
 */
void libxfs_current_time(struct xfs_ictime *t);

/*
 * A generation number for a new inode: random, or a fixed sequence
 * (the same on every run) when DETERMINISTIC_SEED=1.
 */
uint32_t libxfs_inode_gen(void);

#endif /* LIBXFS_XFS_INODE_WRITE_H_ */
