/// Turns a validated JSON string token into its text, resolving escapes including UTF-16 surrogate pairs.
enum JSONStringDecoder {
    struct Decoded {
        var text: String
        /// A `\u` escape named half a surrogate pair; U+FFFD stands in for it since a String cannot hold it.
        var replacedLoneSurrogate: Bool
    }

    /// `token` covers the string including its quotes, as reported by ``JSONScanner``.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, token: Range<Int>) -> Decoded {
        guard token.count >= 2, token.lowerBound >= 0, token.upperBound <= b.count else {
            return Decoded(text: "", replacedLoneSurrogate: false)
        }
        let content = (token.lowerBound + 1)..<(token.upperBound - 1)
        let slice = UnsafeBufferPointer(rebasing: b[content])
        guard slice.contains(UInt8(ascii: "\\")) else {
            return Decoded(text: String(decoding: slice, as: UTF8.self), replacedLoneSurrogate: false)
        }

        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var replaced = false
        var i = content.lowerBound
        let end = content.upperBound

        func codeUnit(at k: Int) -> UInt16? {
            guard k + 6 <= end, b[k] == UInt8(ascii: "\\"), b[k + 1] == UInt8(ascii: "u") else { return nil }
            var unit: UInt16 = 0
            for d in (k + 2)..<(k + 6) {
                guard let v = JSONScanner.hexValue(b[d]) else { return nil }
                unit = unit << 4 | UInt16(v)
            }
            return unit
        }
        func append(_ scalar: Unicode.Scalar) {
            UTF8.encode(scalar) { out.append($0) }
        }

        while i < end {
            let byte = b[i]
            guard byte == UInt8(ascii: "\\"), i + 1 < end else {
                out.append(byte)
                i += 1
                continue
            }
            let escaped = b[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let unit = codeUnit(at: i - 2) else { continue }
                i += 4
                if (0xD800...0xDBFF).contains(unit), let low = codeUnit(at: i), (0xDC00...0xDFFF).contains(low) {
                    let value = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
                    append(Unicode.Scalar(value) ?? "\u{FFFD}")
                    i += 6
                } else if let scalar = Unicode.Scalar(unit) {
                    append(scalar)
                } else {
                    replaced = true
                    append("\u{FFFD}")
                }
            default:
                // `"`, `\` and `/` stand for themselves.
                out.append(escaped)
            }
        }
        return Decoded(text: String(decoding: out, as: UTF8.self), replacedLoneSurrogate: replaced)
    }

    static func decode(_ bytes: [UInt8], token: Range<Int>) -> Decoded {
        bytes.withUnsafeBufferPointer { decode($0, token: token) }
    }
}
