# what: the server's ENOSYS does not stop the requests (and reaches the caller)
# file: fs/fuse/fsnotify.c
# cases: ext/lifecycle/*@fsn-1/kernel
s/^	if (err == -ENOSYS) {$/	if (0) {/
