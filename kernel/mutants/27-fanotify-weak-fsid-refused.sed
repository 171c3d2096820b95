# what: fanotify refuses FID inode marks on a zero-fsid filesystem (FUSE), as before 6.8
# file: fs/notify/fanotify/fanotify_user.c
# cases: rename/fanotify* reuse/*fanotify* fdinfo/fanotify*
s/^	return (mark_type == FAN_MARK_INODE) ? 0 : err;$/	return err;/
