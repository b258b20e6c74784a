/*
 * db/ncheck.c: the `ncheck` command -- inode numbers and the path names
 * blockget -n found for them, "ino path" (directories end in "/.").
 * All inodes, AG by AG in blockget's record order; -i lists given
 * inodes in the order given; -s only setuid/setgid and special files.
 */
#include <getopt.h>
#include <stdlib.h>

#include "db/check.h"
#include "db/command.h"

static void print_one(struct db_check *ck, uint32_t id, const char *path)
{
	const struct ck_ino *ip = ck_ino(ck, id);

	printf("%11llu %s%s\n", (unsigned long long)ip->ino, path,
	       (ip->flags & CKI_ISDIR) ? "/." : "");
}

static int ncheck_f(struct db_ctx *ctx, int argc, char **argv)
{
	struct db_check *ck = ctx->check;
	uint64_t *ilist = NULL;
	unsigned int nilist = 0, i;
	bool security = false;
	uint32_t agno, h, id;
	char *path;
	int c;

	if (!ck || !ck->nflag) {
		printf("must run blockget -n first\n");
		return 0;
	}
	optind = 0;
	while ((c = getopt(argc, argv, "i:s")) != -1) {
		uint64_t *n;

		switch (c) {
		case 'i':
			n = realloc(ilist, sizeof(*ilist) * (nilist + 1));
			if (!n) {
				free(ilist);
				return -ENOMEM;
			}
			ilist = n;
			ilist[nilist++] = strtoull(optarg, NULL, 10);
			break;
		case 's':
			security = true;
			break;
		default:
			printf("bad option -%c for ncheck command\n", c);
			free(ilist);
			return -EINVAL;
		}
	}
	if (ilist) {
		for (i = 0; i < nilist; i++) {
			id = ck_find_inode(ck, ilist[i], false);
			if (!id) {
				continue;
			}
			path = ck_inode_name(ck, id);
			if (path) {
				print_one(ck, id, path);
				free(path);
			}
		}
		free(ilist);
		return 0;
	}
	for (agno = 0; agno < ck->agcount; agno++) {
		for (h = 0; h < ck->hashsize; h++) {
			for (id = ck->hash[agno][h]; id;
			     id = ck_ino(ck, id)->next) {
				if (security &&
				    !(ck_ino(ck, id)->flags & CKI_SECURITY)) {
					continue;
				}
				path = ck_inode_name(ck, id);
				if (path) {
					print_one(ck, id, path);
					free(path);
				}
			}
		}
	}
	return 0;
}

const struct db_command ncheck_cmd = {
	.name = "ncheck",
	.func = ncheck_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[-s] [-i ino] ...",
	.oneline = "print inode-name pairs",
};
