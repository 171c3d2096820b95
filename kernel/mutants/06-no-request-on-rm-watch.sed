# what: inotify_rm_watch() does not tell the server before it returns (the worker does, later)
# file: fs/notify/inotify/inotify_user.c
# cases: ext/lifecycle/*@fsn-1/kernel
/^	if (inode) {$/,/^	}$/s/^		fsnotify_remote_sync(inode);$/		;/
