# what: eviction's FORGET gives back one lookup more than the kernel holds
# file: fs/fuse/inode.c
# cases: forget/* ext/lifecycle/evict@fsn-1/kernel
s/^					  fi->nlookup);$/					  fi->nlookup + 1);/
