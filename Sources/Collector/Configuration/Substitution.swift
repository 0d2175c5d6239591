#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Expands `${VAR}`, `${VAR:-default}`, `$$` and `@file:PATH` in the string values of
/// `adapters.conf` (SPEC §2), after TOML parsing, so a secret never passes through TOML
/// escaping and every problem can name its key (STYLE §4.1).
///
/// - `${VAR}` is the environment variable `VAR`; unset is a problem.
/// - `${VAR:-default}` is `VAR` when it is set and not empty, else `default` (as in POSIX
///   shells). The default ends at the first `}` and is taken literally.
/// - `$$` is a literal `$`; any other `$` is kept as written.
/// - A value that starts with `@file:` is the content of the file at the rest of the value
///   (itself expanded first, so `@file:${CREDENTIALS_DIRECTORY}/token` works), relative to the
///   configuration file's folder, with one trailing newline removed. A secret key's value,
///   however given, is then trimmed of all blanks at its ends (``trimmingBlanks(_:)``).
///
/// Problems never quote the value, which may be a secret; the caller adds the key.
package enum Substitution {
    /// What went wrong in a value, to be rendered next to its key.
    package enum Problem: Error, Hashable, Sendable {
        /// `${NAME}` without a default, and `NAME` is not set.
        case missingVariable(String)
        /// `${` without a closing `}`.
        case unterminated
        /// `${…}` whose name is not letters, digits and `_`.
        case invalidName
        /// `@file:` with nothing after it.
        case emptyFilePath
        /// The `@file:` file could not be read.
        case unreadableFile(path: String, reason: String)
        /// The `@file:` file is not UTF-8 text.
        case notText(path: String)

        /// The problem as a sentence about `subject` (`"app_secret" in [[adapters.wechat]]`).
        package func message(subject: String) -> String {
            switch self {
            case .missingVariable(let name):
                "\(subject) uses the environment variable \(name), which is not set; "
                    + "export it or write ${\(name):-default}"
            case .unterminated:
                "\(subject) has a \"${\" without its closing \"}\"; "
                    + "write ${NAME} or ${NAME:-default}, and $$ for a literal $"
            case .invalidName:
                "\(subject) has an invalid variable name in \"${…}\"; "
                    + "use letters, digits and \"_\", not starting with a digit"
            case .emptyFilePath:
                "\(subject) has \"@file:\" without a path; write @file:PATH"
            case .unreadableFile(let path, let reason):
                "\(subject) reads @file:\(path), which cannot be read: \(reason)"
            case .notText(let path):
                "\(subject) reads @file:\(path), which is not UTF-8 text"
            }
        }
    }

    /// The prefix that makes a whole value a file reference.
    package static let filePrefix = "@file:"

    /// Whether `text` takes (part of) its value from the environment or a file, so it is not a
    /// secret written into the configuration file and its expansion must not be echoed.
    package static func isIndirect(_ text: String) -> Bool {
        // Byte scans: a configuration may list 100,000 accounts, each string checked here.
        let utf8 = text.utf8
        if utf8.starts(with: filePrefix.utf8) { return true }
        guard var dollar = utf8.firstIndex(of: UInt8(ascii: "$")) else { return false }
        while true {
            let next = utf8.index(after: dollar)
            if next < utf8.endIndex, utf8[next] == UInt8(ascii: "{") { return true }
            guard let found = utf8[next...].firstIndex(of: UInt8(ascii: "$")) else { return false }
            dollar = found
        }
    }

    /// The variable's name when `text` is one `${NAME}` or `${NAME:-default}` and nothing else
    /// (`"${CONC:-8}"` → `CONC`); nil otherwise, `@file:` included.
    package static func wholeVariable(_ text: String) -> String? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.utf8.count > 3 else { return nil }
        let body = text.dropFirst(2).dropLast()
        guard !body.contains("}") else { return nil }
        let (name, _) = splitDefault(body)
        return isVariableName(name) ? String(name) : nil
    }

    /// Whether any string inside `value` is indirect (see ``isIndirect(_:)``).
    package static func isIndirect(_ value: ConfigValue) -> Bool {
        switch value {
        case .string(let text): isIndirect(text)
        case .array(let items): items.contains { isIndirect($0) }
        case .table(let table): table.values.contains { isIndirect($0) }
        case .integer, .double, .bool: false
        }
    }

    /// Whether `value` holds a non-empty string written directly, without `${…}` or `@file:`.
    package static func containsLiteralText(_ value: ConfigValue) -> Bool {
        switch value {
        case .string(let text): !text.isEmpty && !isIndirect(text)
        case .array(let items): items.contains { containsLiteralText($0) }
        case .table(let table): table.values.contains { containsLiteralText($0) }
        case .integer, .double, .bool: false
        }
    }

    /// Every string inside `value` (array elements and table values too).
    package static func strings(in value: ConfigValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap { strings(in: $0) }
        case .table(let table): table.values.flatMap { strings(in: $0) }
        case .integer, .double, .bool: []
        }
    }

    /// `value` with every string inside it trimmed of the ASCII blanks at its ends, for the
    /// keys marked secret: no app secret, token or cookie starts or ends with a blank, but a
    /// variable exported as `'S3cr3t '` or a file saved with a trailing blank gives one, and
    /// the platform then refuses the secret, or echoes it trimmed where the redaction of the
    /// untrimmed value would not find it (SPEC §1).
    package static func trimmingBlanks(_ value: ConfigValue) -> ConfigValue {
        switch value {
        case .string(let text): .string(String(SecretParts.trimmed(text[...])))
        case .array(let items): .array(items.map(trimmingBlanks))
        case .table(let table): .table(table.mapValues(trimmingBlanks))
        case .integer, .double, .bool: value
        }
    }

    /// Expands every string inside `value` (array elements and table values too).
    package static func expand(
        _ value: ConfigValue,
        environment: [String: String],
        baseDirectory: String
    ) -> (value: ConfigValue, problems: [Problem]) {
        switch value {
        case .string(let text):
            let (expanded, problems) = expand(text, environment: environment, baseDirectory: baseDirectory)
            return (.string(expanded), problems)
        case .array(let items):
            var problems: [Problem] = []
            let expanded = items.map { item in
                let result = expand(item, environment: environment, baseDirectory: baseDirectory)
                problems += result.problems
                return result.value
            }
            return (.array(expanded), problems)
        case .table(let table):
            var problems: [Problem] = []
            var expanded: [String: ConfigValue] = [:]
            // Sorted, so problems come out in the same order on every run.
            for (key, item) in table.sorted(by: { $0.key < $1.key }) {
                let result = expand(item, environment: environment, baseDirectory: baseDirectory)
                problems += result.problems
                expanded[key] = result.value
            }
            return (.table(expanded), problems)
        case .integer, .double, .bool:
            return (value, [])
        }
    }

    /// Expands one string. On problems the returned text is incomplete and must not be used.
    package static func expand(
        _ text: String,
        environment: [String: String],
        baseDirectory: String
    ) -> (text: String, problems: [Problem]) {
        guard text.utf8.starts(with: filePrefix.utf8) else { return expandVariables(text, environment: environment) }
        let (path, problems) = expandVariables(String(text.dropFirst(filePrefix.count)), environment: environment)
        guard problems.isEmpty else { return ("", problems) }
        guard !path.isEmpty else { return ("", [.emptyFilePath]) }
        switch readSecretFile(resolve(path, against: baseDirectory)) {
        case .success(let content): return (content, [])
        case .failure(let problem): return ("", [problem])
        }
    }

    /// A `@file:` file that a user other than the service user may read.
    package struct ExposedFile: Hashable, Sendable {
        /// The path as resolved against the configuration file's folder.
        package var path: String
        /// The permission bits of the file the path ends at (`0o644`).
        package var mode: UInt32
        /// Who else can read it and why that counts: `every user can read`, `the group staff can
        /// read …, whose members include alice`.
        package var readers: Readers

        /// Who, besides the service user, can read an ``ExposedFile``.
        package enum Readers: Hashable, Sendable {
            /// The file is world-readable.
            case everyone
            /// Its group may read it, and the collector does not run in that group, so the
            /// group's members are other users.
            case foreignGroup(String)
            /// Its group may read it, and the group database lists other members of it.
            case sharedGroup(String, members: [String])
        }

        /// `0644`.
        package var octalMode: String {
            let digits = String(mode & 0o7777, radix: 8)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }

        /// The warning for `subject` (`"app_secret" in [[adapters.wechat]]`): the key, the file,
        /// who else can read it, and the fix, which a read-only Kubernetes secret volume cannot
        /// take as `chmod` but as the volume's `defaultMode` with the pod's `fsGroup`.
        package func message(subject: String) -> String {
            let who: String
            switch readers {
            case .everyone:
                who = "every user can read (mode \(octalMode))"
            case .foreignGroup(let group):
                who = "the group \(group) can read (mode \(octalMode)), a group the collector does not run in"
            case .sharedGroup(let group, let members):
                let more = members.count > 1 ? " and \(members.count - 1) more" : ""
                who = "the group \(group) can read (mode \(octalMode)), whose members include \(members[0])\(more)"
            }
            return "\(subject) reads @file:\(path), which \(who); run chmod 600 \(path), or chmod 640 with a group only"
                + " the service user is in (a Kubernetes secret volume: defaultMode: 0440 and the pod's fsGroup)"
        }
    }

    /// The `@file:` files read by the strings of `value` whose final target (symbolic links
    /// followed, as Kubernetes secret volumes link `key` to `..data/key`) another user may read
    /// (``otherReaders(_:)``). Files that cannot be examined are left to
    /// ``expand(_:environment:baseDirectory:)``.
    package static func exposedFiles(
        in value: ConfigValue,
        environment: [String: String],
        baseDirectory: String
    ) -> [ExposedFile] {
        switch value {
        case .string(let text):
            guard text.utf8.starts(with: filePrefix.utf8) else { return [] }
            let (path, problems) = expandVariables(String(text.dropFirst(filePrefix.count)), environment: environment)
            guard problems.isEmpty, !path.isEmpty else { return [] }
            let resolved = resolve(path, against: baseDirectory)
            var status = stat()
            guard stat(resolved, &status) == 0, let readers = otherReaders(status) else { return [] }
            return [ExposedFile(path: resolved, mode: UInt32(status.st_mode) & 0o7777, readers: readers)]
        case .array(let items):
            return items.flatMap { exposedFiles(in: $0, environment: environment, baseDirectory: baseDirectory) }
        case .table(let table):
            return table.sorted { $0.key < $1.key }.flatMap {
                exposedFiles(in: $0.value, environment: environment, baseDirectory: baseDirectory)
            }
        case .integer, .double, .bool:
            return []
        }
    }

    /// Who other than the service user may read a file with `status`; nil when no one may.
    /// A world-readable file always counts. A group-readable one counts unless its group is one
    /// the collector runs in (its group or a supplementary one) and the group database lists no
    /// member of it other than the service user, the rule of the data folder's group: a
    /// Kubernetes secret volume with `fsGroup` makes every file root:fsGroup and group-readable
    /// (`defaultMode: 0400` becomes 0440), and that group is the pod's alone.
    private static func otherReaders(_ status: stat) -> ExposedFile.Readers? {
        let mode = UInt32(status.st_mode)
        if mode & UInt32(S_IROTH) != 0 { return .everyone }
        guard mode & UInt32(S_IRGRP) != 0 else { return nil }
        let group = DataFolder.groupName(status.st_gid)
        guard processGroups().contains(status.st_gid) else { return .foreignGroup(group) }
        let me = StateFolder.userName(geteuid())
        let others = DataFolder.groupMembers(status.st_gid).filter { $0 != me }
        return others.isEmpty ? nil : .sharedGroup(group, members: others)
    }

    /// The effective group and the supplementary groups of this process (`fsGroup` is one).
    private static func processGroups() -> Set<gid_t> {
        var groups: Set<gid_t> = [getegid()]
        let count = getgroups(0, nil)
        guard count > 0 else { return groups }
        var list = [gid_t](repeating: 0, count: Int(count))
        let found = getgroups(count, &list)
        if found > 0 { groups.formUnion(list.prefix(Int(found))) }
        return groups
    }

    /// `${VAR}`, `${VAR:-default}` and `$$`, collecting every problem of the string.
    private static func expandVariables(_ text: String, environment: [String: String]) -> (String, [Problem]) {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return (text, []) }
        var output = ""
        var problems: [Problem] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex, text[next] == "$" || text[next] == "{" else {
                output.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                output.append("$")
                index = text.index(after: next)
                continue
            }
            let bodyStart = text.index(after: next)
            guard let close = text[bodyStart...].firstIndex(of: "}") else {
                problems.append(.unterminated)
                break
            }
            let body = text[bodyStart..<close]
            let (name, fallback) = splitDefault(body)
            if !isVariableName(name) {
                problems.append(.invalidName)
            } else if let value = environment[String(name)], !(value.isEmpty && fallback != nil) {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                problems.append(.missingVariable(String(name)))
            }
            index = text.index(after: close)
        }
        return (output, problems)
    }

    /// `NAME:-default` → (`NAME`, `default`); `NAME` → (`NAME`, nil).
    private static func splitDefault(_ body: Substring) -> (Substring, Substring?) {
        var index = body.startIndex
        while index < body.endIndex {
            let next = body.index(after: index)
            if body[index] == ":", next < body.endIndex, body[next] == "-" {
                return (body[..<index], body[body.index(after: next)...])
            }
            index = next
        }
        return (body, nil)
    }

    /// An environment variable name: ASCII letters, digits and `_`, not starting with a digit.
    private static func isVariableName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }

    /// `path` relative to `baseDirectory` unless it is absolute.
    package static func resolve(_ path: String, against baseDirectory: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty || baseDirectory == "." { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }

    /// The file's text without one trailing newline (`\n` or `\r\n`), as `echo secret > file`
    /// and editors leave one.
    private static func readSecretFile(_ path: String) -> Result<String, Problem> {
        let bytes: [UInt8]
        do throws(StorageError) {
            guard let content = try FileSystem.readFileIfPresent(path) else {
                return .failure(.unreadableFile(path: path, reason: String(cString: strerror(ENOENT))))
            }
            bytes = content
        } catch {
            var reason = error.errno.map { String(cString: strerror($0)) } ?? error.operation + " failed"
            if error.errno == EACCES {
                // Most often a file mounted for another user: a Kubernetes secret volume is
                // root-owned, readable by the pod's user only through the pod's fsGroup.
                reason +=
                    "; the collector runs as user \(StateFolder.userName(geteuid())), group "
                    + "\(DataFolder.groupName(getegid())): let it read the file (and search its folders), as its owner or "
                    + "through a group it runs in (a Kubernetes secret volume: the pod's fsGroup, defaultMode: 0440)"
            }
            return .failure(.unreadableFile(path: path, reason: reason))
        }
        var content = bytes[...]
        if content.last == UInt8(ascii: "\n") {
            content = content.dropLast()
            if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
        }
        guard let text = String(validating: content, as: UTF8.self) else { return .failure(.notText(path: path)) }
        return .success(text)
    }
}
