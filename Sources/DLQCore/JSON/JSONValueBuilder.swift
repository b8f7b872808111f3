/// Materialises the value ``JSONScanner`` walks, up to a nesting limit.
///
/// Deeper containers become ``JSONValue/tooDeep``: metadata readers never need them, and a cap keeps the
/// recursive `JSONValue` tree shallow enough that releasing it cannot exhaust the stack.
struct JSONValueBuilder: JSONEventHandler {
    private struct Frame {
        var kind: JSONContainerKind
        var elements: [JSONValue] = []
        var members: [JSONObjectMember] = []
        var pendingName = ""
    }

    let maxDepth: Int
    private var frames: [Frame] = []
    /// How many containers beyond `maxDepth` are open right now.
    private var skippedDepth = 0
    private(set) var root: JSONValue?
    private(set) var replacedLoneSurrogate = false

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    /// Scans and materialises the JSON value at `range` of `bytes`.
    static func parse(_ bytes: [UInt8], range: Range<Int>? = nil, maxDepth: Int = 16) -> Result<JSONValueBuilder, JSONSyntaxError> {
        var builder = JSONValueBuilder(maxDepth: maxDepth)
        return JSONScanner.scan(bytes, range: range, handler: &builder).map { _ in builder }
    }

    mutating func beginContainer(_ kind: JSONContainerKind, at offset: Int) {
        if skippedDepth > 0 || frames.count >= maxDepth {
            skippedDepth += 1
        } else {
            frames.append(Frame(kind: kind))
        }
    }

    mutating func endContainer(_ kind: JSONContainerKind, end: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        if skippedDepth > 0 {
            skippedDepth -= 1
            if skippedDepth == 0 { deliver(.tooDeep) }
            return
        }
        guard let frame = frames.popLast() else { return }
        deliver(frame.kind == .object ? .object(frame.members) : .array(frame.elements))
    }

    mutating func memberName(_ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) {
        guard skippedDepth == 0, !frames.isEmpty else { return }
        frames[frames.count - 1].pendingName = decodeString(token, in: bytes)
    }

    mutating func scalar(_ kind: JSONScalarKind, _ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) {
        guard skippedDepth == 0 else { return }
        switch kind {
        case .string: deliver(.string(decodeString(token, in: bytes)))
        case .number: deliver(.number(String(decoding: UnsafeBufferPointer(rebasing: bytes[token]), as: UTF8.self)))
        case .true: deliver(.bool(true))
        case .false: deliver(.bool(false))
        case .null: deliver(.null)
        }
    }

    private mutating func decodeString(_ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let decoded = JSONStringDecoder.decode(bytes, token: token)
        if decoded.replacedLoneSurrogate { replacedLoneSurrogate = true }
        return decoded.text
    }

    private mutating func deliver(_ value: JSONValue) {
        guard !frames.isEmpty else {
            root = value
            return
        }
        let top = frames.count - 1
        switch frames[top].kind {
        case .object: frames[top].members.append(JSONObjectMember(name: frames[top].pendingName, value: value))
        case .array: frames[top].elements.append(value)
        }
    }
}
