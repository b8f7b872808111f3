// Helpers for PostgreSQL's binary wire formats: big-endian integers written straight into a byte buffer,
// so building a COPY stream or a bind parameter allocates nothing beyond the buffer itself.

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Overwrites a length prefix reserved earlier, once the length is known.
    mutating func storeBigEndian(_ value: Int32, at index: Int) {
        withUnsafeMutableBytes { $0.storeBytes(of: value.bigEndian, toByteOffset: index, as: Int32.self) }
    }

    /// Appends one field as PostgreSQL frames it in binary COPY tuples and array elements: an int32 length
    /// (-1 for NULL) followed by the value's bytes. Returns whether the field was NULL.
    @discardableResult
    mutating func appendLengthPrefixedField<T: PostgresEncodable>(_ value: T) -> Bool {
        if value.isPostgresNull {
            appendBigEndian(Int32(-1))
            return true
        }
        let lengthIndex = count
        appendBigEndian(Int32(0))
        value.encode(into: &self)
        let length = count - lengthIndex - 4
        precondition(length <= Int32.max, "a PostgreSQL field cannot exceed 2 GB")
        storeBigEndian(Int32(length), at: lengthIndex)
        return false
    }
}
