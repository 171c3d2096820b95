# what: fdinfo prints the handle's bytes with a wrong type
# file: fs/notify/fdinfo.c
# cases: fdinfo/*
s/^	f->handle_type = ret;$/	f->handle_type = ret + 1;/
