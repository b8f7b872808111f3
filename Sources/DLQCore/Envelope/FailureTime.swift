#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a failure time written either as ISO-8601 text or as epoch milliseconds, the two shapes producers use.
enum FailureTime {
    /// Milliseconds beyond ±8.64e15 are outside the range JavaScript and Java `Instant` millis agree on;
    /// such a value is a unit mistake, not a date.
    private static let maximumMilliseconds = 8.64e15

    /// Text that is all digits is read as epoch milliseconds, anything else as ISO-8601.
    static func read(text: String, field: String, notes: inout DecodeNotes) -> Date? {
        let trimmed = text.trimmingASCIIWhitespace()
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") <= 9 }) {
            return read(milliseconds: String(trimmed), field: field, notes: &notes)
        }
        guard let parsed = ISO8601Timestamp.parse(String(trimmed)) else {
            notes.add("\(field): not an ISO-8601 timestamp or epoch milliseconds; ignored")
            return nil
        }
        if !parsed.hadZone { notes.add("\(field): timestamp has no UTC offset; UTC assumed") }
        return parsed.date
    }

    /// A JSON number lexeme or decimal text of epoch milliseconds.
    static func read(milliseconds lexeme: String, field: String, notes: inout DecodeNotes) -> Date? {
        guard let milliseconds = Double(lexeme), milliseconds.isFinite, abs(milliseconds) <= maximumMilliseconds else {
            notes.add("\(field): epoch milliseconds out of range; ignored")
            return nil
        }
        return Date(timeIntervalSince1970: milliseconds / 1000)
    }
}
