# what: an EVENT's namelen is not bounded by NAME_MAX
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^		if (ev->namelen > NAME_MAX)$/		if (0 \&\& ev->namelen > NAME_MAX)/
