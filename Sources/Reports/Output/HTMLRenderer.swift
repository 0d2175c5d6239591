import Collector

/// One self-contained HTML file: inline CSS, inline SVG charts, no scripts, no external
/// resources, readable on a phone (tables scroll sideways inside their own box).
enum HTMLRenderer {
    static func render(_ report: Report, style: TableStyle) -> String {
        let title = report.title(style)
        var html = """
            <!DOCTYPE html>
            <html lang="\(style.localization.language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(css)</style>
            </head>
            <body>
            <main>
            <h1>\(escape(title))</h1>

            """
        if let notice = report.runningNotice(style) {
            html +=
                "<p class=\"banner\" role=\"note\"><b>\(escape(style.text(.runningBanner)))</b> \(escape(notice))</p>\n"
        }
        html += keyFigures(report, style: style)
        let notes = report.summaryNotes(style)
        if !notes.isEmpty {
            html += section(id: "summary", title: style.text(.summaryTitle)) {
                "<ul class=\"notes\">" + notes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
            }
        }
        html += section(id: "chart-attainment", title: style.text(.chartAttainment)) {
            "<div class=\"single\">" + figure(AttainmentChart.render(report.summary, style: style)) + "</div>"
        }
        html += section(id: "chart-followers", title: style.text(.chartFollowers)) {
            "<div class=\"grid\">"
                + report.followerSeries.map { figure(FollowerChart.render($0, style: style)) }.joined() + "</div>"
        }
        html += section(id: "chart-ranking", title: style.text(.chartRanking)) {
            "<div class=\"grid\">" + rankingCharts(report, style: style).joined() + "</div>"
        }
        for table in report.tables(style) {
            html += section(id: "table-" + table.id, title: table.title) {
                (table.note.isEmpty ? "" : "<p class=\"note\">\(escape(table.note))</p>\n")
                    + render(table, style: style)
            }
        }
        html +=
            "<footer>\(escape(style.text(.footer, style.moment(report.generatedAt), report.rules.source)))</footer>\n"
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func keyFigures(_ report: Report, style: TableStyle) -> String {
        var counts: [AttainmentStatus: Int] = [:]
        for row in report.units { counts[row.status, default: 0] += 1 }
        let period = style.period(report.period)
        var cards = [
            (style.text(.cardPeriod), report.isRunning ? style.text(.cardRunning, period) : period),
            (style.text(.cardAsOf), style.day(report.asOf)),
        ]
        if let deadline = report.deadline { cards.append((style.text(.cardDeadline), style.day(deadline))) }
        for status in AttainmentChart.statuses where counts[status] != nil {
            cards.append((style.status(status), style.count(counts[status] ?? 0)))
        }
        // Always shown: a 0 says every main account has data, which the statuses alone do not.
        cards.append((style.text(.cardUnitsLackingData), style.count(report.unitsLackingData)))
        cards.append((style.text(.cardAccountsLackingData), style.count(report.dataGaps.count)))
        let items = cards.map { "<div class=\"card\"><span>\(escape($0.0))</span><b>\(escape($0.1))</b></div>" }
        return "<section class=\"cards\">" + items.joined() + "</section>\n"
    }

    private static func rankingCharts(_ report: Report, style: TableStyle) -> [String] {
        // Grouped by category and tier (the rule id), titled for people: two tiers with the
        // same target stay two charts.
        var order: [(key: String, title: String)] = []
        var groups: [String: [RankingChart.Row]] = [:]
        for row in report.ranking {
            let key = row.unit.category + "\u{0}" + row.tier
            if groups[key] == nil { order.append((key, tierTitle(row, report, style: style))) }
            let entry: RankingChart.Row =
                if let rank = row.rank, let composite = row.composite {
                    // Marked as in the table: a chart pasted alone must keep the caveat.
                    .ranked(
                        rank: rank,
                        unit: row.unit.name,
                        value: composite,
                        label: style.marked(style.fixed(composite, 2), row.compositeQuality)
                    )
                } else {
                    .unranked(unit: row.unit.name, reason: report.rankingNote(row, style))
                }
            groups[key, default: []].append(entry)
        }
        return order.map { figure(RankingChart.render(title: $0.title, rows: groups[$0.key] ?? [], style: style)) }
    }

    /// `市教育局 · 100万档`: the tier by its target, which a unit knows, rather than its rule id
    /// (`city_bureau · SD16-BUR-A` in English, whose tables name the rules by id).
    private static func tierTitle(_ row: UnitInfluence, _ report: Report, style: TableStyle) -> String {
        let category = style.category(row.unit.category)
        guard !row.tier.isEmpty else { return category }
        guard let threshold = report.rules.rules.first(where: { $0.id == row.tier })?.threshold else {
            return "\(category) · \(row.tier)"
        }
        return style.text(.chartRankingTier, category, style.target(threshold), row.tier)
    }

    private static func section(id: String, title: String, _ content: () -> String) -> String {
        "<section id=\"\(id)\">\n<h2>\(escape(title))</h2>\n\(content())\n</section>\n"
    }

    private static func figure(_ svg: String) -> String { "<figure>\(svg)</figure>" }

    private static func render(_ table: ReportTable, style: TableStyle) -> String {
        let statusColumn = table.columns.firstIndex(of: style.column("status"))
        // The cell shows the status's name; its colour class needs the code.
        let codes = Dictionary(AttainmentStatus.allCases.map { (style.status($0), $0.rawValue) }) { first, _ in first }
        var html = "<div class=\"scroll\"><table>\n<thead><tr>"
        html += table.columns.map { "<th>\(escape($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (column, cell) in row.enumerated() {
                if column == statusColumn {
                    html += "<td class=\"status s-\(escape(codes[cell] ?? cell))\">\(escape(cell))</td>"
                } else if isNumber(cell) {
                    html += "<td class=\"num\">\(escape(cell))</td>"
                } else {
                    html += "<td>\(escape(cell))</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>"
    }

    /// Numbers are right-aligned, also with separators, marks and units (`≈1,000,000`, `99.90%`,
    /// `100万`, `∞`); dates and ids are not.
    private static func isNumber(_ cell: String) -> Bool {
        var core = cell.filter { !"≈≥≤,%".contains($0) }
        if core.hasSuffix("万") { core.removeLast() }
        return core == "∞" || core == "inf" || Double(core) != nil
    }

    static func escape(_ text: String) -> String { SVGCanvas.escape(text) }

    /// Mobile first: one column, charts scale to the width, tables scroll in their own box.
    private static let css = """
        :root{--fg:#1d2330;--muted:#5f6b7a;--line:#d9dee5;--bg:#fff;--band:#f5f7fa;--accent:#1f5fa8}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif}
        main{max-width:1100px;margin:0 auto;padding:12px}
        h1{font-size:1.35rem;margin:.4em 0 .6em}
        h2{font-size:1.1rem;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
        .note{color:var(--muted);font-size:.85rem;margin:.3em 0 .6em}
        .notes{margin:.3em 0;padding-left:1.2em}
        .notes li{margin:.2em 0}
        .banner{background:#fff4d6;border-left:4px solid #f9a825;border-radius:6px;padding:8px 12px;margin:0 0 12px}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(120px,1fr));gap:8px}
        .card{background:var(--band);border-radius:8px;padding:8px 10px}
        .card span{display:block;color:var(--muted);font-size:.8rem}
        .card b{font-size:1.1rem}
        .single{max-width:640px}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
        figure{margin:0;background:var(--band);border-radius:8px;padding:6px}
        svg{width:100%;height:auto;display:block}
        svg text{font-family:inherit;font-size:12px;fill:var(--fg)}
        svg .chart-title{font-size:14px;font-weight:600}
        svg .axis,svg .legend,svg .muted{fill:var(--muted);font-size:11px}
        svg .value,svg .bar-count{font-size:11px}
        svg .bar-count{fill:#fff}
        svg .grid{stroke:var(--line);stroke-width:1}
        svg .axis-line{stroke:var(--muted);stroke-width:1}
        svg .series{fill:none;stroke:var(--accent);stroke-width:2}
        svg .dot{fill:var(--accent)}
        svg .dot-approx{fill:#fff;stroke:var(--accent);stroke-width:1.5}
        svg .target{stroke:#c62828;stroke-width:1.5;stroke-dasharray:6 4}
        svg .target-label{fill:#c62828;font-size:11px}
        svg .bar{fill:var(--accent)}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:6px}
        table{border-collapse:collapse;font-size:13px;width:max-content;min-width:100%}
        th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
        th{background:var(--band);position:sticky;top:0}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        .s-MET{fill:#2e7d32;background:#e3f1e4}
        .s-NOT_MET{fill:#c62828;background:#fbe4e4}
        .s-INDETERMINATE{fill:#f9a825;background:#fff4d6}
        .s-NO_DATA{fill:#8a949e;background:#eceff1}
        .s-MISSING_ACCOUNT{fill:#6a1b9a;background:#f1e5f7}
        .s-NO_RULE{fill:#c4ccd4;background:#f5f7fa}
        svg text.status{font-weight:600;background:none}
        footer{color:var(--muted);font-size:.8rem;margin:2em 0 1em}
        @media (min-width:700px){main{padding:20px}h1{font-size:1.6rem}}
        """
}
