// SPDX-License-Identifier: GPL-2.0-only
/*
 * ext/malformed: bad fuse_notify_fsnotify_out messages, one row per rule
 * of docs/fsn-1.md "Validation".  A correct receive side refuses each with
 * the rule's errno and delivers nothing.  Where a profile does not enforce
 * the rule (the RFC as posted enforced almost none), the row is an
 * expected failure naming the defect the profile's decoder records.
 */
#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "ext_common.h"

enum mf_kind {
	MF_EMPTY, MF_NAMELEN_PAST_MESSAGE, MF_NAMELEN_ABOVE_NAME_MAX, MF_MISSING_NUL,
	MF_MASK_NOT_ALLOWED, MF_MASK_FORGED_OVERFLOW, MF_MASK_ABOVE_32, MF_ZERO_NODEID,
	MF_RESERVED_NONZERO, MF_FLAGS_NONZERO,
	MF_TRAILING_BYTES, MF_CONTROL_VALID,
	/* RECORD_SHAPE: the mask, the name and the child must agree */
	MF_SHAPE_ENTRY_WITHOUT_NAME, MF_SHAPE_SELF_WITH_NAME, MF_SHAPE_CHILD_WITHOUT_NAME,
};

struct mf_row {
	struct ext_row ext;
	enum mf_kind kind;
	uint32_t rule; /* FSN_RULE_* the message breaks; 0 for the control */
};

#define D 3
#define D_GEN 1

static enum fc_verdict run_malformed(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct mf_row *row = c->row;
	const struct fsn_rule_info *ri = row->rule ? fsn_rule_info(row->rule) : NULL;
	static char longname[FSN_NAME_MAX + 2];
	struct ext_env *e = ctx->fx;
	struct ino_event ev[8];
	struct fsn_notify n;
	uint8_t buf[4096];
	size_t len;
	int id, wd, err, want;

	if ((row->kind == MF_RESERVED_NONZERO || row->kind == MF_FLAGS_NONZERO) &&
	    e->p->wire == FSN_WIRE_RFC2021)
		return fc_skip(ctx, "rfc-2021's fuse_notify_fsnotify_out has no reserved field");
	if (row->kind == MF_SHAPE_CHILD_WITHOUT_NAME && e->p->wire != FSN_WIRE_FSN1)
		return fc_skip(ctx, "%s's record names no child", e->p->name);
	if (ext_object(e, FUSE_ROOT_ID, "d", S_IFDIR | 0755, D, D_GEN))
		return fc_verdict(ctx);
	id = fcl_inotify_init(e->cl);
	CHECK_ERR(ctx, fcl_add_watch(e->cl, id, D, IN_CREATE, &wd), 0, "watch d");

	ext_event(e, &n, D, D_GEN, IN_CREATE, "x", 0);
	switch (row->kind) {
	case MF_NAMELEN_ABOVE_NAME_MAX:
		memset(longname, 'n', FSN_NAME_MAX + 1);
		n.name.name = longname;
		n.name.namelen = FSN_NAME_MAX + 1;
		break;
	case MF_NAMELEN_PAST_MESSAGE:
		n.name.name = "xyz";
		n.name.namelen = 3;
		break;
	case MF_MISSING_NUL:
		n.name.term = 'X';
		break;
	case MF_MASK_NOT_ALLOWED:
		n.mask = IN_CREATE | IN_IGNORED; /* IN_IGNORED is the kernel's to make */
		break;
	case MF_MASK_FORGED_OVERFLOW:
		/* Found by fuzz/model_stream: with the mask unchecked, a server makes the
		   watch report a queue overflow, with a wd where inotify(7) promises -1. */
		n.mask = IN_Q_OVERFLOW;
		n.name = (struct fsn_name){0};
		break;
	case MF_MASK_ABOVE_32:
		n.mask = (1ull << 40) | IN_CREATE;
		break;
	case MF_ZERO_NODEID:
		n.nodeid = 0;
		break;
	case MF_RESERVED_NONZERO:
		n.reserved[0] = 1;
		break;
	case MF_FLAGS_NONZERO:
		n.flags = 1; /* no flag is defined yet */
		break;
	case MF_SHAPE_ENTRY_WITHOUT_NAME:
		n.name = (struct fsn_name){0}; /* IN_CREATE of what? */
		break;
	case MF_SHAPE_SELF_WITH_NAME:
		n.mask = IN_DELETE_SELF; /* the directory itself, yet a name */
		break;
	case MF_SHAPE_CHILD_WITHOUT_NAME:
		n.name = (struct fsn_name){0};
		n.mask = IN_ATTRIB;
		n.child = (struct fsn_object){D + 1, 1}; /* a child, but of which name? */
		break;
	default:
		break;
	}
	len = row->kind == MF_EMPTY ? 0 : ext_encode(e, &n, buf, sizeof(buf) - 8);
	if (row->kind == MF_NAMELEN_PAST_MESSAGE)
		len -= 2; /* the last name bytes are not in the message */
	if (row->kind == MF_TRAILING_BYTES) {
		memset(buf + len, 0, 8);
		len += 8;
	}
	err = ext_send_payload(e, buf, len);

	want = ri ? ri->err : 0;
	if (row->kind == MF_EMPTY)
		want = EINVAL;
	if (ri && !(e->p->rules & row->rule))
		fc_xfail(ctx, "%s does not enforce %s: it accepts the message (defect %s)",
			 e->p->name, ri->name, fsn_defect_name(ri->defect));
	else if (want && (e->p->behaviour & FSN_BEHAV_NOTIFY_ERRNO_DISCARDED))
		fc_xfail(ctx, "%s: %s", e->p->name, XF_VERDICT_DISCARDED);
	CHECK_ERR(ctx, err, want, ri ? ri->name : "a valid EVENT");
	{
		size_t nev = ext_read(e, id, ev, 8);

		ext_log_events(e, ev, nev);
		if (want)
			CHECK(ctx, nev == 0, "a refused message delivered %zu events", nev);
		else
			CHECK(ctx, nev == 1 && (ev[0].mask & IN_CREATE) && !strcmp(ev[0].name, "x"),
			      "control: the valid EVENT delivered %zu events", nev);
	}
	return fc_verdict(ctx);
}

static const struct mf_row malformed_rows[] = {
	{ EXT_ROW("control_valid_event",
		  "control: the valid EVENT the rows break is accepted and delivered"),
	  .kind = MF_CONTROL_VALID },
	{ EXT_ROW("empty_payload", "a notification with no payload is refused"),
	  .kind = MF_EMPTY },
	{ EXT_ROW("namelen_past_message", "namelen running past the message is refused"),
	  .kind = MF_NAMELEN_PAST_MESSAGE, .rule = FSN_RULE_NAMELEN_BOUND_BY_MSG },
	{ EXT_ROW("namelen_above_name_max", "namelen 256 (> NAME_MAX) is refused"),
	  .kind = MF_NAMELEN_ABOVE_NAME_MAX, .rule = FSN_RULE_NAMELEN_BOUND_NAME_MAX },
	{ EXT_ROW("missing_nul", "a name whose terminator is not NUL is refused"),
	  .kind = MF_MISSING_NUL, .rule = FSN_RULE_REQUIRE_NUL },
	{ EXT_ROW("mask_not_allowed", "a mask with a kernel-only bit (IN_IGNORED) is refused"),
	  .kind = MF_MASK_NOT_ALLOWED, .rule = FSN_RULE_ALLOWED_MASK },
	{ EXT_ROW("mask_forged_overflow",
		  "IN_Q_OVERFLOW from the server is refused: only the kernel's queue overflows"),
	  .kind = MF_MASK_FORGED_OVERFLOW, .rule = FSN_RULE_ALLOWED_MASK },
	{ EXT_ROW("mask_above_32_bits", "a mask with bits above 32 is refused, not truncated"),
	  .kind = MF_MASK_ABOVE_32, .rule = FSN_RULE_REJECT_MASK_ABOVE_32 },
	{ EXT_ROW("zero_nodeid", "nodeid 0 is refused"),
	  .kind = MF_ZERO_NODEID, .rule = FSN_RULE_REJECT_ZERO_NODEID },
	{ EXT_ROW("reserved_nonzero", "a non-zero reserved field is refused"),
	  .kind = MF_RESERVED_NONZERO, .rule = FSN_RULE_RESERVED_ZERO },
	{ EXT_ROW("flags_nonzero", "a flags word with a bit no one defined is refused"),
	  .kind = MF_FLAGS_NONZERO, .rule = FSN_RULE_RESERVED_ZERO },
	{ EXT_ROW("shape_entry_without_name",
		  "an entry event (IN_CREATE) without a name is refused"),
	  .kind = MF_SHAPE_ENTRY_WITHOUT_NAME, .rule = FSN_RULE_RECORD_SHAPE },
	{ EXT_ROW("shape_self_with_name", "a self event (IN_DELETE_SELF) with a name is refused"),
	  .kind = MF_SHAPE_SELF_WITH_NAME, .rule = FSN_RULE_RECORD_SHAPE },
	{ EXT_ROW("shape_child_without_name",
		  "a child given without the name it is under is refused"),
	  .kind = MF_SHAPE_CHILD_WITHOUT_NAME, .rule = FSN_RULE_RECORD_SHAPE },
	{ EXT_ROW("trailing_bytes", "bytes after the last name are refused"),
	  .kind = MF_TRAILING_BYTES, .rule = FSN_RULE_EXACT_LENGTH },
};
FC_FAMILY(ext_malformed_family, "ext/malformed", malformed_rows, .variants = ext_variants,
	  .nvariants = EXT_NVARIANTS, .run = run_malformed, .precheck = ext_precheck,
	  .fixture = &ext_fixture)
