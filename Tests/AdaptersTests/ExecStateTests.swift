import Adapters
import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// An exec command's state (SPEC §5) in `state_dir/exec-<name>.state`: what is saved, when,
/// and to which command it is handed back.
@Suite(.serialized)
struct ExecStateTests {
    /// What `COLLECTOR_STATE=<state>` may hold: Linux refuses a longer environment string.
    private static let longest = 131_055

    // MARK: - Size

    /// The largest state is saved and reaches the next run, so the limit is not too low.
    @Test func handsOverAStateOfTheLargestLength() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        let adapter = try makeAdapter([
            "sh", "-c", Self.printState(length: Self.longest), "sh", folder.path("received"),
        ])
        let first = try await collect(adapter, state: store)
        #expect(first.failures.isEmpty)
        let second = try await collect(adapter, state: store)
        #expect(second.failures.isEmpty)
        #expect(try readFile(folder.path("received")).utf8.count == Self.longest)
    }

    /// A longer one would keep the command from starting at every later run: it is refused when
    /// it is printed, and the earlier state stays.
    @Test func refusesAStateTooLongForTheEnvironmentAndKeepsTheEarlierOne() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        try store.write("exec-exec-test.state", Array(#"{"cursor":"earlier"}"#.utf8))
        let adapter = try makeAdapter(["sh", "-c", Self.printState(length: Self.longest + 1), "sh", "/dev/null"])
        let result = try await collect(adapter, state: store)
        #expect(result.samples.count == 1)
        #expect(
            result.failures.map(\.description) == [
                "exec-test/command [line 2]: invalidLine: line 2: the state is 131056 bytes as JSON, more than the"
                    + " 131055 a command can receive in COLLECTOR_STATE (Linux limits one NAME=value string of the"
                    + " environment to 128 KiB); it was not saved, and the next run gets the earlier state: keep the"
                    + " state small (a date or an id to resume from, not every id seen)"
            ]
        )
        #expect(try readFile(store.path("exec-exec-test.state")) == #"{"cursor":"earlier"}"#)
    }

    /// A state file an earlier version saved too long is refused before the command runs.
    @Test func refusesASavedStateTooLongForTheEnvironmentWithoutRunningTheCommand() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        let padding = String(repeating: "a", count: Self.longest + 1 - 10)
        try store.write("exec-exec-test.state", Array(#"{"pad":"\#(padding)"}"#.utf8))
        let error = await #expect(throws: AdapterError.self) {
            try await collect(makeAdapter([Self.stateScript, folder.path("received")]), state: store)
        }
        #expect(
            error?.message
                == "state file \(store.path("exec-exec-test.state")) holds a state of 131056 bytes, more than the"
                + " 131055 a command can receive in COLLECTOR_STATE (Linux limits one NAME=value string of the"
                + " environment to 128 KiB), so the command was not run: an earlier version saved it unchecked;"
                + " delete the file to start the command without a saved state (COLLECTOR_STATE unset, as on its"
                + " first run), and keep the command's state small (a date or an id to resume from, not every id seen)"
        )
        #expect(access(folder.path("received"), F_OK) != 0, "the command ran")
    }

    /// A command the system refuses to start for the size of its environment: the message says
    /// so and names the saved state; the command did not fail the platform's request.
    @Test func saysWhatIsTooLongWhenTheCommandCannotStart() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        try store.write("exec-exec-test.state", Array(#"{"cursor":"x"}"#.utf8))
        var configuration = makeConfiguration(command: [Self.stateScript, folder.path("received")])
        configuration.values["env"] = .table(["BIG": .string(String(repeating: "b", count: 140_000))])
        let error = await #expect(throws: AdapterError.self) {
            try await collect(ExecAdapter(configuration: configuration), state: store)
        }
        #expect(error?.label == "commandFailed")
        #expect(
            error?.message
                == "command \"\(Self.stateScript)\" could not be started: Argument list too long; its arguments or"
                + " environment are too long (Linux limits each argument and each NAME=value string to 128 KiB, and"
                + " all of them together); COLLECTOR_STATE, the saved state from"
                + " \(store.path("exec-exec-test.state")), is 14 bytes"
        )
    }

    // MARK: - Rejected lines

    /// SPEC §5 saves a state once the samples before it are durable; a rejected one never is, so
    /// a state after it stays unsaved, and the fixed command finds the rejected samples again.
    @Test func savesNoStateAfterARejectedLine() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        let lines = [
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n1","metric":"likes","value":3}"#,
            #"{"state":{"since":"n1"}}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n2","metric":"likes","value":"1.2万"}"#,
            #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"n3","metric":"likes","value":5}"#,
            #"{"state":{"since":"n3"}}"#,
            #"{"state":{"since":"n4"}}"#,
        ]
        let result = try await collect(makeAdapter(["sh", "-c", Self.printing(lines)]), state: store)
        #expect(result.samples.map(\.object) == ["n1", "n3"])
        #expect(result.failures.map(\.label) == ["invalidLine", "stateNotSaved"])
        #expect(
            result.failures.last?.description
                == "exec-test/command [line 5]: stateNotSaved: the state on line 5 was not saved (nor any later one"
                + " of this run) because line 3 was rejected, and a state is saved only once the samples before it"
                + " are stored (SPEC §5); fix the adapter, and the next run resumes from the earlier state"
        )
        #expect(try stateOf(store.path("exec-exec-test.state")) == #"{"since":"n1"}"#)
    }

    // MARK: - Whose state

    /// The state file records the command that saved it; one without the record (an earlier
    /// version's) is handed over, and gets the record at the next save.
    @Test func recordsTheCommandWithTheStateAndHandsAnUnrecordedStateOver() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        try store.write("exec-exec-test.state", Array(#"{"cursor":"2026-03-30","runs":4}"#.utf8))
        _ = try await collect(makeAdapter([Self.stateScript, folder.path("received")]), state: store)
        #expect(try readFile(folder.path("received")) == #"{"cursor":"2026-03-30","runs":4}"#)
        let saved = try readFile(store.path("exec-exec-test.state"))
        let record = saved.prefix { $0 != "\n" }
        #expect(record.hasPrefix(#"#owner {"command_sha256":""#))
        #expect(record.hasSuffix(#"","instance":"exec-test","program":"\#(Self.stateScript)"}"#))
        #expect(try stateOf(store.path("exec-exec-test.state")) == #"{"cursor":"2026-03-31","runs":5}"#)
    }

    /// A state saved by another command (here: other arguments, as after two unnamed sections
    /// swapped places) is not handed over; it is moved aside, with one warning.
    @Test func setsAsideAStateAnotherCommandSavedAndSaysSoOnce() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        _ = try await collect(makeAdapter([Self.stateScript, folder.path("other")]), state: store)

        let logs = LogRecorder()
        let adapter = try makeAdapter([Self.stateScript, folder.path("received")])
        _ = try await collect(adapter, logs: logs, state: store)
        #expect(try readFile(folder.path("received")) == "<unset>")
        let path = store.path("exec-exec-test.state")
        #expect(
            logs.warnings == [
                "the state in \(path) was saved by \"\(Self.stateScript)\" with other arguments as instance"
                    + " \"exec-test\", so it was not handed to the command \"\(Self.stateScript)\" of this section,"
                    + " which runs without COLLECTOR_STATE, as on its first run; it was moved to \(path).unclaimed,"
                    + " without that record: if it is this command's cursor after all, rename it to \(path) before"
                    + " the next run. An exec section's state is keyed by its name, and a section without \"name\" by"
                    + " its position (exec#1, exec#2, …): give each exec section a name"
            ]
        )
        #expect(try readFile(path + ".unclaimed") == #"{"cursor":"2026-03-31","runs":1}"#)

        // The command saved its own state meanwhile, which it gets back without a word.
        let again = LogRecorder()
        _ = try await collect(adapter, logs: again, state: store)
        #expect(again.warnings.isEmpty)
        #expect(try readFile(folder.path("received")) == #"{"cursor":"2026-03-31","runs":1}"#)
    }

    /// `collector test` moves nothing: it runs without the state and says what a run would do.
    @Test func leavesAStateAnotherCommandSavedInPlaceInADryRun() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        _ = try await collect(makeAdapter([Self.stateScript, folder.path("other")]), state: store)
        let saved = try readFile(store.path("exec-exec-test.state"))

        let logs = LogRecorder()
        let dryStore = try StateStore(directory: folder.path("state"), readOnly: true)
        _ = try await collect(
            makeAdapter([Self.stateScript, folder.path("received")]),
            logs: logs,
            state: dryStore,
            dryRun: true
        )
        #expect(try readFile(folder.path("received")) == "<unset>")
        #expect(logs.warnings.count == 1)
        #expect(
            logs.warnings.first?.contains("; a run moves it to \(store.path("exec-exec-test.state")).unclaimed") == true
        )
        #expect(try readFile(store.path("exec-exec-test.state")) == saved)
    }

    /// The command is recognised as written: a secret expanded into an argument may change
    /// (a rotated token) without the state being refused.
    @Test func handsTheStateOverWhenOnlyAnExpandedValueOfTheCommandChanged() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        func adapter(_ token: String) throws -> ExecAdapter {
            var configuration = makeConfiguration(command: [Self.stateScript, folder.path("received"), token])
            configuration.writtenValues["command"] = .array([
                .string(Self.stateScript), .string(folder.path("received")), .string("${TOKEN}"),
            ])
            return try ExecAdapter(configuration: configuration)
        }
        _ = try await collect(adapter("token-of-march"), state: store)
        let logs = LogRecorder()
        _ = try await collect(adapter("token-of-april"), logs: logs, state: store)
        #expect(logs.warnings.isEmpty)
        #expect(try readFile(folder.path("received")) == #"{"cursor":"2026-03-31","runs":1}"#)
    }

    /// With no state of its own, an instance whose command saved one under another name (an
    /// unnamed section that moved from `exec` to `exec#1`) says where it is; it does not take it.
    @Test func pointsAtAStateTheSameCommandSavedUnderAnotherName() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        let command = [Self.stateScript, folder.path("received")]
        _ = try await collect(makeAdapter(command, name: "exec"), state: store)

        let logs = LogRecorder()
        _ = try await collect(makeAdapter(command, name: "exec#1"), logs: logs, state: store)
        #expect(try readFile(folder.path("received")) == "<unset>")
        #expect(
            logs.warnings == [
                "no state saved in \(store.path("exec-exec#1.state")) for instance \"exec#1\", but"
                    + " \(store.path("exec-exec.state")) holds one saved by the same command as instance \"exec\";"
                    + " the command runs without COLLECTOR_STATE, as on its first run. An exec section's state is"
                    + " keyed by its name, and a section without \"name\" by its position (exec#1, exec#2, …): if"
                    + " that state is this section's, rename the file to \(store.path("exec-exec#1.state")) before"
                    + " the next run, and give each exec section a name"
            ]
        )
    }

    /// `collector test` saves nothing, and shows the state a run would save: its size and
    /// top-level keys, not its content (a cursor may be a token).
    @Test func showsTheStateARunWouldSaveInADryRun() async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"), readOnly: true)
        let result = try await collect(
            makeAdapter([Self.stateScript, folder.path("received")]),
            state: store,
            dryRun: true
        )
        #expect(
            result.notices.map(\.description) == [
                "exec-test/command [line 2]: dryRun: state (not saved): 32 bytes with the top-level keys \"runs\","
                    + " \"cursor\"; a run would save it in \(store.path("exec-exec-test.state")) and hand it to the next"
                    + " run as COLLECTOR_STATE (its content is not shown: a cursor may hold a token)"
            ]
        )
        #expect(access(store.path("exec-exec-test.state"), F_OK) != 0)
    }

    /// A record line that is not the collector's, or a state cut off after one: refused as
    /// damaged, with the line counted in the file as an editor shows it.
    @Test(arguments: [
        ("#owner garbage\n{}", "its first line is not the record the collector writes, #owner {…}"),
        ("#{\"cursor\":1}", "its first line is not the record the collector writes, #owner {…}"),
        (
            #"#owner {"instance":"exec-test","program":"./x","command_sha256":"00"}"# + "\n" + #"{"next":9"#,
            "it stops in the middle of a JSON value, at line 2, column 9"
        ),
        (
            #"#owner {"instance":"exec-test","program":"./x","command_sha256":"00"}"# + "\n",
            "it holds no state after its record"
        ),
    ])
    func refusesADamagedRecord(content: String, problem: String) async throws {
        let folder = try TemporaryDirectory()
        let store = try StateStore(directory: folder.path("state"))
        try store.write("exec-exec-test.state", Array(content.utf8))
        let error = await #expect(throws: AdapterError.self) {
            try await collect(makeAdapter([Self.stateScript, folder.path("received")]), state: store)
        }
        #expect(
            error?.message.hasPrefix("state file \(store.path("exec-exec-test.state")) is damaged (\(problem)), ")
                == true
        )
        #expect(access(folder.path("received"), F_OK) != 0, "the command ran")
    }

    // MARK: - Helpers

    private static let stateScript: String = {
        let file = #filePath
        return file[..<(file.lastIndex(of: "/") ?? file.endIndex)] + "/Fixtures/exec/state.sh"
    }()

    /// A shell script that writes the `COLLECTOR_STATE` it got into `$1`, prints a sample and a
    /// state whose JSON text is `length` bytes.
    private static func printState(length: Int) -> String {
        // {"pad":"…"} is 10 bytes around the padding.
        """
        printf '%s' "${COLLECTOR_STATE-<unset>}" > "$1"
        printf '%s\\n' '{"time":"2026-11-25T00:00:00+08:00","account":"a1","metric":"followers","value":1}'
        printf '{"state":{"pad":"'; head -c \(length - 10) /dev/zero | tr '\\0' a; printf '"}}\\n'
        """
    }

    /// A shell script printing `lines`.
    private static func printing(_ lines: [String]) -> String {
        lines.map { "printf '%s\\n' '\($0)'" }.joined(separator: "\n")
    }

    private func makeConfiguration(command: [String], name: String = "exec-test") -> AdapterConfiguration {
        AdapterConfiguration(
            type: "exec",
            name: name,
            values: ["platform": .string("xiaohongshu"), "command": .array(command.map(ConfigValue.string))],
            keyLines: ["platform": 3, "command": 4]
        )
    }

    private func makeAdapter(_ command: [String], name: String = "exec-test") throws -> ExecAdapter {
        try ExecAdapter(configuration: makeConfiguration(command: command, name: name))
    }

    private struct Result {
        var samples: [Sample]
        var failures: [CollectionFailure]
        var notices: [CollectionFailure]
    }

    private func collect(
        _ adapter: ExecAdapter,
        logs: LogRecorder = LogRecorder(),
        state: StateStore,
        dryRun: Bool = false
    ) async throws -> Result {
        let sink = InMemorySink()
        let batch = SampleBatch(sink: sink)
        let context = AdapterContext(
            http: NoNetworkHTTP("the exec adapter makes no HTTP request"),
            state: state,
            calendar: .beijing,
            now: { Timestamp(secondsSinceEpoch: 1_795_536_000) },
            logger: logs.logger(label: "exec-test"),
            isDryRun: dryRun
        )
        try await adapter.collect(account: "command", into: batch, context: context)
        try batch.commit()
        return Result(samples: sink.samples, failures: batch.failures, notices: batch.notices)
    }

    /// The state in a state file: what follows the record line.
    private func stateOf(_ path: String) throws -> String {
        let text = try readFile(path)
        return text.hasPrefix("#") ? String(text.drop { $0 != "\n" }.dropFirst()) : text
    }

    private func readFile(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw Missing(path: path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private struct Missing: Error {
        var path: String
    }
}
