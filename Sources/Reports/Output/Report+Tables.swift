import Collector

extension Report {
    /// The report's tables in report order: `report`, `attainment_by_category`, `units`,
    /// `attainment`, `ranking`, `influence`, `activity`, `rules`, as the CSV output writes them:
    /// column keys, codes and plain numbers, whatever the language.
    public var tables: [ReportTable] { tables(.machine) }

    /// The same tables for people, as Markdown and HTML show them: headings, notes, column
    /// names, statuses, categories and platforms in `language`, thousands separators, ratios
    /// as percentages, and `≈` / `≥` on figures that rest on an approximate value or a lower
    /// bound. Ids, row order and column order are those of ``tables``.
    public func tables(for language: ReportLanguage) -> [ReportTable] { tables(.human(language)) }

    func tables(_ style: TableStyle) -> [ReportTable] {
        let tables = [
            overviewTable(style), summaryTable(style), unitsTable(style), attainmentTable(style),
            rankingTable(style), influenceTable(style), activityTable(style), rulesTable(style),
        ]
        // Markdown and HTML give the period and the as-of day once, above the tables.
        return style.isMachine ? tables.map(stamped) : tables
    }

    /// `table` with the report's `period` and `as_of` appended as the last columns, with the
    /// values of the `report` table's keys of those names. `collector report -o DIR/` writes
    /// each table to a file of its own, and a `ranking.csv` forwarded without its folder must
    /// still say which month its EII are of: without them September's and October's files
    /// looked alike. Appended at the end, so the positions of the earlier columns are kept; a
    /// column of the same name already there is not repeated (`attainment` has an `as_of`, the
    /// day of the followers row judged), nor does the key/value `report` table get any.
    private func stamped(_ table: ReportTable) -> ReportTable {
        guard table.id != "report" else { return table }
        let stamps = [("period", period.description), ("as_of", asOf.description)]
            .filter { !table.columns.contains($0.0) }
        var table = table
        table.columns += stamps.map(\.0)
        table.rows = table.rows.map { $0 + stamps.map(\.1) }
        return table
    }

    /// The report's title in `style`'s language (``title`` is the English one).
    func title(_ style: TableStyle) -> String { style.text(.reportTitle, style.period(period), rules.source) }

    /// The warning of a report made while its period is running, nil for a complete period.
    func runningNotice(_ style: TableStyle) -> String? {
        guard isRunning else { return nil }
        let passed = max(0, Int(asOf.daysSinceEpoch - period.from.daysSinceEpoch) + 1)
        let basis: ReportText =
            switch period.kind {
            case .calendarMonth: .runningBasisMonth
            case .calendarYear: .runningBasisYear
            case .days: .runningBasisRange
            }
        return style.text(
            .runningNotice,
            style.period(period),
            style.day(asOf),
            style.moment(generatedAt),
            String(period.indexDays),
            style.text(basis),
            String(passed),
            String(period.calendarDays)
        )
    }

    private func overviewTable(_ style: TableStyle) -> ReportTable {
        let weights = rules.index.platformWeights.map {
            "\(style.platform($0.platform)) \(NumberFormat.plain($0.weight))"
        }
        var rows: [[String]] = [
            ["rules", rules.source],
            ["region", rules.region],
            ["period", period.description],
            ["period_from", period.from.description],
            ["period_to", period.to.description],
            ["index_days", String(period.indexDays)],
            ["as_of", asOf.description],
            ["period_state", style.term("state", isRunning ? "running" : "complete")],
            ["deadline", deadline.cell(\.description)],
            ["days_left", deadline.cell { String($0.daysSinceEpoch - asOf.daysSinceEpoch) }],
            ["generated_at", generatedAt],
            ["wci_variant", style.term("wci", rules.index.wciVariant.rawValue)],
            ["content_age_days", String(rules.index.contentAgeDays)],
            ["platform_weights", weights.joined(separator: style.text(.noteSeparator))],
        ]
        // `weibo: views`; `wechat: likes (1/2)`: the platform, the figures, and for those some
        // accounts lack, how many of the accounts with posts lack them.
        func figures(_ entry: UncollectedFigures, _ names: [String]) -> String {
            style.text(
                .labelled,
                style.platform(entry.platform),
                style.list(names.map { style.metric($0, on: entry.platform) })
            )
        }
        rows.append([
            "figures_counted_zero",
            uncollected.filter { !$0.figures.isEmpty }.map { figures($0, $0.figures) }
                .joined(separator: style.text(.reasonSeparator)),
        ])
        rows.append([
            "figures_partly_collected",
            uncollected.filter { !$0.partialFigures.isEmpty }
                .map { "\(figures($0, $0.partialFigures)) (\($0.accountsLacking)/\($0.accountsMeasured))" }
                .joined(separator: style.text(.reasonSeparator)),
        ])
        rows.append(["units", style.count(Set(attainment.map(\.unit.name)).count)])
        rows.append([
            "main_accounts",
            style.count(Set(attainment.compactMap { $0.account.map { "\($0.platform)/\($0.account)" } }).count),
        ])
        rows.append(["units_lacking_data", style.count(unitsLackingData)])
        rows.append(["main_accounts_without_followers", style.count(dataGaps.filter(\.noFollowers).count)])
        rows.append(["main_accounts_without_content", style.count(dataGaps.filter(\.noContent).count)])
        // After the older keys, so a program reading the rows by position keeps working.
        rows.append(["content_state", style.term("state", contentProvisional ? "provisional" : "final")])
        rows.append(["content_final_at", contentFinalAt ?? ""])
        rows.append(["main_accounts_partly_collected", style.count(dataGaps.filter { $0.collectedDays != nil }.count)])
        return ReportTable(
            id: "report",
            title: style.text(.tableReport),
            note: style.text(.noteReport),
            columns: ["key", "value"].map(style.column),
            // The rules' source and region are the rules file's text.
            textColumns: [1],
            rows: rows.map { [style.term("key", $0[0]), $0[1]] }
        )
    }

    private func summaryTable(_ style: TableStyle) -> ReportTable {
        let statuses: [AttainmentStatus] = [.met, .notMet, .indeterminate, .noData, .missingAccount, .noRule]
        return ReportTable(
            id: "attainment_by_category",
            title: style.text(.tableSummary),
            note: style.text(.noteSummary),
            columns: (["category", "rule", "target", "units"] + statuses.map { $0.rawValue.lowercased() })
                .map(style.column),
            textColumns: [0, 1],
            rows: summary.map { row in
                [
                    style.category(row.category), row.rule?.id ?? "", row.rule?.threshold.cell(style.target) ?? "",
                    style.count(row.units),
                ]
                    + statuses.map { style.count(row.counts[$0] ?? 0) }
            }
        )
    }

    /// The quality of a unit's best value and of its sum (an approximate or lower-bound part
    /// makes the sum one too), from its main accounts with data.
    private func unitQualities(_ unit: UnitProfile) -> (best: Quality?, sum: Quality?) {
        var seen = Set<String>()
        var values: [(value: Int64, quality: Quality)] = []
        for row in attainment where row.unit.name == unit.name {
            guard let account = row.account, let value = row.followers, let quality = row.quality,
                seen.insert(account.platform.rawValue + "/" + account.account).inserted
            else { continue }
            values.append((value, quality))
        }
        // The largest of intervals, not of points: beside an exact 45,000 a `4万+` may be 49,000,
        // so the best is ≥45,000, and a tied approx 45,000 may stand for up to 45,999.
        let best: Quality? = values.isEmpty ? nil : ReportContext.maximumQuality(values) ?? .exact
        let qualities = Set(values.map(\.quality))
        let sum: Quality? =
            qualities.contains(.lowerBound) ? .lowerBound : qualities.contains(.approx) ? .approx : .exact
        return (best, values.isEmpty ? nil : sum)
    }

    private func unitsTable(_ style: TableStyle) -> ReportTable {
        ReportTable(
            id: "units",
            title: style.text(.tableUnits),
            note: style.text(.noteUnits),
            columns: Self.shown(Self.unitsColumns, style).map(style.column),
            textColumns: Self.positions(
                of: ["unit", "category", "city", "rule", "note"],
                in: Self.shown(Self.unitsColumns, style)
            ),
            rows: units.map { row in
                let qualities = unitQualities(row.unit)
                return Self.shown(
                    [
                        row.unit.name, style.category(row.unit.category), row.unit.city,
                        row.unit.students.cell(style.count), row.rule?.id ?? "",
                        row.rule?.threshold.cell(style.target) ?? "",
                        row.rule.cell { style.term("aggregation", $0.aggregation.rawValue) },
                        style.count(row.mainAccounts), style.marked(row.best.cell(style.integer), qualities.best),
                        row.best == nil ? "" : quality(qualities.best, style),
                        style.marked(row.sum.cell(style.integer), qualities.sum),
                        row.sum == nil ? "" : quality(qualities.sum, style), style.status(row.status),
                        style.note(row.reason),
                    ],
                    of: Self.unitsColumns,
                    style
                )
            }
        )
    }

    private func attainmentTable(_ style: TableStyle) -> ReportTable {
        ReportTable(
            id: "attainment",
            title: style.text(.tableAttainment),
            note: style.text(.noteAttainment),
            columns: Self.shown(Self.attainmentColumns, style).map(style.column),
            textColumns: Self.positions(
                of: ["unit", "category", "city", "rule", "account", "name", "note"],
                in: Self.shown(Self.attainmentColumns, style)
            ),
            rows: attainment.map { row in
                let qualities = unitQualities(row.unit)
                // An ETA rests on the gap and on the pace: an estimate in either makes it one.
                let etaQuality =
                    row.quality == .exact || row.quality == nil ? row.paceQuality : Quality.approx
                // A date or a "never" from an estimated pace is an estimate too (`≈按当前增速无法达标`);
                // `reached` follows from the status alone, which the interval already decided.
                let projected =
                    row.projection == .reached
                    ? row.projection.cell { projection($0, style) }
                    : style.marked(row.projection.cell { projection($0, style) }, etaQuality)
                return Self.shown(
                    [
                        row.unit.name, style.category(row.unit.category), row.unit.city,
                        row.unit.students.cell(style.count), row.rule?.id ?? "",
                        row.rule.cell { style.term("kind", $0.kind.rawValue) },
                        row.account.cell { style.platform($0.platform) },
                        row.account?.account ?? "", row.account?.name ?? "", row.asOf.cell(\.description),
                        style.marked(row.followers.cell(style.integer), row.quality),
                        row.quality.cell { style.term("quality", $0.rawValue) },
                        row.interval.cell { style.bound($0.lower) }, row.interval.cell { style.bound($0.upper) },
                        row.rule?.threshold.cell(style.target) ?? "", style.status(row.status),
                        style.marked(row.ratio.cell(style.ratio), row.quality),
                        style.marked(row.gap.cell(style.whole), row.quality, lowerBound: "≤"),
                        row.daysLeft.cell(style.count),
                        style.marked(row.requiredDaily.cell { style.fixed($0, 2) }, row.quality, lowerBound: "≤"),
                        style.marked(row.net30.cell(style.whole), row.paceQuality),
                        row.net30 == nil ? "" : quality(row.paceQuality, style), projected,
                        style.marked(row.unitBest.cell(style.integer), qualities.best),
                        row.unitBest == nil ? "" : quality(qualities.best, style),
                        style.marked(row.unitSum.cell(style.integer), qualities.sum),
                        row.unitSum == nil ? "" : quality(qualities.sum, style), style.note(row.reason),
                    ],
                    of: Self.attainmentColumns,
                    style
                )
            }
        )
    }

    private func projection(_ projection: AttainmentRow.Projection, _ style: TableStyle) -> String {
        switch projection {
        case .reached, .never: style.term("eta", projection.description)
        case .on(let day): day.description
        }
    }

    private func rankingTable(_ style: TableStyle) -> ReportTable {
        let platforms = rules.index.platformWeights.map(\.platform)
        let platformColumns = platforms.map {
            style.isMachine ? "eii_\($0)" : style.text(.columnPlatformEII, style.platform($0))
        }
        return ReportTable(
            id: "ranking",
            title: style.text(.tableRanking),
            note: withUncollected(style.text(.noteRanking), style),
            // The composite, apart from the influence table's EII of one account.
            columns: ["category", "tier", "rank", "unit"].map(style.column)
                + [style.isMachine ? "eii" : style.column("eii_composite")] + platformColumns
                + ["missing", "note"].map(style.column) + (style.isMachine ? ["eii_quality"] : []),
            textColumns: [0, 1, 3, 5 + platformColumns.count + 1],
            rows: ranking.map { row in
                [
                    style.category(row.unit.category), row.tier, row.rank.cell(style.count), row.unit.name,
                    style.marked(row.composite.cell { style.fixed($0, 2) }, row.compositeQuality),
                ]
                    + row.platforms.map { score in style.marked(score.eii.cell { style.fixed($0, 2) }, score.quality) }
                    + [style.list(row.missing.map(style.platform)), rankingNote(row, style)]
                    // After the note, so the columns before keep their positions.
                    + (style.isMachine ? [quality(row.compositeQuality, style)] : [])
            }
        )
    }

    /// Why a unit has no composite: `no content data: wechat`, `无内容数据：微信公众号`.
    func rankingNote(_ row: UnitInfluence, _ style: TableStyle) -> String {
        if style.isMachine { return row.note }
        if !row.hasMainAccount { return style.text(.noteNoMainAccount) }
        var platformsByReason: [(AccountInfluence.Unavailable, [Platform])] = []
        for score in row.platforms {
            guard let reason = score.unavailable else { continue }
            if let index = platformsByReason.firstIndex(where: { $0.0 == reason }) {
                platformsByReason[index].1.append(score.platform)
            } else {
                platformsByReason.append((reason, [score.platform]))
            }
        }
        // The figures not collected, or the days collected, follow their platform: `微信公众号（点赞）`.
        func name(_ score: UnitInfluence.PlatformScore) -> String {
            if let days = score.collectedDays {
                return style.text(.platformFigures, style.platform(score.platform), collectedSpan(days, style))
            }
            guard !score.notCollected.isEmpty else { return style.platform(score.platform) }
            return style.text(
                .platformFigures,
                style.platform(score.platform),
                style.list(score.notCollected.map { style.metric($0, on: score.platform) })
            )
        }
        return platformsByReason.map { reason, platforms in
            let scores = platforms.compactMap { platform in row.platforms.first { $0.platform == platform } }
            return style.text(.labelled, style.term("unavailable", reason.rawValue), style.list(scores.map(name)))
        }
        .joined(separator: style.text(.reasonSeparator))
    }

    private func influenceTable(_ style: TableStyle) -> ReportTable {
        ReportTable(
            id: "influence",
            title: style.text(.tableInfluence),
            note: withUncollected(
                ([style.text(.noteInfluence, String(rules.index.contentAgeDays))] + contentNotes(style))
                    .joined(separator: style.text(.sentenceSeparator)),
                style
            ),
            columns: Self.shown(Self.influenceColumns, style).map(style.column),
            textColumns: Self.positions(
                of: ["unit", "category", "account", "index", "note"],
                in: Self.shown(Self.influenceColumns, style)
            ),
            rows: influence.map { row in
                let x = row.inputs
                // Per-post figures exist only for accounts with content objects.
                let content = row.unavailable != .noContentData && row.unavailable != .noPostData
                let active = x.posts > 0 && row.eii != nil
                // A figure not collected is unknown, not 0: its cell stays empty and the note names it.
                func known(_ metric: String) -> Bool { content && !row.notCollected.contains(metric) }
                // A total with an estimated part is marked like the stored value (`≈`, `≥`).
                func figure(_ value: Double, _ metric: String) -> String {
                    known(metric) ? style.marked(style.whole(value), row.figureQualities[metric] ?? .exact) : ""
                }
                func figureQuality(_ metric: String) -> String {
                    known(metric) ? quality(row.figureQualities[metric] ?? .exact, style) : ""
                }
                // Vmax has its own mark: a `10万+` maximum is `≥` even when the total is `≈`.
                func maximum(_ value: Double) -> String {
                    known("views") ? style.marked(style.whole(value), row.figureQualities["v_max"] ?? .exact) : ""
                }
                let figures: [String] = [
                    row.unit.name, style.category(row.unit.category), style.platform(row.account.platform),
                    row.account.account, style.yesNo(row.account.main), row.posts.cell(style.count),
                    figure(x.views, "views"), maximum(x.maxViews), figureQuality("views"),
                    figure(x.likes, "likes"), figureQuality("likes"), figure(x.comments, "comments"),
                    figureQuality("comments"), figure(x.shares, "shares"), figureQuality("shares"),
                    style.marked(row.followers.cell(style.whole), row.followersQuality),
                    row.followers == nil ? "" : quality(row.followersQuality, style),
                    style.marked(row.followerChange.cell(style.whole), row.followerChangeQuality),
                    row.followerChange == nil ? "" : quality(row.followerChangeQuality, style),
                ]
                return Self.shown(
                    figures
                        + (row.eii?.components ?? Array(repeating: 0, count: 4)).map {
                            active ? style.fixed($0, 4) : ""
                        }
                        + (row.eii?.points ?? Array(repeating: 0, count: 4)).map { active ? style.fixed($0, 2) : "" }
                        + [
                            style.marked(row.eii.cell { style.fixed($0.value, 2) }, row.eiiQuality), row.indexName,
                            style.marked(row.indexValue.cell { style.fixed($0, 2) }, row.indexQuality),
                            influenceNote(row, style),
                            // The later quality columns: after the note, so earlier ones keep their positions.
                            known("views") ? quality(row.figureQualities["v_max"] ?? .exact, style) : "",
                            row.eii == nil ? "" : quality(row.eiiQuality ?? .exact, style),
                            row.indexValue == nil ? "" : quality(row.indexQuality ?? .exact, style),
                        ],
                    of: Self.influenceColumns,
                    style
                )
            }
        )
    }

    /// Why an account has no EII or no third-party index: `no content data`, or the figures
    /// not collected, `figures not collected: likes comments` (`未采集的数据：点赞、评论`), and
    /// the figures counted 0 because no account of the platform has them.
    func influenceNote(_ row: AccountInfluence, _ style: TableStyle) -> String {
        var parts: [String] = []
        if let days = row.collectedDays {
            parts.append(
                style.text(
                    .labelled,
                    style.term("unavailable", row.unavailable?.rawValue ?? ""),
                    collectedSpan(days, style)
                )
            )
        } else if let reason = row.unavailable, reason != .figuresNotCollected {
            parts.append(style.term("unavailable", reason.rawValue))
        }
        let unknown = row.notCollected.filter { !row.countedZero.contains($0) }
        if !unknown.isEmpty {
            parts.append(
                style.text(
                    .labelled,
                    style.term("unavailable", AccountInfluence.Unavailable.figuresNotCollected.rawValue),
                    style.list(unknown.map { style.metric($0, on: row.account.platform) })
                )
            )
        }
        if !row.countedZero.isEmpty {
            let figures = row.countedZero.map { style.metric($0, on: row.account.platform) }
            parts.append(style.text(.noteCountedZero, style.list(figures)))
        }
        return parts.joined(separator: style.text(.reasonSeparator))
    }

    /// The days an account's collection covers: `2026-10-01..2026-10-02`, `2026年10月1日至2026年10月2日`.
    func collectedSpan(_ days: ClosedRange<CivilDate>, _ style: TableStyle) -> String {
        style.text(.collectedSpan, style.day(days.lowerBound), style.day(days.upperBound))
    }

    /// The sentences on the EII figures a platform's accounts lack: per platform, one for the
    /// figures no account has (`微博：所有账号均未采集阅读量，…按 0 计`, with the third-party
    /// index left empty) and one for those some accounts lack (no EII, unit not ranked, and what
    /// to collect).
    func uncollectedNotes(_ style: TableStyle) -> [String] {
        var sentences: [String] = []
        for entry in uncollected {
            let platform = style.platform(entry.platform)
            if !entry.figures.isEmpty {
                let components = Set(entry.figures.map { $0 == "views" ? "u2" : "u3" }).sorted()
                var sentence = style.text(
                    .notePlatformUncollected,
                    platform,
                    style.list(entry.figures.map { style.metric($0, on: entry.platform) }),
                    style.list(components.map { style.term("component", $0) })
                )
                if let index = entry.indexLeftEmpty { sentence += style.text(.notePlatformIndexEmpty, index) }
                sentences.append(sentence)
            }
            if !entry.partialFigures.isEmpty {
                sentences.append(
                    style.text(
                        .notePlatformPartlyCollected,
                        platform,
                        style.count(entry.accountsLacking),
                        style.count(entry.accountsMeasured),
                        style.list(entry.partialFigures.map { style.metric($0, on: entry.platform) })
                    )
                )
            }
        }
        return sentences
    }

    /// A table's note followed by the platform sentences of ``uncollectedNotes(_:)``.
    private func withUncollected(_ note: String, _ style: TableStyle) -> String {
        ([note] + uncollectedNotes(style)).joined(separator: style.text(.sentenceSeparator))
    }

    private func activityTable(_ style: TableStyle) -> ReportTable {
        ReportTable(
            id: "activity",
            title: style.text(.tableActivity),
            note: style.text(.noteActivity),
            columns: Self.activityColumns.map(style.column),
            textColumns: Self.positions(of: ["unit", "category", "account", "name"], in: Self.activityColumns),
            rows: activity.map { row in
                [
                    row.unit.name, style.category(row.unit.category), style.platform(row.account.platform),
                    row.account.account, row.account.name, style.yesNo(row.account.main), row.posts.cell(style.count),
                    style.term("basis", row.postsBasis.rawValue), row.hits.cell(style.count),
                    // `views+viewers` names each metric; a video's views are 播放量.
                    row.hitMetric.split(separator: "+").map { style.metric(String($0), on: row.account.platform) }
                        .joined(separator: "+"),
                    row.longestGapDays.cell(style.count), row.dormant14d.cell(style.yesNo),
                    row.dataSince?.description ?? "", row.dataUntil?.description ?? "",
                ]
            }
        )
    }

    private func rulesTable(_ style: TableStyle) -> ReportTable {
        ReportTable(
            id: "rules",
            title: style.text(.tableRules),
            note: style.text(.noteRules),
            columns: Self.rulesColumns.map(style.column),
            textColumns: Self.positions(
                of: ["rule", "label", "category", "selector", "metric", "basis"],
                in: Self.rulesColumns
            ),
            rows: rules.rules.map { rule in
                let deadline = rules.deadline(of: rule)
                return [
                    rule.id, rule.label, style.category(rule.category), selector(of: rule, style),
                    style.term("kind", rule.kind.rawValue), style.term("metric", rule.metric),
                    rule.comparison.cell { style.term("op", $0.rawValue) }, rule.threshold.cell(style.target),
                    rule.kind == .info ? "" : style.term("aggregation", rule.aggregation.rawValue),
                    deadline.cell { $0.date(in: calendar).description },
                    rule.effectiveFrom.cell(\.description), rule.effectiveTo.cell(\.description),
                    // `notice` is a code of COUNTS_AND_TARGETS.md (stated in the notice); other text stays as written.
                    rule.basis.isEmpty ? "" : style.term("rule_basis", rule.basis),
                    evaluation(of: rule, style), style.count(unitsSelected[rule.id] ?? 0),
                ]
            }
        )
    }

    // MARK: - Columns

    private static let unitsColumns = [
        "unit", "category", "city", "students", "rule", "target", "aggregation", "main_accounts", "best",
        "best_quality", "sum", "sum_quality", "status", "note",
    ]

    private static let attainmentColumns = [
        "unit", "category", "city", "students", "rule", "kind", "platform", "account", "name", "as_of",
        "followers", "quality", "lo", "hi", "target", "status", "ratio", "gap", "days_left",
        "required_daily", "net_30d", "net_30d_quality", "eta", "unit_best", "unit_best_quality", "unit_sum",
        "unit_sum_quality", "note",
    ]

    private static let influenceColumns = [
        "unit", "category", "platform", "account", "main", "n", "v", "v_max", "v_quality", "likes", "likes_quality",
        "comments", "comments_quality", "shares", "shares_quality", "followers", "followers_quality",
        "followers_change", "followers_change_quality", "u1", "u2", "u3", "u4", "points_u1", "points_u2", "points_u3",
        "points_u4", "eii", "index", "index_value", "note", "v_max_quality", "eii_quality", "index_value_quality",
    ]

    private static let activityColumns = [
        "unit", "category", "platform", "account", "name", "main", "posts", "posts_basis", "hits_100k",
        "hit_metric", "longest_gap_days", "dormant_14d", "data_since", "data_until",
    ]

    private static let rulesColumns = [
        "rule", "label", "category", "selector", "kind", "metric", "op", "threshold", "aggregation",
        "deadline", "effective_from", "effective_to", "basis", "evaluated", "units",
    ]

    /// The quality columns of the CSV: Markdown and HTML mark the figure itself (`≈`, `≥`)
    /// instead, and keep the `quality` column of the attainment table only.
    private static let machineOnly: Set<String> = [
        "best_quality", "sum_quality", "net_30d_quality", "unit_best_quality", "unit_sum_quality", "v_quality",
        "likes_quality", "comments_quality", "shares_quality", "followers_quality", "followers_change_quality",
        "v_max_quality", "eii_quality", "index_value_quality",
    ]

    /// `cells` (one per column of `columns`) without the machine-only ones for people.
    private static func shown(_ cells: [String], of columns: [String], _ style: TableStyle) -> [String] {
        style.isMachine ? cells : zip(columns, cells).filter { !machineOnly.contains($0.0) }.map(\.1)
    }

    /// The columns of `columns` that `style` shows.
    private static func shown(_ columns: [String], _ style: TableStyle) -> [String] {
        style.isMachine ? columns : columns.filter { !machineOnly.contains($0) }
    }

    /// A quality code (`exact`, `approx`, `lower_bound`), or its name for people.
    private func quality(_ quality: Quality?, _ style: TableStyle) -> String {
        quality.cell { style.term("quality", $0.rawValue) }
    }

    /// The positions of the text columns `text` among `columns` (the tables' ``textColumns``).
    private static func positions(of text: Set<String>, in columns: [String]) -> Set<Int> {
        Set(columns.indices.filter { text.contains(columns[$0]) })
    }

    /// `city in {临沂,青岛}; students>=20000`, or `城市：临沂、青岛；在校生 ≥ 20000`.
    private func selector(of rule: Rule, _ style: TableStyle) -> String {
        if style.isMachine { return rule.selectorDescription }
        var parts: [String] = []
        if let cities = rule.cities {
            parts.append(style.text(.selectorCities, cities.joined(separator: style.text(.citySeparator))))
        }
        if let students = rule.students {
            parts.append(
                style.text(.selectorStudents, style.term("op", students.comparison.rawValue), String(students.value))
            )
        }
        return parts.joined(separator: style.text(.reasonSeparator))
    }

    private func evaluation(of rule: Rule, _ style: TableStyle) -> String {
        if !rule.isEffective(from: period.from, to: period.to) { return style.text(.evaluatedNotInForce) }
        if rule.input == .manual { return style.text(.evaluatedManual) }
        if rule.judgesFollowers { return style.text(.evaluatedYes) }
        if rule.metric == "hits_100k" { return style.text(.evaluatedHits) }
        return rule.kind == .info
            ? style.text(.evaluatedInfo) : style.text(.evaluatedNotComputed, style.term("metric", rule.metric))
    }
}
