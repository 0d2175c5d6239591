import Collector
import CollectorTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

private let environment = ["HOME_DIR": "/home/ops", "TOKEN": "t0k3n", "EMPTY": "", "PRICE": "$5"]

/// Expands `text` with ``environment`` against the folder `conf`.
private func expand(_ text: String) -> (text: String, problems: [Substitution.Problem]) {
    Substitution.expand(text, environment: environment, baseDirectory: "conf")
}

@Suite struct SubstitutionTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("${TOKEN}", "t0k3n"),
        ("Bearer ${TOKEN}", "Bearer t0k3n"),
        ("${HOME_DIR}/data/${TOKEN}.txt", "/home/ops/data/t0k3n.txt"),
        ("${MISSING:-fallback}", "fallback"),
        ("${MISSING:-}", ""),
        ("${EMPTY:-used when empty}", "used when empty"),
        ("${EMPTY}", ""),
        ("${TOKEN:-unused}", "t0k3n"),
        ("${MISSING:-a:-b}", "a:-b"),
        ("${PRICE}", "$5"),
        ("costs $$5", "costs $5"),
        ("$${TOKEN}", "${TOKEN}"),
        ("$TOKEN and $ alone", "$TOKEN and $ alone"),
        ("trailing $", "trailing $"),
        ("中文${TOKEN}中文", "中文t0k3n中文"),
    ])
    func expandsVariables(text: String, expected: String) {
        let result = expand(text)
        #expect(result.problems.isEmpty)
        #expect(result.text == expected)
    }

    @Test(arguments: [
        ("${MISSING}", [Substitution.Problem.missingVariable("MISSING")]),
        ("${A} and ${B:-b} and ${C}", [.missingVariable("A"), .missingVariable("C")]),
        ("${TOKEN", [.unterminated]),
        ("${}", [.invalidName]),
        ("${1ABC}", [.invalidName]),
        ("${NAME WITH SPACE}", [.invalidName]),
        ("@file:", [.emptyFilePath]),
        ("@file:${NO_DIR}/secret", [.missingVariable("NO_DIR")]),
    ])
    func reportsEveryProblemOfAString(text: String, expected: [Substitution.Problem]) {
        #expect(expand(text).problems == expected)
    }

    @Test func rendersProblemsWithoutTheValue() {
        let subject = "\"app_secret\" in [[adapters.wechat]]"
        #expect(
            Substitution.Problem.missingVariable("WECHAT_SECRET").message(subject: subject)
                == "\"app_secret\" in [[adapters.wechat]] uses the environment variable WECHAT_SECRET, "
                + "which is not set; export it or write ${WECHAT_SECRET:-default}"
        )
        #expect(
            Substitution.Problem.unterminated.message(subject: subject)
                == "\"app_secret\" in [[adapters.wechat]] has a \"${\" without its closing \"}\"; "
                + "write ${NAME} or ${NAME:-default}, and $$ for a literal $"
        )
        #expect(
            Substitution.Problem.unreadableFile(path: "conf/s", reason: "Permission denied").message(subject: subject)
                == "\"app_secret\" in [[adapters.wechat]] reads @file:conf/s, which cannot be read: Permission denied"
        )
    }

    @Test func expandsInsideArraysAndTables() {
        let value = ConfigValue.table([
            "command": .array([.string("${HOME_DIR}/bin/run"), .string("--token=${TOKEN}"), .integer(3)]),
            "nested": .table(["list": .array([.array([.string("${MISSING:-deep}")])])]),
            "flag": .bool(true),
        ])
        let result = Substitution.expand(value, environment: environment, baseDirectory: ".")
        #expect(result.problems.isEmpty)
        #expect(
            result.value
                == .table([
                    "command": .array([.string("/home/ops/bin/run"), .string("--token=t0k3n"), .integer(3)]),
                    "nested": .table(["list": .array([.array([.string("deep")])])]),
                    "flag": .bool(true),
                ])
        )
        let missing = Substitution.expand(
            .array([.string("${X}"), .table(["y": .string("${Y}")])]),
            environment: [:],
            baseDirectory: "."
        )
        #expect(missing.problems == [.missingVariable("X"), .missingVariable("Y")])
    }

    @Test(arguments: [
        ("${TOKEN}", true, false),
        ("@file:secret", true, false),
        ("prefix ${TOKEN}", true, false),
        ("plain", false, true),
        ("", false, false),
        ("costs $$5", false, true),
        ("not @file: at start", false, true),
        ("ends with $", false, true),
        ("$x then ${Y}", true, false),
        ("$${X}", true, false),
    ])
    func tellsIndirectValuesFromLiterals(text: String, indirect: Bool, literal: Bool) {
        #expect(Substitution.isIndirect(text) == indirect)
        #expect(Substitution.containsLiteralText(.string(text)) == literal)
        #expect(Substitution.containsLiteralText(.array([.integer(1), .table(["k": .string(text)])])) == literal)
    }

    @Test func readsFilesRelativeToTheConfigurationFolder() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let directory = temporary.path
        try FileSystem.writeAtomically(directory + "/one-newline", Array("secret\n".utf8))
        try FileSystem.writeAtomically(directory + "/two-newlines", Array("secret\n\n".utf8))
        try FileSystem.writeAtomically(directory + "/crlf", Array("secret\r\n".utf8))
        try FileSystem.writeAtomically(directory + "/none", Array("sec ret".utf8))
        try FileSystem.writeAtomically(directory + "/binary", [0xFF, 0xFE, 0x00])

        func read(_ text: String, environment: [String: String] = [:]) -> (String, [Substitution.Problem]) {
            let result = Substitution.expand(text, environment: environment, baseDirectory: directory)
            return (result.text, result.problems)
        }
        #expect(read("@file:one-newline") == ("secret", []))
        #expect(read("@file:two-newlines") == ("secret\n", []))
        #expect(read("@file:crlf") == ("secret", []))
        #expect(read("@file:none") == ("sec ret", []))
        #expect(read("@file:" + directory + "/none") == ("sec ret", []))
        #expect(read("@file:${DIR}/none", environment: ["DIR": directory]) == ("sec ret", []))
        #expect(read("@file:binary").1 == [.notText(path: directory + "/binary")])
        #expect(
            read("@file:absent").1 == [
                .unreadableFile(path: directory + "/absent", reason: "No such file or directory")
            ]
        )
        #expect(read("@file:.").1 == [.unreadableFile(path: directory + "/.", reason: "Is a directory")])
        // Only a whole value that starts with @file: reads a file.
        #expect(read(" @file:none") == (" @file:none", []))
    }

    @Test func resolvesPathsAgainstTheFolder() {
        #expect(Substitution.resolve("secret", against: "conf") == "conf/secret")
        #expect(Substitution.resolve("secret", against: "/") == "/secret")
        #expect(Substitution.resolve("secret", against: ".") == "secret")
        #expect(Substitution.resolve("/run/secret", against: "conf") == "/run/secret")
    }
}
