/*
 * xfs_errno.h: the error numbers libxfs returns beyond the plain errno set.
 *
 * Convention for every libxfs function: 0 on success, a negative errno on
 * failure; the library never exits or aborts.  Metadata that fails a
 * structural check is reported as -EFSCORRUPTED, metadata whose checksum
 * does not match as -EFSBADCRC.  Both alias existing errno values so that
 * strerror() prints something sensible ("Structure needs cleaning",
 * "Bad message").
 */
#ifndef XFS_ERRNO_H_
#define XFS_ERRNO_H_

#include <errno.h>

#ifndef EFSCORRUPTED
#define EFSCORRUPTED	EUCLEAN		/* structure failed a sanity check */
#endif
#ifndef EFSBADCRC
#define EFSBADCRC	EBADMSG		/* checksum mismatch */
#endif

#endif /* XFS_ERRNO_H_ */
