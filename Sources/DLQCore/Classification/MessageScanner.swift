/// The single pass behind ``MessageNormalizer``: reads the message's UTF-8 bytes once, copying wording and writing a
/// placeholder for each value it recognises.
///
/// Recognisers only look ahead from the start of a token. Each look-ahead is bounded (a UUID is 36 bytes, an IPv6
/// address at most nine groups) or its outcome is remembered for the rest of the run it scanned (quotes, e-mail
/// local parts, URL schemes), so a message of stray quotes or dotted words costs the same as any other.
struct MessageScanner {
    private let input: UnsafeBufferPointer<UInt8>
    private let output: UnsafeMutableBufferPointer<UInt8>
    private var outputCount = 0
    /// Whitespace is written only once something follows it: that folds runs and trims both ends in one go.
    private var pendingSpace = false

    // Memos; see the recogniser that uses each.
    private var nextAtSign = -1
    private var localPartRunEnd = 0
    private var domainAfterAtSign: (atSign: Int, end: Int?) = (-1, nil)
    private var nextSchemeSeparator = -1
    private var schemeRunEnd = 0
    private var singleQuoteFailsBefore = 0
    private var doubleQuoteFailsBefore = 0
    private var backtickFailsBefore = 0

    /// The normalized text of `input`.
    static func normalize(_ input: UnsafeBufferPointer<UInt8>) -> String {
        // No input byte yields more than five output bytes: the worst case is a lone digit becoming `<num>`; every
        // other value is at least as long as its placeholder or a fifth of it, and a space is written only in place
        // of whitespace. Writes are still checked, so a mistake here traps rather than corrupts.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, 5 * input.count)) { output in
            var scanner = MessageScanner(input: input, output: output)
            scanner.run()
            return String(decoding: UnsafeBufferPointer(rebasing: output[..<scanner.outputCount]), as: UTF8.self)
        }
    }

    private init(input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>) {
        self.input = input
        self.output = output
    }

    private mutating func run() {
        var position = 0
        while position < input.count {
            let byte = input[position]
            if Self.isWhitespace(byte) {
                pendingSpace = outputCount > 0
                position += 1
            } else if isTokenStart(position), let (end, placeholder) = value(at: position) {
                emit(placeholder)
                position = end
            } else if Self.isDigit(byte) {
                // Digits inside an identifier (`order4711`): see MessageNormalizer for why they are replaced too.
                emit("<num>")
                position = numberEnd(from: position)
            } else {
                writePendingSpace()
                write(byte)
                position += 1
            }
        }
    }

    private mutating func emit(_ placeholder: StaticString) {
        writePendingSpace()
        placeholder.withUTF8Buffer { bytes in
            for byte in bytes {
                write(byte)
            }
        }
    }

    private mutating func writePendingSpace() {
        if pendingSpace {
            write(UInt8(ascii: " "))
            pendingSpace = false
        }
    }

    private mutating func write(_ byte: UInt8) {
        precondition(outputCount < output.count, "normalized message outgrew its bound")
        output[outputCount] = byte
        outputCount += 1
    }

    /// The value starting at `start` and where it ends, trying the recognisers in precedence order: a URL before
    /// the e-mail or IP inside it, a UUID or timestamp before the numbers and hex runs they are made of.
    private mutating func value(at start: Int) -> (end: Int, placeholder: StaticString)? {
        let byte = input[start]
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
            return quotedValueEnd(from: start).map { ($0, "<str>") }
        case UInt8(ascii: "-"):
            return Self.isDigit(peek(start + 1)) ? (numberEnd(from: start + 1), "<num>") : nil
        case UInt8(ascii: ":"):
            return peek(start + 1) == UInt8(ascii: ":") ? ipv6End(from: start).map { ($0, "<ip>") } : nil
        case _ where Self.isAlphanumeric(byte):
            if Self.isLetter(byte), let end = urlEnd(from: start) { return (end, "<url>") }
            if let end = emailEnd(from: start) { return (end, "<email>") }
            // Most recognisers below start with a run of hex digits; measuring it once rules most of them out for
            // an ordinary word without looking further.
            var hexRunEnd = start
            while Self.isHexDigit(peek(hexRunEnd)) {
                hexRunEnd += 1
            }
            let hexRunLength = hexRunEnd - start
            let afterHexRun = peek(hexRunEnd)
            if hexRunLength == 8, afterHexRun == UInt8(ascii: "-"), let end = uuidEnd(from: start) {
                return (end, "<uuid>")
            }
            if Self.isDigit(byte) {
                if let end = timestampEnd(from: start) { return (end, "<ts>") }
                if let end = ipv4WithPortEnd(from: start) { return (end, "<ip>") }
            }
            if (1...4).contains(hexRunLength), afterHexRun == UInt8(ascii: ":"), let end = ipv6End(from: start) {
                return (end, "<ip>")
            }
            if let end = hexEnd(from: start, hexRunEnd: hexRunEnd) { return (end, "<hex>") }
            return Self.isDigit(byte) ? (numberEnd(from: start), "<num>") : nil
        default:
            return nil
        }
    }

    // MARK: Recognisers. Each returns the end of the value (exclusive) or nil.

    /// A quote opened after a non-letter and closed by the same quote before a non-letter, on one line.
    ///
    /// A failed search stops at the end of the line, and a later opening of the same quote before that point would
    /// rescan a suffix of the same bytes (in step with the same escapes) and fail too, so the failure is remembered.
    private mutating func quotedValueEnd(from start: Int) -> Int? {
        let quote = input[start]
        guard start >= failsBefore(quote) else { return nil }
        var index = start + 1
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                break
            }
            let next = peek(index + 1)
            if byte == UInt8(ascii: "\\"), next != UInt8(ascii: "\n"), next != UInt8(ascii: "\r") {
                index += 2
                continue
            }
            if byte == quote, !Self.isWordByte(peek(index + 1)) {
                return index + 1
            }
            index += 1
        }
        switch quote {
        case UInt8(ascii: "'"): singleQuoteFailsBefore = index
        case UInt8(ascii: "\""): doubleQuoteFailsBefore = index
        default: backtickFailsBefore = index
        }
        return nil
    }

    private func failsBefore(_ quote: UInt8) -> Int {
        switch quote {
        case UInt8(ascii: "'"): singleQuoteFailsBefore
        case UInt8(ascii: "\""): doubleQuoteFailsBefore
        default: backtickFailsBefore
        }
    }

    /// `scheme://` then everything up to whitespace or a character URLs cannot contain, less trailing sentence
    /// punctuation.
    ///
    /// The scheme must run from `start` right up to the next `://`, which is found once and kept until passed; and a
    /// run of scheme characters is measured once, since every token starting inside it ends where it ends.
    private mutating func urlEnd(from start: Int) -> Int? {
        if nextSchemeSeparator < start {
            var index = start
            while index < input.count,
                  !(input[index] == UInt8(ascii: ":") && peek(index + 1) == UInt8(ascii: "/")
                      && peek(index + 2) == UInt8(ascii: "/"))
            {
                index += 1
            }
            nextSchemeSeparator = index
        }
        let separator = nextSchemeSeparator
        guard separator < input.count else { return nil }
        if schemeRunEnd <= start {
            schemeRunEnd = runEnd(from: start, where: Self.isSchemeByte)
        }
        guard schemeRunEnd == separator else { return nil }
        let hostStart = separator + 3
        var end = hostStart
        while end < input.count, !Self.endsURL(input[end]) {
            end += 1
        }
        while end > hostStart, Self.isTrailingPunctuation(input[end - 1]) {
            end -= 1
        }
        return end > hostStart ? end : nil
    }

    /// `local@domain` with a dotted domain. The next `@`, the run of local-part characters and the domain after an
    /// `@` are each worked out once, for the same reason as in `urlEnd`.
    private mutating func emailEnd(from start: Int) -> Int? {
        if nextAtSign < start {
            var index = start
            while index < input.count, input[index] != UInt8(ascii: "@") {
                index += 1
            }
            nextAtSign = index
        }
        let atSign = nextAtSign
        guard atSign < input.count else { return nil }
        if localPartRunEnd <= start {
            localPartRunEnd = runEnd(from: start, where: Self.isLocalPartByte)
        }
        guard localPartRunEnd == atSign else { return nil }
        if domainAfterAtSign.atSign != atSign {
            domainAfterAtSign = (atSign, domainEnd(after: atSign))
        }
        return domainAfterAtSign.end
    }

    private func domainEnd(after atSign: Int) -> Int? {
        var index = atSign + 1
        var labels = 0
        while Self.isDomainByte(peek(index)) {
            while Self.isDomainByte(peek(index)) {
                index += 1
            }
            labels += 1
            guard peek(index) == UInt8(ascii: "."), Self.isDomainByte(peek(index + 1)) else { break }
            index += 1
        }
        return labels >= 2 && !Self.isWordByte(peek(index)) ? index : nil
    }

    private func uuidEnd(from start: Int) -> Int? {
        let end = start + 36
        guard end <= input.count else { return nil }
        for offset in 0..<36 {
            let byte = input[start + offset]
            switch offset {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return nil }
            default:
                guard Self.isHexDigit(byte) else { return nil }
            }
        }
        return Self.isWordByte(peek(end)) ? nil : end
    }

    /// `YYYY-MM-DD`, optionally followed by `T` or a space and a time.
    private func timestampEnd(from start: Int) -> Int? {
        guard Self.isDigit(peek(start + 1)), Self.isDigit(peek(start + 2)), Self.isDigit(peek(start + 3)),
              peek(start + 4) == UInt8(ascii: "-"),
              let month = twoDigits(at: start + 5), (1...12).contains(month),
              peek(start + 7) == UInt8(ascii: "-"),
              let day = twoDigits(at: start + 8), (1...31).contains(day)
        else { return nil }
        var end = start + 10
        let separator = peek(end)
        if separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
           let timeEnd = timeEnd(from: end + 1)
        {
            end = timeEnd
        }
        return Self.isWordByte(peek(end)) ? nil : end
    }

    /// `HH:MM[:SS[.fraction]]` then `Z`, `±HH`, `±HHMM` or `±HH:MM`.
    private func timeEnd(from start: Int) -> Int? {
        guard let hour = twoDigits(at: start), hour <= 23, peek(start + 2) == UInt8(ascii: ":"),
              let minute = twoDigits(at: start + 3), minute <= 59
        else { return nil }
        var end = start + 5
        if peek(end) == UInt8(ascii: ":"), let second = twoDigits(at: end + 1), second <= 60 {
            end += 3
            if peek(end) == UInt8(ascii: ".") || peek(end) == UInt8(ascii: ","), Self.isDigit(peek(end + 1)) {
                end += 1
                while Self.isDigit(peek(end)) {
                    end += 1
                }
            }
        }
        let zone = peek(end)
        if zone == UInt8(ascii: "Z") || zone == UInt8(ascii: "z") {
            end += 1
        } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-"),
                  let hours = twoDigits(at: end + 1), hours <= 23
        {
            end += 3
            if peek(end) == UInt8(ascii: ":"), let minutes = twoDigits(at: end + 1), minutes <= 59 {
                end += 3
            } else if let minutes = twoDigits(at: end), minutes <= 59 {
                end += 2
            }
        }
        return end
    }

    /// Four octets, then an optional `:port`. Not after a `.` and not followed by `.digit`: those are longer dotted
    /// numbers (versions, OIDs), not addresses.
    private func ipv4WithPortEnd(from start: Int) -> Int? {
        guard start == 0 || input[start - 1] != UInt8(ascii: "."), var end = ipv4End(from: start) else { return nil }
        if peek(end) == UInt8(ascii: ":"), Self.isDigit(peek(end + 1)) {
            var portEnd = end + 1
            while Self.isDigit(peek(portEnd)) {
                portEnd += 1
            }
            if portEnd - end - 1 <= 5 {
                end = portEnd
            }
        }
        guard !Self.isWordByte(peek(end)), !(peek(end) == UInt8(ascii: ".") && Self.isDigit(peek(end + 1))) else {
            return nil
        }
        return end
    }

    private func ipv4End(from start: Int) -> Int? {
        var index = start
        for octet in 0..<4 {
            if octet > 0 {
                guard peek(index) == UInt8(ascii: ".") else { return nil }
                index += 1
            }
            var value = 0
            let octetStart = index
            while index - octetStart < 3, Self.isDigit(peek(index)) {
                value = value * 10 + Int(input[index] &- UInt8(ascii: "0"))
                index += 1
            }
            guard index > octetStart, value <= 255, !Self.isDigit(peek(index)) else { return nil }
        }
        return index
    }

    /// Colon-separated groups of 1 to 4 hex digits: eight of them, or fewer around one `::`; the last two may be an
    /// IPv4 address; an optional `%zone` follows. At least one digit is required so that words like `cafe::babe`
    /// stay words. A time (`10:00:00`) has too few groups.
    private func ipv6End(from start: Int) -> Int? {
        var index = start
        var groups = 0
        var compressed = false
        var sawDigit = false
        if peek(index) == UInt8(ascii: ":") {
            guard peek(index + 1) == UInt8(ascii: ":") else { return nil }
            compressed = true
            index += 2
        }
        while true {
            var groupEnd = index
            while groupEnd - index < 5, Self.isHexDigit(peek(groupEnd)) {
                sawDigit = sawDigit || Self.isDigit(input[groupEnd])
                groupEnd += 1
            }
            if groupEnd == index {
                break
            }
            if peek(groupEnd) == UInt8(ascii: ".") {
                guard let tailEnd = ipv4End(from: index) else { return nil }
                groups += 2
                index = tailEnd
                break
            }
            groups += 1
            guard groupEnd - index <= 4, groups <= 8 else { return nil }
            index = groupEnd
            if peek(index) == UInt8(ascii: ":"), peek(index + 1) == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                index += 2
            } else if peek(index) == UInt8(ascii: ":"), Self.isHexDigit(peek(index + 1)) {
                index += 1
            } else {
                break
            }
        }
        guard sawDigit, compressed ? groups <= 7 : groups == 8 else { return nil }
        if peek(index) == UInt8(ascii: "%"), Self.isAlphanumeric(peek(index + 1)) {
            index += 1
            while Self.isAlphanumeric(peek(index)) {
                index += 1
            }
        }
        return Self.isWordByte(peek(index)) ? nil : index
    }

    /// `0x` and hex digits, or a bare run of 8 or more hex digits mixing digits and letters; `hexRunEnd` is where
    /// the run of hex digits from `start` ends.
    private func hexEnd(from start: Int, hexRunEnd: Int) -> Int? {
        if hexRunEnd == start + 1, input[start] == UInt8(ascii: "0"), peek(hexRunEnd) | 0x20 == UInt8(ascii: "x"),
           Self.isHexDigit(peek(hexRunEnd + 1))
        {
            var end = hexRunEnd + 1
            while Self.isHexDigit(peek(end)) {
                end += 1
            }
            return Self.isWordByte(peek(end)) ? nil : end
        }
        guard hexRunEnd - start >= 8, !Self.isWordByte(peek(hexRunEnd)) else { return nil }
        let run = UnsafeBufferPointer(rebasing: input[start..<hexRunEnd])
        return run.contains(where: Self.isDigit) && !run.allSatisfy(Self.isDigit) ? hexRunEnd : nil
    }

    /// Digits, an optional `.digits` fraction and an optional exponent; `start` is at a digit.
    private func numberEnd(from start: Int) -> Int {
        var end = start
        while Self.isDigit(peek(end)) {
            end += 1
        }
        if peek(end) == UInt8(ascii: "."), Self.isDigit(peek(end + 1)) {
            end += 1
            while Self.isDigit(peek(end)) {
                end += 1
            }
        }
        if peek(end) | 0x20 == UInt8(ascii: "e") {
            var exponent = end + 1
            if peek(exponent) == UInt8(ascii: "+") || peek(exponent) == UInt8(ascii: "-") {
                exponent += 1
            }
            if Self.isDigit(peek(exponent)) {
                end = exponent
                while Self.isDigit(peek(end)) {
                    end += 1
                }
            }
        }
        return end
    }

    // MARK: Bytes

    /// 0 past the end, so look-aheads need no bounds checks of their own; 0 belongs to no value.
    private func peek(_ index: Int) -> UInt8 {
        index < input.count ? input[index] : 0
    }

    private func isTokenStart(_ index: Int) -> Bool {
        index == 0 || !Self.isWordByte(input[index - 1])
    }

    private func twoDigits(at index: Int) -> Int? {
        let tens = peek(index) &- UInt8(ascii: "0")
        let ones = peek(index + 1) &- UInt8(ascii: "0")
        guard tens < 10, ones < 10 else { return nil }
        return Int(tens) * 10 + Int(ones)
    }

    private func runEnd(from start: Int, where belongs: (UInt8) -> Bool) -> Int {
        var end = start
        while end < input.count, belongs(input[end]) {
            end += 1
        }
        return end
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLetter(byte)
    }

    /// Letters, digits and any non-ASCII byte (letters of other scripts): what a value must not touch.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte >= 0x80
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte &- 0x09 < 5
    }

    private static func isLocalPartByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"): true
        default: isAlphanumeric(byte)
        }
    }

    private static func isDomainByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "-")
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: isAlphanumeric(byte)
        }
    }

    private static func endsURL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"): true
        default: isWhitespace(byte)
        }
    }

    private static func isTrailingPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
             UInt8(ascii: "?"), UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "'"):
            true
        default:
            false
        }
    }
}
