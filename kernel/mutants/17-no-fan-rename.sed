# what: a RENAME record reports no FAN_RENAME
# file: fs/fuse/fsnotify.c
# cases: ext/rename/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^			fuse_fsnotify_fan_rename(isdir, src, \&qsrc, dst, \&qdst);$/			;/
