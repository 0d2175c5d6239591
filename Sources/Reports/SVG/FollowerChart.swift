import Collector

/// A main account's followers over time against its target: a line of the stored values
/// (filled dots exact, hollow dots approx, triangles lower bounds) and a dashed target line.
enum FollowerChart {
    static let width = 480.0
    static let height = 240.0

    static func render(_ series: FollowerSeries) -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let left = 52.0
        let right = width - 16
        let top = 28.0
        let bottom = height - 40
        canvas.text(left, 18, series.label, class: "chart-title")
        guard let first = series.points.first, let last = series.points.last else {
            canvas.text(width / 2, height / 2, "no followers data", anchor: "middle", class: "muted")
            return canvas.render(label: series.label)
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
            let label = "\(series.ruleID ?? "target") \(ChartScale.shortLabel(Double(threshold)))"
            canvas.text(right, position - 5, label, anchor: "end", class: "target-label")
        }

        canvas.polyline(series.points.map { (x($0.date), y.position(Double($0.value))) }, class: "series")
        for point in series.points {
            let px = x(point.date)
            let py = y.position(Double(point.value))
            let title = "\(point.date) \(point.value) \(point.quality.rawValue)"
            switch point.quality {
            case .exact: canvas.circle(px, py, radius: 3, class: "dot", title: title)
            case .approx: canvas.circle(px, py, radius: 3.5, class: "dot-approx", title: title)
            case .lowerBound:
                canvas.polygon([(px, py - 5), (px - 4.5, py + 3), (px + 4.5, py + 3)], class: "dot", title: title)
            }
        }
        canvas.text(
            right,
            height - 6,
            series.status.rawValue,
            anchor: "end",
            class: "status s-\(series.status.rawValue)"
        )
        return canvas.render(label: series.label)
    }
}
