/*
 * xfs_log_write.h: writing a clean, empty journal -- what mkfs puts in
 * a new log and what repair leaves after it zeroed a dirty one.
 *
 * A clean log is all zeroes except one record at its start: a record
 * header (plus extended headers when the log stripe unit is over 32 KiB)
 * carrying cycle `cycle`, and a single unmount operation, padded to the
 * log stripe unit (or the log sector).  Recovery finds the head just
 * past that record, sees the unmount record there and replays nothing.
 */
#ifndef LIBXFS_XFS_LOG_WRITE_H_
#define LIBXFS_XFS_LOG_WRITE_H_

#include <stdbool.h>
#include <stdint.h>

#include "libxfs_io.h"

struct xfs_mount;

/* What a clean log needs to know about its filesystem. */
struct xfs_log_clear_args {
	uint64_t	daddr;		/* first BB of the log on dev */
	uint64_t	bbs;		/* log length, BBs */
	const uint8_t	*uuid;		/* sb_uuid, 16 bytes */
	unsigned int	logsunit;	/* sb_logsunit, bytes; 0 or 1: none */
	unsigned int	sectsize;	/* log sector size, bytes (>= 512) */
	uint32_t	cycle;		/* cycle to stamp; 0 means 1 */
	bool		nozero;		/* the log already reads as zeroes */
};

/*
 * Zero the log (unless args->nozero) and write the unmount record at its
 * start.  Returns 0 or a negative errno (-EINVAL when the record would
 * not fit the log).
 */
int libxfs_log_clear(struct libxfs_dev *dev,
		     const struct xfs_log_clear_args *args);

/* The same for a mounted filesystem's log (internal or external). */
int libxfs_log_clear_mount(struct xfs_mount *mp);

/*
 * Bytes of the unmount record libxfs_log_clear writes for this stripe
 * unit and sector size (header blocks included): the log must hold it.
 */
unsigned int libxfs_log_clear_record_bytes(unsigned int logsunit,
					   unsigned int sectsize);

#endif /* LIBXFS_XFS_LOG_WRITE_H_ */
