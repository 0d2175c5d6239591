import Collector
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// ``JSONValue/withFlatObject(_:_:)``, whose trees live in a parse arena on the thread that
/// claims it and in `malloc`ed memory elsewhere.
struct FlatObjectTests {
    /// The members of a line as text: `key=value` in document order.
    private static func members(_ line: String) throws -> [String] {
        var bytes = Array(line.utf8)
        return try bytes.withUnsafeMutableBytes { buffer in
            try JSONValue.withFlatObject(UnsafeRawBufferPointer(buffer)) { view in
                var members: [String] = []
                view.forEachMember { key, value in
                    let name = String(decoding: key, as: UTF8.self)
                    switch value {
                    case .string(let text): members.append(name + "=\"" + String(decoding: text, as: UTF8.self) + "\"")
                    case .integer(let number): members.append(name + "=\(number)")
                    case .real(let number): members.append(name + "=\(number)")
                    case .bool(let flag): members.append(name + "=\(flag)")
                    case .null: members.append(name + "=null")
                    case .array, .object: members.append(name + "=" + value.typeName)
                    }
                }
                return members
            }
        }
    }

    private static let line =
        #"{"time":"2026-11-25T00:00:00+08:00","account":"a1","object":"o\"1","metric":"views","value":10234,"quality":null,"rate":0.25,"ok":true,"state":{"cursor":[1,2]}}"#
    private static let expected = [
        #"time="2026-11-25T00:00:00+08:00""#, #"account="a1""#, #"object="o"1""#, #"metric="views""#,
        "value=10234", "quality=null", "rate=0.25", "ok=true", "state=object",
    ]

    @Test func readsEveryMemberInDocumentOrder() throws {
        #expect(try Self.members(Self.line) == Self.expected)
    }

    @Test func readsALineTooLargeForTheArena() throws {
        // About 200 KB of members: more than the arena holds, so part of the tree is malloc'ed.
        let count = 5000
        let line =
            "{"
            + (0..<count).map { #""member\#($0)":"\#(String(repeating: "x", count: 20))""# }
            .joined(separator: ",") + "}"
        for _ in 0..<3 {
            let members = try Self.members(line)
            #expect(members.count == count)
            #expect(members.last == #"member4999="xxxxxxxxxxxxxxxxxxxx""#)
            #expect(try Self.members(Self.line) == Self.expected)
        }
    }

    @Test func parsesInsideAnotherParseOnTheSameThread() throws {
        var outer = Array(Self.line.utf8)
        let result = try outer.withUnsafeMutableBytes { buffer in
            try JSONValue.withFlatObject(UnsafeRawBufferPointer(buffer)) { view -> [String] in
                let inner = (try? Self.members(#"{"inner":"yes"}"#)) ?? []
                let tree = try? JSONValue.parse(#"{"nested":[1,"two"]}"#)
                let state = view.value(forKey: "state")
                return inner + [tree.map { "\($0)" } ?? "nil", state.map { "\($0)" } ?? "nil", "count=\(view.count)"]
            }
        }
        #expect(
            result == [
                #"inner="yes""#,
                "\(JSONValue.object([JSONMember("nested", .array([.integer(1), .string("two")]))]))",
                "\(JSONValue.object([JSONMember("cursor", .array([.integer(1), .integer(2)]))]))",
                "count=9",
            ]
        )
    }

    @Test func parsesOnManyThreadsAtOnce() async throws {
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for round in 0..<500 {
                        let object = String(repeating: "o", count: round % 50)
                        let line = #"{"account":"a\#(task)","value":\#(round),"object":"\#(object)"}"#
                        let expected = [#"account="a\#(task)""#, "value=\(round)", #"object="\#(object)""#]
                        if (try? Self.members(line)) != expected { failures += 1 }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    @Test func reportsAnArrayAndABrokenLineAsBefore() {
        #expect(throws: JSONError.self) { try Self.members("[1,2]") }
        #expect(throws: JSONError.self) { try Self.members(#"{"a":"#) }
        // The arena is free again after an error.
        #expect((try? Self.members(Self.line)) == Self.expected)
    }
}
