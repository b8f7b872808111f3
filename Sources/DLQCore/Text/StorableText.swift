/// Turns arbitrary bytes or strings into text PostgreSQL accepts in a `text` column.
///
/// PostgreSQL rejects invalid UTF-8 and NUL outright, and one rejected row would fail the whole ingest
/// transaction, so everything the decoder stores as text passes through here first.
public enum StorableText {
    /// Decodes `bytes` as UTF-8, replacing invalid sequences with U+FFFD and dropping NUL characters.
    public static func decode(_ bytes: some Collection<UInt8>) -> RepairedText {
        let removedNUL = bytes.contains(0)
        let validated = String(validating: bytes, as: UTF8.self)
        let decoded = validated ?? String(decoding: bytes, as: UTF8.self)
        return RepairedText(
            text: removedNUL ? withoutNUL(decoded) : decoded,
            replacedInvalidUTF8: validated == nil,
            removedNUL: removedNUL
        )
    }

    /// Drops NUL characters; a Swift `String` is already valid Unicode, so that is all it can lack.
    public static func sanitize(_ string: String) -> RepairedText {
        let removedNUL = string.utf8.contains(0)
        return RepairedText(
            text: removedNUL ? withoutNUL(string) : string,
            replacedInvalidUTF8: false,
            removedNUL: removedNUL
        )
    }

    private static func withoutNUL(_ string: String) -> String {
        String(decoding: string.utf8.filter { $0 != 0 }, as: UTF8.self)
    }
}
