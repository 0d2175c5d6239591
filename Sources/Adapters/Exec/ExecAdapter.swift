public import Collector
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#else
    #error("Unsupported platform")
#endif

/// Runs an external command that prints samples as JSON lines (SPEC §5): the escape hatch for
/// a platform without a built-in adapter, in any language.
///
/// ## Protocol
/// The command prints one JSON object per line on stdout:
///
/// ```
/// {"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"","metric":"followers","value":123,"quality":"exact"}
/// ```
///
/// Every sample gets the configured `platform` and the source `exec`. A line that does not
/// validate (see ``ExecLineParser``) is recorded as a failure with its line number (label
/// `invalidLine`, the first 100 one by one) and the rest are kept. A line `{"state":{…}}`
/// commits the samples before it, then saves the state; the next run receives it as the JSON
/// text of the environment variable `COLLECTOR_STATE`. The command's environment is small:
/// PATH, HOME, LANG, LANGUAGE, `LC_*`, TZ, TMPDIR, USER and LOGNAME from the collector's,
/// `PYTHONUNBUFFERED=1`, the section's `env` table and `COLLECTOR_STATE`; its only open
/// descriptors are stdin (`/dev/null`), stdout and stderr. stderr goes to the log (notice
/// level, the first 100 lines; the last 20 as warnings when the run fails, see
/// ``StderrLog``). A non-zero exit, a signal or the timeout fails the run, without a
/// retry, with ``AdapterError/commandFailed(_:)``, naming the command
/// (`command[0]` only), how it ended and its last stderr line; the samples received before
/// stay in the batch. A command all of whose lines were rejected fails the same way. On the
/// timeout the command's whole process group gets SIGKILL. A collector killed outright takes
/// the command along (``SpawnThread``), and the next run kills what the command had started
/// (``ProcessGroupRecord``).
///
/// ## Metrics
/// Any SPEC §4 name, or `<platform>_<name>`: the command decides, so ``metrics`` is empty and
/// the conformance suite does not check exec samples against it.
///
/// ## State
/// The state file records the command that saved it (``ExecStateFile``): a state another
/// command saved is not handed over.
/// A state line longer than ``ExecStateFile/maxStateLength`` as JSON is rejected: it would keep
/// the command from starting.
/// A state line after a rejected line is not saved: the rejected samples were not stored, and
/// the fixed command must find them again.
///
/// ## Configuration
/// `platform` (required), `command` (required), `timeout`, `env`, and the common keys but
/// ``inertCommonKeys``. The instance has one unit of work, `command`.
public struct ExecAdapter: Adapter {
    /// `exec`.
    public static let type = "exec"

    /// One line for `collector adapters`.
    public static let summary = "Runs an external command that prints samples as JSON lines (SPEC §5)."

    /// `platform`, `command`, `timeout`, `env` (the common keys are added by the loader).
    public static let configurationKeys: [ConfigurationKey] =
        [
            ConfigurationKey(
                "platform",
                type: "string",
                required: true,
                help: "The platform of the samples: lower-case letters, digits and _, such as xiaohongshu."
            ),
            ConfigurationKey(
                "command",
                type: "array of strings",
                required: true,
                commandLine: true,
                help: "The program and its arguments; a relative path with / is resolved against the config folder."
            ),
            ConfigurationKey(
                "timeout",
                type: "duration",
                default: "60s",
                help: "How long the command may run before its process group is killed."
            ),
            ConfigurationKey(
                "env",
                type: "table",
                secretFiles: true,
                help: "Variables for the command, such as { XHS_COOKIE = \"${XHS_COOKIE}\" }; of the collector's"
                    + " environment it gets only PATH, HOME, LANG, LANGUAGE, LC_*, TZ, TMPDIR, USER and LOGNAME,"
                    + " and PYTHONUNBUFFERED=1 unless set here."
            ),
        ]

    /// `rate`, `parallel_accounts` and `cooldown`: the command makes its requests itself and is
    /// one unit of work, so none of them can act on it.
    public static let inertCommonKeys = [
        "rate": "the command sends its requests itself, not through the collector: throttle inside the command",
        "parallel_accounts": "an exec section has one unit of work, the command, which never runs twice at a time",
        "cooldown":
            "the circuit breaker acts on the answers to the collector's own requests, and the command sends none"
            + " through it: a command that meets the platform's risk control should exit non-zero",
    ]

    /// Empty: an exec command may print any SPEC §4 metric or `<platform>_<name>`.
    public static let metrics: [MetricDescriptor] = []

    /// The commented example section.
    public static let sampleConfiguration = """
        ## Runs a command that prints one JSON sample per line on stdout (SPEC §5), e.g.
        ## {"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"","metric":"followers","value":123}
        ## A line {"state":{...}} saves a cursor; the next run gets it in $COLLECTOR_STATE.
        [[adapters.exec]]
        ## The instance's name, which keys the command's saved state (state_dir/exec-xhs.state):
        ## keep it, and give every exec section one, or the state follows the section's position.
        name = "xhs"
        ## The platform written with every sample.
        platform = "xiaohongshu"
        ## The program and its arguments, run without a shell. A program path with a / is taken
        ## from this file's folder, such as ["./adapters/xhs", "--since", "7d"]; a bare name is
        ## searched on PATH. The program must exist when the configuration is loaded.
        command = ["sh", "adapters/xhs.sh", "--since", "7d"]
        ## Kill the command (and everything it started) after this long.
        # timeout = "60s"
        ## Variables for the command; secrets only through ${VAR} or @file:. Of the collector's
        ## environment the command gets only PATH, HOME, LANG, LANGUAGE, LC_*, TZ, TMPDIR, USER
        ## and LOGNAME: name any other variable it reads here. It also gets PYTHONUNBUFFERED=1
        ## (a Python script's lines arrive as it prints them) unless set here.
        # env = { XHS_COOKIE = "${XHS_COOKIE}" }
        # interval = "24h"
        """

    /// The single unit of work of an exec instance.
    public static let unitOfWork = "command"

    /// The instance's name in logs, summaries and its state file name.
    public let name: String
    /// The configured `platform`.
    public let platform: Platform
    /// One unit of work: ``unitOfWork``.
    public var accounts: [String] { [Self.unitOfWork] }
    /// `interval`, `jitter` and `rate`.
    public let schedule: AdapterSchedule

    /// The argv, `command[0]` resolved.
    let command: [String]
    /// How long the command may run.
    let timeout: Duration
    /// Extra environment variables, sorted by name; values may be secrets and are never logged.
    let environment: [(name: String, value: String)]
    /// The record saved with each state: the state belongs to this command (``ExecStateFile``).
    let stateOwner: ExecStateFile.Owner

    /// Validates the section: a valid `platform`, a `command` array whose program exists and is
    /// executable (searched on `PATH` when it has no `/`), a positive `timeout`, string `env`
    /// values under variable names.
    public init(configuration: AdapterConfiguration) throws(ConfigurationErrors) {
        // Every key is checked, whatever an earlier one held: `check` prints all problems at once.
        var check = ConfigurationCheck()
        name = configuration.name
        schedule = AdapterSchedule(configuration: configuration, check: &check)

        let platformName = check { () throws(ConfigurationError) in try configuration.requiredString("platform") }
        if let platformName, !Platform.isValidName(platformName) {
            check.report(
                configuration.error(
                    "platform",
                    "platform \(configuration.quoted(platformName, from: "platform")) is not a valid name: use"
                        + " lower-case letters, digits and _, starting with a letter"
                )
            )
        }
        platform = Platform(rawValue: platformName ?? Self.type)

        command = check { () throws(ConfigurationError) in try Self.command(configuration) } ?? []
        // As written: `${VAR}` unexpanded and `command[0]` unresolved, so that a rotated secret or
        // a moved folder leaves the cursor with its command.
        let written = configuration.writtenValues["command"] ?? configuration.values["command"]
        var writtenCommand: [String]?
        if case .array(let items)? = written {
            writtenCommand = items.compactMap { item in if case .string(let text) = item { text } else { nil } }
        }
        stateOwner = ExecStateFile.Owner(instance: name, command: writtenCommand ?? command)

        let timeout =
            check { () throws(ConfigurationError) in try configuration.duration("timeout") }.flatMap { $0 }
            ?? .seconds(60)
        if timeout <= .zero { check.report(configuration.error("timeout", "\"timeout\" must be more than 0s")) }
        self.timeout = timeout

        var environment: [(name: String, value: String)] = []
        for (key, value)
            in (check { () throws(ConfigurationError) in try configuration.table("env") }.flatMap { $0 } ?? [:]).sorted(
                by: { $0.key < $1.key })
        {
            guard Self.isValidVariableName(key) else {
                check.report(
                    configuration.error(
                        "env",
                        "env key \"\(key)\" is not a variable name: use letters, digits and _, not starting with a digit"
                    )
                )
                continue
            }
            guard key != "COLLECTOR_STATE" else {
                check.report(configuration.error("env", "env key COLLECTOR_STATE is reserved for the saved state"))
                continue
            }
            guard case .string(let text) = value else {
                check.report(configuration.error("env", "env value of \"\(key)\" must be a string: \(key) = \"…\""))
                continue
            }
            environment.append((key, text))
        }
        self.environment = environment
        try check.finish()
    }

    /// The `command` array, its program resolved and checked.
    private static func command(_ configuration: AdapterConfiguration) throws(ConfigurationError) -> [String] {
        if case .string = configuration.values["command"] {
            throw configuration.error(
                "command",
                "\"command\" must be an array of strings, such as [\"./adapters/xhs\", \"--since\", \"7d\"]"
                    + " (it is not run through a shell)"
            )
        }
        guard var command = try configuration.strings("command") else {
            throw configuration.error(nil, "missing required key \"command\"")
        }
        guard let program = command.first, !program.isEmpty else {
            throw configuration.error("command", "\"command\" is empty; name the program to run")
        }
        let shown = configuration.quoted(program, from: "command")
        if program.contains("/") {
            command[0] = configuration.resolve(program)
            guard access(command[0], X_OK) == 0 else {
                let failure = Errno(errno)
                // The resolved path is shown only when the program was written into the file.
                let resolved =
                    command[0] == program || shown.hasPrefix("from ") ? "" : " (resolved to \(command[0]))"
                throw configuration.error(
                    "command",
                    "command \(shown)\(resolved) is not an executable file: \(failure)"
                )
            }
        } else if ChildProcess.searchPath(for: program) == nil {
            throw configuration.error("command", "command \(shown) was not found on PATH")
        }
        return command
    }

    /// The file under `state_dir` that holds the running command's process group (see
    /// ``ProcessGroupRecord``).
    var groupFileName: String { "exec-\(name).group" }

    /// Runs the command once on a dedicated thread and feeds its lines into `batch`.
    /// - Throws: ``AdapterError`` when the command cannot start, exits non-zero, is killed or
    ///   times out; `CancellationError`; storage errors from the batch and the state store.
    public func collect(account: String, into batch: SampleBatch, context: AdapterContext) async throws {
        let savedState = try savedState(context: context)
        let run = ExecRun(
            name: name,
            platform: platform,
            command: command,
            environment: childEnvironment(state: savedState),
            redactor: SecretRedactor(environment),
            timeout: timeout,
            stateFileName: stateFileName,
            stateOwner: stateOwner,
            groupFileName: groupFileName,
            batch: batch,
            context: context
        )
        context.logger.debug(
            "running command",
            metadata: ["command": "\(command[0])", "timeout.seconds": "\(timeout.wholeSeconds)"]
        )
        let summary = try await DedicatedThread.run { interrupt in try run.run(interrupt: interrupt) }
        context.logger.debug(
            "command finished",
            metadata: [
                "lines": "\(summary.lines)", "samples": "\(summary.samples)", "invalid": "\(summary.invalid)",
                "states": "\(summary.states)",
            ]
        )
    }

    /// The child's whole environment: the collector's own variables from
    /// ``inheritedVariables`` (and `LC_*`) where set, `PYTHONUNBUFFERED=1` (``pythonUnbuffered``),
    /// then the section's `env` table, then `COLLECTOR_STATE` (the saved state, or nothing).
    ///
    /// Nothing else is passed on: the collector's environment holds every platform's secrets
    /// (a systemd `EnvironmentFile`, a Kubernetes `envFrom`), and the command is a third
    /// party's script. A command that needs another variable names it in `env`.
    private func childEnvironment(state: String?) -> [String] {
        var overridden = Set(environment.map(\.name))
        overridden.insert("COLLECTOR_STATE")
        var result: [String] = []
        var entry: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        while let current = entry, let pointer = current.pointee {
            let text = String(cString: pointer)
            let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            if let name, Self.isInherited(name), !overridden.contains(name) { result.append(text) }
            entry = current + 1
        }
        // Python block-buffers stdout on a pipe: the samples a script printed before a timeout
        // would die in its buffer with it. A section that sets the variable keeps its value.
        if !overridden.contains(Self.pythonUnbuffered) { result.append(Self.pythonUnbuffered + "=1") }
        result += environment.map { "\($0.name)=\($0.value)" }
        if let state { result.append("COLLECTOR_STATE=" + state) }
        return result
    }

    /// Set to `1` for every command whose section's `env` does not set it, so that a Python
    /// script's lines reach the collector as it prints them.
    static let pythonUnbuffered = "PYTHONUNBUFFERED"

    /// The collector's variables a command gets without asking: where programs are, the
    /// user, the locale, the time zone and the temporary folder.
    static let inheritedVariables: Set<String> = [
        "PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "USER", "LOGNAME",
    ]

    /// Whether the collector's variable `name` is passed to the command: one of
    /// ``inheritedVariables``, or a locale category (`LC_ALL`, `LC_CTYPE`, …).
    private static func isInherited(_ name: String) -> Bool {
        inheritedVariables.contains(name) || name.hasPrefix("LC_")
    }

    private static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F
        }
    }
}
