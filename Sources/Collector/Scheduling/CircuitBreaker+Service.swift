extension CircuitBreaker {
    /// A service whose risk control answers on its own, and so has its own breaker: the
    /// official API and the login-cookie endpoints of one platform are two services
    /// (api.weibo.com and m.weibo.cn), while every instance of one service shares a breaker
    /// (a second section, a sibling shard, asks the same risk control).
    ///
    /// A platform's main service is named after the platform (`weibo`, `bilibili`), which is
    /// what the breaker files of versions before session 15 were keyed by; a second service of
    /// the platform has a name of its own (`weibo_web`, `bilibili_open`).
    public struct Service: Sendable, Hashable, CustomStringConvertible {
        /// The breaker's name, in messages and in its file `circuit-<name>`.
        public var name: String
        /// The platform the service belongs to.
        public var platform: Platform

        /// A service of `platform`; `name` nil (the default) for the platform's main service.
        public init(platform: Platform, name: String? = nil) {
            self.platform = platform
            self.name = name ?? platform.rawValue
        }

        /// The breaker's name.
        public var description: String { name }

        /// Whether this is the platform's main service, named after the platform.
        var isNamedAfterPlatform: Bool { name == platform.rawValue }

        /// The state file of the service's breaker.
        var fileName: String { "circuit-\(name)" }
    }
}
