# what: an EVENT's padding word is not checked
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^		if (ev->padding)$/		if (0 \&\& ev->padding)/
