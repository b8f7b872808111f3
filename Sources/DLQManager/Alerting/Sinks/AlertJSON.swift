/// A JSON value as a sink builds it: objects keep their members in the order written, so payloads serialise
/// byte-for-byte the same every time (stable signatures, readable diffs in tests).
///
/// Written instead of `[String: Any]` + `JSONSerialization` so redaction can walk a typed tree before anything is
/// serialised, and so the output does not depend on Foundation's key ordering or number formatting.
indirect enum AlertJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([AlertJSON])
    /// Members in output order. Keys are expected to be unique; the builder never repeats one.
    case object([(key: String, value: AlertJSON)])

    static func == (lhs: AlertJSON, rhs: AlertJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.int(a), .int(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// A string, or `null` when absent: the generic webhook keeps every documented key present.
    static func optional(_ value: String?) -> AlertJSON {
        value.map(AlertJSON.string) ?? .null
    }

    /// An integer, or `null` when absent.
    static func optional(_ value: Int64?) -> AlertJSON {
        value.map(AlertJSON.int) ?? .null
    }

    /// An object from members whose value may be absent; absent members are left out rather than sent as null.
    static func compactObject(_ members: [(String, AlertJSON?)]) -> AlertJSON {
        .object(members.compactMap { key, value in value.map { (key: key, value: $0) } })
    }

    /// UTF-8 JSON text without insignificant whitespace.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(to: &out)
        return out
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let value):
            out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value):
            out.append(contentsOf: String(value).utf8)
        case .string(let value):
            Self.writeString(value, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ value: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: #"\""#.utf8)
            case "\\": out.append(contentsOf: #"\\"#.utf8)
            case "\n": out.append(contentsOf: #"\n"#.utf8)
            case "\r": out.append(contentsOf: #"\r"#.utf8)
            case "\t": out.append(contentsOf: #"\t"#.utf8)
            // U+2028/2029 are valid JSON but end a line in JavaScript; escaping them keeps receivers that embed
            // the payload in a script safe.
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let v = scalar.value
                out.append(contentsOf: #"\u"#.utf8)
                out.append(hex[Int((v >> 12) & 0xF)])
                out.append(hex[Int((v >> 8) & 0xF)])
                out.append(hex[Int((v >> 4) & 0xF)])
                out.append(hex[Int(v & 0xF)])
            default:
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
