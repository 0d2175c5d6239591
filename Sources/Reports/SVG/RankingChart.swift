/// Horizontal bars of composite EII, one chart per category and tier, best first. Each label
/// sits above its bar, so long unit names never squeeze the bars on a phone.
enum RankingChart {
    static let width = 480.0

    /// `rows` are (rank, unit, composite EII) in rank order.
    static func render(title: String, rows: [(rank: Int, unit: String, value: Double)]) -> String {
        let rowHeight = 38.0
        let top = 30.0
        let height = top + Double(rows.count) * rowHeight + 6
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(8, 18, title, class: "chart-title")
        let barStart = 8.0
        let barEnd = width - 64
        let maximum = max(rows.map(\.value).max() ?? 0, 1)
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            canvas.text(barStart, y + 12, "\(row.rank). \(row.unit)")
            let length = row.value / maximum * (barEnd - barStart)
            let value = NumberFormat.fixed(row.value, 2)
            canvas.rect(barStart, y + 17, length, 14, class: "bar", title: "\(row.unit) \(value)")
            canvas.text(barStart + length + 6, y + 29, value, class: "value")
        }
        return canvas.render(label: title)
    }
}
