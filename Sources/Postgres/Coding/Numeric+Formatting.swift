/// Reads PostgreSQL's binary `numeric` (base-10000 digit groups) as decimal text.
///
/// Aggregates such as `sum(bigint)` and `avg(...)` return `numeric`; formatting it exactly as the server's
/// text output lets `Int`, `Double` and `String` decode it without a lossy intermediate.
enum NumericFormatting {
    static func string(from bytes: ArraySlice<UInt8>) throws -> String {
        var reader = BinaryReader(bytes)
        let digitCount = Int(try reader.read(Int16.self))
        let weight = Int(try reader.read(Int16.self))
        let sign = try reader.read(UInt16.self)
        let displayScale = Int(try reader.read(Int16.self))
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: throw PostgresError.decoding("numeric value has an unknown sign \(sign)")
        }
        guard digitCount >= 0 else {
            throw PostgresError.decoding("numeric value has a negative digit count")
        }
        var groups: [Int] = []
        groups.reserveCapacity(digitCount)
        for _ in 0..<digitCount {
            groups.append(Int(try reader.read(Int16.self)))
        }
        func group(_ index: Int) -> Int {
            index >= 0 && index < groups.count ? groups[index] : 0
        }
        func padded(_ group: Int) -> String {
            let digits = String(group)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }

        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            for index in 0...weight {
                text += index == 0 ? String(group(index)) : padded(group(index))
            }
        }
        if displayScale > 0 {
            var fraction = ""
            var index = weight + 1
            while fraction.count < displayScale {
                fraction += padded(group(index))
                index += 1
            }
            text += "." + fraction.prefix(displayScale)
        }
        return text
    }

    /// The integer a numeric's text denotes, if it is whole ("12.000" is, "12.5" is not) and fits.
    static func integer(from text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].contains(where: { $0 != "0" }) {
            return nil
        }
        return Int64(parts[0])
    }
}
