import Collector

/// The content of `state_dir/exec-<name>.state`: a line that records which command saved the
/// state, then the state itself, the JSON object of the command's last `{"state":{…}}` line
/// (SPEC §5), which the next run receives as `COLLECTOR_STATE`:
///
/// ```
/// #owner {"command_sha256":"5e0c…","instance":"xhs","program":"./xhs.py"}
/// {"since":"2026-11-22"}
/// ```
///
/// The file is keyed by the instance name, and a section without `name` is named by its
/// position (`exec#2`): adding or reordering sections would hand one program another's cursor,
/// which may be a token. The record lets the adapter refuse a state another command saved. It
/// fingerprints the command as written in the configuration (`${VAR}` unexpanded, `command[0]`
/// unresolved), so a rotated secret or a moved folder leaves the cursor with its command; the
/// `env` table is left out for the same reason.
///
/// A file without the record line holds only the state, as the versions before the record
/// wrote it: it is taken as the command's own and gets the record at the next save.
struct ExecStateFile: Sendable, Equatable {
    /// Which command saved a state.
    struct Owner: Sendable, Equatable {
        /// The instance name when it was saved.
        var instance: String
        /// `command[0]` as written in the configuration, for messages (arguments may be secrets).
        var program: String
        /// SHA-256 of the command as written (JSON array of its strings), in hex.
        var fingerprint: String

        /// The owner of the states that `command` (as written) saves as instance `instance`.
        init(instance: String, command: [String]) {
            self.instance = instance
            program = command.first ?? ""
            let written = JSONValue.array(command.map(JSONValue.string)).serialized()
            fingerprint = SHA256.hex(of: Array(written.utf8))
        }

        /// An owner as read from a record.
        init(instance: String, program: String, fingerprint: String) {
            self.instance = instance
            self.program = program
            self.fingerprint = fingerprint
        }
    }

    /// What is wrong with a state file, completing "is damaged (…)"; never what it holds.
    struct Damage: Error, Sendable, Equatable {
        /// `it is empty`, `it is not JSON: parsing stopped at line 2, column 4`.
        var problem: String
    }

    /// The longest state, in bytes of its JSON text: Linux refuses to start a program when one
    /// `NAME=value` string of its environment, with its terminating NUL, is longer than
    /// `MAX_ARG_STRLEN` (128 KiB with 4 KiB pages), and the state travels as
    /// `COLLECTOR_STATE=<state>`. A fixed figure, so that a state saved on a machine with larger
    /// pages starts on any other.
    static let maxStateLength = 131_072 - "COLLECTOR_STATE=".utf8.count - 1

    /// The command that saved the state; nil in a file written before the record existed.
    var owner: Owner?
    /// The state's JSON text, as handed over in `COLLECTOR_STATE`.
    var state: [UInt8]

    private static let recordPrefix = Array("#owner ".utf8)

    /// Reads a state file: an optional record line, then one JSON object.
    /// - Throws: ``Damage`` when the record or the state cannot be read.
    init(parsing bytes: [UInt8]) throws(Damage) {
        var body = bytes[...]
        // The state's own line numbers start after the record, in what the user sees in an editor.
        var firstLine = 1
        if bytes.first == UInt8(ascii: "#") {
            guard let newline = bytes.firstIndex(of: 0x0A), let owner = Self.owner(inRecord: bytes[..<newline]) else {
                throw Damage(problem: "its first line is not the record the collector writes, #owner {…}")
            }
            self.owner = owner
            body = bytes[(newline + 1)...]
            firstLine = 2
        }
        state = Array(body)
        try Self.checkObject(state, firstLine: firstLine)
    }

    /// A state file of `state` (JSON text) saved by `owner`.
    init(owner: Owner?, state: [UInt8]) {
        self.owner = owner
        self.state = state
    }

    /// The file's bytes: the record line (when there is an owner), then the state.
    var bytes: [UInt8] {
        guard let owner else { return state }
        let record = JSONValue.object([
            JSONMember("instance", .string(owner.instance)),
            JSONMember("program", .string(owner.program)),
            JSONMember("command_sha256", .string(owner.fingerprint)),
        ])
        return Self.recordPrefix + Array(record.serialized().utf8) + [0x0A] + state
    }

    private static func owner(inRecord line: ArraySlice<UInt8>) -> Owner? {
        guard line.starts(with: recordPrefix),
            let record = try? JSONValue.parse(Array(line.dropFirst(recordPrefix.count))),
            case .string(let instance)? = record["instance"],
            case .string(let program)? = record["program"],
            case .string(let fingerprint)? = record["command_sha256"]
        else { return nil }
        return Owner(instance: instance, program: program, fingerprint: fingerprint)
    }

    /// Says where parsing stopped, never what the file holds (a cursor may be a token).
    private static func checkObject(_ bytes: [UInt8], firstLine: Int) throws(Damage) {
        let value: JSONValue
        do throws(JSONError) {
            value = try JSONValue.parse(bytes)
        } catch {
            let line = error.line + firstLine - 1
            switch error.kind {
            case .empty: throw Damage(problem: firstLine == 1 ? "it is empty" : "it holds no state after its record")
            case .truncated:
                throw Damage(
                    problem: "it stops in the middle of a JSON value, at line \(line), column \(error.column)"
                )
            default: throw Damage(problem: "it is not JSON: parsing stopped at line \(line), column \(error.column)")
            }
        }
        guard case .object = value else { throw Damage(problem: "it holds a JSON \(value.typeName), not an object") }
    }
}
