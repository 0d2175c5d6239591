/// Stacked horizontal bars: for each category and tier, how many units have each status.
/// Labels sit above the bars and the legend wraps, so the chart stays legible on a phone.
enum AttainmentChart {
    static let width = 480.0
    static let statuses: [AttainmentStatus] = [.met, .indeterminate, .notMet, .noData, .missingAccount, .noRule]

    static func render(_ summary: [AttainmentSummary], style: TableStyle) -> String {
        // Legend first: it decides where the bars start.
        var legend: [(x: Double, y: Double, status: AttainmentStatus)] = []
        var legendX = 8.0
        var legendY = 30.0
        for status in statuses {
            let itemWidth = 16 + SVGCanvas.textWidth(style.status(status), fontSize: 11) + 12
            if legendX + itemWidth > width - 8 {
                legendX = 8
                legendY += 18
            }
            legend.append((legendX, legendY, status))
            legendX += itemWidth
        }
        let rowHeight = 38.0
        let top = legendY + 24
        let height = top + Double(summary.count) * rowHeight + 6
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(8, 18, style.text(.chartUnitsPerStatus), class: "chart-title")
        for item in legend {
            canvas.rect(item.x, item.y, 12, 12, class: "s-\(item.status.rawValue)")
            canvas.text(item.x + 16, item.y + 10, style.status(item.status), class: "legend")
        }
        let barStart = 8.0
        let barEnd = width - 8
        let maximum = Double(max(summary.map(\.units).max() ?? 0, 1))
        for (index, row) in summary.enumerated() {
            let y = top + Double(index) * rowHeight
            let label = row.rule.map { "\(style.category(row.category)) \($0.id)" } ?? style.category(row.category)
            canvas.text(barStart, y + 12, label)
            var x = barStart
            for status in statuses {
                let count = row.counts[status] ?? 0
                guard count > 0 else { continue }
                let length = Double(count) / maximum * (barEnd - barStart)
                canvas.rect(
                    x,
                    y + 17,
                    length,
                    16,
                    class: "s-\(status.rawValue)",
                    title: "\(label): \(count) \(style.status(status))"
                )
                canvas.text(x + length / 2, y + 29, String(count), anchor: "middle", class: "bar-count")
                x += length
            }
        }
        return canvas.render(label: style.text(.chartUnitsPerStatusLabel))
    }
}
