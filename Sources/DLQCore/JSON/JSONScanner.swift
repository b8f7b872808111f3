/// An RFC 8259 validator over raw bytes that reports tokens to a ``JSONEventHandler``.
///
/// It never recurses: nesting lives in an explicit stack on the heap, so a value nested 10,000 (or a million)
/// levels deep costs memory proportional to its size, never call-stack depth. It is a single forward pass,
/// so time is linear in the input. Anything outside the grammar, including invalid UTF-8 inside strings
/// (RFC 8259 §8.1 requires UTF-8), is a ``JSONSyntaxError``.
enum JSONScanner {
    /// Scans one JSON text occupying `range` of `bytes` (surrounding whitespace allowed).
    /// - Returns: the root value's token range, without surrounding whitespace.
    static func scan<Handler: JSONEventHandler>(
        _ bytes: [UInt8],
        range: Range<Int>? = nil,
        handler: inout Handler
    ) -> Result<Range<Int>, JSONSyntaxError> {
        let range = range ?? 0..<bytes.count
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            return .failure(JSONSyntaxError(reason: "scan range outside the input", offset: 0))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            scan(buffer, range: range, handler: &handler)
        }
    }

    private enum Expectation {
        case value
        case firstMemberOrEnd
        case memberName
        case afterValue
    }

    private static func scan<Handler: JSONEventHandler>(
        _ b: UnsafeBufferPointer<UInt8>,
        range: Range<Int>,
        handler: inout Handler
    ) -> Result<Range<Int>, JSONSyntaxError> {
        let end = range.upperBound
        var i = skipWhitespace(b, from: range.lowerBound, to: end)
        let rootStart = i
        var stack: [JSONContainerKind] = []
        var expectation = Expectation.value

        func failure(_ reason: String, _ at: Int) -> Result<Range<Int>, JSONSyntaxError> {
            .failure(JSONSyntaxError(reason: reason, offset: at))
        }

        while true {
            switch expectation {
            case .value:
                i = skipWhitespace(b, from: i, to: end)
                guard i < end else { return failure("unexpected end of input, expected a value", i) }
                switch b[i] {
                case UInt8(ascii: "{"):
                    handler.beginContainer(.object, at: i)
                    stack.append(.object)
                    i += 1
                    expectation = .firstMemberOrEnd
                case UInt8(ascii: "["):
                    handler.beginContainer(.array, at: i)
                    stack.append(.array)
                    i = skipWhitespace(b, from: i + 1, to: end)
                    if i < end, b[i] == UInt8(ascii: "]") {
                        i += 1
                        stack.removeLast()
                        handler.endContainer(.array, end: i, in: b)
                        expectation = .afterValue
                    }
                case UInt8(ascii: "\""):
                    switch scanString(b, at: i, end: end) {
                    case .failure(let error): return .failure(error)
                    case .success(let stop):
                        handler.scalar(.string, i..<stop, in: b)
                        i = stop
                        expectation = .afterValue
                    }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    switch scanNumber(b, at: i, end: end) {
                    case .failure(let error): return .failure(error)
                    case .success(let stop):
                        handler.scalar(.number, i..<stop, in: b)
                        i = stop
                        expectation = .afterValue
                    }
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    let (literal, kind): (StaticString, JSONScalarKind) =
                        switch b[i] {
                        case UInt8(ascii: "t"): ("true", .true)
                        case UInt8(ascii: "f"): ("false", .false)
                        default: ("null", .null)
                        }
                    guard matches(literal, b, at: i, end: end) else {
                        return failure("invalid literal, expected \(literal)", i)
                    }
                    let stop = i + literal.utf8CodeUnitCount
                    handler.scalar(kind, i..<stop, in: b)
                    i = stop
                    expectation = .afterValue
                default:
                    return failure("unexpected \(describe(b[i])), expected a value", i)
                }

            case .firstMemberOrEnd:
                i = skipWhitespace(b, from: i, to: end)
                if i < end, b[i] == UInt8(ascii: "}") {
                    i += 1
                    stack.removeLast()
                    handler.endContainer(.object, end: i, in: b)
                    expectation = .afterValue
                } else {
                    expectation = .memberName
                }

            case .memberName:
                i = skipWhitespace(b, from: i, to: end)
                guard i < end else { return failure("unexpected end of input, expected a member name", i) }
                guard b[i] == UInt8(ascii: "\"") else {
                    return failure("unexpected \(describe(b[i])), expected a member name string", i)
                }
                switch scanString(b, at: i, end: end) {
                case .failure(let error): return .failure(error)
                case .success(let stop):
                    handler.memberName(i..<stop, in: b)
                    i = skipWhitespace(b, from: stop, to: end)
                }
                guard i < end else { return failure("unexpected end of input, expected ':'", i) }
                guard b[i] == UInt8(ascii: ":") else { return failure("unexpected \(describe(b[i])), expected ':'", i) }
                i += 1
                expectation = .value

            case .afterValue:
                guard let container = stack.last else {
                    let rootEnd = i
                    i = skipWhitespace(b, from: i, to: end)
                    guard i == end else { return failure("unexpected \(describe(b[i])) after the JSON value", i) }
                    return .success(rootStart..<rootEnd)
                }
                i = skipWhitespace(b, from: i, to: end)
                let closer = container == .object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                guard i < end else { return failure("unexpected end of input, expected ',' or '\(Character(Unicode.Scalar(closer)))'", i) }
                switch b[i] {
                case UInt8(ascii: ","):
                    i += 1
                    expectation = container == .object ? .memberName : .value
                case closer:
                    i += 1
                    stack.removeLast()
                    handler.endContainer(container, end: i, in: b)
                default:
                    return failure("unexpected \(describe(b[i])), expected ',' or '\(Character(Unicode.Scalar(closer)))'", i)
                }
            }
        }
    }

    private static func skipWhitespace(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i < end {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return i
            }
        }
        return i
    }

    private static func matches(_ literal: StaticString, _ b: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard end - start >= count else { return false }
        return literal.withUTF8Buffer { expected in
            for k in 0..<count where b[start + k] != expected[k] { return false }
            return true
        }
    }

    /// - Returns: the index one past the closing quote.
    private static func scanString(_ b: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Result<Int, JSONSyntaxError> {
        var i = start + 1
        while i < end {
            let byte = b[i]
            switch byte {
            case UInt8(ascii: "\""):
                return .success(i + 1)
            case UInt8(ascii: "\\"):
                guard i + 1 < end else {
                    return .failure(JSONSyntaxError(reason: "unterminated string", offset: start))
                }
                switch b[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= end else { return .failure(JSONSyntaxError(reason: "unexpected end of input in \\u escape", offset: i)) }
                    for k in (i + 2)..<(i + 6) where hexValue(b[k]) == nil {
                        return .failure(JSONSyntaxError(reason: "invalid hex digit in \\u escape", offset: k))
                    }
                    i += 6
                default:
                    return .failure(JSONSyntaxError(reason: "invalid escape sequence", offset: i))
                }
            case 0x00..<0x20:
                return .failure(JSONSyntaxError(reason: "unescaped control character in string", offset: i))
            case 0x20..<0x80:
                i += 1
            default:
                guard let length = utf8SequenceLength(b, at: i, end: end) else {
                    return .failure(JSONSyntaxError(reason: "invalid UTF-8 in string", offset: i))
                }
                i += length
            }
        }
        return .failure(JSONSyntaxError(reason: "unterminated string", offset: start))
    }

    /// Length of the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7), or nil.
    private static func utf8SequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        let lead = b[i]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return nil
        }
        guard i + length <= end, secondRange.contains(b[i + 1]) else { return nil }
        for k in (i + 2)..<(i + length) where !(0x80...0xBF).contains(b[k]) { return nil }
        return length
    }

    /// - Returns: the index one past the number.
    private static func scanNumber(_ b: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> Result<Int, JSONSyntaxError> {
        var i = start
        func isDigit(_ k: Int) -> Bool { k < end && b[k] &- UInt8(ascii: "0") <= 9 }
        func invalid(_ at: Int) -> Result<Int, JSONSyntaxError> {
            .failure(JSONSyntaxError(reason: "invalid number", offset: at))
        }

        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return invalid(i) }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return invalid(i) }
            while isDigit(i) { i += 1 }
        }
        if i < end, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < end, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return invalid(i) }
            while isDigit(i) { i += 1 }
        }
        return .success(i)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }
}
