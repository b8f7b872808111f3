/// A plain text table: a header row and columns padded to their widest cell.
struct Table {
    var headers: [String]
    var rows: [[String]] = []

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// At most `length` characters, with an ellipsis when cut; newlines folded so a row stays one line.
    func truncated(to length: Int) -> String {
        let single = replacingOccurrences(of: "\n", with: " ")
        return single.count <= length ? single : String(single.prefix(length - 1)) + "…"
    }
}
