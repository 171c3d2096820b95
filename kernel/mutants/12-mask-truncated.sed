# what: mask bits 32..63 are not refused (the mask is truncated to 32 bits)
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	if (ev->mask >> 32 || ev->mask & ~FUSE_FSNOTIFY_EVENT_MASK)$/	if ((u32)ev->mask \& ~FUSE_FSNOTIFY_EVENT_MASK)/
