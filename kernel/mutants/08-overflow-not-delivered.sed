# what: an OVERFLOW record is accepted but no watcher hears of it
# file: fs/fuse/fsnotify.c
# cases: ext/overflow/*@fsn-1/kernel ext/kdiff/*@fsn-1/kernel e2e/inotifywait/overflow
s/^			fsnotify_remote_overflow(fm->sb);$/			;/
