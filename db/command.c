/*
 * db/command.c: the command table, the line tokenizer and the dispatcher,
 * plus the few commands that are about the command loop itself (help,
 * quit, echo).
 *
 * A line is split on blanks; a double quote starts a quoted stretch that
 * runs to the next double quote (or the end of the line) and may contain
 * blanks.  The quote characters stay in the word, as the reference keeps
 * them.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db/command.h"

/* Every command; help sorts them by name when listing. */
static const struct db_command *const db_commands[] = {
	&ablock_cmd,
	&addr_cmd,
	&agf_cmd,
	&agfl_cmd,
	&agi_cmd,
	&back_cmd,
	&blockfree_cmd,
	&blockget_cmd,
	&bmap_cmd,
	&convert_cmd,
	&daddr_cmd,
	&dblock_cmd,
	&echo_cmd,
	&forward_cmd,
	&frag_cmd,
	&freesp_cmd,
	&fsblock_cmd,
	&help_cmd,
	&info_cmd,
	&inode_cmd,
	&label_cmd,
	&ls_cmd,
	&ncheck_cmd,
	&path_cmd,
	&pop_cmd,
	&print_cmd,
	&push_cmd,
	&quit_cmd,
	&ring_cmd,
	&sb_cmd,
	&stack_cmd,
	&type_cmd,
	&uuid_cmd,
	&version_cmd,
};

#define NR_COMMANDS	(sizeof(db_commands) / sizeof(db_commands[0]))

const struct db_command *db_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++) {
		const struct db_command *c = db_commands[i];

		if (!strcmp(c->name, name) ||
		    (c->alias[0] && !strcmp(c->alias[0], name)) ||
		    (c->alias[1] && !strcmp(c->alias[1], name))) {
			return c;
		}
	}
	return NULL;
}

bool db_check_argcount(const struct db_command *cmd, int argc)
{
	int nargs = argc - 1;

	if (nargs >= cmd->argmin && (cmd->argmax < 0 || nargs <= cmd->argmax)) {
		return true;
	}
	return false;
}

/* The reference's wording for an argument count out of bounds. */
static void report_argcount(const struct db_command *cmd, const char *typed,
			    int nargs)
{
	if (cmd->argmax < 0) {
		printf("bad argument count %d to %s, expected at least %d "
		       "arguments\n", nargs, typed, cmd->argmin);
	} else if (cmd->argmin == cmd->argmax) {
		printf("bad argument count %d to %s, expected %d arguments\n",
		       nargs, typed, cmd->argmin);
	} else {
		printf("bad argument count %d to %s, expected between %d and "
		       "%d arguments\n", nargs, typed, cmd->argmin,
		       cmd->argmax);
	}
}

void db_run_argv(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_command *cmd;

	if (argc < 1) {
		return;
	}
	cmd = db_find_command(argv[0]);
	if (!cmd || (cmd->expert && !ctx->expert)) {
		printf("command %s not found\n", argv[0]);
		return;
	}
	if (!db_check_argcount(cmd, argc)) {
		report_argcount(cmd, argv[0], argc - 1);
		return;
	}
	cmd->func(ctx, argc, argv);
}

/*
 * Split line into words (see the header comment for quoting).  Returns a
 * malloc'ed NULL-terminated vector whose strings live in *bufp.
 */
static char **split_line(const char *line, int *argcp, char **bufp)
{
	size_t len = strlen(line);
	char *buf = malloc(len + 1);
	char **argv = malloc(sizeof(char *) * (len / 2 + 2));
	const char *p = line;
	char *out = buf;
	int argc = 0;

	if (!buf || !argv) {
		free(buf);
		free(argv);
		*argcp = 0;
		*bufp = NULL;
		return NULL;
	}
	for (;;) {
		bool inquote = false;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		}
		if (!*p) {
			break;
		}
		argv[argc++] = out;
		while (*p) {
			if (*p == '"') {
				inquote = !inquote;
			} else if (!inquote && (*p == ' ' || *p == '\t' ||
						*p == '\n' || *p == '\r')) {
				break;
			}
			*out++ = *p++;
		}
		*out++ = '\0';
	}
	argv[argc] = NULL;
	*argcp = argc;
	*bufp = buf;
	return argv;
}

void db_run_line(struct db_ctx *ctx, const char *line)
{
	char *buf;
	int argc;
	char **argv = split_line(line, &argc, &buf);

	if (argv && argc > 0) {
		db_run_argv(ctx, argc, argv);
	}
	free(argv);
	free(buf);
}

/* ---- help ---- */

static int cmp_cmd(const void *a, const void *b)
{
	const struct db_command *ca = *(const struct db_command *const *)a;
	const struct db_command *cb = *(const struct db_command *const *)b;

	return strcmp(ca->name, cb->name);
}

static void help_one(const struct db_command *cmd, const char *typed,
		     bool extended)
{
	printf("%s", typed);
	if (cmd->args) {
		printf(" %s", cmd->args);
	}
	printf(" -- %s\n", cmd->oneline);
	if (extended && cmd->help) {
		printf("%s", cmd->help);
	}
}

static int help_f(struct db_ctx *ctx, int argc, char **argv)
{
	const struct db_command *sorted[NR_COMMANDS];
	const struct db_command *cmd;
	size_t i;

	if (argc == 2) {
		cmd = db_find_command(argv[1]);
		if (!cmd || (cmd->expert && !ctx->expert)) {
			printf("command %s not found\n", argv[1]);
			return -ENOENT;
		}
		help_one(cmd, argv[1], true);
		return 0;
	}
	memcpy(sorted, db_commands, sizeof(sorted));
	qsort(sorted, NR_COMMANDS, sizeof(sorted[0]), cmp_cmd);
	for (i = 0; i < NR_COMMANDS; i++) {
		if (sorted[i]->expert && !ctx->expert) {
			continue;
		}
		help_one(sorted[i], sorted[i]->name, false);
	}
	printf("\nUse 'help commandname' for extended help.\n");
	return 0;
}

const struct db_command help_cmd = {
	.name = "help",
	.alias = { "?" },
	.func = help_f,
	.argmin = 0,
	.argmax = 1,
	.args = "[command]",
	.oneline = "list the commands, or describe one",
};

/* ---- quit ---- */

static int quit_f(struct db_ctx *ctx, int argc, char **argv)
{
	ctx->done = true;
	return 0;
}

const struct db_command quit_cmd = {
	.name = "quit",
	.alias = { "q" },
	.func = quit_f,
	.argmin = 0,
	.argmax = 0,
	.oneline = "leave xfs_db",
};

/* ---- echo ---- */

static int echo_f(struct db_ctx *ctx, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		printf("%s ", argv[i]);
	}
	printf("\n");
	return 0;
}

const struct db_command echo_cmd = {
	.name = "echo",
	.func = echo_f,
	.argmin = 0,
	.argmax = -1,
	.args = "[args]...",
	.oneline = "print the arguments back",
};
