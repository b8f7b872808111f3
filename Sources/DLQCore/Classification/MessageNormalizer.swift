/// Turns an error message into its wording alone, so that failures differing only in ids and values group
/// together: `Order 4711 not found for customer 'jane'` and `Order 4712 not found for customer 'joe'` both become
/// `Order <num> not found for customer <str>`.
///
/// Replaced, in this order of precedence where they overlap:
/// - quoted values `'...'`, `"..."`, `` `...` `` → `<str>` (the opening quote must start a token and the closing one
///   must not be followed by a letter or digit, so `can't` opens nothing; a quote never spans a line break; `\`
///   escapes the next character);
/// - URLs `scheme://...` up to whitespace or `"` `<` `>` `` ` ``, without trailing `.,;:!?)]}'` → `<url>` (an IP,
///   port or e-mail inside is part of the URL; `jdbc:postgresql://h/db` becomes `jdbc:<url>`);
/// - e-mail addresses → `<email>`;
/// - UUIDs, 8-4-4-4-12 hex digits in either case → `<uuid>`;
/// - ISO-8601 dates and date-times (`T` or a space between; optional seconds, fraction with `.` or `,`, and `Z` or
///   offset) → `<ts>`;
/// - IPv4 addresses with an optional `:port`, and IPv6 addresses (compressed, with an IPv4 tail or a `%zone`;
///   at least one digit, so `cafe::babe`-like words and `std::` paths stay) → `<ip>`;
/// - `0x`-prefixed hex, and bare runs of 8 or more hex digits with at least one digit and one letter → `<hex>`
///   (a run of digits alone is a number, so epoch milliseconds are `<num>`);
/// - numbers: integers, decimals, exponents, and a leading `-` that starts a token → `<num>`.
///
/// Values are recognised only at the start of a token, that is after anything but an ASCII letter, an ASCII digit or
/// a non-ASCII character (letters of other scripts), so `_`, `-`, `=`, `/` and the like separate; and a value must
/// not run into a letter or digit either. Digit runs are the exception: they are replaced inside identifiers too
/// (`order4711` → `order<num>`), because ids glued to a word are common and a group per id defeats grouping. The
/// price is that `utf8` and `utf16` both read `utf<num>`, so messages differing only in such a digit share a group.
///
/// Runs of ASCII whitespace become one space and the ends are trimmed. A placeholder normalizes to itself, so
/// text that was normalized before (an example stored with a group) does not drift when normalized again.
///
/// Hand-written as one pass over the UTF-8 bytes rather than a cascade of regular expressions: it runs on every
/// ingested dead letter. Every look-ahead is either bounded or remembered, so even hostile input is linear.
public enum MessageNormalizer {
    /// Longer messages are cut to this many bytes first. Producers often append a stack trace or a payload dump
    /// to the message; the fingerprint should follow what failed, not how deep the stack was, and the cost of
    /// normalizing stays bounded whatever arrives.
    static let byteLimit = 4096

    public static func normalize(_ message: String) -> String {
        message.utf8.withContiguousStorageIfAvailable { normalize(bytes: $0) }
            ?? Array(message.utf8).withUnsafeBufferPointer { normalize(bytes: $0) }
    }

    private static func normalize(bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = bytes.count
        if end > byteLimit {
            // Back off to the start of a character: the output must stay valid UTF-8.
            end = byteLimit
            while end > 0, bytes[end] & 0xC0 == 0x80 {
                end -= 1
            }
        }
        return MessageScanner.normalize(UnsafeBufferPointer(rebasing: bytes[..<end]))
    }
}
