# what: a notification's generation is compared in its low 32 bits only (as i_generation holds it)
# file: fs/fuse/fsnotify.c
# cases: ext/identity/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	if (get_fuse_inode(inode)->generation != generation) {$/	if ((u32)get_fuse_inode(inode)->generation != (u32)generation) {/
