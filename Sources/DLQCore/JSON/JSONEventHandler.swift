/// Receives what ``JSONScanner`` finds, in document order.
///
/// Ranges index the scanned buffer and cover tokens exactly as written, which is what lets the envelope decoder
/// hand replay the original event's raw bytes instead of a re-encoding.
protocol JSONEventHandler {
    mutating func beginContainer(_ kind: JSONContainerKind, at offset: Int)
    /// `end` is one past the closing bracket.
    mutating func endContainer(_ kind: JSONContainerKind, end: Int, in bytes: UnsafeBufferPointer<UInt8>)
    /// The member name's string token, quotes included.
    mutating func memberName(_ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
    mutating func scalar(_ kind: JSONScalarKind, _ token: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>)
}
