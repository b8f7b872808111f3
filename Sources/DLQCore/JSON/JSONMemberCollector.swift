/// Records the byte span of each member value of the root object, ignoring everything nested deeper.
///
/// This is how the envelope decoder finds `originalEvent`'s raw bytes without materialising an event that
/// may be megabytes large or thousands of levels deep.
struct JSONMemberCollector: JSONEventHandler {
    private var depth = 0
    private var pendingName = ""
    private var pendingValueStart = 0
    /// The root value's kind; nil when the root is a scalar.
    private(set) var rootKind: JSONContainerKind?
    private(set) var members: [JSONMemberSpan] = []
    private(set) var nameHadLoneSurrogate = false

    /// Scans the JSON text at `range` of `bytes`; `members` is meaningful only when `rootKind == .object`.
    static func collect(_ bytes: [UInt8], range: Range<Int>? = nil) -> Result<JSONMemberCollector, JSONSyntaxError> {
        var collector = JSONMemberCollector()
        return JSONScanner.scan(bytes, range: range, handler: &collector).map { _ in collector }
    }

    private var insideRootObject: Bool { depth == 1 && rootKind == .object }

    mutating func beginContainer(_ kind: JSONContainerKind, at offset: Int) {
        if depth == 0 {
            rootKind = kind
        } else if insideRootObject {
            pendingValueStart = offset
        }
        depth += 1
    }

    mutating func endContainer(_ kind: JSONContainerKind, end: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        depth -= 1
        if insideRootObject {
            members.append(JSONMemberSpan(name: pendingName, valueRange: pendingValueStart..<end))
        }
    }

    mutating func memberName(_ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) {
        guard insideRootObject else { return }
        let decoded = JSONStringDecoder.decode(bytes, token: token)
        if decoded.replacedLoneSurrogate { nameHadLoneSurrogate = true }
        pendingName = decoded.text
    }

    mutating func scalar(_ kind: JSONScalarKind, _ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) {
        guard insideRootObject else { return }
        members.append(JSONMemberSpan(name: pendingName, valueRange: token))
    }
}
