/*
 * dev_fault.c: a fault-injecting device for tests.
 *
 * Wraps another struct libxfs_dev and passes every request through,
 * except those that match one of the configured rules: those fail, are
 * cut short, are torn, or are silently dropped (lost writes), so tests
 * can check how the layers above cope.  The wrapper owns the lower
 * device.  Thread-safe: the rule table has its own mutex.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "libxfs_io.h"

#define FAULT_MAX_RULES	32

struct fault_rule_state {
	struct libxfs_fault_rule rule;
	unsigned int	matched;	/* matches seen so far */
};

struct fdevf {
	struct libxfs_dev	*lower;
	pthread_mutex_t		lock;
	unsigned int		nr_rules;
	struct fault_rule_state	rules[FAULT_MAX_RULES];
	uint64_t		hits;
};

static bool rule_overlaps(const struct libxfs_fault_rule *r, uint64_t off,
			  uint64_t len)
{
	uint64_t end = off + len;

	if (end <= r->off) {
		return false;
	}
	if (r->len != 0 && off >= r->off + r->len) {
		return false;
	}
	return true;
}

/*
 * Find the rule of one of the given kinds that fires for this request and
 * consume one firing.  Returns the rule (a copy) or false.
 */
static bool fault_match(struct fdevf *f, const enum libxfs_fault_kind *kinds,
			unsigned int nkinds, uint64_t off, uint64_t len,
			struct libxfs_fault_rule *out)
{
	bool fired = false;
	unsigned int i, k;

	pthread_mutex_lock(&f->lock);
	for (i = 0; i < f->nr_rules && !fired; i++) {
		struct fault_rule_state *s = &f->rules[i];
		bool kind_ok = false;

		for (k = 0; k < nkinds; k++) {
			if (s->rule.kind == kinds[k]) {
				kind_ok = true;
			}
		}
		if (!kind_ok || !rule_overlaps(&s->rule, off, len)) {
			continue;
		}
		s->matched++;
		if (s->matched <= s->rule.skip) {
			continue;
		}
		if (s->rule.count != 0 &&
		    s->matched > s->rule.skip + s->rule.count) {
			continue;
		}
		*out = s->rule;
		fired = true;
		f->hits++;
	}
	pthread_mutex_unlock(&f->lock);
	return fired;
}

static int rule_errno(const struct libxfs_fault_rule *r)
{
	return r->error > 0 ? -r->error : -EIO;
}

static ssize_t fdevf_pread(struct libxfs_dev *dev, void *buf, size_t len,
			   uint64_t off)
{
	static const enum libxfs_fault_kind kinds[] = {
		LIBXFS_FAULT_READ_ERROR, LIBXFS_FAULT_SHORT_READ,
	};
	struct fdevf *f = dev->priv;
	struct libxfs_fault_rule r;

	if (fault_match(f, kinds, 2, off, len, &r)) {
		if (r.kind == LIBXFS_FAULT_READ_ERROR) {
			return rule_errno(&r);
		}
		if (len > 1) {
			len /= 2;
		}
	}
	return f->lower->ops->pread(f->lower, buf, len, off);
}

static ssize_t fdevf_pwrite(struct libxfs_dev *dev, const void *buf,
			    size_t len, uint64_t off)
{
	static const enum libxfs_fault_kind kinds[] = {
		LIBXFS_FAULT_WRITE_ERROR, LIBXFS_FAULT_SHORT_WRITE,
		LIBXFS_FAULT_TORN_WRITE, LIBXFS_FAULT_LOST_WRITE,
	};
	struct fdevf *f = dev->priv;
	struct libxfs_fault_rule r;
	ssize_t n;

	if (!f->lower->ops->pwrite || f->lower->readonly) {
		return -EROFS;
	}
	if (!fault_match(f, kinds, 4, off, len, &r)) {
		return f->lower->ops->pwrite(f->lower, buf, len, off);
	}
	switch (r.kind) {
	case LIBXFS_FAULT_WRITE_ERROR:
		return rule_errno(&r);
	case LIBXFS_FAULT_LOST_WRITE:
		return (ssize_t)len;
	case LIBXFS_FAULT_SHORT_WRITE:
		return f->lower->ops->pwrite(f->lower, buf,
					     len > 1 ? len / 2 : len, off);
	case LIBXFS_FAULT_TORN_WRITE:
		if (len > 1) {
			n = f->lower->ops->pwrite(f->lower, buf, len / 2, off);
			if (n < 0) {
				return n;
			}
		}
		return rule_errno(&r);
	default:
		break;
	}
	return -EINVAL;
}

static int fdevf_flush(struct libxfs_dev *dev)
{
	static const enum libxfs_fault_kind kinds[] = {
		LIBXFS_FAULT_FLUSH_ERROR,
	};
	struct fdevf *f = dev->priv;
	struct libxfs_fault_rule r;

	if (fault_match(f, kinds, 1, 0, 1, &r)) {
		return rule_errno(&r);
	}
	if (f->lower->readonly || !f->lower->ops->flush) {
		return 0;
	}
	return f->lower->ops->flush(f->lower);
}

static int fdevf_size(struct libxfs_dev *dev, uint64_t *bytes)
{
	struct fdevf *f = dev->priv;

	return f->lower->ops->size(f->lower, bytes);
}

static void fdevf_destroy(struct libxfs_dev *dev)
{
	struct fdevf *f = dev->priv;

	libxfs_dev_close(f->lower);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static const struct libxfs_dev_ops fdevf_ops = {
	.name		= "fault",
	.pread		= fdevf_pread,
	.pwrite		= fdevf_pwrite,
	.flush		= fdevf_flush,
	.size		= fdevf_size,
	.destroy	= fdevf_destroy,
};

int libxfs_dev_fault_wrap(struct libxfs_dev *lower, struct libxfs_dev **devp)
{
	struct fdevf *f;
	int error;

	*devp = NULL;
	f = calloc(1, sizeof(*f));
	if (!f) {
		return -ENOMEM;
	}
	f->lower = lower;
	pthread_mutex_init(&f->lock, NULL);
	error = libxfs_dev_create(&fdevf_ops, f, lower->name, lower->readonly,
				  devp);
	if (error) {
		pthread_mutex_destroy(&f->lock);
		free(f);
	}
	return error;
}

static struct fdevf *fault_priv(struct libxfs_dev *dev)
{
	return dev->ops == &fdevf_ops ? dev->priv : NULL;
}

int libxfs_dev_fault_add(struct libxfs_dev *dev,
			 const struct libxfs_fault_rule *rule)
{
	struct fdevf *f = fault_priv(dev);
	int error = 0;

	if (!f) {
		return -EINVAL;
	}
	if (rule->kind < LIBXFS_FAULT_READ_ERROR ||
	    rule->kind > LIBXFS_FAULT_FLUSH_ERROR) {
		return -EINVAL;
	}
	pthread_mutex_lock(&f->lock);
	if (f->nr_rules == FAULT_MAX_RULES) {
		error = -ENOSPC;
	} else {
		f->rules[f->nr_rules].rule = *rule;
		f->rules[f->nr_rules].matched = 0;
		f->nr_rules++;
	}
	pthread_mutex_unlock(&f->lock);
	return error;
}

void libxfs_dev_fault_clear(struct libxfs_dev *dev)
{
	struct fdevf *f = fault_priv(dev);

	if (!f) {
		return;
	}
	pthread_mutex_lock(&f->lock);
	f->nr_rules = 0;
	pthread_mutex_unlock(&f->lock);
}

uint64_t libxfs_dev_fault_hits(struct libxfs_dev *dev)
{
	struct fdevf *f = fault_priv(dev);
	uint64_t hits;

	if (!f) {
		return 0;
	}
	pthread_mutex_lock(&f->lock);
	hits = f->hits;
	pthread_mutex_unlock(&f->lock);
	return hits;
}
