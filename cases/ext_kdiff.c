// SPDX-License-Identifier: GPL-2.0-only
/*
 * ext/kdiff: the differential fuzzer of the kernel's fsn-1 parser.  Each
 * message is written as one FUSE_NOTIFY_FSNOTIFY payload to a kernel that
 * speaks fsn-1 and to the model, each serving the same objects and holding
 * the same inotify watches; their answers must agree: the write's errno,
 * and the events each watch got (mask, name, a cookie or none and how
 * cookies pair, and which watch), and what a FAN_RENAME group marking
 * every directory got (mask, and each record's type, object and name).  A disagreement prints where the message
 * came from and the payload in hex, the replay line of that one message.  The
 * kernel log is read after every message, so a KASAN, lockdep or other
 * splat names the message that caused it, with the same replay line.
 *
 * The messages come from what libFuzzer keeps for the parser
 * (corpus/fsnotify_notify/: the codec's encoder made the seeds, the fuzzer
 * kept what added coverage):
 *   - replayed as they are, each input's bytes after the fuzzer's profile
 *     selector; inputs of every profile, since the other layouts exercise
 *     fsn-1's refusals;
 *   - mutated: FSNC_KDIFF_COUNT messages (default 2000; FSNC_KDIFF_SEED,
 *     FSNC_KDIFF_FIRST as for kdiff/...), message i from the splitmix64
 *     stream (seed, i): an fsn-1 input of the corpus with one to three of
 *     an aligned 64- or 32-bit field set to a value the objects or the
 *     rules care about, a bit flipped, a byte set, the message cut or
 *     extended.  fsn-1's fields are naturally aligned, so most of these are
 *     encoder records with a fuzzed field: past the size checks, into the
 *     identity, mask, name and shape rules.
 *
 * The objects are the ones the seeds name (fuzz/mkseeds.c): directories 2,
 * 3 (generation 1) and 5 (generation 7) and the file 9 in 5.  The seeds'
 * named events name the file at generation 1, the rename's child is at
 * generation 4: one replay row serves each, so each seed is delivered in
 * one row and stale in the other, and variants land on all three outcomes
 * (delivered, ESTALE, ENOENT).
 *
 * Kernel only (fsn-1): on the model it would compare the model with itself.
 * $FSNC_CORPUS_DIR overrides the corpus directory of the source tree.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext_common.h"
#include "kdiff.h"
#include "kmsg.h"

#ifndef FSNC_CORPUS_DIR
#define FSNC_CORPUS_DIR "corpus"
#endif

#define RP_MAX_INPUT 65536
#define RP_MAX_EVENTS 64

struct rp_row {
	struct ext_row ext;
	const char *target;         /* the corpus directory under corpus/ */
	uint64_t child_generation; /* of the file, nodeid 9: which seeds name it, not stale */
	bool mutate;                /* FSNC_KDIFF_COUNT mutants, not the inputs as they are */
	/*
	 * The control: fsn-1 declined on both sides, on any kernel (no
	 * precheck skip): code 2048 is then unknown, EINVAL for every message
	 * and nothing delivered.
	 */
	bool declined;
};

#define RP_DEFAULT_COUNT 2000
#define RP_ERRNOS 134 /* by_errno[RP_ERRNOS]: any other answer */

struct rp_input {
	char *name;
	uint8_t *data; /* the fuzzer's input: byte 0 selects the profile */
	size_t len;
};

/* The served objects, and the watches on them in this order on both backends. */
static const struct {
	uint64_t parent;
	const char *name;
	mode_t mode;
	uint64_t nodeid, generation;
} rp_objects[] = {
	{FUSE_ROOT_ID, "p", S_IFDIR | 0755, 2, 1},
	{FUSE_ROOT_ID, "q", S_IFDIR | 0755, 3, 1},
	{FUSE_ROOT_ID, "d", S_IFDIR | 0755, 5, 7},
	{5, "a.txt", S_IFREG | 0644, 9, 0 /* the row's child_generation */},
};
#define RP_WATCHES (1 + sizeof(rp_objects) / sizeof(rp_objects[0]))

struct rp_side {
	struct ext_env e;
	int id;
	int wd[RP_WATCHES];
	int fan_id; /* a FAN_RENAME group marking every directory */
};

#define RP_MAX_FAN 8

static int input_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rp_input *)a)->name, ((const struct rp_input *)b)->name);
}

/* Which of our watches a wd is (-1 for the queue's own, IN_Q_OVERFLOW), or -2. */
static int watch_index(const struct rp_side *s, int wd)
{
	if (wd == -1)
		return -1;
	for (size_t i = 0; i < RP_WATCHES; i++)
		if (s->wd[i] == wd)
			return (int)i;
	return -2;
}

/*
 * Serve the objects and watch them; on anything but FC_PASS nothing is left
 * to end.  The declined control makes no fanotify group (6.1's FUSE has no
 * fsid for FID reporting).
 */
static enum fc_verdict rp_side_begin(struct fc_ctx *ctx, const struct fc_case *c,
				     const struct rp_row *row, struct rp_side *s)
{
	uint64_t watched[RP_WATCHES] = {FUSE_ROOT_ID};
	const bool declined = row->declined;
	const struct ext_setup su = {.server_declines = declined, .any_kernel = declined};
	enum fc_verdict v = ext_begin(ctx, c, &su, &s->e);

	if (v != FC_PASS)
		return v;
	for (size_t i = 0; i < RP_WATCHES - 1; i++) {
		if (ext_object(&s->e, rp_objects[i].parent, rp_objects[i].name, rp_objects[i].mode,
			       rp_objects[i].nodeid,
			       rp_objects[i].generation ? rp_objects[i].generation
							: row->child_generation))
			goto fail;
		watched[i + 1] = rp_objects[i].nodeid;
	}
	s->id = fcl_inotify_init(s->e.cl);
	if (s->id < 0) {
		fc_failf(ctx, __FILE__, __LINE__, "%s: inotify_init: %d", fcl_backend(s->e.cl), s->id);
		goto fail;
	}
	for (size_t i = 0; i < RP_WATCHES; i++) {
		int err = fcl_add_watch(s->e.cl, s->id, watched[i], IN_ALL_EVENTS, &s->wd[i]);

		if (err) {
			fc_failf(ctx, __FILE__, __LINE__, "%s: watch nodeid %llu: %s",
				 fcl_backend(s->e.cl), (unsigned long long)watched[i], strerror(err));
			goto fail;
		}
	}
	s->fan_id = -1;
	if (declined)
		return FC_PASS;
	s->fan_id = fcl_fanotify_init(s->e.cl);
	if (s->fan_id < 0) {
		fc_failf(ctx, __FILE__, __LINE__, "%s: fanotify_init: %s", fcl_backend(s->e.cl),
			 fc_errname(-s->fan_id));
		goto fail;
	}
	for (size_t i = 0; i < RP_WATCHES; i++) {
		int err;

		if (i && !S_ISDIR(rp_objects[i - 1].mode))
			continue;
		err = fcl_fan_mark(s->e.cl, s->fan_id, watched[i], FSN_FS_RENAME);
		if (err) {
			fc_failf(ctx, __FILE__, __LINE__, "%s: FAN_RENAME mark on nodeid %llu: %s",
				 fcl_backend(s->e.cl), (unsigned long long)watched[i], strerror(err));
			goto fail;
		}
	}
	return FC_PASS;
fail:
	ext_end(&s->e);
	return FC_FAIL;
}

static void log_hex(struct fc_ctx *ctx, uint32_t code, const char *file, const uint8_t *p,
		    size_t len)
{
	char line[2 * 256 + 1];
	size_t n = len < 256 ? len : 256;

	for (size_t i = 0; i < n; i++)
		snprintf(line + 2 * i, 3, "%02x", p[i]);
	fc_log(ctx, "replay %s: notify %u payload (%zu bytes)%s %s", file, code, len,
	       n < len ? ", first 256 in hex" : " in hex", line);
}

/* A fanotify record as the two sides can agree on it: type, name, the object it names. */
static void fan_rec_str(const struct fan_info_rec *r, char *out, size_t cap)
{
	struct fuse_fh fh;

	if (fuse_fh_decode(r->handle_type, r->handle, r->handle_bytes, &fh))
		snprintf(out, cap, "type %d handle type %#x (%u bytes) \"%s\"", r->type,
			 r->handle_type, r->handle_bytes, r->name);
	else
		snprintf(out, cap, "type %d (%llu, %u) \"%s\"", r->type,
			 (unsigned long long)fh.nodeid, fh.generation, r->name);
}

/* The FAN_RENAME group's events on both sides; 1 (and a failure) when they differ. */
static int fan_differ(struct fc_ctx *ctx, struct rp_side *k, struct rp_side *m, const char *file)
{
	static struct fan_event fk[RP_MAX_FAN], fm[RP_MAX_FAN];
	size_t nk = 0, nm = 0;
	int errk = fcl_fan_read(k->e.cl, k->fan_id, fk, RP_MAX_FAN, &nk);
	int errm = fcl_fan_read(m->e.cl, m->fan_id, fm, RP_MAX_FAN, &nm);

	if (errk || errm || nk != nm)
		return fc_failf(ctx, __FILE__, __LINE__, "%s: fanotify: the kernel read %zu events "
				"(%s), the model %zu (%s)", file, nk, fc_errname(errk), nm,
				fc_errname(errm)), 1;
	for (size_t i = 0; i < nk; i++) {
		if (fk[i].mask != fm[i].mask || fk[i].nrec != fm[i].nrec)
			return fc_failf(ctx, __FILE__, __LINE__, "%s: fanotify event %zu: kernel mask "
					"%#llx with %zu records, model %#llx with %zu", file, i,
					(unsigned long long)fk[i].mask, fk[i].nrec,
					(unsigned long long)fm[i].mask, fm[i].nrec), 1;
		for (size_t j = 0; j < fk[i].nrec; j++) {
			char a[FAN_NAME_MAX + 96], b[FAN_NAME_MAX + 96];

			fan_rec_str(&fk[i].rec[j], a, sizeof(a));
			fan_rec_str(&fm[i].rec[j], b, sizeof(b));
			if (strcmp(a, b))
				return fc_failf(ctx, __FILE__, __LINE__, "%s: fanotify event %zu record "
						"%zu: kernel %s, model %s", file, i, j, a, b), 1;
		}
	}
	return 0;
}

/* One input on both sides; 0 when they agree. */
static int replay_one(struct fc_ctx *ctx, struct rp_side *k, struct rp_side *m, const char *file,
		      const uint8_t *payload, size_t len, unsigned *by_errno, bool log_accepted)
{
	static struct ino_event ek[RP_MAX_EVENTS], em[RP_MAX_EVENTS];
	int errk = ext_send_payload(&k->e, payload, len);
	int errm = ext_send_payload(&m->e, payload, len);
	size_t nk = ext_read(&k->e, k->id, ek, RP_MAX_EVENTS);
	size_t nm = ext_read(&m->e, m->id, em, RP_MAX_EVENTS);
	int bad = 0;

	if (errk != errm) {
		fc_failf(ctx, __FILE__, __LINE__, "%s: the kernel answers %d (%s), the model %d (%s)",
			 file, errk, strerror(errk), errm, strerror(errm));
		bad = 1;
	} else if (nk != nm) {
		fc_failf(ctx, __FILE__, __LINE__, "%s: errno %d on both, but %zu events on the kernel, "
			 "%zu on the model", file, errk, nk, nm);
		bad = 1;
	}
	for (size_t i = 0; !bad && i < nk; i++) {
		int wk = watch_index(k, ek[i].wd), wm = watch_index(m, em[i].wd);

		if (wk != wm || ek[i].mask != em[i].mask || strcmp(ek[i].name, em[i].name) ||
		    !ek[i].cookie != !em[i].cookie) {
			fc_failf(ctx, __FILE__, __LINE__, "%s: event %zu: kernel watch %d mask %#x "
				 "name \"%s\" cookie %u; model watch %d mask %#x name \"%s\" cookie %u",
				 file, i, wk, ek[i].mask, ek[i].name, ek[i].cookie, wm, em[i].mask,
				 em[i].name, em[i].cookie);
			bad = 1;
		}
		/* A pair's two halves share one cookie, on either side. */
		if (!bad && i && ek[i].cookie && ek[i - 1].cookie &&
		    (ek[i].cookie == ek[i - 1].cookie) != (em[i].cookie == em[i - 1].cookie)) {
			fc_failf(ctx, __FILE__, __LINE__, "%s: events %zu and %zu pair their cookies on "
				 "one side only", file, i - 1, i);
			bad = 1;
		}
	}
	if (!bad && k->fan_id >= 0)
		bad = fan_differ(ctx, k, m, file);
	if (bad) {
		log_hex(ctx, k->e.p->notify_code, file, payload, len);
		ext_log_events(&k->e, ek, nk);
		ext_log_events(&m->e, em, nm);
	}
	if (!errk && !bad && log_accepted)
		fc_log(ctx, "%s: accepted, %zu events", file, nk);
	by_errno[errk >= 0 && errk < RP_ERRNOS ? errk : RP_ERRNOS]++;
	return bad;
}

static void free_inputs(struct rp_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(in[i].name);
		free(in[i].data);
	}
	free(in);
}

/*
 * Read every file of dir, sorted by name.  Returns the count (0: none),
 * or -1 after a failure; a missing directory is a skip, set by the caller.
 */
static ssize_t load_inputs(struct fc_ctx *ctx, const char *dir, struct rp_input **out)
{
	struct rp_input *in = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[PATH_MAX + 256];
		uint8_t *buf;
		ssize_t got;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			struct rp_input *more = realloc(in, (cap = cap ? 2 * cap : 128) * sizeof(*in));

			if (!more)
				goto fail;
			in = more;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf = malloc(RP_MAX_INPUT);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		got = buf && fd >= 0 ? read(fd, buf, RP_MAX_INPUT) : -1;
		if (fd >= 0)
			close(fd);
		if (got < 0 || got == RP_MAX_INPUT) {
			fc_failf(ctx, __FILE__, __LINE__, "%s: %s", path,
				 got < 0 ? strerror(errno) : "larger than any notify write");
			free(buf);
			goto fail;
		}
		in[n++] = (struct rp_input){strdup(de->d_name), buf, (size_t)got};
	}
	closedir(d);
	qsort(in, n, sizeof(*in), input_cmp);
	*out = in;
	return (ssize_t)n;
fail:
	closedir(d);
	free_inputs(in, n);
	return -1;
}

static void put_le(uint8_t *p, uint64_t v, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Message `index` of the mutated stream: an fsn-1 input of the corpus with one
 * to three changes.  The values are what the served objects and the rules
 * tell apart: nodeids and generations served or not, the kernel's own and
 * out-of-range mask bits, name lengths around NAME_MAX and the message.
 */
static size_t mutant(const struct rp_input *const *pool, size_t npool, uint64_t seed,
		     uint64_t index, uint8_t *buf, size_t cap, const char **from)
{
	static const uint64_t v64[] = {
		0, 1, 2, 3, 4, 5, 7, 9, 77, (1ull << 32) | 7, UINT64_MAX,
		IN_MODIFY, IN_CREATE, IN_DELETE | IN_ISDIR, IN_MOVED_FROM, IN_MOVE_SELF,
		IN_Q_OVERFLOW, IN_IGNORED, IN_ONESHOT, 1ull << 40,
	};
	static const uint32_t v32[] = {0, 1, 3, 5, 6, 255, 256, 1024, 4095, 4096, UINT32_MAX};
	struct kd_rng r;
	const struct rp_input *in;
	size_t len, ops;

	kd_rng_init(&r, seed, index);
	in = pool[kd_below(&r, (uint32_t)npool)];
	*from = in->name;
	len = in->len - 1 < cap ? in->len - 1 : cap;
	memcpy(buf, in->data + 1, len);
	ops = 1 + kd_below(&r, 3);
	for (size_t op = 0; op < ops; op++) {
		switch (kd_below(&r, 6)) {
		case 0: /* an aligned 64-bit field */
			if (len >= 8)
				put_le(buf + 8 * kd_below(&r, (uint32_t)(len / 8)),
				       kd_below(&r, 4) ? v64[kd_below(&r, sizeof(v64) / 8)] : kd_next(&r), 8);
			break;
		case 1: /* an aligned 32-bit field: a name length, the flags, half a mask */
			if (len >= 4)
				put_le(buf + 4 * kd_below(&r, (uint32_t)(len / 4)),
				       kd_below(&r, 4) ? v32[kd_below(&r, sizeof(v32) / 4)]
						       : (uint32_t)kd_next(&r), 4);
			break;
		case 2:
			if (len)
				buf[kd_below(&r, (uint32_t)len)] ^= (uint8_t)(1u << kd_below(&r, 8));
			break;
		case 3:
			if (len)
				buf[kd_below(&r, (uint32_t)len)] = (uint8_t)kd_next(&r);
			break;
		case 4: /* cut */
			len = kd_below(&r, (uint32_t)len + 1);
			break;
		case 5: /* extend */
			for (uint32_t k = 1 + kd_below(&r, 16); k && len < cap; k--)
				buf[len++] = (uint8_t)kd_next(&r);
			break;
		}
	}
	return len;
}

static enum fc_verdict run_replay(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct rp_row *row = c->row;
	const struct ext_variant *kv = c->variant;
	const struct ext_variant mv = {kv->prof, EXT_MODEL};
	const char *profile = ext_prof_names[kv->prof];
	const struct fsn_profile *p = fsn_profile_by_name(profile);
	struct fc_case mc = *c;
	const char *base = getenv("FSNC_CORPUS_DIR");
	uint64_t seed = 1, count = RP_DEFAULT_COUNT, first = 0;
	unsigned by_errno[RP_ERRNOS + 1] = {0}, disagree = 0, replayed = 0;
	char hist[512];
	size_t ho = 0;
	const struct rp_input **pool = NULL;
	struct rp_input *in = NULL;
	struct rp_side *k = NULL, *m = NULL;
	struct kmsg_watch kw = {.fd = -1};
	char splat[256];
	size_t npool = 0;
	char dir[PATH_MAX];
	uint8_t *buf = NULL;
	enum fc_verdict v;
	ssize_t n;

	if (row->mutate && (fc_env_u64(ctx, "FSNC_KDIFF_SEED", &seed) ||
			    fc_env_u64(ctx, "FSNC_KDIFF_COUNT", &count) ||
			    fc_env_u64(ctx, "FSNC_KDIFF_FIRST", &first)))
		return FC_FAIL;
	snprintf(dir, sizeof(dir), "%s/%s", base && *base ? base : FSNC_CORPUS_DIR, row->target);
	n = load_inputs(ctx, dir, &in);
	if (n < 0)
		return FC_FAIL;
	if (n == 0)
		return fc_skip(ctx, "no corpus inputs in %s", dir);
	/* The mutants start from the inputs the fuzzer made for this profile. */
	pool = calloc((size_t)n, sizeof(*pool));
	if (!pool) {
		fc_failf(ctx, __FILE__, __LINE__, "no memory");
		goto out;
	}
	for (ssize_t i = 0; i < n; i++)
		if (in[i].len > 1 && fsn_profile_at(in[i].data[0] % fsn_profile_count()) == p)
			pool[npool++] = &in[i];
	if (row->mutate && !npool) {
		fc_failf(ctx, __FILE__, __LINE__, "no %s input in %s to mutate", profile, dir);
		goto out;
	}

	k = calloc(1, sizeof(*k));
	m = calloc(1, sizeof(*m));
	buf = malloc(RP_MAX_INPUT);
	if (!k || !m || !buf) {
		fc_failf(ctx, __FILE__, __LINE__, "no memory");
		goto out;
	}
	v = rp_side_begin(ctx, c, row, k);
	if (v != FC_PASS)
		goto out_v;
	mc.variant = &mv;
	if (rp_side_begin(ctx, &mc, row, m) != FC_PASS)
		goto out_k;

	kmsg_open(&kw);
	if (kw.fd < 0)
		fc_log(ctx, "no /dev/kmsg (%s): a splat is seen after the case, not per message",
		       strerror(kw.err));
	if (row->mutate)
		fc_log(ctx, "seed %llu first %llu count %llu: mutants of %zu %s inputs of %s",
		       (unsigned long long)seed, (unsigned long long)first,
		       (unsigned long long)count, npool, profile, dir);
	for (uint64_t i = 0; i < (row->mutate ? count : (uint64_t)n) && disagree < 10; i++) {
		char what[PATH_MAX + 96];
		const char *from;
		size_t len;

		if (row->mutate) {
			len = mutant(pool, npool, seed, first + i, buf, RP_MAX_INPUT, &from);
			snprintf(what, sizeof(what), "seed %llu message %llu (from %s)",
				 (unsigned long long)seed, (unsigned long long)(first + i), from);
		} else {
			if (in[i].len < 1)
				continue; /* no selector, no payload: the fuzzer returns at once too */
			len = in[i].len - 1;
			memcpy(buf, in[i].data + 1, len);
			snprintf(what, sizeof(what), "%s", in[i].name);
		}
		replayed++;
		disagree += replay_one(ctx, k, m, what, buf, len, by_errno, !row->mutate);
		if (kmsg_since(&kw, splat, sizeof(splat))) {
			fc_failf(ctx, __FILE__, __LINE__, "%s: the kernel splat at this message: %s",
				 what, splat);
			log_hex(ctx, p->notify_code, what, buf, len);
			break;
		}
	}
	kmsg_close(&kw);
	if (disagree >= 10)
		fc_log(ctx, "stopped after %u disagreements", disagree);
	for (int e = 0; e <= RP_ERRNOS && ho < sizeof(hist) - 32; e++)
		if (by_errno[e])
			ho += (size_t)snprintf(hist + ho, sizeof(hist) - ho, " %s %u",
					       e == RP_ERRNOS ? "other" : e ? fc_errname(e) : "accepted",
					       by_errno[e]);
	fc_log(ctx, "%u messages to the kernel and the model: %u agree, %u disagree; the kernel "
		    "answered:%s", replayed, replayed - disagree, disagree, ho ? hist : " nothing");
	CHECK(ctx, replayed > 0, "no message was written");
	if (row->declined)
		CHECK(ctx, by_errno[EINVAL] == replayed,
		      "%u of %u messages got EINVAL with fsn-1 declined, want all",
		      by_errno[EINVAL], replayed);
	ext_end(&m->e);
out_k:
	ext_end(&k->e);
out:
	v = fc_verdict(ctx);
out_v:
	free_inputs(in, (size_t)n);
	free(pool);
	free(buf);
	free(k);
	free(m);
	return v;
}

/* The declined control runs on any kernel: the precheck skips only the others. */
static enum fc_verdict rp_precheck(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct rp_row *row = c->row;

	return row->declined ? FC_PASS : ext_precheck(ctx, c);
}

/* fsn-1 on the kernel only: the model is the other side of every row (run_replay()). */
static const struct ext_variant rp_kernel = {EXT_FSN1, EXT_KERNEL};
static const struct fc_variant rp_variants[] = {
	{"@fsn-1/kernel", FC_NEED_KERNEL, "kernel;ext", &rp_kernel},
};

static const struct rp_row rp_rows[] = {
	{ EXT_ROW("corpus_fsnotify_notify",
		  "every input libFuzzer kept for the parser gets the same errno and events from "
		  "the kernel as from the model (the file is generation 1: the seeds' named events "
		  "land)"),
	  .target = "fsnotify_notify", .child_generation = 1 },
	{ EXT_ROW("corpus_fsnotify_notify_rename_child",
		  "the same with the file at generation 4, the rename seed's child: the rename "
		  "lands and the named events are stale"),
	  .target = "fsnotify_notify", .child_generation = 4 },
	{ EXT_ROW("mutated_fsnotify_notify",
		  "2000 seeded mutants of the corpus's fsn-1 inputs (fields set to values the "
		  "rules care about, bits flipped, cut, extended): the same errno and events from "
		  "kernel and model"),
	  .target = "fsnotify_notify", .child_generation = 1, .mutate = true },
	{ EXT_ROW("declined_fsnotify_notify",
		  "the control: the same 2000 mutants on a connection that did not take fsn-1 "
		  "(mainline, the control kernel, or the fsn kernel with the server declining): "
		  "EINVAL for each, nothing delivered, on the kernel as on the model"),
	  .target = "fsnotify_notify", .child_generation = 1, .mutate = true, .declined = true },
};
/*
 * No fixture: a row starts two sides, the kernel's and the model's, after
 * it has read the corpus, and ends both on one exit path.
 */
FC_FAMILY(ext_kdiff_family, "ext/kdiff", rp_rows, .variants = rp_variants,
	  .nvariants = FC_ARRAY_SIZE(rp_variants), .run = run_replay, .precheck = rp_precheck)
