# what: NOTIFY_RESEND is accepted but sends nothing again
# file: fs/fuse/dev.c
# cases: collision/* notify/resend*
s/^	fuse_resend(fc);$/	;/
