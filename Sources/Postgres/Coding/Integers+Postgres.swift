// Integers travel as big-endian int2/int4/int8. Decoding accepts any integer column whose values fit, so a
// caller can read `count(*)` (int8) into an `Int32` or an int4 column into an `Int`, and a range error is
// reported instead of a silent truncation.

extension Int: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .int8 }
    public static var postgresArrayDataType: PostgresDataType { .int8Array }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(Int64(self))
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        self = try decodeInteger(Int.self, from: bytes, type: type)
    }
}

extension Int64: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .int8 }
    public static var postgresArrayDataType: PostgresDataType { .int8Array }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(self)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        self = try decodeInteger(Int64.self, from: bytes, type: type)
    }
}

extension Int32: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .int4 }
    public static var postgresArrayDataType: PostgresDataType { .int4Array }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(self)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        self = try decodeInteger(Int32.self, from: bytes, type: type)
    }
}

extension Int16: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .int2 }
    public static var postgresArrayDataType: PostgresDataType { .int2Array }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(self)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        self = try decodeInteger(Int16.self, from: bytes, type: type)
    }
}

/// `UInt8` is PostgreSQL's one-byte `"char"`; `[UInt8]` is special-cased to `bytea` (see `PostgresArrayElement`).
extension UInt8: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .char }
    public static var postgresArrayDataType: PostgresDataType { .charArray }

    public func encode(into bytes: inout [UInt8]) {
        bytes.append(self)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        guard type == .char, bytes.count == 1, let byte = bytes.first else {
            throw PostgresError.decoding("cannot decode \(type) as UInt8 (\"char\")")
        }
        self = byte
    }
}

private func decodeInteger<T: FixedWidthInteger>(_: T.Type, from bytes: ArraySlice<UInt8>, type: PostgresDataType) throws -> T {
    let wide: Int64
    switch type {
    case .int2:
        wide = Int64(try BinaryReader.integer(Int16.self, from: bytes, type: type))
    case .int4:
        wide = Int64(try BinaryReader.integer(Int32.self, from: bytes, type: type))
    case .int8:
        wide = try BinaryReader.integer(Int64.self, from: bytes, type: type)
    case .oidType:
        wide = Int64(try BinaryReader.integer(UInt32.self, from: bytes, type: type))
    case .numeric:
        // sum(bigint) and friends return numeric; accept it when the value is a whole number.
        let text = try NumericFormatting.string(from: bytes)
        guard let value = NumericFormatting.integer(from: text) else {
            throw PostgresError.decoding("numeric value is not a whole number in the range of \(T.self)")
        }
        wide = value
    default:
        throw PostgresError.decoding("cannot decode \(type) as \(T.self)")
    }
    guard let value = T(exactly: wide) else {
        throw PostgresError.decoding("\(type) value out of range for \(T.self)")
    }
    return value
}
