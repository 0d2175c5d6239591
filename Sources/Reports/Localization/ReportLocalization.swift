import Collector

/// Every human-facing string of the Markdown and HTML report in one language: fixed texts
/// (``ReportText``) and the names of codes (`column.unit`, `status.NOT_MET`,
/// `category.city_bureau`, …). Adding a language is one more table and one more
/// ``ReportLanguage`` case; renderers never test the language themselves.
package struct ReportLocalization: Sendable {
    /// The language of the table.
    package let language: ReportLanguage
    /// The fixed texts, `%1` … standing for arguments.
    package let texts: [ReportText: String]
    /// Names of codes, keyed `<kind>.<code>`; a code without a name is shown as it is.
    package let terms: [String: String]

    /// The table of `language`.
    package static func of(_ language: ReportLanguage) -> ReportLocalization {
        switch language {
        case .en: english
        case .zh: chinese
        }
    }

    /// `key` with `%1`, `%2`, … replaced by `arguments`.
    package func text(_ key: ReportText, _ arguments: String...) -> String { text(key, arguments: arguments) }

    /// `key` with `%1`, `%2`, … replaced by `arguments`.
    package func text(_ key: ReportText, arguments: [String]) -> String {
        // English is complete by construction, so a missing translation reads English, never a key.
        var text = texts[key] ?? ReportLocalization.english.texts[key] ?? key.rawValue
        // Highest first, so `%1` never eats the start of a `%10`.
        for (index, argument) in arguments.enumerated().reversed() {
            text = text.replacing("%\(index + 1)", with: argument)
        }
        return text
    }

    /// The name of `code` of `kind` (`status`, `category`, `column`, …), or the code itself.
    package func term(_ kind: String, _ code: String) -> String { terms[kind + "." + code] ?? code }

    // MARK: - Vocabulary

    /// The platforms whose content is video: their views are 播放量 and their shares 分享
    /// (``TableStyle/metric(_:on:)``), not 阅读量 and 转发.
    static let videoPlatforms: Set<Platform> = [.douyin, .kuaishou, .bilibili, .channels]

    /// The machine column keys of the report's tables (the `eii_<platform>` columns of the
    /// ranking are named from ``ReportText/columnPlatformEII``).
    package static let columns = [
        "key", "value", "category", "rule", "target", "units", "unit", "city", "students", "aggregation",
        "main_accounts", "best", "sum", "status", "note", "kind", "platform", "account", "name", "as_of", "followers",
        "quality", "lo", "hi", "ratio", "gap", "days_left", "required_daily", "net_30d", "eta", "unit_best",
        "unit_sum", "tier", "rank", "eii", "missing", "main", "n", "v", "v_max", "likes", "comments", "shares",
        "followers_change", "u1", "u2", "u3", "u4", "points_u1", "points_u2", "points_u3", "points_u4", "index",
        "index_value", "posts", "posts_basis", "hits_100k", "hit_metric", "longest_gap_days", "dormant_14d", "label",
        "selector", "metric", "op", "threshold", "deadline", "effective_from", "effective_to", "basis", "evaluated",
        "eii_composite", "best_quality", "sum_quality", "net_30d_quality", "unit_best_quality", "unit_sum_quality",
        "v_quality", "likes_quality", "comments_quality", "shares_quality", "followers_quality",
        "followers_change_quality", "data_since", "data_until", "v_max_quality", "eii_quality", "index_value_quality",
        "period",
    ]

    /// The keys of the `report` table.
    package static let overviewKeys = [
        "rules", "region", "period", "period_from", "period_to", "index_days", "as_of", "period_state", "deadline",
        "days_left", "generated_at", "wci_variant", "content_age_days", "platform_weights", "figures_counted_zero",
        "figures_partly_collected", "units", "main_accounts", "units_lacking_data",
        "main_accounts_without_followers", "main_accounts_without_content", "content_state", "content_final_at",
        "main_accounts_partly_collected",
    ]

    /// The SPEC §6 categories.
    package static let categories = [
        "city_bureau", "county_bureau", "undergraduate", "vocational", "high_school", "middle_school",
        "primary_school", "other", "any",
    ]

    /// Every term a report may look up: each language's table names all of them (a test
    /// holds the Chinese one to it).
    package static var vocabulary: [String] {
        var keys = columns.map { "column." + $0 }
        keys += AttainmentStatus.allCases.map { "column." + $0.rawValue.lowercased() }
        keys += overviewKeys.map { "key." + $0 }
        keys += AttainmentStatus.allCases.map { "status." + $0.rawValue }
        keys += categories.map { "category." + $0 }
        keys += Platform.builtIn.map { "platform." + $0.rawValue }
        keys += Quality.allCases.map { "quality." + $0.rawValue }
        keys += Rule.Kind.allCases.map { "kind." + $0.rawValue }
        keys += Rule.Aggregation.allCases.map { "aggregation." + $0.rawValue }
        keys += ["published_at", "first_seen", "mixed", "posts_new", "none"].map { "basis." + $0 }
        keys += ["views", "viewers", "followers", "hits_100k", "mainstream_media_pieces"].map { "metric." + $0 }
        keys += ["likes", "comments", "shares", "recommends"].map { "metric." + $0 }
        keys += ["views", "shares"].map { "metric." + $0 + ".video" }
        keys += WCI.Variant.allCases.map { "wci." + $0.rawValue }
        keys += ["notice"].map { "rule_basis." + $0 }
        keys += Comparison.allCases.map { "op." + $0.rawValue }
        keys += AccountInfluence.Unavailable.allCases.map { "unavailable." + $0.rawValue }
        keys += ["u2", "u3"].map { "component." + $0 }
        keys += ["yes", "no"].map { "bool." + $0 }
        keys += ["reached", "never"].map { "eta." + $0 }
        keys += ["running", "complete", "provisional", "final"].map { "state." + $0 }
        return keys
    }
}
