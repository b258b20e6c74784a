/*
 * test_libxfs_util.h: helpers shared by the libxfs unit tests (included,
 * not linked: each test is one .c file).  TAP-like output: one
 * "ok - ..." or "not ok - ..." line per check; main() returns the failure
 * count.  Images are made at runtime with the reference mkfs.xfs in a
 * private temporary directory that is removed at exit.
 */
#ifndef TEST_LIBXFS_UTIL_H_
#define TEST_LIBXFS_UTIL_H_

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "libxfs.h"
#include "libfrog/crc32c.h"
#include "libfrog/uuid.h"

#define REF_MKFS	"/usr/sbin/mkfs.xfs"
#define REF_DB		"/usr/sbin/xfs_db"

static int t_failures;
static char t_dir[256];

static inline void t_check(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void t_check(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond) {
		t_failures++;
	}
}

#define CHECK(cond, ...)	t_check(!!(cond), __VA_ARGS__)

static inline void t_cleanup(void)
{
	char cmd[300];

	if (t_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
		if (system(cmd) != 0) {
			fprintf(stderr, "# cleanup of %s failed\n", t_dir);
		}
	}
}

/* Make the private temp dir; exit(1) on failure. */
static inline void t_setup_dir(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(t_dir, sizeof(t_dir), "%s/libxfs-test.XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(t_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(t_cleanup);
}

/* Skip (exit 0) unless the reference tools are installed. */
static inline void t_require_reference(void)
{
	if (access(REF_MKFS, X_OK) != 0 || access(REF_DB, X_OK) != 0) {
		printf("# skip: reference xfsprogs (%s, %s) not installed\n",
		       REF_MKFS, REF_DB);
		exit(0);
	}
}

static inline int t_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; returns its exit status (-1 on failure). */
static inline int t_run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st)) {
		return -1;
	}
	return WEXITSTATUS(st);
}

/* Path of a file in the temp dir (static buffer rotation of 8). */
static inline const char *t_path(const char *name)
{
	static char bufs[8][512];
	static int n;
	char *p = bufs[n++ % 8];

	snprintf(p, 512, "%s/%s", t_dir, name);
	return p;
}

/*
 * Make an image of `size` with the reference mkfs and extra options.
 * Returns 0 on success.
 */
static inline int t_mkfs(const char *img, const char *size, const char *opts)
{
	return t_run("rm -f '%s' && truncate -s %s '%s' && %s -q -f %s '%s' "
		     ">/dev/null 2>&1", img, size, img, REF_MKFS,
		     opts ? opts : "", img);
}

/*
 * Run xfs_db -r with commands (already quoted -c '...' pieces) and return
 * the value printed for `field` ("field = value"), in buf.  0 if found.
 */
static inline int t_db_field(const char *img, const char *cmds, const char *field,
		      char *buf, size_t len)
{
	char cmd[2048], line[1024];
	size_t flen = strlen(field);
	FILE *f;
	int found = -1;

	snprintf(cmd, sizeof(cmd), "%s -r %s '%s' 2>/dev/null", REF_DB, cmds,
		 img);
	f = popen(cmd, "r");
	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (found == 0) {
			continue;
		}
		if (strncmp(line, field, flen) == 0 &&
		    strncmp(line + flen, " = ", 3) == 0) {
			const char *v = line + flen + 3;
			size_t n = strcspn(v, "\n");

			if (n >= len) {
				n = len - 1;
			}
			memcpy(buf, v, n);
			buf[n] = 0;
			found = 0;
		}
	}
	pclose(f);
	return found;
}

/* Read the first line of xfs_db output into buf. */
static inline int t_db_line(const char *img, const char *cmds, char *buf,
		     size_t len)
{
	char cmd[2048];
	FILE *f;
	int ret = -1;

	snprintf(cmd, sizeof(cmd), "%s -r %s '%s' 2>/dev/null", REF_DB, cmds,
		 img);
	f = popen(cmd, "r");
	if (!f) {
		return -1;
	}
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = 0;
		ret = 0;
	}
	while (fgetc(f) != EOF) {
	}
	pclose(f);
	return ret;
}

static inline uint64_t t_db_u64(const char *img, const char *cmds,
			 const char *field)
{
	char buf[256];

	if (t_db_field(img, cmds, field, buf, sizeof(buf))) {
		return UINT64_MAX;
	}
	return strtoull(buf, NULL, 0);
}

/* pread/pwrite whole ranges of a file. */
static inline int t_pread(const char *path, void *buf, size_t len, off_t off)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		return -1;
	}
	n = pread(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static inline int t_pwrite(const char *path, const void *buf, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		return -1;
	}
	n = pwrite(fd, buf, len, off);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* CRC32C of a whole file, plus its size and mtime: "did anything change". */
struct t_fileprint {
	uint32_t	crc;
	off_t		size;
	struct timespec	mtime;
};

static inline int t_fingerprint(const char *path, struct t_fileprint *fp)
{
	static char buf[1 << 20];
	struct stat st;
	ssize_t n;
	off_t off = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	fp->crc = ~0U;
	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		// Sparse images: skip all-zero chunks cheaply by hashing them too.
		fp->crc = crc32c(fp->crc, buf, (size_t)n);
		off += n;
	}
	close(fd);
	fp->size = st.st_size;
	fp->mtime = st.st_mtim;
	return n < 0 ? -1 : 0;
}

static inline int t_same_print(const struct t_fileprint *a,
			const struct t_fileprint *b)
{
	return a->crc == b->crc && a->size == b->size &&
	       a->mtime.tv_sec == b->mtime.tv_sec &&
	       a->mtime.tv_nsec == b->mtime.tv_nsec;
}

#endif /* TEST_LIBXFS_UTIL_H_ */
