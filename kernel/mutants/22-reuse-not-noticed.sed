# what: a LOOKUP that returns a cached nodeid with another generation or type keeps the old inode
# file: fs/fuse/fuse_i.h
# cases: stale/* reuse/* ext/identity/watch_on_bad_inode@fsn-1/kernel
s/^	return fi->generation != generation ||$/	return 0 \&\& (fi->generation != generation) \&\&/
