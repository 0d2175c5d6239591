#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H

#include <stdint.h>

/* Linux system calls that Swift's Glibc module hides (it is built without _GNU_SOURCE).
   Declared by hand with the kernel ABI's 64-bit offsets. */
extern int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);

/* Starts writing [offset, offset + length) of `fd` back to disk without waiting
   (SYNC_FILE_RANGE_WRITE), so that a later fsync has little left to wait for. */
static inline int csystem_start_writeback(int fd, int64_t offset, int64_t length) {
    return sync_file_range(fd, offset, length, 2 /* SYNC_FILE_RANGE_WRITE */);
}

#endif
