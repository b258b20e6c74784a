/*
 * db/ring.h: the position ring -- the last DB_RING_SIZE places a
 * navigation command went to, walked with back/forward/ring.
 */
#ifndef DB_RING_H_
#define DB_RING_H_

#include "db/io.h"

/* Remember pos as the position after the current one (see ring.c). */
void db_ring_add(struct db_ctx *ctx, const struct db_pos *pos);

/* Start with an empty ring. */
void db_ring_init(struct db_ctx *ctx);

#endif /* DB_RING_H_ */
