import Collector
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// One run of an exec command, driven on a dedicated thread: spawn, read stdout and stderr as
/// they come, turn lines into samples, state and failures, enforce the timeout, reap.
struct ExecRun: Sendable {
    /// What a finished run saw.
    struct Summary: Sendable {
        /// Lines read from stdout, blank ones included.
        var lines = 0
        /// Samples added to the batch.
        var samples = 0
        /// Lines rejected.
        var invalid = 0
        /// State lines saved.
        var states = 0
    }

    /// Invalid lines recorded one by one; the rest are counted in one more failure.
    static let listedInvalidLines = 100

    let name: String
    let platform: Platform
    let command: [String]
    let environment: [String]
    /// Redacts the `env` values from the stderr that is logged and from invalid-line messages, and
    /// refuses the lines that would store one (``ExecLineParser``).
    let redactor: SecretRedactor
    let timeout: Duration
    let stateFileName: String
    /// Recorded with each state saved (``ExecStateFile``).
    let stateOwner: ExecStateFile.Owner
    /// Where the running command's ``ProcessGroupRecord`` is kept.
    let groupFileName: String
    let batch: SampleBatch
    let context: AdapterContext

    /// Runs the command to its end. Blocks: call it on a dedicated thread.
    /// - Parameter interrupt: Becomes readable when the task is cancelled.
    /// - Returns: What the run saw.
    /// - Throws: ``AdapterError`` when the command cannot start, fails or times out;
    ///   `CancellationError`; the sink's and the state store's errors.
    func run(interrupt: DedicatedThread.Interrupt) throws -> Summary {
        // A dry run (collector test) holds no run lock: the recorded group may be a live run's.
        let ownsState = !context.state.isReadOnly
        if ownsState { killLeftoverGroup() }
        let child: ChildProcess
        do {
            // The group is recorded before the command runs: a collector killed at any moment
            // after that leaves nothing the next run does not know about.
            child = try ChildProcess(arguments: command, environment: environment) { pid in
                if ownsState { recordGroup(of: pid) }
            }
        } catch {
            if ownsState { try? context.state.remove(groupFileName) }
            throw AdapterError.commandFailed(
                "command \(quotedProgram) could not be started: \(error)" + (error.code == E2BIG ? tooLarge : "")
            )
        }
        // Every way out reaps the child (killing its group unless it already ended) before the
        // record goes: a record outlives its command only when the collector itself was killed.
        defer {
            child.killAndReap()
            if ownsState { try? context.state.remove(groupFileName) }
        }
        let deadline = ContinuousClock.now + timeout
        var lines = LineBuffer()
        let maxLineLength = lines.maxLineLength
        var parser = ExecLineParser(
            platform: platform,
            now: context.now,
            calendar: context.calendar,
            secrets: redactor
        )
        var stderrLog = StderrLog(logger: context.logger, name: name, redactor: redactor)
        var summary = Summary()
        var firstUnlisted: Int?
        // SPEC §5 saves a state "after the samples before it are durable": a rejected line's never is.
        var firstRejected: Int?
        var stateHeldBack = false
        var lastState: (line: Int, length: Int, state: JSONValue)?
        defer {
            // `collector test` saves nothing, but shows what a run would save.
            if context.state.isReadOnly, let lastState { batch.recordNotice(unsavedStateNotice(lastState)) }
        }
        defer {
            if summary.invalid > Self.listedInvalidLines, let firstUnlisted {
                let more = summary.invalid - Self.listedInvalidLines
                batch.recordFailure(
                    CollectionFailure(
                        adapter: name,
                        account: ExecAdapter.unitOfWork,
                        object: "line \(firstUnlisted)",
                        label: "invalidLine",
                        message: "\(more) more invalid lines not listed, the first at line \(firstUnlisted)",
                        occurrences: more
                    )
                )
            }
        }

        func handle(_ line: LineBuffer.Line) throws {
            summary.lines += 1
            let number = summary.lines
            let problem: String
            switch line {
            case .tooLong(let length):
                problem = "the line is \(length) bytes long, more than the \(maxLineLength) allowed"
            case .text(let bytes):
                switch try parser.parse(bytes, into: batch) {
                case .blank:
                    return
                case .sample:
                    summary.samples += 1
                    return
                case .state(let state):
                    let text = Array(state.serialized().utf8)
                    if text.count > ExecStateFile.maxStateLength {
                        problem = Self.tooLargeState(text.count)
                        break
                    }
                    if let firstRejected {
                        if !stateHeldBack { batch.recordFailure(heldBack(state: number, rejected: firstRejected)) }
                        stateHeldBack = true
                        return
                    }
                    // The cursor may only move once the samples before it survive a crash.
                    try batch.commit()
                    try context.state.write(stateFileName, ExecStateFile(owner: stateOwner, state: text).bytes)
                    summary.states += 1
                    lastState = (number, text.count, state)
                    return
                case .invalid(let why):
                    problem = why
                }
            }
            summary.invalid += 1
            if firstRejected == nil { firstRejected = number }
            guard summary.invalid <= Self.listedInvalidLines else {
                if firstUnlisted == nil { firstUnlisted = number }
                return
            }
            batch.recordFailure(
                CollectionFailure(
                    adapter: name,
                    account: ExecAdapter.unitOfWork,
                    object: "line \(number)",
                    label: "invalidLine",
                    // The message may quote what the command printed.
                    message: "line \(number): \(redactor.redact(problem))"
                )
            )
        }

        // Both pipes are drained until both close: a command that exits while a process it left
        // behind still holds them open runs into the timeout, and that process is killed too
        // (the message then says that the command itself had exited).
        var stderrChunk = [UInt8](repeating: 0, count: 4096)
        var timedOut = false
        do {
            while !child.outputClosed {
                let events = child.waitForEvents(deadline: deadline, interrupt: interrupt.readDescriptor)
                if events.interrupted { throw CancellationError() }
                if events.timedOut {
                    timedOut = true
                    break
                }
                if events.stdoutReadable {
                    let count = child.readAvailable(.stdout, into: lines.freeSpace())
                    lines.didWrite(count)
                    while let line = lines.nextLine() { try handle(line) }
                }
                if events.stderrReadable {
                    stderrChunk.withUnsafeMutableBytes { buffer in
                        let count = child.readAvailable(.stderr, into: buffer)
                        stderrLog.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                    }
                }
            }
            // A last line without "\n" still counts, unless the timeout cut it off.
            if !timedOut, let last = lines.finalLine() { try handle(last) }
        } catch {
            child.killAndReap()
            child.killDetachedHolders()
            stderrLog.finish()
            throw error
        }

        let termination = timedOut ? nil : child.waitForExit(deadline: deadline, interrupt: interrupt.readDescriptor)
        stderrLog.finish()
        guard let termination else {
            let ended = child.killAndReap()
            // What left the group (setsid) is out of the group kill's reach: found by the pipe.
            let detached = child.killDetachedHolders()
            if ContinuousClock.now < deadline { throw CancellationError() }
            stderrLog.logTailOfFailure()
            // Reaped after the group's SIGKILL, a command that had already exited by itself still
            // reports its own status: then a process it left behind held the pipe open.
            if timedOut, ended != .signaled(SIGKILL) {
                let stream = child.isClosed(.stdout) ? "stderr" : "stdout"
                let killed =
                    detached.isEmpty
                    ? "was killed with the command's process group"
                    : "\(Self.list(detached)), in a process group of its own (started with setsid or detached),"
                        + (detached.count == 1 ? " was killed" : " were killed")
                throw AdapterError.commandFailed(
                    "command \(quotedProgram) \(ended), but its \(stream) was still open when the"
                        + " \(Self.text(timeout)) timeout ran out: a process it started in the background kept it"
                        + " open, and \(killed); redirect that process's output (>/dev/null 2>&1) or wait for it in"
                        + " the command" + details(summary, stderrLog)
                )
            }
            let alsoKilled =
                detached.isEmpty
                ? ""
                : ", and \(Self.list(detached)), which held its output open in a process group of its own, with it"
            throw AdapterError.commandFailed(
                "command \(quotedProgram) did not finish within \(Self.text(timeout)) and was killed with its"
                    + " process group" + alsoKilled + details(summary, stderrLog)
                    + (summary.lines == 0 ? Self.bufferingHint : "")
            )
        }
        guard termination == .exited(0) else {
            stderrLog.logTailOfFailure()
            throw AdapterError.commandFailed("command \(quotedProgram) \(termination)" + details(summary, stderrLog))
        }
        // A command all of whose lines were refused stored nothing: it failed, whatever its
        // exit status says, and is not counted ok.
        if summary.samples == 0 && summary.invalid > 0 {
            let rejected = summary.invalid == 1 ? "its 1 line was" : "all \(summary.invalid) lines were"
            stderrLog.logTailOfFailure()
            throw AdapterError.commandFailed(
                "command \(quotedProgram) exited with status 0, but nothing was stored: \(rejected) rejected"
                    + " (listed with their line numbers); fix what it prints, `collector test` shows each line's problem"
            )
        }
        return summary
    }

    /// Kills the processes of the group recorded by an earlier run that was killed before it
    /// could stop them, and removes the record.
    private func killLeftoverGroup() {
        guard let bytes = try? context.state.read(groupFileName) else { return }
        defer { try? context.state.remove(groupFileName) }
        guard let record = ProcessGroupRecord(text: String(decoding: bytes, as: UTF8.self)) else { return }
        let survivors = record.survivors()
        guard !survivors.isEmpty else { return }
        kill(-record.group, SIGKILL)
        let count = survivors.count == 1 ? "1 process" : "\(survivors.count) processes"
        let message: String =
            "killed \(count) of command \(quotedProgram) left running by an earlier run that was killed before it"
            + " could stop them (process group \(record.group), recorded in \(context.state.path(groupFileName)));"
            + " starting the command again"
        context.logger.warning("\(message)")
    }

    /// Saves the child's process group for ``killLeftoverGroup()``; a run that cannot save it
    /// goes on, with a warning: only a later kill of the collector would need it.
    private func recordGroup(of pid: pid_t) {
        guard let record = ProcessGroupRecord.running(pid) else { return }
        do {
            try context.state.write(groupFileName, Array(record.text.utf8))
        } catch {
            let message: String =
                "could not record the process group of command \(quotedProgram): \(error); should the collector be"
                + " killed while it runs, what the command started keeps running until it ends by itself"
            context.logger.warning("\(message)")
        }
    }

    /// Why a state line of `length` bytes (as JSON) was refused: it would keep the command from
    /// starting at the next run.
    private static func tooLargeState(_ length: Int) -> String {
        "the state is \(length) bytes as JSON, more than the \(ExecStateFile.maxStateLength) a command can receive in"
            + " COLLECTOR_STATE (Linux limits one NAME=value string of the environment to 128 KiB); it was not saved,"
            + " and the next run gets the earlier state: keep the state small (a date or an id to resume from, not"
            + " every id seen)"
    }

    /// The failure of the first state line not saved because line `rejected` before it was.
    private func heldBack(state line: Int, rejected: Int) -> CollectionFailure {
        CollectionFailure(
            adapter: name,
            account: ExecAdapter.unitOfWork,
            object: "line \(line)",
            label: "stateNotSaved",
            message: "the state on line \(line) was not saved (nor any later one of this run) because line \(rejected)"
                + " was rejected, and a state is saved only once the samples before it are stored (SPEC §5); fix the"
                + " adapter, and the next run resumes from the earlier state"
        )
    }

    /// For `collector test`: the state the run would have saved last. Its size and top-level
    /// keys only, as for a state file: a cursor may hold a token.
    private func unsavedStateNotice(_ state: (line: Int, length: Int, state: JSONValue)) -> CollectionFailure {
        let names = state.state.objectMembers?.map(\.key) ?? []
        let shownKeys = names.prefix(10).map { "\"\($0)\"" }.joined(separator: ", ")
        let more = names.count > 10 ? " and \(names.count - 10) more" : ""
        let keys = names.isEmpty ? "no keys" : "the top-level keys \(shownKeys)\(more)"
        return CollectionFailure(
            adapter: name,
            account: ExecAdapter.unitOfWork,
            object: "line \(state.line)",
            label: "dryRun",
            message: redactor.redact(
                "state (not saved): \(state.length) bytes with \(keys); a run would save it in"
                    + " \(context.state.path(stateFileName)) and hand it to the next run as COLLECTOR_STATE (its content"
                    + " is not shown: a cursor may hold a token)"
            )
        )
    }

    /// Said of a start that failed with E2BIG: what is too long.
    private var tooLarge: String {
        var text =
            "; its arguments or environment are too long (Linux limits each argument and each NAME=value string to"
            + " 128 KiB, and all of them together)"
        if let state = environment.first(where: { $0.hasPrefix("COLLECTOR_STATE=") }) {
            text +=
                "; COLLECTOR_STATE, the saved state from \(context.state.path(stateFileName)), is"
                + " \(state.utf8.count - "COLLECTOR_STATE=".utf8.count) bytes"
        }
        return text
    }

    /// `command[0]` as configured; arguments and environment may hold secrets and stay out.
    private var quotedProgram: String { "\"\(command[0])\"" }

    /// `; 12 samples received; last stderr line: "…"` (the samples stay in the batch).
    private func details(_ summary: Summary, _ stderr: StderrLog) -> String {
        var text = summary.samples == 1 ? "; 1 sample received" : "; \(summary.samples) samples received"
        if let last = stderr.lastLine { text += "; last stderr line: \"\(last)\"" }
        return text
    }

    /// Said of a command killed before a line of its stdout arrived: it may well have printed
    /// samples that sat in its own buffer, which a program writing to a pipe fills before it
    /// writes (C's stdio, Perl, Ruby, Node; Python too, but the collector sets
    /// `PYTHONUNBUFFERED=1`), and which the kill threw away.
    static let bufferingHint =
        "; nothing reached its stdout: if it printed lines before it hung, they were held in its own output"
        + " buffer and lost with it (a program writing to a pipe buffers its output): flush after each line"

    /// `sleep (pid 4242)`, `chrome (pid 4242) and chrome (pid 4250)`.
    private static func list(_ holders: [PipeHolders.Holder]) -> String {
        let names = holders.map(\.description)
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }

    /// `60s`, `1500ms`.
    private static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds)s" }
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
