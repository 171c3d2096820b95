# what: the request before an add carries the new mark's bits, not the union of every mark
# file: fs/notify/mark.c
# cases: ext/lifecycle/*@fsn-1/kernel
s/^			mask |= fsnotify_calc_mask(mark);$/			;/
