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
