/// Finds the arguments of a command line (an exec adapter's `command`, before substitution)
/// that look like they carry a secret: every user of the machine can read a process's
/// arguments (`ps`, `/proc/<pid>/cmdline`), so a secret belongs in the command's `env`.
///
/// A heuristic for `collector check`'s warnings, never a refusal: an argument is suspect when
/// it reads a file (`@file:`), uses a variable whose name has a secret's word in it
/// (`${XHS_TOKEN}`, `${COOKIE}`), or gives a value to an option so named (`--token=abc`, or
/// `--token` followed by a literal). Descriptions never quote a literal value.
package enum CommandLineSecrets {
    /// The words of a name (split at `_`, `-` and `.`, compared in upper case) that mark a secret.
    static let secretWords: Set<String> = [
        "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASS", "COOKIE", "COOKIES", "KEY", "APIKEY", "AUTH",
        "AUTHORIZATION", "CREDENTIAL", "CREDENTIALS", "SESSION", "SESSDATA", "SIGNATURE", "TICKET",
    ]

    /// One description per suspect argument, in order: `argument 3 ("${XHS_TOKEN}")`,
    /// `argument 2 (--token=…)`.
    package static func suspects(in arguments: [String]) -> [String] {
        var found: [String] = []
        for (index, argument) in arguments.enumerated() {
            let position = "argument \(index + 1)"
            if argument.hasPrefix(Substitution.filePrefix) {
                found.append("\(position) (\(Substitution.filePrefix)…, a file's content)")
            } else if let variable = secretVariable(in: argument) {
                found.append("\(position) (${\(variable)})")
            } else if let option = secretOption(argument), argument.contains("=") {
                found.append("\(position) (\(option)=…)")
            } else if index > 0, let option = secretOption(arguments[index - 1]),
                !arguments[index - 1].contains("="), !argument.hasPrefix("-"), !argument.isEmpty
            {
                found.append("\(position) (the value of \(option))")
            }
        }
        return found
    }

    /// The first `${NAME}` or `${NAME:-default}` in `argument` whose name has a secret's word.
    static func secretVariable(in argument: String) -> String? {
        var rest = Substring(argument)
        while let open = rest.firstRange(of: "${") {
            let body = rest[open.upperBound...]
            guard let close = body.firstIndex(of: "}") else { return nil }
            let name = body[..<close].split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            if hasSecretWord(name) { return name }
            rest = body[body.index(after: close)...]
        }
        return nil
    }

    /// `--token` when `argument` is an option (`-`/`--`, before any `=`) named with a secret's word.
    static func secretOption(_ argument: String) -> String? {
        guard argument.hasPrefix("-") else { return nil }
        let option = String(argument.prefix(while: { $0 != "=" }))
        return hasSecretWord(option.drop(while: { $0 == "-" })) ? option : nil
    }

    /// Whether `name` (a variable's, an option's) has one of ``secretWords`` among its words.
    package static func hasSecretWord(_ name: some StringProtocol) -> Bool {
        name.uppercased().split(whereSeparator: { "_-.".contains($0) }).contains { secretWords.contains(String($0)) }
    }
}
