# what: a record's flags word is not checked
# file: fs/fuse/fsnotify.c
# cases: ext/malformed/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel
s/^	if (hdr->flags)$/	if (0 \&\& hdr->flags)/
