# what: a local rename's IN_MOVED_FROM/IN_MOVED_TO carry cookie 0
# file: include/linux/fsnotify.h
# cases: rename/* e2e/inotify/rename_across_dirs
s/^	u32 fs_cookie = fsnotify_get_cookie();$/	u32 fs_cookie = 0;/
