/*
 * mkfs/cvtnum.c: the size-string parser used by every mkfs option that
 * takes a size ("-d size=10g", "-l su=8b", "-n size=16s").
 *
 * Accepted: an integer in C syntax (strtoll base 0) optionally followed by
 * exactly one unit character, either case: 'b' (filesystem blocks), 's'
 * (sectors), or k/m/g/t/p/e for KiB .. EiB.
 * Multiplication wraps like the reference's signed arithmetic does, so an
 * overflowing size comes out negative and fails the option's minimum.
 */
#include <ctype.h>
#include <stdlib.h>

#include "mkfs/mkfs.h"

long long mkfs_cvtnum(unsigned int blocksize, unsigned int sectsize,
		      const char *s)
{
	unsigned long long mult;
	long long v;
	char *end;

	v = strtoll(s, &end, 0);
	if (v == 0 && end == s) {
		return -1;
	}
	if (*end == '\0') {
		return v;
	}
	// Exactly one suffix character.
	if (end[1] != '\0') {
		return -1;
	}
	switch (tolower((unsigned char)*end)) {
	case 'b':
		if (!blocksize) {
			return -1;
		}
		return (long long)((unsigned long long)v * blocksize);
	case 's':
		if (!sectsize) {
			return -1;
		}
		return (long long)((unsigned long long)v * sectsize);
	}
	switch (tolower((unsigned char)*end)) {
	case 'k':
		mult = 1ULL << 10;
		break;
	case 'm':
		mult = 1ULL << 20;
		break;
	case 'g':
		mult = 1ULL << 30;
		break;
	case 't':
		mult = 1ULL << 40;
		break;
	case 'p':
		mult = 1ULL << 50;
		break;
	case 'e':
		mult = 1ULL << 60;
		break;
	default:
		return -1;
	}
	return (long long)((unsigned long long)v * mult);
}
