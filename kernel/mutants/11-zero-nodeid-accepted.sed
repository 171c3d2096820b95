# what: nodeid 0 is not refused as EINVAL (it falls through to the lookup: ENOENT)
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	if (!ev->nodeid)$/	if (0 \&\& !ev->nodeid)/
