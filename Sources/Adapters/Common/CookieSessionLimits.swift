package import Collector

/// The floor under the politeness of a section that reads a platform's web endpoints with a
/// logged-in cookie (`weibo_web`, `toutiao`): opt-in, rate-limited and failing closed (README,
/// docs/adapters/weibo.md, docs/adapters/toutiao.md).
///
/// Such a section may lower its `rate` and lengthen its `cooldown`, never the reverse: a
/// `rate` faster than ``rateCeiling`` (the documented default, one request every 3 s) and a
/// `cooldown` shorter than ``minimumCooldown`` are configuration errors. The platform's
/// anti-abuse controls watch logged-in sessions, and the collector does not work around them.
/// A loopback `base_url` (the platform simulator, as for `http://` in ``BaseURL``) is no
/// platform and has no such floor: the test cases run at `1000/s`.
package enum CookieSessionLimits {
    /// The fastest a cookie section may send: `20/m`, one request every 3 s.
    package static let rateCeiling = Rate(count: 20, per: .seconds(60))
    /// The shortest circuit-breaker pause after an anti-bot answer: one hour.
    package static let minimumCooldown = Duration.seconds(3600)

    /// Reports a `rate` above ``rateCeiling`` and a `cooldown` below ``minimumCooldown`` of
    /// `schedule`, read from `configuration`; `site` names the endpoints (`m.weibo.cn`), and
    /// nothing is reported when `baseURL` is a loopback host.
    package static func check(
        _ schedule: AdapterSchedule,
        of configuration: AdapterConfiguration,
        site: String,
        baseURL: String,
        check: inout ConfigurationCheck
    ) {
        guard !BaseURL.isLoopback(HTTPRequest(url: baseURL).host) else { return }
        let type = configuration.type
        if let rate = schedule.rate, rate.interval < rateCeiling.interval {
            let written = (try? configuration.string("rate")).flatMap { $0 } ?? rate.description
            check.report(
                configuration.error(
                    "rate",
                    "\(configuration.assignment("rate", written)) is faster than \(rateCeiling) (one request every "
                        + "\(Int(rateCeiling.interval)) s), the most \(type) sends to \(site) with a login cookie: "
                        + "the platform's anti-abuse controls watch logged-in sessions and the collector does not "
                        + "work around them; remove \"rate\" or set a slower one"
                )
            )
        }
        if schedule.cooldown < minimumCooldown {
            let written = (try? configuration.string("cooldown")).flatMap { $0 } ?? "\(schedule.cooldown)"
            check.report(
                configuration.error(
                    "cooldown",
                    "\(configuration.assignment("cooldown", written)) is shorter than 1h: after \(site) answers "
                        + "with its anti-abuse controls, \(type) leaves it alone for an hour at least, and the "
                        + "collector does not work around them; remove \"cooldown\" (6h) or set 1h or more"
                )
            )
        }
    }
}
