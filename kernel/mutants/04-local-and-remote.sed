# what: local change events are not suppressed on inode marks: a change is reported twice
# file: fs/fuse/fsnotify.c
# cases: ext/lifecycle/*@fsn-1/kernel e2e/inotifywait/through_the_mount_once
s/^	.remote_mask	= FUSE_FSNOTIFY_REMOTE,$/	.remote_mask	= 0,/
