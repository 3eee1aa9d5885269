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

#if defined(__linux__)
// libsecret, loaded at run time with dlopen("libsecret-1.so.0") so that authflow starts where it is
// not installed. These mirror the few GLib/libsecret types its functions take (layouts fixed by
// their ABIs, libsecret-1 and glib-2.0), so no libsecret header is needed to build.

/// SecretSchemaAttribute.
typedef struct { const char *name; int type; } authflow_secret_schema_attribute;

/// SecretSchema: a name, flags, up to 32 attributes (a NULL name ends them), reserved space.
typedef struct {
    const char *name;
    int flags;
    authflow_secret_schema_attribute attributes[32];
    int reserved;
    void *reserved1, *reserved2, *reserved3, *reserved4, *reserved5, *reserved6, *reserved7;
} authflow_secret_schema;

/// GError.
typedef struct { unsigned int domain; int code; char *message; } authflow_gerror;

/// GList.
typedef struct authflow_glist { void *data; struct authflow_glist *next; struct authflow_glist *prev; } authflow_glist;

/// The schema of the items authflow stores: xdg:schema "authflow.Secret", string attributes service
/// and account. With `any_schema` (SECRET_SCHEMA_DONT_MATCH_NAME) lookups and removals match every
/// item with those attributes, whoever stored it (secret-tool's items included).
static inline const authflow_secret_schema *authflow_secret_schema_get(int any_schema) {
    static const authflow_secret_schema stored = {
        "authflow.Secret", 0, { { "service", 0 }, { "account", 0 }, { 0, 0 } }, 0, 0, 0, 0, 0, 0, 0, 0 };
    static const authflow_secret_schema any = {
        "authflow.Secret", 1 << 1, { { "service", 0 }, { "account", 0 }, { 0, 0 } }, 0, 0, 0, 0, 0, 0, 0, 0 };
    return any_schema ? &any : &stored;
}
#endif

#endif
