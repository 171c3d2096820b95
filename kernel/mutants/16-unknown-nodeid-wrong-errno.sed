# what: a nodeid the kernel does not hold gets EINVAL, not ENOENT (the server cannot tell it from a bad record)
# file: fs/fuse/fsnotify.c
# cases: ext/identity/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
/^static int fuse_fsnotify_iget(/,/^}/s/^		return -ENOENT;$/		return -EINVAL;/
