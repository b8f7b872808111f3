#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `since` and `until` values of a selection: ISO-8601 dates and date-times, or ages before "now".
///
/// Every time is kept to whole milliseconds, built the same way from the millisecond count whichever way it was
/// written, so that a selection's canonical text (which writes milliseconds) reads back to an equal `Date`.
enum SelectionTime {
    /// Years 0001 to 9999: what a four-digit ISO-8601 year can write back.
    private static let range: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    static func parse(_ text: String, now: Date) -> Date? {
        if let age = Age(parsing: text) {
            guard let now = milliseconds(now) else { return nil }
            return date(milliseconds: now - age.seconds * 1000)
        }
        // A date alone means its midnight, UTC.
        let dateTime = text.utf8.count == 10 ? text + "T00:00:00Z" : text
        guard let parsed = ISO8601Timestamp.parse(dateTime), let milliseconds = milliseconds(parsed.date) else {
            return nil
        }
        return date(milliseconds: milliseconds)
    }

    /// ISO-8601 in UTC, with milliseconds only when there are some.
    static func format(_ date: Date) -> String {
        let milliseconds = milliseconds(date) ?? (date.timeIntervalSince1970 < 0 ? range.lowerBound : range.upperBound)
        let text = ISO8601Timestamp.format(epochMilliseconds: milliseconds)
        return text.hasSuffix(".000Z") ? String(text.dropLast(5)) + "Z" : text
    }

    private static func milliseconds(_ date: Date) -> Int64? {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, Double(range.lowerBound) <= milliseconds, milliseconds <= Double(range.upperBound)
        else { return nil }
        return Int64(milliseconds)
    }

    private static func date(milliseconds: Int64) -> Date? {
        guard range.contains(milliseconds) else { return nil }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
