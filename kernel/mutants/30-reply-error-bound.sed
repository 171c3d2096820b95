# what: a reply with error -512 (an internal errno) is accepted
# file: fs/fuse/dev.c
# cases: server/* kdiff/* notify/reply/*
s/^	if (oh.error <= -512 || oh.error > 0)$/	if (oh.error < -512 || oh.error > 0)/
