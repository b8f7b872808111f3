/// Why a byte sequence is not RFC 8259 JSON, and where the scanner noticed.
struct JSONSyntaxError: Error, Sendable, Equatable {
    var reason: String
    /// Index into the scanned bytes (for a record value: the byte offset within the value).
    var offset: Int
}
