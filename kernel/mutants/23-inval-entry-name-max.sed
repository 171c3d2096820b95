# what: INVAL_ENTRY takes a name one byte longer than FUSE_NAME_MAX
# file: fs/fuse/dev.c
# cases: notify/inval_entry/*
/^static int fuse_notify_inval_entry(/,/^}/s/^	if (outarg.namelen > FUSE_NAME_MAX)$/	if (outarg.namelen > FUSE_NAME_MAX + 1)/
