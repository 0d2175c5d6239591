import Collector
import CollectorTesting
import Dispatch
import Testing

@testable import Adapters

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Exec commands get SIGKILL when the thread that forked them ends (`PR_SET_PDEATHSIG`): they
/// must be forked on a thread that lives as long as the process, whatever thread asks for them.
@Suite(.serialized)
struct ChildProcessTests {
    /// The thread that asks for the command ends at once; the command runs on to its end.
    @Test func aCommandOutlivesTheThreadThatStartedIt() throws {
        let started = Handoff()
        let thread = try POSIXThread.start {
            started.child = Result { () throws(Errno) in
                try ChildProcess(arguments: ["sh", "-c", "sleep 1; echo done"], environment: [])
            }
        }
        thread.join()
        let child = try #require(try started.child?.get())
        #expect(try finish(child) == (.exited(0), "done\n"))
    }

    /// Asked for from a Dispatch worker that then idles for longer than Dispatch keeps idle
    /// threads (5 s on Linux), the command still runs to its end.
    @Test func aCommandOutlivesAnIdlePeriodOfDispatchsThreads() async throws {
        let started = Handoff()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                started.child = Result { () throws(Errno) in
                    try ChildProcess(arguments: ["sh", "-c", "sleep 8; echo done"], environment: [])
                }
                continuation.resume()
            }
        }
        let child = try #require(try started.child?.get())
        try await Task.sleep(for: .seconds(7))
        #expect(try finish(child) == (.exited(0), "done\n"))
    }

    /// The child's failed execve comes back as its errno.
    @Test func reportsAProgramThatCannotBeRun() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let text = temporary.path + "/not-a-program"
        let file = fopen(text, "w")
        fputs("not a program\n", file)
        fclose(file)
        chmod(text, 0o755)
        #expect(throws: Errno(ENOENT)) { try ChildProcess(arguments: ["/nonexistent/program"], environment: []) }
        #expect(throws: Errno(ENOENT)) { try ChildProcess(arguments: ["no-such-program-on-path"], environment: []) }
        #expect(throws: Errno(ENOEXEC)) { try ChildProcess(arguments: [text], environment: []) }
    }

    /// The command leads a process group of its own, and gets only the environment given.
    @Test func startsTheCommandInItsOwnGroupWithItsOwnEnvironment() throws {
        let child = try ChildProcess(
            arguments: ["sh", "-c", #"printf '%s %s %s' "$$" "$(ps -o pgid= -p $$ | tr -d ' ')" "$ONLY""#],
            environment: ["ONLY=this", "PATH=/usr/bin:/bin"]
        )
        let (termination, output) = try finish(child)
        #expect(termination == .exited(0))
        #expect(output == "\(child.pid) \(child.pid) this")
    }

    // MARK: - Helpers

    /// Carries a child from the thread that started it to the test's.
    private final class Handoff: @unchecked Sendable {
        // Unchecked: written once by the starting thread before the join or the resume that
        // the reading thread waits for.
        var child: Result<ChildProcess, Errno>?
    }

    /// Reads the child's stdout to its end and reaps it, at most 30 s.
    private func finish(_ child: ChildProcess) throws -> (ChildProcess.Termination?, String) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw Errno(errno) }  // never readable: no interruption
        defer { ends.forEach { close($0) } }
        let deadline = ContinuousClock.now + .seconds(30)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !child.outputClosed, ContinuousClock.now < deadline {
            let events = child.waitForEvents(deadline: deadline, interrupt: ends[0])
            for stream in [ChildProcess.Stream.stdout, .stderr] {
                if stream == .stdout ? events.stdoutReadable : events.stderrReadable {
                    let count = buffer.withUnsafeMutableBytes { child.readAvailable(stream, into: $0) }
                    if stream == .stdout { output += buffer[..<count] }
                }
            }
        }
        return (child.waitForExit(deadline: deadline, interrupt: ends[0]), String(decoding: output, as: UTF8.self))
    }
}
