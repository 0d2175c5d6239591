/// A minimal SVG writer: elements are appended as text with escaped content and coordinates
/// rounded to 0.1, so the output is small and deterministic.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" class=\"\(name)\"/>"
    }

    mutating func rect(
        _ x: Double,
        _ y: Double,
        _ width: Double,
        _ height: Double,
        class name: String,
        title: String? = nil
    ) {
        let attributes =
            "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\" class=\"\(name)\""
        if let title {
            body += "<rect \(attributes)><title>\(SVGCanvas.escape(title))</title></rect>"
        } else {
            body += "<rect \(attributes)/>"
        }
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, class name: String, title: String? = nil) {
        let attributes = "cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" class=\"\(name)\""
        if let title {
            body += "<circle \(attributes)><title>\(SVGCanvas.escape(title))</title></circle>"
        } else {
            body += "<circle \(attributes)/>"
        }
    }

    mutating func polyline(_ points: [(x: Double, y: Double)], class name: String) {
        guard points.count > 1 else { return }
        let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" class=\"\(name)\"/>"
    }

    mutating func polygon(_ points: [(x: Double, y: Double)], class name: String, title: String? = nil) {
        let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        if let title {
            body += "<polygon points=\"\(list)\" class=\"\(name)\"><title>\(SVGCanvas.escape(title))</title></polygon>"
        } else {
            body += "<polygon points=\"\(list)\" class=\"\(name)\"/>"
        }
    }

    /// Text at (x, y); `anchor` is `start`, `middle` or `end`.
    mutating func text(
        _ x: Double,
        _ y: Double,
        _ content: String,
        anchor: String = "start",
        class name: String = "label"
    ) {
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" class=\"\(name)\">"
        body += SVGCanvas.escape(content) + "</text>"
    }

    /// The finished `<svg>` element; it scales to its container (CSS sets the width).
    func render(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
            + "aria-label=\"\(SVGCanvas.escape(label))\"><title>\(SVGCanvas.escape(label))</title>\(body)</svg>"
    }

    private func n(_ value: Double) -> String { NumberFormat.plain((value * 10).rounded() / 10) }

    /// The approximate width of `text` at `fontSize`, for laying out legends: Latin letters
    /// and digits are about half as wide as a Chinese character.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 0.6 : 1.0) * fontSize }
    }

    /// Escapes text for XML content and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
