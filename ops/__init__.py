"""Operations: the `sherloc` command, the servers' launcher, setup and demo loading, backup
and restore. It uses the other packages; none of them uses it."""
