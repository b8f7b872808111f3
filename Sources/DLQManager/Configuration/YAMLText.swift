/// Text written into the YAML that `dlq config check` prints, so that it reads back as what was written.
///
/// Configuration values come from files, environment variables and the command line, and can hold anything. A
/// YAML parser refuses control characters anywhere in a file and folds raw line breaks inside a quoted scalar
/// into spaces, and a line break inside a comment would end the comment and turn the rest into settings. So
/// both values and comment text escape them.
enum YAMLText {
    /// A double-quoted scalar: exactly `text` once read.
    static func quoted(_ text: String) -> String {
        "\"" + escaped(text, quotes: true) + "\""
    }

    /// One entry of a mapping, `key: value` at `indent`. A parser refuses a key written the usual way that is
    /// longer than 1024 characters, so a long one is written as an explicit key: `? key`, then `: value`.
    static func entry(key: String, value: String, indent: String) -> [String] {
        let key = quoted(key)
        // Bytes, not characters: never fewer, so the limit holds whatever the parser counts.
        guard key.utf8.count >= 1000 else { return [indent + key + ": " + value] }
        return [indent + "? " + key, indent + ": " + value]
    }

    /// Text for a comment: on one line, with nothing a parser refuses.
    static func comment(_ text: String) -> String {
        escaped(text, quotes: false)
    }

    private static func escaped(_ text: String, quotes: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quotes: result += "\\\""
            case "\\" where quotes: result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where isPrintable(scalar): result.unicodeScalars.append(scalar)
            default: result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            }
        }
        return result
    }

    /// YAML's printable characters less its line breaks (NEL, LINE and PARAGRAPH SEPARATOR) and the byte order
    /// mark. Everything else that needs escaping is below U+10000, so four hex digits always suffice.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E: true
        case 0xA0...0xD7FF: scalar.value != 0x2028 && scalar.value != 0x2029
        case 0xE000...0xFFFD: scalar.value != 0xFEFF
        case 0x10000...0x10FFFF: true
        default: false
        }
    }
}
