// The few system calls Swift cannot call directly: variadic ones (prctl) and glibc extensions that
// its Glibc module does not declare. Each has a Linux and a Darwin branch; see docs/platforms.md.
#ifndef AUTHFLOW_CSYSTEM_H
#define AUTHFLOW_CSYSTEM_H

#include <errno.h>
#include <spawn.h>

#if defined(__linux__)
#include <sys/prctl.h>

// glibc 2.34 and 2.29; weak, so a binary built here still starts on an older glibc, where the
// callers fall back (marking descriptors close-on-exec, changing folder in a wrapper).
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int) __attribute__((weak));
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *restrict, const char *restrict) __attribute__((weak));

/// Other processes of the same user may not read this one's memory or /proc/PID/environ, and it
/// writes no core dump. 0 on success.
static inline int authflow_set_nondumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

/// The child closes every descriptor from `from` up. ENOSYS where the C library cannot.
static inline int authflow_spawn_close_from(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np ? posix_spawn_file_actions_addclosefrom_np(actions, from) : ENOSYS;
}

/// The child starts in `path`. ENOSYS where the C library cannot.
static inline int authflow_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np ? posix_spawn_file_actions_addchdir_np(actions, path) : ENOSYS;
}

/// Flags to add to posix_spawnattr_setflags for closing inherited descriptors (none on Linux:
/// authflow_spawn_close_from does it).
static inline short authflow_spawn_cloexec_flag(void) { return 0; }

/// The child keeps descriptor `fd` as it is (nothing to do on Linux, where only close_from closes).
static inline int authflow_spawn_inherit(posix_spawn_file_actions_t *actions, int fd) { (void)actions; (void)fd; return 0; }

#elif defined(__APPLE__)
#include <sys/ptrace.h>

/// Darwin has no dumpable flag; PT_DENY_ATTACH keeps debuggers (and task_for_pid) out.
static inline int authflow_set_nondumpable(void) { return ptrace(PT_DENY_ATTACH, 0, 0, 0); }

/// Darwin closes what is not named by a file action through POSIX_SPAWN_CLOEXEC_DEFAULT instead.
static inline int authflow_spawn_close_from(posix_spawn_file_actions_t *actions, int from) { (void)actions; (void)from; return 0; }

static inline int authflow_spawn_chdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

static inline short authflow_spawn_cloexec_flag(void) { return POSIX_SPAWN_CLOEXEC_DEFAULT; }

static inline int authflow_spawn_inherit(posix_spawn_file_actions_t *actions, int fd) {
    return posix_spawn_file_actions_addinherit_np(actions, fd);
}
#endif

#endif
