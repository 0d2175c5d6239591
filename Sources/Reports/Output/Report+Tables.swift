import Collector

extension Report {
    /// The report's tables in report order: `report`, `attainment_by_category`, `units`,
    /// `attainment`, `ranking`, `influence`, `activity`, `rules`.
    public var tables: [ReportTable] {
        [
            overviewTable, summaryTable, unitsTable, attainmentTable, rankingTable, influenceTable, activityTable,
            rulesTable,
        ]
    }

    private static func integer(_ value: Int64) -> String { String(value) }
    private static func count(_ value: Int) -> String { String(value) }

    var overviewTable: ReportTable {
        let weights = rules.index.platformWeights.map { "\($0.platform) \(NumberFormat.plain($0.weight))" }
        var rows: [[String]] = [
            ["rules", rules.source],
            ["region", rules.region],
            ["period", period.description],
            ["period_from", period.from.description],
            ["period_to", period.to.description],
            ["index_days", String(period.indexDays)],
            ["as_of", asOf.description],
            ["period_state", isRunning ? "running" : "complete"],
            ["deadline", deadline.cell(\.description)],
            ["days_left", deadline.cell { String($0.daysSinceEpoch - asOf.daysSinceEpoch) }],
            ["generated_at", generatedAt],
            ["wci_variant", rules.index.wciVariant.rawValue],
            ["content_age_days", String(rules.index.contentAgeDays)],
            ["platform_weights", weights.joined(separator: ", ")],
        ]
        rows.append(["units", String(Set(attainment.map(\.unit.name)).count)])
        rows.append([
            "main_accounts",
            String(Set(attainment.compactMap { $0.account.map { "\($0.platform)/\($0.account)" } }).count),
        ])
        return ReportTable(
            id: "report",
            title: "Report",
            note: "as_of is the last day of the period, or today while the period is running "
                + "(period_state running: a partial report).",
            columns: ["key", "value"],
            rows: rows
        )
    }

    var summaryTable: ReportTable {
        let statuses: [AttainmentStatus] = [.met, .notMet, .indeterminate, .noData, .missingAccount, .noRule]
        return ReportTable(
            id: "attainment_by_category",
            title: "Attainment by category",
            note: "Units per status under each rule's aggregation (each main account on its own by default).",
            columns: ["category", "rule", "target", "units"] + statuses.map { $0.rawValue.lowercased() },
            rows: summary.map { row in
                [row.category, row.rule?.id ?? "", row.rule?.threshold.cell(Self.integer) ?? "", Self.count(row.units)]
                    + statuses.map { Self.count(row.counts[$0] ?? 0) }
            }
        )
    }

    var unitsTable: ReportTable {
        ReportTable(
            id: "units",
            title: "Units",
            note: "One row per unit and rule; best and sum are over the unit's main accounts with data in the period.",
            columns: [
                "unit", "category", "city", "students", "rule", "target", "aggregation", "main_accounts", "best", "sum",
                "status", "note",
            ],
            rows: units.map { row in
                [
                    row.unit.name, row.unit.category, row.unit.city, row.unit.students.cell(Self.count),
                    row.rule?.id ?? "", row.rule?.threshold.cell(Self.integer) ?? "",
                    row.rule?.aggregation.rawValue ?? "", Self.count(row.mainAccounts), row.best.cell(Self.integer),
                    row.sum.cell(Self.integer), row.status.rawValue, row.note,
                ]
            }
        )
    }

    var attainmentTable: ReportTable {
        ReportTable(
            id: "attainment",
            title: "Attainment per main account",
            note: "Latest followers row of the period as an interval: exact [v, v+1), lower_bound [v, inf), "
                + "approx [v - q/2, v + q). MET if lo >= target, NOT_MET if hi <= target, else INDETERMINATE. "
                + "net_30d: trailing 30-day net growth; eta: when the target is reached at that pace.",
            columns: [
                "unit", "category", "city", "students", "rule", "kind", "platform", "account", "name", "as_of",
                "followers", "quality", "lo", "hi", "target", "status", "ratio", "gap", "days_left",
                "required_daily", "net_30d", "eta", "unit_best", "unit_sum", "note",
            ],
            rows: attainment.map { row in
                [
                    row.unit.name, row.unit.category, row.unit.city, row.unit.students.cell(Self.count),
                    row.rule?.id ?? "", row.rule?.kind.rawValue ?? "", row.account?.platform.rawValue ?? "",
                    row.account?.account ?? "", row.account?.name ?? "", row.asOf.cell(\.description),
                    row.followers.cell(Self.integer), row.quality?.rawValue ?? "",
                    row.interval.cell { NumberFormat.plain($0.lower) },
                    row.interval.cell { NumberFormat.plain($0.upper) },
                    row.rule?.threshold.cell(Self.integer) ?? "", row.status.rawValue,
                    row.ratio.cell { NumberFormat.fixed($0, 4) }, row.gap.cell(NumberFormat.whole),
                    row.daysLeft.cell(Self.count), row.requiredDaily.cell { NumberFormat.fixed($0, 2) },
                    row.net30.cell(NumberFormat.whole), row.projection.cell(\.description),
                    row.unitBest.cell(Self.integer), row.unitSum.cell(Self.integer), row.note,
                ]
            }
        )
    }

    var rankingTable: ReportTable {
        let platforms = rules.index.platformWeights.map(\.platform)
        return ReportTable(
            id: "ranking",
            title: "Composite EII ranking",
            note: "EII = sum of w_p * EII_p over the weighted platforms; a platform without a main account counts 0. "
                + "Ranked within category and tier (the follower rule). A unit whose main account has no EII "
                + "(no content data, no per-post data, no followers data: see the note) has no composite and no rank; "
                + "ranks count only the units with one.",
            columns: ["category", "tier", "rank", "unit", "eii"] + platforms.map { "eii_\($0)" } + ["missing", "note"],
            rows: ranking.map { row in
                [
                    row.unit.category, row.tier, row.rank.cell(Self.count), row.unit.name,
                    row.composite.cell { NumberFormat.fixed($0, 2) },
                ]
                    + row.platforms.map { $0.eii.cell { NumberFormat.fixed($0, 2) } }
                    + [row.missing.map(\.rawValue).joined(separator: " "), row.note]
            }
        )
    }

    var influenceTable: ReportTable {
        ReportTable(
            id: "influence",
            title: "Influence per account",
            note: "EII components: U1 = ln(10n/d+1); U2 = 0.6 ln(V/d+1) + 0.2 ln(V/n+1) + 0.2 ln(Vmax+1); "
                + "U3 = 0.4 ln(10S/d+1) + 0.4 ln(10C/d+1) + 0.2 ln(10L/d+1); U4 = 0.6 ln(F+1) + 0.4 ln(10 max(dF,0)/d+1); "
                + "points = 100 w U with w = 0.10/0.40/0.25/0.25; EII = 0 without posts. "
                + "Content values are read at day \(rules.index.contentAgeDays); WeChat uses viewers where views are absent. "
                + "Empty cells are unknown: without content data (or with posts_new only, or without followers) "
                + "there is no EII, and the note says why.",
            columns: [
                "unit", "category", "platform", "account", "main", "n", "v", "v_max", "likes", "comments", "shares",
                "followers", "followers_change", "u1", "u2", "u3", "u4", "points_u1", "points_u2", "points_u3",
                "points_u4", "eii", "index", "index_value", "note",
            ],
            rows: influence.map { row in
                let x = row.inputs
                // Per-post figures exist only for accounts with content objects.
                let content = row.unavailable != .noContentData && row.unavailable != .noPostData
                let active = x.posts > 0 && row.eii != nil
                func figure(_ value: Double) -> String { content ? NumberFormat.whole(value) : "" }
                return [
                    row.unit.name, row.unit.category, row.account.platform.rawValue, row.account.account,
                    row.account.main ? "yes" : "no", row.posts.cell(Self.count), figure(x.views),
                    figure(x.maxViews), figure(x.likes), figure(x.comments), figure(x.shares),
                    row.followers.cell(NumberFormat.whole), row.followerChange.cell(NumberFormat.whole),
                ]
                    + (row.eii?.components ?? Array(repeating: 0, count: 4)).map {
                        active ? NumberFormat.fixed($0, 4) : ""
                    }
                    + (row.eii?.points ?? Array(repeating: 0, count: 4)).map { active ? NumberFormat.fixed($0, 2) : "" }
                    + [
                        row.eii.cell { NumberFormat.fixed($0.value, 2) }, row.indexName,
                        row.indexValue.cell { NumberFormat.fixed($0, 2) }, row.unavailable?.rawValue ?? "",
                    ]
            }
        )
    }

    var activityTable: ReportTable {
        ReportTable(
            id: "activity",
            title: "Posting activity",
            note: "Posts: objects published in the period (first seen, when published_at is unknown). "
                + "hits_100k: posts of the period with views >= 100000 (10万+ counts). "
                + "dormant_14d: some 14-day window without a post.",
            columns: [
                "unit", "category", "platform", "account", "name", "main", "posts", "posts_basis", "hits_100k",
                "hit_metric", "longest_gap_days", "dormant_14d",
            ],
            rows: activity.map { row in
                [
                    row.unit.name, row.unit.category, row.account.platform.rawValue, row.account.account,
                    row.account.name, row.account.main ? "yes" : "no", row.posts.cell(Self.count),
                    row.postsBasis.rawValue, row.hits.cell(Self.count), row.hitMetric,
                    row.longestGapDays.cell(Self.count), row.dormant14d.cell { $0 ? "yes" : "no" },
                ]
            }
        )
    }

    var rulesTable: ReportTable {
        ReportTable(
            id: "rules",
            title: "Rules",
            note: "Every rule of the rules file and how this report used it.",
            columns: [
                "rule", "label", "category", "selector", "kind", "metric", "op", "threshold", "aggregation",
                "deadline", "effective_from", "effective_to", "basis", "evaluated", "units",
            ],
            rows: rules.rules.map { rule in
                let deadline = rules.deadline(of: rule)
                return [
                    rule.id, rule.label, rule.category, rule.selectorDescription, rule.kind.rawValue, rule.metric,
                    rule.comparison?.rawValue ?? "", rule.threshold.cell(Self.integer),
                    rule.kind == .info ? "" : rule.aggregation.rawValue,
                    deadline.cell { $0.date(in: calendar).description },
                    rule.effectiveFrom.cell(\.description), rule.effectiveTo.cell(\.description), rule.basis,
                    evaluation(of: rule), Self.count(unitsSelected[rule.id] ?? 0),
                ]
            }
        )
    }

    private func evaluation(of rule: Rule) -> String {
        if !rule.isEffective(from: period.from, to: period.to) { return "no: not in force in the period" }
        if rule.input == .manual { return "no: recorded by hand" }
        if rule.judgesFollowers { return "yes" }
        if rule.metric == "hits_100k" { return "info: activity.hits_100k" }
        return rule.kind == .info ? "info" : "no: \(rule.metric) is not computed"
    }
}
