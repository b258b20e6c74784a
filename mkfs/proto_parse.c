/*
 * mkfs/proto_parse.c: the -p argument and the protofile.
 *
 * A protofile is a stream of tokens separated by white space; ':' starts
 * a comment that runs to the end of the line.  It begins with a dummy
 * token (once the boot image) and two numbers (once the block and inode
 * counts), all ignored, then the root directory's "mode uid gid" and the
 * root's entries.  An entry is "name mode uid gid" plus, by type:
 *
 *   -  regular file   the host path its contents come from
 *   b  block device   major minor
 *   c  char device    major minor
 *   l  symlink        the target
 *   d  directory      its own entries, then "$"
 *   p  fifo, s socket nothing
 *
 * The mode is the type character, 'u' or '-' (setuid), 'g' or '-'
 * (setgid) and three octal permission digits; a fourth leading digit is
 * also taken (so that the sticky bit can be given: "d--1777").  "$" ends
 * the current directory; the end of the file ends every open one.  With
 * slashes_are_spaces=1 a '/' in a name stands for a space.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mkfs/mkfs.h"
#include "mkfs/proto.h"

/* ---- the -p argument ---- */

static const char *const proto_subopts[] = {
	"file", "slashes_are_spaces", "atime", NULL
};

/* Does arg start with one of the sub-option names followed by '='? */
static bool looks_like_subopts(const char *arg)
{
	int i;

	for (i = 0; proto_subopts[i]; i++) {
		size_t n = strlen(proto_subopts[i]);

		if (!strncmp(arg, proto_subopts[i], n) && arg[n] == '=') {
			return true;
		}
	}
	return false;
}

static int parse_bool(const char *name, const char *val, bool *out)
{
	if (!val || !*val) {
		fprintf(stderr, "-p %s option requires a value\n", name);
		return -EINVAL;
	}
	if (!strcmp(val, "0") || !strcmp(val, "1")) {
		*out = val[0] == '1';
		return 0;
	}
	fprintf(stderr, "Invalid value %s for -p %s option. %s\n", val, name,
		"Value is too large.");
	return -EINVAL;
}

int proto_opts_parse(struct mkfs_proto_opts *opts, const char *arg)
{
	char *copy, *p, *val;
	int error = 0;

	memset(opts, 0, sizeof(*opts));
	if (!looks_like_subopts(arg)) {
		opts->path = strdup(arg);
		return opts->path ? 0 : -ENOMEM;
	}
	copy = strdup(arg);
	if (!copy) {
		return -ENOMEM;
	}
	p = copy;
	while (*p && !error) {
		char *opt = p;
		char *comma;

		// "file=" takes the rest up to the next ",name=" so that
		// paths may contain commas that are not followed by an
		// option name.
		comma = strchr(p, ',');
		while (comma && !looks_like_subopts(comma + 1)) {
			comma = strchr(comma + 1, ',');
		}
		if (comma) {
			*comma = '\0';
			p = comma + 1;
		} else {
			p += strlen(p);
		}
		val = strchr(opt, '=');
		if (val) {
			*val++ = '\0';
		}
		if (!strcmp(opt, "file")) {
			if (!val || !*val) {
				fprintf(stderr,
					"-p file option requires a value\n");
				error = -EINVAL;
			} else {
				free((char *)opts->path);
				opts->path = strdup(val);
				if (!opts->path) {
					error = -ENOMEM;
				}
			}
		} else if (!strcmp(opt, "slashes_are_spaces")) {
			error = parse_bool(opt, val, &opts->slashes_are_spaces);
		} else if (!strcmp(opt, "atime")) {
			error = parse_bool(opt, val, &opts->atime);
		} else {
			fprintf(stderr, "unknown option -p %s%s%s\n", opt,
				val ? "=" : "", val ? val : "");
			error = -EINVAL;
		}
	}
	free(copy);
	if (!error && !opts->path) {
		fprintf(stderr, "-p needs a file=protofile or directory\n");
		error = -EINVAL;
	}
	if (error) {
		proto_opts_free(opts);
	}
	return error;
}

void proto_opts_free(struct mkfs_proto_opts *opts)
{
	free((char *)opts->path);
	opts->path = NULL;
	proto_tree_free(opts->tree);
	opts->tree = NULL;
}

/* ---- the protofile ---- */

struct lexer {
	const char	*buf;
	size_t		len;
	size_t		pos;
	const char	*fname;
	bool		slashes_are_spaces;
	struct proto_tree *tree;
	struct proto_srcdir srcdir;	/* stat of source files */
	char		tok[4096 + 1];	/* longest token we accept */
	unsigned int	toklen;
};

/*
 * Token separators: white space and NUL; ':' also ends a token (and
 * starts a comment to the end of the line).
 */
static bool is_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == '\0';
}

/* Next token into lx->tok; false at the end of the input. */
static bool next_token(struct lexer *lx, int *error)
{
	size_t start;

	*error = 0;
	for (;;) {
		while (lx->pos < lx->len && is_blank(lx->buf[lx->pos])) {
			lx->pos++;
		}
		if (lx->pos >= lx->len) {
			return false;
		}
		if (lx->buf[lx->pos] != ':') {
			break;
		}
		while (lx->pos < lx->len && lx->buf[lx->pos] != '\n') {
			lx->pos++;
		}
	}
	start = lx->pos;
	while (lx->pos < lx->len && !is_blank(lx->buf[lx->pos]) &&
	       lx->buf[lx->pos] != ':') {
		lx->pos++;
	}
	if (lx->pos - start > sizeof(lx->tok) - 1) {
		fprintf(stderr, "%s: %s: token too long: %.40s...\n", progname,
			lx->fname, lx->buf + start);
		*error = -ENAMETOOLONG;
		return false;
	}
	lx->toklen = (unsigned int)(lx->pos - start);
	memcpy(lx->tok, lx->buf + start, lx->toklen);
	lx->tok[lx->toklen] = '\0';
	return true;
}

/* A token that must be there. */
static int need_token(struct lexer *lx, const char *what)
{
	int error;

	if (next_token(lx, &error)) {
		return 0;
	}
	if (!error) {
		fprintf(stderr, "%s: proto file %s premature EOF (%s expected)\n",
			progname, lx->fname, what);
		error = -EINVAL;
	}
	return error;
}

static int need_number(struct lexer *lx, const char *what, uint32_t *out)
{
	unsigned long long v;
	char *end;
	int error;

	error = need_token(lx, what);
	if (error) {
		return error;
	}
	errno = 0;
	v = strtoull(lx->tok, &end, 10);
	if (*end || lx->tok[0] == '-' || errno || v > UINT32_MAX) {
		fprintf(stderr, "%s: %s: bad %s %s\n", progname, lx->fname,
			what, lx->tok);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

/* "tsgNNN" -> S_IF* | permissions; 0 for a bad string. */
static uint16_t parse_mode(const char *s)
{
	static const struct { char c; uint16_t fmt; } types[] = {
		{ '-', S_IFREG }, { 'b', S_IFBLK }, { 'c', S_IFCHR },
		{ 'd', S_IFDIR }, { 'p', S_IFIFO }, { 'l', S_IFLNK },
		{ 's', S_IFSOCK },
	};
	size_t n = strlen(s), i;
	uint16_t mode = 0;

	if (n != 6 && n != 7) {
		return 0;
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (s[0] == types[i].c) {
			mode = types[i].fmt;
		}
	}
	if (!mode) {
		return 0;
	}
	if (s[1] == 'u') {
		mode |= S_ISUID;
	} else if (s[1] != '-') {
		return 0;
	}
	if (s[2] == 'g') {
		mode |= S_ISGID;
	} else if (s[2] != '-') {
		return 0;
	}
	for (i = 3; i < n; i++) {
		unsigned int shift = 3 * (unsigned int)(n - 1 - i);

		if (s[i] < '0' || s[i] > '7') {
			return 0;
		}
		mode |= (uint16_t)((s[i] - '0') << shift);
	}
	return mode;
}

/* Regular file: check its source now, read it at populate. */
static int take_source(struct lexer *lx, struct proto_node *node)
{
	struct stat st;
	int error;

	error = need_token(lx, "source file");
	if (error) {
		return error;
	}
	if (proto_srcdir_stat(&lx->srcdir, lx->tok, &st, 0) < 0) {
		fprintf(stderr, "%s: cannot open %s: %s\n", progname, lx->tok,
			strerror(errno));
		return -errno;
	}
	if (S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: read failed on %s: %s\n", progname,
			lx->tok, strerror(EISDIR));
		return -EISDIR;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s: not a regular file\n", progname,
			lx->tok);
		return -EINVAL;
	}
	node->source = proto_tree_strdup(lx->tree, lx->tok, lx->toklen);
	if (!node->source) {
		return -ENOMEM;
	}
	node->size = (uint64_t)st.st_size;
	return 0;
}

static int parse_dir_entries(struct lexer *lx, struct proto_node *dir,
			     unsigned int depth, bool *eof);

/*
 * Parse "mode uid gid [args]" for node (its name already taken), and a
 * directory's entries.
 */
static int parse_entry(struct lexer *lx, struct proto_node *node,
		       unsigned int depth, bool *eof)
{
	int error;

	error = need_token(lx, "mode");
	if (error) {
		return error;
	}
	node->mode = parse_mode(lx->tok);
	if (!node->mode) {
		fprintf(stderr, "%s: bad format string %s\n", progname, lx->tok);
		return -EINVAL;
	}
	error = need_number(lx, "uid", &node->uid);
	if (!error) {
		error = need_number(lx, "gid", &node->gid);
	}
	if (error) {
		return error;
	}
	switch (node->mode & S_IFMT) {
	case S_IFREG:
		return take_source(lx, node);
	case S_IFBLK:
	case S_IFCHR:
		error = need_number(lx, "major", &node->major);
		if (!error) {
			error = need_number(lx, "minor", &node->minor);
		}
		return error;
	case S_IFLNK:
		error = need_token(lx, "link target");
		if (error) {
			return error;
		}
		node->target = proto_tree_strdup(lx->tree, lx->tok,
						 lx->toklen);
		node->targetlen = lx->toklen;
		return node->target ? 0 : -ENOMEM;
	case S_IFDIR:
		return parse_dir_entries(lx, node, depth + 1, eof);
	default:
		return 0;
	}
}

static int parse_dir_entries(struct lexer *lx, struct proto_node *dir,
			     unsigned int depth, bool *eof)
{
	struct proto_node *node;
	unsigned int i;
	int error;

	if (depth > 4096) {
		fprintf(stderr, "%s: %s: directories nested too deep\n",
			progname, lx->fname);
		return -ELOOP;
	}
	while (!*eof) {
		if (!next_token(lx, &error)) {
			if (error) {
				return error;
			}
			*eof = true;	// the end closes every directory
			break;
		}
		if (!strcmp(lx->tok, "$")) {
			break;
		}
		if (lx->slashes_are_spaces) {
			for (i = 0; i < lx->toklen; i++) {
				if (lx->tok[i] == '/') {
					lx->tok[i] = ' ';
				}
			}
		}
		node = proto_node_add(lx->tree, dir, lx->tok, lx->toklen);
		if (!node) {
			return -ENOMEM;
		}
		error = parse_entry(lx, node, depth, eof);
		if (error) {
			return error;
		}
	}
	return 0;
}

int proto_parse_buf(const char *buf, size_t len, const char *fname,
		    bool slashes_are_spaces, struct proto_tree **treep)
{
	struct lexer *lx;
	struct proto_node *root;
	bool eof = false;
	int error;

	*treep = NULL;
	lx = calloc(1, sizeof(*lx));
	if (!lx) {
		return -ENOMEM;
	}
	lx->buf = buf;
	lx->len = len;
	lx->fname = fname;
	lx->slashes_are_spaces = slashes_are_spaces;
	proto_srcdir_init(&lx->srcdir);
	lx->tree = proto_tree_new();
	if (!lx->tree) {
		free(lx);
		return -ENOMEM;
	}

	error = need_token(lx, "boot image name");
	if (!error) {
		error = need_token(lx, "block count");
	}
	if (!error) {
		error = need_token(lx, "inode count");
	}
	if (error) {
		goto out;
	}
	root = proto_node_add(lx->tree, NULL, "", 0);
	if (!root) {
		error = -ENOMEM;
		goto out;
	}
	error = parse_entry(lx, root, 0, &eof);
	if (error) {
		goto out;
	}
	if (!S_ISDIR(root->mode)) {
		fprintf(stderr, "%s: %s: the root must be a directory\n",
			progname, fname);
		error = -ENOTDIR;
		goto out;
	}
	error = proto_tree_finish(lx->tree);
out:
	if (error) {
		proto_tree_free(lx->tree);
	} else {
		*treep = lx->tree;
	}
	proto_srcdir_release(&lx->srcdir);
	free(lx);
	return error;
}

/* Read a whole (regular) file into memory. */
static int slurp(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 65536;
	char *buf = NULL, *nb;
	ssize_t n;
	int fd, error = 0;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		error = -errno;
		fprintf(stderr, "%s: failed to open %s: %s\n", progname, path,
			strerror(errno));
		return error;
	}
	for (;;) {
		if (!buf || len == cap) {
			cap = buf ? cap * 2 : cap;
			nb = realloc(buf, cap);
			if (!nb) {
				error = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			error = -errno;
			fprintf(stderr, "%s: read failed on %s: %s\n", progname,
				path, strerror(errno));
			break;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (error) {
		free(buf);
		return error;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int proto_load(struct mkfs_proto_opts *opts)
{
	struct stat st;
	size_t len = 0;
	char *buf = NULL;
	int error;

	proto_tree_free(opts->tree);
	opts->tree = NULL;
	if (stat(opts->path, &st) < 0) {
		error = -errno;
		fprintf(stderr, "%s: failed to open %s: %s\n", progname,
			opts->path, strerror(errno));
		return error;
	}
	if (S_ISDIR(st.st_mode)) {
		return proto_walk_dir(opts->path, opts->atime, &opts->tree);
	}
	error = slurp(opts->path, &buf, &len);
	if (error) {
		return error;
	}
	error = proto_parse_buf(buf, len, opts->path, opts->slashes_are_spaces,
				&opts->tree);
	free(buf);
	return error;
}
