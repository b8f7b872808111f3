#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension DeadLetterSelection {
    /// The field names the language knows, in canonical order (`header.NAME` stands for every header field).
    public static let fieldNames = [
        "id", "dlq_topic", "original_topic", "topic", "class", "rule", "exception", "fingerprint", "status", "format", "key",
        "header.NAME", "trace", "since", "until",
    ]

    /// Reads a selection written as whitespace-separated `field=value` terms.
    ///
    /// - Different fields must all hold (AND); a comma separates alternatives for one field
    ///   (`status=new,replayed`), and repeating a field adds alternatives too.
    /// - A value may be double-quoted, with `\"`, `\\`, `\n`, `\t` and `\r` escapes:
    ///   `header.tenant="acme corp"`. Only a quoted value may be empty (`key=""`, the empty record key).
    /// - Fields: `id` (`12`, `10-20`), `dlq_topic`, `original_topic` (alias `topic`), `class`, `exception`,
    ///   `rule` (the classification rule that matched), `fingerprint` (a hex prefix), `status` (``DeadLetterStatus``), `format` (``EnvelopeFormat``), `key`,
    ///   `header.NAME` (every named header must be present with that value), `trace` (32 hex digits), and
    ///   `since` / `until` (ISO-8601 date or date-time, or an age such as `90s`, `15m`, `2h`, `7d` before `now`),
    ///   each at most once.
    ///
    /// Times are kept to the millisecond, so that ``description`` (which writes them as ISO-8601 UTC) reads back
    /// to an equal selection. Any input either parses or throws: the text comes from operators and scripts.
    public init(parsing text: String, now: Date = Date()) throws(SelectionSyntaxError) {
        self.init()
        var scanner = SelectionScanner(text)
        while let term = try scanner.nextTerm() {
            try apply(term, now: now)
        }
    }

    private mutating func apply(_ term: SelectionScanner.Term, now: Date) throws(SelectionSyntaxError) {
        func fail(_ expected: String) -> SelectionSyntaxError {
            SelectionSyntaxError(term: term.text, expected: expected)
        }
        /// The term's alternatives, refusing empty ones (only `key` and header values may be empty, and only quoted).
        func nonEmptyValues(_ what: String) throws(SelectionSyntaxError) -> [String] {
            guard term.values.allSatisfy({ !$0.isEmpty }) else { throw fail("\(what), not an empty value") }
            return term.values
        }
        func addUnique<T: Equatable>(_ new: [T], to list: inout [T]) {
            for value in new where !list.contains(value) { list.append(value) }
        }

        if let name = term.headerName {
            guard !name.isEmpty else { throw fail("a header name after header.") }
            guard term.values.count == 1 else {
                throw fail("one value per header term (quote a value that contains a comma)")
            }
            addUnique([HeaderCondition(name: name, value: term.values[0])], to: &headers)
            return
        }
        switch term.field {
        case "id":
            var ranges: [ClosedRange<Int64>] = []
            for value in try nonEmptyValues("ids or ranges like 12 or 10-20") {
                ranges.append(try Self.idRange(value, fail: fail))
            }
            addUnique(ranges, to: &ids)
        case "dlq_topic":
            addUnique(try nonEmptyValues("a DLQ topic"), to: &dlqTopics)
        case "original_topic", "topic":
            addUnique(try nonEmptyValues("an original topic"), to: &originalTopics)
        case "class":
            addUnique(try nonEmptyValues("an error class"), to: &errorClasses)
        case "rule":
            addUnique(try nonEmptyValues("a classification rule's name"), to: &ruleNames)
        case "exception":
            addUnique(try nonEmptyValues("an exception class"), to: &exceptionClasses)
        case "fingerprint":
            var prefixes: [String] = []
            for value in try nonEmptyValues("a fingerprint or a prefix of one") {
                guard value.unicodeScalars.allSatisfy(\.isASCIIHexDigit) else {
                    throw fail("a fingerprint or a prefix of one (hex digits), not \"\(value)\"")
                }
                prefixes.append(value.lowercased())
            }
            addUnique(prefixes, to: &fingerprints)
        case "status":
            var wanted: [DeadLetterStatus] = []
            for value in try nonEmptyValues("a status") {
                guard let status = DeadLetterStatus(rawValue: value.lowercased()) else {
                    let valid = DeadLetterStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail("a status (one of \(valid)), not \"\(value)\"")
                }
                wanted.append(status)
            }
            addUnique(wanted, to: &statuses)
        case "format":
            var wanted: [EnvelopeFormat] = []
            for value in try nonEmptyValues("an envelope format") {
                guard let format = EnvelopeFormat(rawValue: value.lowercased()) else {
                    let valid = EnvelopeFormat.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail("an envelope format (one of \(valid)), not \"\(value)\"")
                }
                wanted.append(format)
            }
            addUnique(wanted, to: &formats)
        case "key":
            addUnique(term.values, to: &keys)
        case "trace":
            var traces: [String] = []
            for value in try nonEmptyValues("a trace id") {
                guard value.unicodeScalars.count == 32, value.unicodeScalars.allSatisfy(\.isASCIIHexDigit) else {
                    throw fail("a trace id of 32 hex digits, not \"\(value)\"")
                }
                traces.append(value.lowercased())
            }
            addUnique(traces, to: &traceIDs)
        case "since", "until":
            let isSince = term.field == "since"
            guard (isSince ? since : until) == nil else { throw fail("\(term.field) at most once") }
            let values = try nonEmptyValues("a time")
            guard values.count == 1 else { throw fail("one time for \(term.field), not alternatives") }
            guard let date = SelectionTime.parse(values[0], now: now) else {
                throw fail("an ISO-8601 date or date-time (2026-01-31, 2026-01-31T12:00:00Z) or an age (90s, 15m, 2h, 7d)")
            }
            if isSince { since = date } else { until = date }
        default:
            let known = Self.fieldNames.joined(separator: ", ")
            throw fail("a known field (\(known)), not \"\(term.field)\"")
        }
    }

    /// `12` or `10-20`, both ends included.
    private static func idRange(
        _ value: String,
        fail: (String) -> SelectionSyntaxError
    ) throws(SelectionSyntaxError) -> ClosedRange<Int64> {
        func id(_ text: Substring) -> Int64? {
            // Digits only: Int64("+5") would be accepted otherwise, and it returns nil rather than trapping on overflow.
            guard !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.isASCII && ("0"..."9").contains($0) }) else {
                return nil
            }
            return Int64(text)
        }
        let parts = value.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = id(parts[0]) else { throw fail("an id or a range like 10-20, not \"\(value)\"") }
        guard parts.count == 2 else { return low...low }
        guard let high = id(parts[1]) else { throw fail("an id or a range like 10-20, not \"\(value)\"") }
        guard low <= high else { throw fail("a range from low to high, not the reversed \"\(value)\"") }
        return low...high
    }
}

extension DeadLetterSelection: CustomStringConvertible {
    /// The selection as terms, in a fixed field order, that ``init(parsing:now:)`` reads back to an equal
    /// selection: values that need it are quoted, times are absolute ISO-8601 UTC. Empty for "everything".
    public var description: String {
        var terms: [String] = []
        func term(_ field: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            terms.append(field + "=" + values.map(SelectionScanner.quotedIfNeeded).joined(separator: ","))
        }
        term("id", ids.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" })
        term("dlq_topic", dlqTopics)
        term("original_topic", originalTopics)
        term("class", errorClasses)
        term("rule", ruleNames)
        term("exception", exceptionClasses)
        term("fingerprint", fingerprints)
        term("status", statuses.map(\.rawValue))
        term("format", formats.map(\.rawValue))
        term("key", keys)
        for header in headers {
            terms.append("header." + SelectionScanner.quotedIfNeeded(header.name) + "="
                + SelectionScanner.quotedIfNeeded(header.value))
        }
        term("trace", traceIDs)
        if let since { term("since", [SelectionTime.format(since)]) }
        if let until { term("until", [SelectionTime.format(until)]) }
        return terms.joined(separator: " ")
    }
}
