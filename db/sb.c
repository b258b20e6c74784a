/*
 * db/sb.c: the superblock -- its field table, its type and the `sb`
 * command.  Every AG starts with a copy; AG 0's is the primary.
 */
#include "db/command.h"
#include "db/field.h"
#include "db/io.h"
#include "db/type.h"

#define SB(m)	FBIT(struct xfs_dsb, sb_##m)

static const struct db_field sb_fields[] = {
	{ "magicnum", &ft_hex32, SB(magicnum) },
	{ "blocksize", &ft_uint32, SB(blocksize) },
	{ "dblocks", &ft_drfsbno, SB(dblocks) },
	{ "rblocks", &ft_drfsbno, SB(rblocks) },
	{ "rextents", &ft_drtbno, SB(rextents) },
	{ "uuid", &ft_uuid, SB(uuid) },
	{ "logstart", &ft_dfsbno, SB(logstart), .next = TYP_LOG },
	{ "rootino", &ft_ino, SB(rootino), .next = TYP_INODE },
	{ "rbmino", &ft_ino, SB(rbmino), .next = TYP_INODE },
	{ "rsumino", &ft_ino, SB(rsumino), .next = TYP_INODE },
	{ "rextsize", &ft_extlen, SB(rextsize) },
	{ "agblocks", &ft_extlen, SB(agblocks) },
	{ "agcount", &ft_agnumber, SB(agcount) },
	{ "rbmblocks", &ft_uint32, SB(rbmblocks) },
	{ "logblocks", &ft_uint32, SB(logblocks) },
	{ "versionnum", &ft_hex16, SB(versionnum) },
	{ "sectsize", &ft_uint16, SB(sectsize) },
	{ "inodesize", &ft_uint16, SB(inodesize) },
	{ "inopblock", &ft_uint16, SB(inopblock) },
	{ "fname", &ft_fname12, SB(fname) },
	{ "blocklog", &ft_uint8, SB(blocklog) },
	{ "sectlog", &ft_uint8, SB(sectlog) },
	{ "inodelog", &ft_uint8, SB(inodelog) },
	{ "inopblog", &ft_uint8, SB(inopblog) },
	{ "agblklog", &ft_uint8, SB(agblklog) },
	{ "rextslog", &ft_uint8, SB(rextslog) },
	{ "inprogress", &ft_uint8, SB(inprogress) },
	{ "imax_pct", &ft_uint8, SB(imax_pct) },
	{ "icount", &ft_uint64, SB(icount) },
	{ "ifree", &ft_uint64, SB(ifree) },
	{ "fdblocks", &ft_uint64, SB(fdblocks) },
	{ "frextents", &ft_uint64, SB(frextents) },
	{ "uquotino", &ft_ino, SB(uquotino), .next = TYP_INODE },
	{ "gquotino", &ft_ino, SB(gquotino), .next = TYP_INODE },
	{ "qflags", &ft_hex16, SB(qflags) },
	{ "flags", &ft_hex8, SB(flags) },
	{ "shared_vn", &ft_uint8, SB(shared_vn) },
	{ "inoalignmt", &ft_uint32, SB(inoalignmt) },
	{ "unit", &ft_uint32, SB(unit) },
	{ "width", &ft_uint32, SB(width) },
	{ "dirblklog", &ft_uint8, SB(dirblklog) },
	{ "logsectlog", &ft_uint8, SB(logsectlog) },
	{ "logsectsize", &ft_uint16, SB(logsectsize) },
	{ "logsunit", &ft_uint32, SB(logsunit) },
	{ "features2", &ft_hex32, SB(features2) },
	{ "bad_features2", &ft_hex32, SB(bad_features2) },
	{ "features_compat", &ft_hex32, SB(features_compat) },
	{ "features_ro_compat", &ft_hex32, SB(features_ro_compat) },
	{ "features_incompat", &ft_hex32, SB(features_incompat) },
	{ "features_log_incompat", &ft_hex32, SB(features_log_incompat) },
	{ "crc", &ft_crc, SB(crc) },
	{ "spino_align", &ft_uint32, SB(spino_align) },
	{ "pquotino", &ft_ino, SB(pquotino), .next = TYP_INODE },
	{ "lsn", &ft_lsn, SB(lsn) },
	{ "meta_uuid", &ft_uuid, SB(meta_uuid) },
	{ NULL }
};

const struct db_type sb_type = {
	.id = TYP_SB,
	.name = "sb",
	.fields = sb_fields,
	.size = db_size_sector,
	.ops = &xfs_sb_buf_ops,
};

static int sb_f(struct db_ctx *ctx, int argc, char **argv)
{
	return db_goto_ag_header(ctx, argc, argv, &sb_type, 0);
}

const struct db_command sb_cmd = {
	.name = "sb",
	.func = sb_f,
	.argmin = 0,
	.argmax = 1,
	.canpush = true,
	.args = "[agno]",
	.oneline = "go to the superblock of an allocation group",
	.help =
"\n"
" Makes the superblock of AG agno (default: the current AG) the current\n"
" object, with type sb.  AG 0 holds the primary superblock; the others\n"
" are backups that mkfs and growfs write and repair may use.\n"
"\n"
" Example: 'sb 2' then 'p agcount'.\n"
"\n",
};
