import Collector

/// The Douyin response envelope (PLATFORMS.md §3.2):
/// `{"data":{…, "error_code":0, "description":""}, "extra":{"error_code":0, "logid":"…", …}}`,
/// with codes that may be numbers or numeric strings (`"error_code":"0"`). Newer endpoints use
/// `err_no`/`err_msg`/`log_id` at the top; both shapes are read.
enum DouyinEnvelope {
    /// Throws the ``AdapterError`` of the first non-zero code, or ``AdapterError/schemaChanged(_:platformCode:requestID:)``
    /// when the response carries no code at all.
    static func check(_ json: JSONValue, origin: String) throws(AdapterError) {
        let candidates = [json.value(at: "extra.error_code"), json.value(at: "data.error_code"), json["err_no"]]
        var sawCode = false
        var failing: Int64?
        for candidate in candidates {
            guard let candidate else { continue }
            guard let code = integer(candidate) else {
                throw .schemaChanged(
                    "\(origin): the error code is \(candidate.typeName) \(candidate), not a number; the API may have changed"
                )
            }
            sawCode = true
            if code != 0 {
                failing = code
                break
            }
        }
        guard sawCode else {
            throw .schemaChanged("\(origin): the response has no \"error_code\"; the API may have changed")
        }
        guard let failing else { return }
        throw DouyinErrors.error(
            code: failing,
            description: description(of: json),
            origin: origin,
            requestID: requestID(of: json)
        )
    }

    /// `extra.logid` (or `log_id`): what Douyin support asks for.
    static func requestID(of json: JSONValue) -> String? {
        for path in ["extra.logid", "log_id"] {
            if let text = json.value(at: path)?.stringValue, !text.isEmpty { return text }
        }
        return nil
    }

    /// The platform's own words: the first non-empty description.
    private static func description(of json: JSONValue) -> String {
        for path in ["data.description", "extra.description", "extra.sub_description", "err_msg"] {
            if let text = json.value(at: path)?.stringValue, !text.isEmpty { return text }
        }
        return ""
    }

    /// An integer, or a string holding one (`"0"`, `"28001008"`).
    private static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .integer(let code): code
        case .string(let text): Int64(text)
        case .real: value.int64Value
        default: nil
        }
    }
}
