/// Rules for the hex-encoded ids both W3C Trace Context and B3 use.
enum TraceHexID {
    /// Exactly `length` lowercase hex digits, not all zeros (both specs reserve all-zero ids as invalid).
    static func isCanonical(_ text: String, length: Int) -> Bool {
        isHex(text, length: length, allowUppercase: false) && !isAllZeros(text)
    }

    static func isHex(_ text: String, length: Int, allowUppercase: Bool) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == length else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): true
            case UInt8(ascii: "A")...UInt8(ascii: "F"): allowUppercase
            default: false
            }
        }
    }

    static func isAllZeros(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == UInt8(ascii: "0") }
    }
}
