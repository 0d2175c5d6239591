/// Horizontal bars of composite EII, one chart per category and tier, best first. Each label
/// sits above its bar, so long unit names never squeeze the bars on a phone.
enum RankingChart {
    static let width = 480.0

    /// One line of a chart.
    enum Row {
        /// A unit with a composite EII and its rank; `label` is the value as the table shows it,
        /// with its `≈` or `≥`.
        case ranked(rank: Int, unit: String, value: Double, label: String)
        /// A unit without a composite: no bar, no number, and the reason instead, so a missing
        /// index never looks like a score of 0.
        case unranked(unit: String, reason: String)
    }

    /// `rows` in rank order, unranked units last.
    static func render(title: String, rows: [Row], style: TableStyle) -> String {
        let rowHeight = 38.0
        let top = 30.0
        let height = top + Double(rows.count) * rowHeight + 6
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(8, 18, title, class: "chart-title")
        let barStart = 8.0
        let barEnd = width - 64
        let values = rows.compactMap { row -> Double? in
            if case .ranked(_, _, let value, _) = row { return value }
            return nil
        }
        let maximum = max(values.max() ?? 0, 1)
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            switch row {
            case .ranked(let rank, let unit, let value, let label):
                canvas.text(barStart, y + 12, "\(rank). \(unit)")
                let length = value / maximum * (barEnd - barStart)
                canvas.rect(barStart, y + 17, length, 14, class: "bar", title: "\(unit) \(label)")
                canvas.text(barStart + length + 6, y + 29, label, class: "value")
            case .unranked(let unit, let reason):
                canvas.text(barStart, y + 12, "– \(unit)")
                canvas.text(barStart, y + 29, style.text(.chartNotRanked, reason), class: "muted")
            }
        }
        return canvas.render(label: title)
    }
}
