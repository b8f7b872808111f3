/// The literal shapes most rule patterns take, answered on UTF-8 bytes without entering ICU.
///
/// An ICU match costs ~0.6 µs on Linux however simple the pattern, mostly bridging the text to UTF-16, and a rule set
/// is tried in full for every dead letter that matches none of it. Accepted here: alternatives separated by `|`,
/// each a run of printable ASCII literals (punctuation may be escaped with `\`), optionally with `.*` at either end,
/// or with a leading `^` when searching. Anything else (classes, groups, quantifiers, flags, non-ASCII) makes
/// `init` return nil and ICU answers. The tests run both engines over every shape accepted here.
///
/// ICU's `.` does not match line terminators, so `.*` only stretches over text without one; that is checked on the
/// bytes rather than assumed.
struct LiteralPattern: Sendable {
    /// One `|` alternative: a literal with the `.*` and `^` around it.
    struct Alternative: Sendable, Equatable {
        var literal: [UInt8]
        var leadingDotStar = false
        var trailingDotStar = false
        var startAnchor = false
    }

    let anchoring: RulePattern.Anchoring
    let alternatives: [Alternative]

    init?(_ source: String, anchoring: RulePattern.Anchoring) {
        var alternatives: [Alternative] = []
        var current = Alternative(literal: [])
        var sawLiteral = false
        var bytes = Array(source.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "\\"):
                // `\` before punctuation quotes it; before a letter or digit it is a class, an anchor or a
                // back-reference.
                guard let quoted = bytes.popFirst(), (0x21...0x7E).contains(quoted), !Self.isAlphanumeric(quoted),
                      !current.trailingDotStar
                else { return nil }
                current.literal.append(quoted)
                sawLiteral = true
            case UInt8(ascii: "."):
                guard bytes.popFirst() == UInt8(ascii: "*") else { return nil }
                if !sawLiteral && !current.leadingDotStar {
                    current.leadingDotStar = true
                } else if !current.trailingDotStar {
                    current.trailingDotStar = true
                } else {
                    return nil
                }
            case UInt8(ascii: "^"):
                // A search may be pinned to the start; `\A(?:^x)\z` is not worth a shape of its own.
                guard anchoring == .anywhere, !sawLiteral, !current.leadingDotStar, !current.startAnchor else {
                    return nil
                }
                current.startAnchor = true
            case UInt8(ascii: "|"):
                alternatives.append(current)
                current = Alternative(literal: [])
                sawLiteral = false
            case UInt8(ascii: "$"), UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                return nil
            case 0x20...0x7E:
                guard !current.trailingDotStar else { return nil }
                current.literal.append(byte)
                sawLiteral = true
            default:
                return nil
            }
        }
        alternatives.append(current)
        // `^.*x` when searching needs the text before x to be free of line terminators; rare enough to leave to ICU.
        if alternatives.contains(where: { $0.startAnchor && ($0.leadingDotStar || $0.trailingDotStar) }) {
            return nil
        }
        self.anchoring = anchoring
        self.alternatives = alternatives
    }

    func matches(_ text: String) -> Bool {
        if let answer = text.utf8.withContiguousStorageIfAvailable({ matches($0) }) {
            return answer
        }
        return Array(text.utf8).withUnsafeBufferPointer { matches($0) }
    }

    private func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        // Looked for at most once, and only when some alternative has a `.*` that must stretch over the text.
        var terminatorFree: Bool?
        for alternative in alternatives {
            if anchoring == .wholeText, alternative.leadingDotStar || alternative.trailingDotStar {
                let free = terminatorFree ?? !Self.containsLineTerminator(text)
                terminatorFree = free
                guard free else { continue }
            }
            let found = alternative.literal.withUnsafeBufferPointer { literal in
                switch (anchoring, alternative.leadingDotStar, alternative.trailingDotStar) {
                case (.anywhere, _, _):
                    alternative.startAnchor ? Self.hasPrefix(text, literal) : Self.contains(text, literal)
                case (.wholeText, false, false):
                    text.count == literal.count && Self.hasPrefix(text, literal)
                case (.wholeText, true, false):
                    Self.hasSuffix(text, literal)
                case (.wholeText, false, true):
                    Self.hasPrefix(text, literal)
                case (.wholeText, true, true):
                    Self.contains(text, literal)
                }
            }
            if found {
                return true
            }
        }
        return false
    }

    private static func hasPrefix(_ text: UnsafeBufferPointer<UInt8>, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        literal.count <= text.count && equal(text, from: 0, literal)
    }

    private static func hasSuffix(_ text: UnsafeBufferPointer<UInt8>, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        literal.count <= text.count && equal(text, from: text.count - literal.count, literal)
    }

    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = literal.first else { return true }
        guard literal.count <= text.count else { return false }
        for start in 0...(text.count - literal.count) where text[start] == first && equal(text, from: start, literal) {
            return true
        }
        return false
    }

    private static func equal(
        _ text: UnsafeBufferPointer<UInt8>, from start: Int, _ literal: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        for offset in 0..<literal.count where text[start + offset] != literal[offset] {
            return false
        }
        return true
    }

    /// What ICU's `.` refuses: LF, VT, FF, CR, NEL (U+0085), LINE and PARAGRAPH SEPARATOR (U+2028, U+2029).
    private static func containsLineTerminator(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < text.count {
            switch text[index] {
            case 0x0A...0x0D:
                return true
            case 0xC2 where index + 1 < text.count && text[index + 1] == 0x85:
                return true
            case 0xE2 where index + 2 < text.count && text[index + 1] == 0x80
                && (text[index + 2] == 0xA8 || text[index + 2] == 0xA9):
                return true
            default:
                index += 1
            }
        }
        return false
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}
