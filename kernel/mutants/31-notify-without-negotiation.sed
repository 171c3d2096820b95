# what: FUSE_NOTIFY_FSNOTIFY is delivered on a connection that never negotiated fsn-1
# file: fs/fuse/dev.c
# cases: ext/kdiff/declined_fsnotify_notify@fsn-1/kernel ext/lifecycle/control_server_declines@fsn-1/kernel
s/^		if (fc->fsnotify)$/		if (1)/
