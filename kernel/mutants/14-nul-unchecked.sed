# what: a name is not checked for its NUL terminator
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	return name\[namelen\] == '\\0' \&\& !memchr(name, '\\0', namelen);$/	return true;/
