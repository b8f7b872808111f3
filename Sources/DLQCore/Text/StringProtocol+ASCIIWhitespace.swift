extension StringProtocol {
    /// Header values are often written by hand or copied from HTTP, where stray spaces and line ends are noise.
    func trimmingASCIIWhitespace() -> Substring {
        var result = self[...]
        while let first = result.first, first == " " || first == "\t" || first == "\r" || first == "\n" || first == "\r\n" {
            result.removeFirst()
        }
        while let last = result.last, last == " " || last == "\t" || last == "\r" || last == "\n" || last == "\r\n" {
            result.removeLast()
        }
        return Substring(result)
    }
}
