import Foundation

/// How bytes of unknown content are shown to a person: as text when they are valid UTF-8 without control
/// characters, else as a hex dump.
enum BytesView {
    static func text(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let printable = text.unicodeScalars.allSatisfy { $0 == "\n" || $0 == "\t" || $0 == "\r" || $0.value >= 0x20 && $0.value != 0x7F }
        return printable ? text : nil
    }

    /// Pretty-printed when the bytes are a JSON document; nil otherwise (including JSON nested deeper than
    /// Foundation's parser allows, which is then shown as plain text).
    static func prettyJSON(_ bytes: [UInt8]) -> String? {
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else {
            return nil
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: pretty, as: UTF8.self)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// `offset  hex bytes  |ascii|`, 16 bytes a line, at most `limit` bytes.
    static func hexDump(_ bytes: [UInt8], limit: Int) -> String {
        var lines: [String] = []
        for start in stride(from: 0, to: min(bytes.count, limit), by: 16) {
            let line = bytes[start..<min(start + 16, bytes.count)]
            let hex = line.map { String(format: "%02x", $0) }.joined(separator: " ")
            let ascii = String(line.map { (0x20..<0x7F).contains($0) ? Character(UnicodeScalar($0)) : "." })
            lines.append(String(format: "%08x  ", start) + hex.padding(toLength: 48, withPad: " ", startingAt: 0) + "  |\(ascii)|")
        }
        if bytes.count > limit {
            lines.append("... \(bytes.count - limit) more bytes (--full shows all)")
        }
        return lines.joined(separator: "\n")
    }
}
