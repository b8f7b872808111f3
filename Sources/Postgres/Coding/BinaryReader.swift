/// Reads PostgreSQL's binary formats (big-endian integers, length-prefixed fields) from a result value.
///
/// Every read is bounds-checked and throws a decoding error instead of trapping: the bytes come from the
/// network, and a type mismatch must surface as an error, never as a crash.
struct BinaryReader {
    private(set) var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard bytes.count >= size else {
            throw PostgresError.decoding("expected \(size) more bytes, found \(bytes.count)")
        }
        var value: UInt64 = 0
        for byte in bytes.prefix(size) {
            value = value << 8 | UInt64(byte)
        }
        bytes.removeFirst(size)
        return T(truncatingIfNeeded: value)
    }

    mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count >= count else {
            throw PostgresError.decoding("expected \(count) more bytes, found \(bytes.count)")
        }
        let result = bytes.prefix(count)
        bytes.removeFirst(count)
        return result
    }

    /// Reads an int32 length and that many bytes; `nil` for a NULL field (length -1).
    mutating func readLengthPrefixedField() throws -> ArraySlice<UInt8>? {
        let length = try read(Int32.self)
        if length == -1 {
            return nil
        }
        return try readBytes(Int(length))
    }

    /// Reads an integer stored in exactly `bytes`, for fixed-size types such as int4 or float8.
    static func integer<T: FixedWidthInteger>(_: T.Type, from bytes: ArraySlice<UInt8>, type: PostgresDataType) throws -> T {
        guard bytes.count == MemoryLayout<T>.size else {
            throw PostgresError.decoding("a \(type) value must be \(MemoryLayout<T>.size) bytes, found \(bytes.count)")
        }
        var reader = BinaryReader(bytes)
        return try reader.read(T.self)
    }
}
