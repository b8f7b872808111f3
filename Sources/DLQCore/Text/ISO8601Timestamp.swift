#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the ISO-8601 / RFC 3339 timestamps failure envelopes carry, e.g. `2026-01-31T12:34:56.789Z`.
///
/// Hand-written rather than a Foundation format style because producers vary (fraction length, `+0100` vs
/// `+01:00`, a space instead of `T`) and the decoder must accept all of those deterministically on every
/// platform without allocating a formatter per record.
enum ISO8601Timestamp {
    /// A parsed instant and whether the text named its offset from UTC.
    struct Parsed {
        var date: Date
        /// False when the text had no `Z` or offset and UTC was assumed.
        var hadZone: Bool
    }

    static func parse(_ text: String) -> Parsed? {
        let b = Array(text.utf8)
        var i = 0

        func digits(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var n = 0
            for k in i..<(i + count) {
                let d = b[k] &- UInt8(ascii: "0")
                guard d <= 9 else { return nil }
                n = n * 10 + Int(d)
            }
            i += count
            return n
        }
        func skip(_ byte: UInt8) -> Bool {
            guard i < b.count, b[i] == byte else { return false }
            i += 1
            return true
        }

        guard let year = digits(4), skip(UInt8(ascii: "-")),
              let month = digits(2), skip(UInt8(ascii: "-")),
              let day = digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ")
        else { return nil }
        i += 1
        guard let hour = digits(2), skip(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        var second = 0
        var nanoseconds = 0
        if skip(UInt8(ascii: ":")) {
            guard let s = digits(2) else { return nil }
            second = s
            if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                var scale = 100_000_000
                let start = i
                while i < b.count, b[i] &- UInt8(ascii: "0") <= 9 {
                    nanoseconds += Int(b[i] &- UInt8(ascii: "0")) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
        }
        // 24:00 is not accepted; a leap second (60) rolls into the next minute.
        guard hour <= 23, minute <= 59, second <= 60 else { return nil }

        var offsetSeconds = 0
        var hadZone = true
        if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) {
            // UTC.
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let offsetHours = digits(2) else { return nil }
            var offsetMinutes = 0
            if i < b.count {
                _ = skip(UInt8(ascii: ":"))
                guard let m = digits(2) else { return nil }
                offsetMinutes = m
            }
            guard offsetHours <= 23, offsetMinutes <= 59 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            hadZone = false
        }
        guard i == b.count else { return nil }

        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let interval = Double(seconds) + Double(nanoseconds) / 1_000_000_000
        return Parsed(date: Date(timeIntervalSince1970: interval), hadZone: hadZone)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for whole epoch milliseconds, the shape JSON producers typically emit.
    static func format(epochMilliseconds: Int64) -> String {
        let (seconds, milliseconds) = epochMilliseconds.quotientAndRemainder(dividingBy: 1000)
        let adjustedSeconds = milliseconds < 0 ? seconds - 1 : seconds
        let millis = milliseconds < 0 ? milliseconds + 1000 : milliseconds
        let (days, secondOfDay) = floorDivision(Int(adjustedSeconds), 86_400)
        let (year, month, day) = civil(fromDaysSinceEpoch: days)
        func pad(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(Int(millis), 3))Z"
    }

    private static func floorDivision(_ a: Int, _ b: Int) -> (Int, Int) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    // Howard Hinnant's civil_from_days, the inverse of daysSinceEpoch.
    private static func civil(fromDaysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar without a Calendar object.
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
