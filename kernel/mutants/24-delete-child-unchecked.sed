# what: DELETE does not check that the entry names the child it says
# file: fs/fuse/dir.c
# cases: notify/delete/*
s/^		if (get_node_id(d_inode(entry)) != child_nodeid) {$/		if (0 \&\& get_node_id(d_inode(entry)) != child_nodeid) {/
