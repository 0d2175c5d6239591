/// A `<path>.script` file: one response per line, served in order before the fixtures.
///
/// ```
/// # comment
/// 429 retry-after=2
/// 500
/// 200 file=x.json
/// 200 delay=3s
/// 200 truncate=20 file=x.json
/// 200 html
/// 302 location=/bilibili/x/other
/// 200 chunked
/// close
/// ```
///
/// A line starts with a status (or `close`); `file=` is relative to the script's folder. A 2xx
/// line without a body serves the routed fixture; any other status gets a small JSON body.
enum ScriptFile {
    /// A line the parser does not understand: the file, the line and what is wrong.
    struct ParseError: Error, CustomStringConvertible {
        var file: String
        var line: Int
        var message: String
        var description: String { "\(file):\(line): \(message)" }
    }

    /// Parses the text of the script at `path`.
    /// - Parameters:
    ///   - path: The script file, as named in messages.
    ///   - folder: The script's folder relative to the fixture root (`bilibili/x`, or empty):
    ///     a `file=` name is made relative to the root, as ``ScriptedResponse/Body/file(_:)``
    ///     names are, and the server prefixes the root once, whether it was given absolute or
    ///     relative (`--fixtures sim`).
    static func parse(_ text: String, path: String, folder: String) throws(ParseError) -> [ScriptedResponse] {
        var responses: [ScriptedResponse] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.prefix(while: { $0 != "#" })
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = words.first else { continue }
            func fail(_ message: String) -> ParseError { ParseError(file: path, line: index + 1, message: message) }
            if first == "close" {
                guard words.count == 1 else { throw fail("`close` takes no options") }
                responses.append(.close)
                continue
            }
            guard let status = Int(first), (100...599).contains(status) else {
                throw fail("expected a status (100-599) or `close`, found `\(first)`")
            }
            var response = ScriptedResponse(status: status)
            var hasBody = false
            for word in words.dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1)
                let key = parts[0]
                let value = parts.count > 1 ? String(parts[1]) : nil
                switch (key, value) {
                case ("html", nil):
                    response.body = .bytes(Array(ScriptedResponse.defaultHTML.utf8))
                    response.contentType = "text/html; charset=utf-8"
                    hasBody = true
                case ("chunked", nil):
                    response.chunked = true
                case ("file", let file?):
                    response.body = .file(file.hasPrefix("/") || folder.isEmpty ? file : "\(folder)/\(file)")
                    hasBody = true
                case ("delay", let text?):
                    guard let delay = parseDelay(text) else { throw fail("bad delay `\(text)`: use 500ms, 3s or 2m") }
                    response.delay = delay
                case ("truncate", let text?):
                    guard let count = Int(text), count >= 0 else { throw fail("bad truncate `\(text)`: a byte count") }
                    response.truncateBodyAt = count
                case ("retry-after", let text?):
                    response.headers.append(.init("Retry-After", text))
                case ("location", let text?):
                    response.headers.append(.init("Location", text))
                default:
                    throw fail(
                        "unknown option `\(word)`: use file=, delay=, truncate=, retry-after=, location=, html, chunked"
                    )
                }
            }
            if !hasBody, !(200...299).contains(status) {
                response.body = .bytes(ScriptedResponse.genericBody(status: status))
            }
            responses.append(response)
        }
        return responses
    }

    /// `500ms`, `3s`, `2m`.
    static func parseDelay(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let value = Int64(text.dropLast(2)), value >= 0 { return .milliseconds(value) }
        if text.hasSuffix("s"), let value = Int64(text.dropLast()), value >= 0 { return .seconds(value) }
        if text.hasSuffix("m"), let value = Int64(text.dropLast()), value >= 0 { return .seconds(value * 60) }
        return nil
    }
}
