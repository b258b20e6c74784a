/*
 * db/fprint.c: the element types of field tables and how each prints.
 *
 * Numbers: elements are separated by one space; an element is followed
 * by a space unless it is the last of the range even when the elements
 * after it are hidden (FTA_SKIPNULL), so "5:77 9:99 " keeps its trailing
 * blank as the reference's does.  Array elements carry an "i:" label when
 * more than one is printed.
 */
#include <ctype.h>
#include <string.h>

#include "db/field.h"
#include "db/io.h"

static void print_number(int64_t v, int size, enum db_fmt fmt)
{
	if (size > 32) {
		switch (fmt) {
		case DB_FMT_SDEC:
			printf("%lld", (long long)v);
			break;
		case DB_FMT_HEX:
			printf("%#llx", (unsigned long long)v);
			break;
		case DB_FMT_OCT:
			printf("%#llo", (unsigned long long)v);
			break;
		default:
			printf("%llu", (unsigned long long)v);
			break;
		}
		return;
	}
	/* Narrow values are printed as 32-bit quantities. */
	switch (fmt) {
	case DB_FMT_SDEC:
		printf("%d", (int32_t)v);
		break;
	case DB_FMT_HEX:
		printf("%#x", (uint32_t)v);
		break;
	case DB_FMT_OCT:
		printf("%#o", (uint32_t)v);
		break;
	default:
		printf("%u", (uint32_t)v);
		break;
	}
}

void db_fprint_num(const struct db_pelem *pe)
{
	const struct db_ftype *ft = pe->ft;
	int size = ft->bitsize;
	bool sign = ft->arg & FTA_SIGNED;
	int i;

	for (i = 0; i < pe->count; i++) {
		int64_t v = db_getbits(pe->obj, pe->bit + i * size, size, sign);
		bool isnull;

		if ((ft->arg & FTA_SKIPZERO) && v == 0) {
			continue;
		}
		if (sign || size == 64) {
			isnull = v == -1;
		} else {
			isnull = (uint64_t)v == (1ULL << size) - 1;
		}
		if ((ft->arg & FTA_SKIPNULL) && isnull) {
			continue;
		}
		if (pe->array && pe->count > 1) {
			printf("%d:", i + pe->base);
		}
		if ((ft->arg & FTA_DONULL) && isnull) {
			printf("null");
		} else {
			print_number(v, size, ft->fmt);
		}
		if (i < pe->count - 1) {
			printf(" ");
		}
	}
}

static void fp_uuid(const struct db_pelem *pe)
{
	int i, j;

	for (i = 0; i < pe->count; i++) {
		const uint8_t *u = (const uint8_t *)pe->obj +
				   (pe->bit >> 3) + i * 16;

		if (pe->array && pe->count > 1) {
			printf("%d:", i + pe->base);
		}
		for (j = 0; j < 16; j++) {
			if (j == 4 || j == 6 || j == 8 || j == 10) {
				printf("-");
			}
			printf("%02x", u[j]);
		}
		if (i < pe->count - 1) {
			printf(" ");
		}
	}
}

/* The checksum value, then the verdict on the current object. */
static void fp_crc(const struct db_pelem *pe)
{
	static const char *const verdict[] = {
		[DB_CRC_UNCHECKED] = "unchecked",
		[DB_CRC_CORRECT] = "correct",
		[DB_CRC_BAD] = "bad",
	};
	int64_t v = db_getbits(pe->obj, pe->bit, 32, false);

	print_number(v, 32, DB_FMT_HEX);
	printf(" (%s)", verdict[db_cur_crc_state(pe->ctx)]);
}

/* One character of a quoted string, escaped as the reference does. */
void db_print_char(unsigned char c)
{
	switch (c) {
	case '\\':
	case '\'':
	case '"':
	case '?':
		printf("\\%c", c);
		return;
	}
	if (c >= 7 && c <= 13) {
		/* BEL..CR come out as \a..\g */
		printf("\\%c", 'a' + (c - 7));
	} else if (c >= 0x20 && c < 0x7f) {
		printf("%c", c);
	} else {
		printf("\\%03o", c);
	}
}

/* A fixed-size character array, the whole of it, in quotes. */
static void fp_charns(const struct db_pelem *pe)
{
	const uint8_t *s = (const uint8_t *)pe->obj + (pe->bit >> 3);
	int i, n = pe->count * (pe->ft->bitsize / 8);

	printf("\"");
	for (i = 0; i < n; i++) {
		db_print_char(s[i]);
	}
	printf("\"");
}

/*
 * Records printed compactly, as btree records are: the member names once,
 * then one "i:[v1,v2,...]" per element, each on its own line.
 */
void db_fprint_records(const struct db_pelem *pe)
{
	const struct db_field *sub = pe->ft->sub;
	const struct db_field *f;
	int i;

	printf("[");
	for (f = sub; f->name; f++) {
		printf("%s%s", f == sub ? "" : ",", f->name);
	}
	printf("] ");
	for (i = 0; i < pe->count; i++) {
		int ebit = pe->bit + i * pe->ft->bitsize;

		printf("\n%d:[", i + pe->base);
		for (f = sub; f->name; f++) {
			struct db_pelem m = {
				.ctx = pe->ctx,
				.obj = pe->obj,
				.bit = db_field_elem_bit(pe->ctx, f, pe->obj, ebit,
							 db_field_base(f)),
				.count = db_field_count(pe->ctx, f, pe->obj,
							ebit),
				.ft = f->ftype,
				.base = db_field_base(f),
				.array = f->flags & DBF_ARRAY,
			};

			if (f != sub) {
				printf(",");
			}
			f->ftype->print(&m);
		}
		printf("]");
		if (i < pe->count - 1) {
			printf(" ");
		}
	}
}

#define NUMTYPE(var, tname, bits, tfmt, targ)				\
	const struct db_ftype var = {					\
		.name = tname,						\
		.bitsize = bits,					\
		.print = db_fprint_num,					\
		.fmt = tfmt,						\
		.arg = targ,						\
	}

#define ADDRTYPE(var, tname, bits, tfmt, targ, taddr)			\
	const struct db_ftype var = {					\
		.name = tname,						\
		.bitsize = bits,					\
		.print = db_fprint_num,					\
		.fmt = tfmt,						\
		.arg = targ,						\
		.addr = taddr,						\
	}

NUMTYPE(ft_uint8, "uint8", 8, DB_FMT_DEC, 0);
NUMTYPE(ft_uint16, "uint16", 16, DB_FMT_DEC, 0);
NUMTYPE(ft_uint32, "uint32", 32, DB_FMT_DEC, 0);
NUMTYPE(ft_uint64, "uint64", 64, DB_FMT_DEC, 0);
NUMTYPE(ft_hex8, "hex8", 8, DB_FMT_HEX, 0);
NUMTYPE(ft_hex16, "hex16", 16, DB_FMT_HEX, 0);
NUMTYPE(ft_hex32, "hex32", 32, DB_FMT_HEX, 0);
NUMTYPE(ft_hex64, "hex64", 64, DB_FMT_HEX, 0);
NUMTYPE(ft_lsn, "lsn", 64, DB_FMT_HEX, 0);
NUMTYPE(ft_agnumber, "agnumber", 32, DB_FMT_DEC, FTA_DONULL);
NUMTYPE(ft_extlen, "extlen", 32, DB_FMT_DEC, FTA_DONULL);
NUMTYPE(ft_drfsbno, "drfsbno", 64, DB_FMT_DEC, FTA_DONULL);
NUMTYPE(ft_drtbno, "drtbno", 64, DB_FMT_DEC, FTA_DONULL);
ADDRTYPE(ft_agino, "agino", 32, DB_FMT_DEC, FTA_DONULL, db_addr_agino);
ADDRTYPE(ft_agino_nn, "aginonn", 32, DB_FMT_DEC, FTA_DONULL | FTA_SKIPNULL,
	 db_addr_agino);

ADDRTYPE(ft_agblock, "agblock", 32, DB_FMT_DEC, FTA_DONULL, db_addr_agblock);
ADDRTYPE(ft_agblock_nz, "agblocknz", 32, DB_FMT_DEC, FTA_DONULL | FTA_SKIPZERO,
	 db_addr_agblock);
ADDRTYPE(ft_dfsbno, "dfsbno", 64, DB_FMT_DEC, FTA_DONULL, db_addr_fsblock);
ADDRTYPE(ft_ino, "ino", 64, DB_FMT_DEC, FTA_DONULL, db_addr_ino);

const struct db_ftype ft_uuid = {
	.name = "uuid",
	.bitsize = 128,
	.print = fp_uuid,
};

const struct db_ftype ft_crc = {
	.name = "crc",
	.bitsize = 32,
	.print = fp_crc,
};

const struct db_ftype ft_fname12 = {
	.name = "charns",
	.bitsize = 12 * 8,
	.print = fp_charns,
};
