# what: a mask changed under fsnotify's locks (close, IN_ONESHOT, eviction) is never sent
# file: fs/fuse/fsnotify.c
# cases: ext/lifecycle/*@fsn-1/kernel
s/^		queue_work(system_unbound_wq, &fc->fsn_work);$/		;/
