/*
 * db/init.c: entry point of xfs_db.  Parses the command line and dispatches;
 * the filesystem work itself lives in libxfs.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "libxfs.h"

static const char *progname = "xfs_db";

static void usage(void)
{
	fprintf(stderr, "Usage: %s [-V]\n", progname);
}

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "V")) != -1) {
		switch (c) {
		case 'V':
			printf("%s version %s\n", progname, XFS_TOOLS_VERSION);
			return 0;
		default:
			usage();
			return 1;
		}
	}
	fprintf(stderr, "%s: not implemented yet in this build\n", progname);
	return 1;
}
