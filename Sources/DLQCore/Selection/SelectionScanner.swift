/// Splits selection text into `field=value` terms, unquoting values; ``DeadLetterSelection/init(parsing:now:)``
/// gives the terms their meaning.
///
/// Works on Unicode scalars rather than characters: a combining mark after a quote would otherwise fuse with it
/// into one character and hide the quote, and what `description` quotes must be exactly what this reads.
struct SelectionScanner {
    /// One term as written and as read.
    struct Term {
        /// The term as written, for error messages.
        var text: String
        /// Lower-cased; `header.NAME` for a header term.
        var field: String
        /// The NAME of a `header.NAME` term, exactly as written (header names are case-sensitive).
        var headerName: String?
        /// The alternatives, unquoted; at least one.
        var values: [String]
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// The next term, or nil at the end of the text.
    mutating func nextTerm() throws(SelectionSyntaxError) -> Term? {
        while position < scalars.count, Self.isSeparator(scalars[position]) { position += 1 }
        guard position < scalars.count else { return nil }
        let start = position

        var rawField = String()
        while let scalar = peek, scalar != "=", scalar != "\"", !Self.isSeparator(scalar) {
            rawField.unicodeScalars.append(scalar)
            position += 1
        }
        var field = rawField.lowercased()
        var headerName: String?
        // Compared on the raw scalars: lower-casing may change how many scalars precede the name.
        if String(rawField.unicodeScalars.prefix(7)).lowercased() == "header." {
            headerName = String(rawField.unicodeScalars.dropFirst("header.".unicodeScalars.count))
        }
        if peek == "\"" {
            // Only a header name may be quoted, and then the whole of it: header."x-trace id"=...
            guard headerName?.isEmpty == true else { throw error(from: start, "field=value (a quote only around a whole value)") }
            headerName = try quoted(termStart: start)
        }
        if headerName != nil { field = "header.NAME" }
        guard peek == "=" else { throw error(from: start, "field=value") }
        position += 1

        var values: [String] = []
        while true {
            if peek == "\"" {
                values.append(try quoted(termStart: start))
                if let next = peek, next != ",", !Self.isSeparator(next) {
                    throw error(from: start, "a comma or a space after a quoted value")
                }
            } else {
                var value = String()
                while let scalar = peek, scalar != ",", !Self.isSeparator(scalar) {
                    guard scalar != "\"" else {
                        throw error(from: start, "a quote only around a whole value, e.g. key=\"a b\"")
                    }
                    value.unicodeScalars.append(scalar)
                    position += 1
                }
                guard !value.isEmpty else {
                    throw error(from: start, "a value after = and between commas (an empty value is written \"\")")
                }
                values.append(value)
            }
            guard peek == "," else { break }
            position += 1
        }
        return Term(text: text(from: start), field: field, headerName: headerName, values: values)
    }

    private var peek: Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    /// Reads a double-quoted string starting at the opening quote.
    private mutating func quoted(termStart: Int) throws(SelectionSyntaxError) -> String {
        position += 1
        var value = String()
        while let scalar = peek {
            position += 1
            switch scalar {
            case "\"":
                return value
            case "\\":
                guard let escaped = peek else { break }
                position += 1
                switch escaped {
                case "\"", "\\": value.unicodeScalars.append(escaped)
                case "n": value.unicodeScalars.append("\n")
                case "t": value.unicodeScalars.append("\t")
                case "r": value.unicodeScalars.append("\r")
                default: throw error(from: termStart, "a known escape (\\\" \\\\ \\n \\t \\r), not \\\(escaped)")
                }
            default:
                value.unicodeScalars.append(scalar)
            }
        }
        throw error(from: termStart, "a closing quote (the quote is unterminated)")
    }

    /// The term from `start` to the next separator (or to the end, for an unterminated quote).
    private func text(from start: Int) -> String {
        var end = max(position, start)
        while end < scalars.count, !Self.isSeparator(scalars[end]) { end += 1 }
        var text = String()
        text.unicodeScalars.append(contentsOf: scalars[start..<min(end, scalars.count)])
        return text
    }

    private func error(from start: Int, _ expected: String) -> SelectionSyntaxError {
        SelectionSyntaxError(term: text(from: start), expected: expected)
    }

    /// The value as the scanner reads it back: bare when it can be, else quoted and escaped.
    static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            isSeparator(scalar) || scalar == "\"" || scalar == "," || scalar == "\\" || scalar == "="
        }
        guard needsQuotes else { return value }
        var quoted = String()
        quoted.unicodeScalars.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        quoted.unicodeScalars.append("\"")
        return quoted
    }
}

extension Unicode.Scalar {
    /// 0-9, a-f, A-F only: Unicode's Hex_Digit also admits full-width digits, which no fingerprint or trace id has.
    var isASCIIHexDigit: Bool {
        switch value {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: true
        default: false
        }
    }
}
