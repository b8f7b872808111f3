import Foundation

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): either delta-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`).
///
/// Hand-written rather than a `DateFormatter` because the three HTTP-date forms are fixed, English and GMT-only:
/// a locale-dependent formatter is the wrong tool, and a parse must not fail on a machine's locale.
enum RetryAfter {
    /// How long to wait, never negative (a date in the past means "now"); nil when the value is neither form.
    static func parse(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // More digits than Int64 holds is still "a very long time", not "no advice".
            return .seconds(Int64(text) ?? Int64.max / 1_000_000_000_000)
        }
        guard let date = httpDate(text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .milliseconds(Int64((seconds * 1000).rounded(.up))) : .zero
    }

    /// IMF-fixdate, plus the obsolete RFC 850 and asctime forms recipients must still accept.
    static func httpDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: String?
        switch parts.count {
        case 6 where parts[5] == "GMT":
            // Sun, 06 Nov 1994 08:49:37 GMT
            day = Int(parts[1])
            month = monthNumber(parts[2])
            year = Int(parts[3])
            time = parts[4]
        case 4 where parts[3] == "GMT":
            // Sunday, 06-Nov-94 08:49:37 GMT
            let date = parts[1].split(separator: "-").map(String.init)
            guard date.count == 3, let twoDigit = Int(date[2]) else { return nil }
            day = Int(date[0])
            month = monthNumber(date[1])
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            year = twoDigit < 70 ? 2000 + twoDigit : 1900 + twoDigit
            time = parts[2]
        case 5:
            // Sun Nov  6 08:49:37 1994
            month = monthNumber(parts[1])
            day = Int(parts[2])
            time = parts[3]
            year = Int(parts[4])
        default:
            return nil
        }
        guard let day, let month, let year, let time else { return nil }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]), (0...59).contains(clock[1]),
              (0...60).contains(clock[2])
        else { return nil }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "GMT")
        components.year = year
        components.month = month
        components.day = day
        components.hour = clock[0]
        components.minute = clock[1]
        components.second = clock[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        return calendar.date(from: components)
    }

    private static func monthNumber(_ name: String) -> Int? {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return months.firstIndex(of: name).map { $0 + 1 }
    }
}
