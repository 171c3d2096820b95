# what: the server's refusal of a watch does not reach inotify_add_watch()
# file: fs/notify/inotify/inotify_user.c
# cases: ext/lifecycle/*@fsn-1/kernel
/^	ret = fsnotify_remote_add_mark(inode, group,$/,/^		goto path_put_and_out;$/s/^	if (ret)$/	if (0)/
