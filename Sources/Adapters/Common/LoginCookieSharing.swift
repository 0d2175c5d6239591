package import Collector

/// Refuses two sections of one type that send the same login cookie (``LoginCookieSection``):
/// the politeness limits and the login-wall stop would each hold for one section only.
///
/// Checked when the configuration is loaded (``LoadedConfiguration``), so `collector check` and
/// every command that collects refuse it. Cookies are compared by their `name=value` pairs, in
/// any order and spacing, as resolved from `${VAR}` or `@file:`; no value is ever shown. A
/// loopback `base_url` (the simulator) is no exception: one login stays one session.
package enum LoginCookieSharing {
    /// One problem per section whose cookie an earlier section of the same type sends already,
    /// at its `cookie` line, naming the earlier section and the line of its cookie.
    /// - Parameter sections: Every section of the file that became an instance, in file order.
    package static func problems(
        _ sections: [(configuration: AdapterConfiguration, adapter: any Adapter)]
    ) -> [ConfigurationError] {
        var earlier: [String: [[String]: AdapterConfiguration]] = [:]
        var problems: [ConfigurationError] = []
        for (configuration, adapter) in sections {
            guard let section = adapter as? any LoginCookieSection else { continue }
            let pairs = cookiePairs(section.loginCookie.exposedValue)
            guard !pairs.isEmpty else { continue }
            guard let first = earlier[configuration.type]?[pairs] else {
                earlier[configuration.type, default: [:]][pairs] = configuration
                continue
            }
            let place = "\(first.file):\(first.keyLines["cookie"] ?? first.line)"
            problems.append(
                configuration.error(
                    "cookie",
                    "\"cookie\" is the same login as the one of section \"\(first.name)\" (\(place)): one login is one"
                        + " session; \(type(of: section).sharedLoginConsequence)"
                )
            )
        }
        return problems
    }

    /// The `name=value` pairs of a Cookie header value, trimmed, without empty ones, sorted.
    static func cookiePairs(_ cookie: String) -> [String] {
        cookie.split(separator: ";").map { part in
            String(part.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }.filter { !$0.isEmpty }.sorted()
    }
}
