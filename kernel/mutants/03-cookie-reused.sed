# what: every rename gets the same cookie instead of the kernel's counter
# file: fs/fuse/fsnotify.c
# cases: ext/rename/*@fsn-1/kernel
s/^		cookie = fsnotify_get_cookie();$/		cookie = 1;/
