#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Linux system calls that Swift's Glibc module hides (it is built without _GNU_SOURCE).
   Declared by hand with the kernel ABI's 64-bit offsets. */
extern int sync_file_range(int fd, int64_t offset, int64_t nbytes, unsigned int flags);
extern int pipe2(int fds[_Nonnull 2], int flags);

/* Starts writing [offset, offset + length) of `fd` back to disk without waiting
   (SYNC_FILE_RANGE_WRITE), so that a later fsync has little left to wait for. */
static inline int csystem_start_writeback(int fd, int64_t offset, int64_t length) {
    return sync_file_range(fd, offset, length, 2 /* SYNC_FILE_RANGE_WRITE */);
}

/* The signals of a crash, which the Swift runtime's backtracer handles, and their number. */
#define CSYSTEM_CRASH_SIGNAL_COUNT 6
static inline int csystem_crash_signal(int index) {
    const int numbers[CSYSTEM_CRASH_SIGNAL_COUNT] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT};
    return numbers[index];
}

/* The handler csystem_protect_memory found for the crash signal at `index`, which
   csystem_crash_handler passes the crash on to. (A static inside a function: Swift's importer
   emits a header's functions, not its file-scope variables.) */
static inline struct sigaction *_Nonnull csystem_crash_chained(int index) {
    static struct sigaction chained[CSYSTEM_CRASH_SIGNAL_COUNT];
    return &chained[index];
}

/* Makes a crashing process dumpable again, then hands the signal to the handler that was there
   before (the backtracer, which reads /proc/<pid>/maps from a helper process to name the images
   of its backtrace: of a process that is not dumpable it could not). Only for a fault the kernel
   raised (si_code > 0) or a signal the process sent itself (abort: SI_TKILL from this pid, which
   another process cannot forge): a signal another process sends, a same-user exec command's
   kill -SEGV, leaves the process protected. Async-signal-safe: prctl, getpid, sigaction, raise. */
static inline void csystem_crash_handler(int number, siginfo_t *_Nullable info, void *_Nullable context) {
    int own = info != 0 && (info->si_code > 0 || (info->si_code == SI_TKILL && info->si_pid == getpid()));
    if (own) (void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    for (int index = 0; index < CSYSTEM_CRASH_SIGNAL_COUNT; index++) {
        if (csystem_crash_signal(index) != number) continue;
        struct sigaction previous = *csystem_crash_chained(index);
        if (previous.sa_flags & SA_SIGINFO) {
            if (previous.sa_sigaction != 0) previous.sa_sigaction(number, info, context);
            return;
        }
        if (previous.sa_handler == SIG_IGN) return;
        if (previous.sa_handler != SIG_DFL) {
            previous.sa_handler(number);
            return;
        }
        /* The default action: a fault happens again on return and ends the process; a sent
           signal is raised again, delivered once this handler returns. */
        (void)sigaction(number, &previous, 0);
        if (info == 0 || info->si_code <= 0) (void)raise(number);
        return;
    }
}

/* Keeps the process's memory from other processes of its user and from disk: no core dump
   (RLIMIT_CORE's soft limit 0; the hard limit stays, so an exec child may raise its own), and
   not dumpable (PR_SET_DUMPABLE 0), which gives /proc/<pid>/environ, mem, maps and fd to root
   and turns ptrace away. The process itself still reads its own /proc/self files; execve
   resets the flag, so the children are dumpable again. Then puts csystem_crash_handler in front
   of each crash signal's handler (call it once, after the runtime installed its own). Returns
   0, or the errno of the step that failed. */
static inline int csystem_protect_memory(void) {
    struct rlimit core;
    if (getrlimit(RLIMIT_CORE, &core) != 0) return errno;
    core.rlim_cur = 0;
    if (setrlimit(RLIMIT_CORE, &core) != 0) return errno;
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return errno;
    for (int index = 0; index < CSYSTEM_CRASH_SIGNAL_COUNT; index++) {
        int number = csystem_crash_signal(index);
        struct sigaction *previous = csystem_crash_chained(index);
        if (sigaction(number, 0, previous) != 0) return errno;
        struct sigaction handler = *previous;
        handler.sa_flags = (previous->sa_flags & ~SA_RESETHAND) | SA_SIGINFO;
        handler.sa_sigaction = csystem_crash_handler;
        if (sigaction(number, &handler, 0) != 0) return errno;
    }
    return 0;
}

/* The child's side of csystem_spawn: reports `code` (an errno value) on the report pipe and
   ends without running any atexit handler or flushing any of the parent's stdio buffers. */
static inline void csystem_spawn_fail(int report, int code) {
    ssize_t written;
    do {
        written = write(report, &code, sizeof code);
    } while (written < 0 && errno == EINTR);
    _exit(127);
}

/* A child forked by csystem_spawn and held before its execve until csystem_spawn_release. */
struct csystem_spawned {
    /* The child's pid, also its process group id. */
    pid_t pid;
    /* Write end of the pipe the child waits on before execve. */
    int release_fd;
    /* Read end of the close-on-exec pipe on which the child reports a failed step. */
    int report_fd;
};

/* Forks a child that will run the program at `path` (resolved by the caller: execvp
   allocates, which a child of a multi-threaded process must not) with `argv` and `envp`:
   - stdin is /dev/null, stdout and stderr are dup2'd from `stdout_fd` and `stderr_fd`, and no
     other descriptor stays open;
   - it gets SIGKILL when the thread that called this function ends (PR_SET_PDEATHSIG fires
     on the calling *thread's* exit, not the process's: call it only from a thread that lives
     as long as the process);
   - it leads a process group of its own (pgid = pid), so one kill(-pid) reaches everything it
     starts;
   - no signal is blocked and every disposition is the default.
   The child waits, in its own group, before execve until csystem_spawn_release (from any
   thread), so the caller can record the pid before the program runs; should the caller die
   first, the child gets SIGKILL, or EOF on the release pipe, and never runs the program.
   Between fork and execve the child calls only async-signal-safe functions: another thread
   of the parent may have held any lock (malloc's) at the moment of the fork.
   Returns 0, or the errno of a failed pipe2 or fork. `close_limit` bounds the
   descriptor-closing loop used where close_range(2) is missing (Linux before 5.9). */
static inline int csystem_spawn(
    const char *_Nonnull path,
    char *_Nullable const *_Nonnull argv,
    char *_Nullable const *_Nonnull envp,
    int stdout_fd,
    int stderr_fd,
    int close_limit,
    struct csystem_spawned *_Nonnull spawned
) {
    int report[2], release[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    if (pipe2(release, O_CLOEXEC) != 0) {
        int code = errno;
        close(report[0]);
        close(report[1]);
        return code;
    }
    /* Every signal blocked across the fork: a handler of the collector's must never run in the
       child before the dispositions are reset. */
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        int fail = report[1];
        close(report[0]);
        close(release[1]);
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) csystem_spawn_fail(fail, errno);
        /* The parent may have died between fork and prctl; then no signal will come. */
        if (getppid() != parent) _exit(127);
        if (setpgid(0, 0) != 0) csystem_spawn_fail(fail, errno);
        char go = 0;
        ssize_t got;
        do {
            got = read(release[0], &go, 1);
        } while (got < 0 && errno == EINTR);
        if (got != 1) _exit(127); /* the parent let go of us without a release */
        close(release[0]);
        struct sigaction standard;
        memset(&standard, 0, sizeof standard);
        standard.sa_handler = SIG_DFL;
        sigemptyset(&standard.sa_mask);
        for (int number = 1; number < NSIG; number++) {
            if (number != SIGKILL && number != SIGSTOP) (void)sigaction(number, &standard, 0);
        }
        /* Out of 0–2 first (a collector started with a closed stdin gets pipes there), so the
           dup2s below never overwrite a descriptor still to be copied. */
        if (stdout_fd < 3 && (stdout_fd = fcntl(stdout_fd, F_DUPFD_CLOEXEC, 3)) < 0) csystem_spawn_fail(fail, errno);
        if (stderr_fd < 3 && (stderr_fd = fcntl(stderr_fd, F_DUPFD_CLOEXEC, 3)) < 0) csystem_spawn_fail(fail, errno);
        if (fail < 3) {
            int moved = fcntl(fail, F_DUPFD_CLOEXEC, 3);
            if (moved < 0) csystem_spawn_fail(fail, errno);
            fail = moved;
        }
        int null = open("/dev/null", O_RDONLY);
        if (null < 0) csystem_spawn_fail(fail, errno);
        if (null != 0 && dup2(null, 0) < 0) csystem_spawn_fail(fail, errno);
        if (dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) csystem_spawn_fail(fail, errno);
        /* The report pipe becomes 3 (close-on-exec), and everything above it goes: the
           collector's sockets, files and pipes are not the command's business, and a write end
           held by a grandchild would delay the collector's EOFs. */
        if (fail != 3) {
            if (dup2(fail, 3) < 0) csystem_spawn_fail(fail, errno);
            fail = 3;
        }
        if (fcntl(fail, F_SETFD, FD_CLOEXEC) < 0) csystem_spawn_fail(fail, errno);
#ifdef SYS_close_range
        long closed = syscall(SYS_close_range, 4U, ~0U, 0U);
#else
        long closed = -1;
#endif
        if (closed != 0) {
            for (int descriptor = 4; descriptor < close_limit; descriptor++) (void)close(descriptor);
        }
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, 0);
        execve(path, (char *const *)argv, (char *const *)envp);
        csystem_spawn_fail(fail, errno);
    }
    int forkError = errno;
    pthread_sigmask(SIG_SETMASK, &saved, 0);
    close(report[1]);
    close(release[0]);
    if (pid < 0) {
        close(report[0]);
        close(release[1]);
        return forkError;
    }
    spawned->pid = pid;
    spawned->release_fd = release[1];
    spawned->report_fd = report[0];
    return 0;
}

/* Lets the child of csystem_spawn go on to its execve (or, with `run` false, end without it)
   and waits for the outcome: 0 once the program runs, or the errno of the step that failed
   (ENOENT, EACCES, ENOEXEC…), the child then reaped. Closes both descriptors. */
static inline int csystem_spawn_release(struct csystem_spawned spawned, int run) {
    if (run) {
        char go = 1;
        while (write(spawned.release_fd, &go, 1) < 0 && errno == EINTR) {
        }
    }
    close(spawned.release_fd);
    int code = 0;
    ssize_t count;
    do {
        count = read(spawned.report_fd, &code, sizeof code);
    } while (count < 0 && errno == EINTR);
    close(spawned.report_fd);
    if (count == (ssize_t)sizeof code || !run) {
        /* The child ended without exec: reap it here, the caller never keeps its pid. */
        while (waitpid(spawned.pid, 0, 0) < 0 && errno == EINTR) {
        }
        return run ? (code != 0 ? code : EIO) : ECANCELED;
    }
    return 0;
}

#endif
