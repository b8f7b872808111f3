#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads typed fields out of materialised JSON metadata, noting each member that has the wrong type.
///
/// `null` counts as absent without a note: serialisers emit it for unset fields.
struct JSONFieldReader {
    var notes: DecodeNotes

    mutating func string(_ value: JSONValue?, _ path: String, allowEmpty: Bool = true) -> String? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)?:
            let storable = notes.text(ofMember: path, text)
            guard allowEmpty || !storable.isEmpty else {
                notes.add("\(path): empty; ignored")
                return nil
            }
            return storable
        case let other?:
            notes.add("\(path): expected a string, found \(other.kindDescription); ignored")
            return nil
        }
    }

    /// A non-negative integer that fits `Integer`, from a JSON number or a decimal string.
    mutating func integer<Integer: FixedWidthInteger>(_ value: JSONValue?, _ path: String, as type: Integer.Type) -> Integer? {
        let lexeme: String
        switch value {
        case nil, .null?:
            return nil
        case .number(let number)?:
            lexeme = number
        case .string(let text)? where Integer(text.trimmingASCIIWhitespace(), radix: 10) != nil:
            lexeme = String(text.trimmingASCIIWhitespace())
        case let other?:
            notes.add("\(path): expected an integer, found \(other.kindDescription); ignored")
            return nil
        }
        // `3.0` and `3e0` are integers written by float-minded serialisers; `3.5` is not.
        guard let number = Integer(lexeme, radix: 10)
            ?? Double(lexeme).flatMap({ $0.rounded() == $0 ? Integer(exactly: $0) : nil })
        else {
            notes.add("\(path): \(lexeme) is not an integer in range; ignored")
            return nil
        }
        return HeaderFieldReader.nonNegative(number, field: path, notes: &notes)
    }

    /// ISO-8601 text, or epoch milliseconds as a number or digit string.
    mutating func date(_ value: JSONValue?, _ path: String) -> Date? {
        switch value {
        case nil, .null?:
            return nil
        case .number(let lexeme)?:
            return FailureTime.read(milliseconds: lexeme, field: path, notes: &notes)
        case .string(let text)?:
            return FailureTime.read(text: text, field: path, notes: &notes)
        case let other?:
            notes.add("\(path): expected an ISO-8601 string or epoch milliseconds, found \(other.kindDescription); ignored")
            return nil
        }
    }

    /// A stack trace as one string, or as an array of frame strings (joined with newlines, as Java prints them).
    mutating func stackTrace(_ value: JSONValue?, _ path: String) -> String? {
        guard case .array(let frames)? = value else { return string(value, path) }
        let lines = frames.compactMap { frame -> String? in
            guard case .string(let line) = frame else { return nil }
            return line
        }
        if lines.count < frames.count {
            notes.add("\(path): \(frames.count - lines.count) frames are not strings; skipped")
        }
        guard !lines.isEmpty else { return nil }
        return notes.text(ofMember: path, lines.joined(separator: "\n"))
    }
}
