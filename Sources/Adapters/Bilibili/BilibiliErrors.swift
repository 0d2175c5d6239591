import Collector

/// The Bilibili error table (PLATFORMS.md §5.3): one action per code.
enum BilibiliErrors {
    /// The adapter error for a non-zero envelope `code`.
    static func error(code: Int64, message: String, origin: String) -> AdapterError {
        let platformCode = String(code)
        let said = message.isEmpty ? "" : " (\(message))"
        switch code {
        case -412, -352, -799:
            return .antiBot(
                "\(origin): risk control answered \(code)\(said); lower the instance's rate if it comes again",
                platformCode: platformCode
            )
        case -509:
            return .rateLimited("\(origin): over the request limit\(said)", platformCode: platformCode)
        case -101:
            return .reauthorizationRequired("\(origin): not logged in\(said)", platformCode: platformCode)
        case -403:
            return .permission("\(origin): no permission\(said)", platformCode: platformCode)
        case -404, 62002, 62004, 62012:
            return .notFound(
                "\(origin): not found or not visible\(said); check the account id",
                platformCode: platformCode
            )
        case -400:
            return .badRequest("\(origin): bad request\(said)", platformCode: platformCode)
        case -500, -503:
            return .transient("\(origin): server error\(said)", platformCode: platformCode)
        default:
            return .badRequest("\(origin): unexpected error code \(code)\(said)", platformCode: platformCode)
        }
    }
}
