# what: a record's shape is not checked (an entry event without a name, a self event with one, ...)
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel
s/^	if (!events || (events \& FUSE_FSNOTIFY_DIRENT \&\& !ev->namelen) ||$/	if (!events || 0 ||/
s/^	    (events \& FUSE_FSNOTIFY_SELF \&\& ev->namelen) ||$/	    0 ||/
