import Collector

/// A main account's followers over time against its target: a line of the stored values
/// (filled dots exact, hollow dots approx, triangles lower bounds) and a dashed target line,
/// with a legend of those marks under the plot, since a tooltip is no legend on a phone or
/// on paper.
enum FollowerChart {
    static let width = 480.0
    static let height = 250.0

    static func render(_ series: FollowerSeries, style: TableStyle) -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let left = 52.0
        let right = width - 16
        let top = 28.0
        let bottom = 200.0
        let label = series.platform.map { "\(series.unit) · \(style.platform($0))" } ?? series.label
        canvas.text(left, 18, label, class: "chart-title")
        guard let first = series.points.first, let last = series.points.last else {
            canvas.text(width / 2, height / 2, style.text(.chartNoFollowers), anchor: "middle", class: "muted")
            return canvas.render(label: label)
        }
        var values = series.points.map { Double($0.value) }
        if let threshold = series.threshold { values.append(Double(threshold)) }
        let y = ChartScale(covering: values, pixelStart: bottom, pixelEnd: top)
        let firstDay = Double(first.date.daysSinceEpoch)
        let lastDay = Double(last.date.daysSinceEpoch)
        func x(_ date: CivilDate) -> Double {
            lastDay > firstDay
                ? left + (Double(date.daysSinceEpoch) - firstDay) / (lastDay - firstDay) * (right - left)
                : (left + right) / 2
        }

        for tick in y.ticks {
            let position = y.position(tick)
            canvas.line(left, position, right, position, class: "grid")
            canvas.text(left - 6, position + 4, ChartScale.shortLabel(tick), anchor: "end", class: "axis")
        }
        canvas.line(left, bottom, right, bottom, class: "axis-line")
        canvas.text(left, bottom + 18, first.date.description, anchor: "start", class: "axis")
        if last.date != first.date {
            canvas.text(right, bottom + 18, last.date.description, anchor: "end", class: "axis")
        }

        if let threshold = series.threshold {
            let position = y.position(Double(threshold))
            canvas.line(left, position, right, position, class: "target")
            let text = "\(series.ruleID ?? style.text(.chartTarget)) \(ChartScale.shortLabel(Double(threshold)))"
            canvas.text(right, position - 5, text, anchor: "end", class: "target-label")
        }

        canvas.polyline(series.points.map { (x($0.date), y.position(Double($0.value))) }, class: "series")
        for point in series.points {
            let title = "\(point.date) \(style.integer(point.value)) \(style.term("quality", point.quality.rawValue))"
            mark(point.quality, at: x(point.date), y.position(Double(point.value)), title: title, on: &canvas)
        }
        legend(on: &canvas, y: height - 8, style: style)
        // Top right: the legend fills the bottom line.
        canvas.text(
            right,
            18,
            style.status(series.status),
            anchor: "end",
            class: "status s-\(series.status.rawValue)"
        )
        return canvas.render(label: label)
    }

    /// The mark of one stored value: its shape says its quality.
    private static func mark(
        _ quality: Quality,
        at px: Double,
        _ py: Double,
        title: String?,
        on canvas: inout SVGCanvas
    ) {
        switch quality {
        case .exact: canvas.circle(px, py, radius: 3, class: "dot", title: title)
        case .approx: canvas.circle(px, py, radius: 3.5, class: "dot-approx", title: title)
        case .lowerBound:
            canvas.polygon([(px, py - 5), (px - 4.5, py + 3), (px + 4.5, py + 3)], class: "dot", title: title)
        }
    }

    /// One line under the plot: each mark shape and the target line, with their names.
    private static func legend(on canvas: inout SVGCanvas, y: Double, style: TableStyle) {
        var x = 12.0
        let items: [(Quality?, ReportText)] = [
            (.exact, .legendExact), (.approx, .legendApprox), (.lowerBound, .legendLowerBound), (nil, .legendTarget),
        ]
        for (quality, key) in items {
            let text = style.text(key)
            if let quality {
                mark(quality, at: x, y - 4, title: nil, on: &canvas)
                x += 8
            } else {
                canvas.line(x - 4, y - 4, x + 14, y - 4, class: "target")
                x += 18
            }
            canvas.text(x, y, text, class: "legend")
            x += SVGCanvas.textWidth(text, fontSize: 11) + 12
        }
    }
}
