/// A span of time written the way operators write ages: `90s`, `15m`, `2h`, `7d`.
///
/// The selection language (`since=2h`), `dlq purge --older-than 30d` and `retention.purge_after` share it, so one
/// spelling works everywhere. Whole units only, and at most 100 years: a longer age is surely a typo, and the
/// bound keeps every computation with it far from overflow.
public struct Age: Sendable, Equatable, CustomStringConvertible {
    public let seconds: Int64

    private static let longest: Int64 = 100 * 366 * 86_400

    public init?(seconds: Int64) {
        guard (0...Self.longest).contains(seconds) else { return nil }
        self.seconds = seconds
    }

    /// Reads `<digits><unit>` with unit `s`, `m`, `h` or `d`; nil for anything else.
    public init?(parsing text: String) {
        guard let unit = text.unicodeScalars.last, text.unicodeScalars.count >= 2 else { return nil }
        let digits = text.unicodeScalars.dropLast()
        // Twelve digits of days still fit an Int64 of seconds; the range check below does the rest.
        guard digits.count <= 12, digits.allSatisfy({ $0.isASCII && ("0"..."9").contains($0) }) else { return nil }
        var amount: Int64 = 0
        for digit in digits { amount = amount * 10 + Int64(digit.value - 0x30) }
        let multiplier: Int64
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86_400
        default: return nil
        }
        self.init(seconds: amount * multiplier)
    }

    public var duration: Duration { .seconds(seconds) }

    /// The largest whole unit that writes it exactly: `30d`, `36h`, `90s`.
    public var description: String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds > 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
