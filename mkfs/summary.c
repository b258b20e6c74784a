/*
 * mkfs/summary.c: the geometry report mkfs prints before (or, with -N,
 * instead of) formatting -- the "meta-data=" block.  Users and scripts
 * parse it, so its layout is the reference's to the byte: ten lines, the
 * device name in a 22-column field, fixed-width value columns.
 */
#include <stdio.h>

#include "mkfs/mkfs.h"

void print_summary(const struct mkfs_geometry *g)
{
	const struct mkfs_features *f = &g->feat;
	const char *logname = g->loginternal ? "internal log" : g->logname;
	const char *rtname = g->rtname ? g->rtname : "none";
	unsigned int attr = f->attr_version == 2 ? 2 :
			    f->attr_version == 1 ? 1 : 0;

	printf("meta-data=%-22s isize=%-6u agcount=%llu, agsize=%llu blks\n",
	       g->dname, g->inodesize, (unsigned long long)g->agcount,
	       (unsigned long long)g->agsize);
	printf("         =%-22s sectsz=%-5u attr=%u, projid32bit=%u\n",
	       "", g->sectorsize, attr, f->projid32bit);
	printf("         =%-22s crc=%-8u finobt=%u, sparse=%u, rmapbt=%u\n",
	       "", f->crc, f->finobt, f->spinodes, f->rmapbt);
	printf("         =%-22s reflink=%-4u bigtime=%u inobtcount=%u nrext64=%u\n",
	       "", f->reflink, f->bigtime, f->inobtcnt, f->nrext64);
	printf("data     =%-22s bsize=%-6u blocks=%llu, imaxpct=%u\n",
	       "", g->blocksize, (unsigned long long)g->dblocks, g->imaxpct);
	printf("         =%-22s sunit=%-6u swidth=%u blks\n",
	       "", g->dsunit, g->dswidth);
	printf("naming   =version %-14u bsize=%-6u ascii-ci=%u, ftype=%u\n",
	       f->dir_version, g->dirblocksize, f->nci, f->dirftype);
	printf("log      =%-22s bsize=%-6u blocks=%llu, version=%u\n",
	       logname, g->blocksize, (unsigned long long)g->logblocks,
	       f->log_version);
	printf("         =%-22s sectsz=%-5u sunit=%u blks, lazy-count=%u\n",
	       "", g->lsectorsize, f->log_version == 2 ? g->lsunit : 0,
	       f->lazy_sb_counters);
	printf("realtime =%-22s extsz=%-6llu blocks=%llu, rtextents=%llu\n",
	       rtname, (unsigned long long)(g->rtextblocks * g->blocksize),
	       (unsigned long long)g->rtblocks,
	       (unsigned long long)g->rtextents);
}
