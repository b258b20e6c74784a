/*
 * bench/crc32c.c: throughput of the hardware and software CRC-32C routines
 * in libfrog, checksumming 4 KiB blocks the way XFS metadata is verified.
 *
 * Usage: crc32c [seconds-per-implementation] [block-size]
 * Prints "crc32c hw MB/s=N" and "crc32c sw MB/s=N" (MB = 10^6 bytes).
 * Defaults run about 2.5 s in total.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "libfrog/crc32c.h"

#define NBLOCKS		256	/* working set: 1 MiB at 4 KiB, cache-warm */

typedef uint32_t (*crc_fn)(uint32_t crc, const void *buf, size_t len);

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile uint32_t sink;

/* Checksum blocks until `seconds` pass; return MB/s. */
static double run(crc_fn fn, const unsigned char *buf, size_t bsize,
		  double seconds)
{
	double start = now(), elapsed;
	uint64_t bytes = 0;
	uint32_t acc = 0;

	do {
		size_t i;

		for (i = 0; i < NBLOCKS; i++)
			acc ^= fn(CRC32C_SEED, buf + i * bsize, bsize);
		bytes += (uint64_t)NBLOCKS * bsize;
		elapsed = now() - start;
	} while (elapsed < seconds);
	sink = acc;
	return bytes / elapsed / 1e6;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 1.2;
	size_t bsize = argc > 2 ? strtoul(argv[2], NULL, 0) : 4096;
	unsigned char *buf;
	double hw, sw;
	size_t i;

	if (seconds <= 0 || seconds > 60 || bsize == 0 || bsize > (1 << 24)) {
		fprintf(stderr, "usage: %s [seconds 0..60] [block-size]\n",
			argv[0]);
		return 2;
	}
	buf = malloc(NBLOCKS * bsize);
	if (!buf) {
		perror("malloc");
		return 1;
	}
	for (i = 0; i < NBLOCKS * bsize; i++)
		buf[i] = (unsigned char)(i * 2654435761u >> 13);

	if (crc32c_selftest()) {
		fprintf(stderr, "crc32c self test failed\n");
		free(buf);
		return 1;
	}
	run(crc32c_hw, buf, bsize, 0.05);	/* warm up caches and clocks */
	hw = run(crc32c_hw, buf, bsize, seconds);
	sw = run(crc32c_sw, buf, bsize, seconds);

	printf("crc32c block=%zu hw_available=%d default=%s\n", bsize,
	       crc32c_hw_available(), crc32c_impl_name());
	printf("crc32c hw MB/s=%.0f%s\n", hw,
	       crc32c_hw_available() ? "" : " (no hardware: software fallback)");
	printf("crc32c sw MB/s=%.0f\n", sw);
	free(buf);
	return 0;
}
