# what: bytes after the last name are accepted
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	if (want != size)$/	if (want > size)/
