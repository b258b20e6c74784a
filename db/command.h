/*
 * db/command.h: the xfs_db command table.
 *
 * Every command is one struct db_command, defined next to the code it runs
 * (sb.c defines the `sb` command, print.c `print`, ...) and listed once in
 * the table of command.c.  The dispatcher checks the argument count against
 * argmin/argmax before calling func, so commands only validate contents.
 *
 * To add a command: write `static int foo_f(struct db_ctx *, int, char **)`
 * and `const struct db_command foo_cmd = { ... }` in its file, declare
 * foo_cmd below and add &foo_cmd to db_commands[] in command.c.
 */
#ifndef DB_COMMAND_H_
#define DB_COMMAND_H_

#include "db/db.h"

/*
 * func gets argv[0] = the name the user typed.  Its return value is
 * ignored by the dispatcher (as in the reference, a failing command does
 * not change the exit status); return 0 or a negative errno anyway.
 */
typedef int (*db_cmdfunc_t)(struct db_ctx *ctx, int argc, char **argv);

struct db_command {
	const char	*name;
	const char	*alias[2];	/* other names, NULL if unused */
	db_cmdfunc_t	func;
	int		argmin;		/* arguments after the name */
	int		argmax;		/* -1: unlimited */
	bool		canpush;	/* may follow `push` */
	bool		expert;		/* listed/usable only with -x */
	const char	*args;		/* argument synopsis for help */
	const char	*oneline;	/* one-line description */
	const char	*help;		/* extended help, may be NULL */
};

/* Look a command up by name or alias; NULL if unknown. */
const struct db_command *db_find_command(const char *name);

/*
 * Run one already-split command (argv[0] is the name).  Prints the
 * reference's messages for unknown commands and bad argument counts.
 */
void db_run_argv(struct db_ctx *ctx, int argc, char **argv);

/* Split line into words and run it; blank lines do nothing. */
void db_run_line(struct db_ctx *ctx, const char *line);

/*
 * Check argc against cmd's bounds (argc counts argv[0]); prints the
 * "bad argument count" message and returns false when out of range.
 */
bool db_check_argcount(const struct db_command *cmd, int argc);

/* The commands, one per file (see command.c for the table). */
extern const struct db_command addr_cmd;
extern const struct db_command agf_cmd;
extern const struct db_command agfl_cmd;
extern const struct db_command agi_cmd;
extern const struct db_command back_cmd;
extern const struct db_command convert_cmd;
extern const struct db_command daddr_cmd;
extern const struct db_command echo_cmd;
extern const struct db_command forward_cmd;
extern const struct db_command fsblock_cmd;
extern const struct db_command help_cmd;
extern const struct db_command info_cmd;
extern const struct db_command label_cmd;
extern const struct db_command pop_cmd;
extern const struct db_command print_cmd;
extern const struct db_command push_cmd;
extern const struct db_command quit_cmd;
extern const struct db_command ring_cmd;
extern const struct db_command sb_cmd;
extern const struct db_command stack_cmd;
extern const struct db_command type_cmd;
extern const struct db_command uuid_cmd;
extern const struct db_command version_cmd;
extern const struct db_command ablock_cmd;	/* bmap.c */
extern const struct db_command bmap_cmd;
extern const struct db_command dblock_cmd;
extern const struct db_command inode_cmd;	/* inode.c */
extern const struct db_command freesp_cmd;	/* freesp.c */
extern const struct db_command frag_cmd;	/* frag.c */
extern const struct db_command blockfree_cmd;	/* check.c */
extern const struct db_command blockget_cmd;
extern const struct db_command ncheck_cmd;	/* ncheck.c */
extern const struct db_command ls_cmd;		/* namei.c */
extern const struct db_command path_cmd;

#endif /* DB_COMMAND_H_ */
