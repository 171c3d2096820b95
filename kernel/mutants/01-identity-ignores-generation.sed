# what: a notification's object is looked up by nodeid alone, its generation not compared
# file: fs/fuse/fsnotify.c
# cases: ext/identity/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	if (get_fuse_inode(inode)->generation != generation) {$/	if (0 \&\& get_fuse_inode(inode)->generation != generation) {/
