#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H

#include <errno.h>
#include <spawn.h>
#include <stdint.h>

/* Linux system calls that Swift's Glibc module hides (it is built without _GNU_SOURCE).
   Declared by hand with the kernel ABI's 64-bit offsets. */
extern int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);

/* Starts writing [offset, offset + length) of `fd` back to disk without waiting
   (SYNC_FILE_RANGE_WRITE), so that a later fsync has little left to wait for. */
static inline int csystem_start_writeback(int fd, int64_t offset, int64_t length) {
    return sync_file_range(fd, offset, length, 2 /* SYNC_FILE_RANGE_WRITE */);
}

/* Adds to `actions` the closing of every descriptor from `from` up, in the child, after the
   actions added before it (glibc 2.34+, declared only under _GNU_SOURCE). 0, or an errno
   value; ENOSYS where the C library has no such action, so that the caller refuses to spawn
   rather than leak the parent's descriptors. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
static inline int csystem_spawn_add_closefrom(posix_spawn_file_actions_t *_Nonnull actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}
#else
static inline int csystem_spawn_add_closefrom(posix_spawn_file_actions_t *_Nonnull actions, int from) {
    (void)actions;
    (void)from;
    return ENOSYS;
}
#endif

#endif
