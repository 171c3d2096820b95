# what: a full queue gets its overflow event queued again while one is pending
# file: fs/notify/notification.c
# cases: ext/overflow/*@fsn-1/kernel
s/^		if (!list_empty(&group->overflow_event->list)) {$/		if (0 \&\& !list_empty(\&group->overflow_event->list)) {/
