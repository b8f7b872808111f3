/// Text made safe for a PostgreSQL `text` column, with what had to change to get there.
///
/// The flags let the caller say in a decode note that a stored string is not byte-for-byte what was sent.
public struct RepairedText: Sendable, Hashable {
    public var text: String
    /// Invalid UTF-8 sequences were replaced with U+FFFD.
    public var replacedInvalidUTF8: Bool
    /// NUL characters were removed: PostgreSQL text cannot hold them.
    public var removedNUL: Bool

    public var wasRepaired: Bool { replacedInvalidUTF8 || removedNUL }

    public init(text: String, replacedInvalidUTF8: Bool, removedNUL: Bool) {
        self.text = text
        self.replacedInvalidUTF8 = replacedInvalidUTF8
        self.removedNUL = removedNUL
    }
}
