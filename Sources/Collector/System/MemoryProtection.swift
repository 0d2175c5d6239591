import CSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Keeps the secrets in the collector's memory and environment from other processes of the
/// same user and from core dumps.
///
/// The service gets every `${VAR}` secret in its environment (systemd's `EnvironmentFile=`),
/// and holds tokens and cookies in memory. An `exec` adapter's command runs as the same user:
/// it gets a cleaned environment of its own, but could read the collector's
/// `/proc/<pid>/environ` (and `mem`) as long as the collector is dumpable, and a crash with core
/// dumps on would write all of it to disk. ``protect()`` turns both off at start-up.
package enum MemoryProtection {
    /// Makes the process non-dumpable and sets its core-file limit to 0
    /// (`prctl(PR_SET_DUMPABLE, 0)`, `setrlimit(RLIMIT_CORE)`); call it first thing in `main`.
    /// The process still reads its own `/proc/self` files; children are dumpable again after
    /// `execve`; a profiler that started the process (`perf record collector …`) keeps its
    /// events. Attaching to it later takes root (`CAP_SYS_PTRACE`).
    /// - Returns: Why it failed (the errno's text), or nil.
    package static func protect() -> String? {
        let code = csystem_protect_memory()
        return code == 0 ? nil : String(cString: strerror(code))
    }
}
