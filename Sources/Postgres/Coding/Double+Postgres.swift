// float8 is the IEEE 754 bit pattern, big-endian, so every Double (NaN, infinities, -0) round-trips exactly.

extension Double: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .float8 }
    public static var postgresArrayDataType: PostgresDataType { .float8Array }

    public func encode(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(bitPattern)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        switch type {
        case .float8:
            self = Double(bitPattern: try BinaryReader.integer(UInt64.self, from: bytes, type: type))
        case .float4:
            self = Double(Float(bitPattern: try BinaryReader.integer(UInt32.self, from: bytes, type: type)))
        case .int2, .int4, .int8:
            self = Double(try Int64(postgresBinary: bytes, type: type))
        case .numeric:
            let text = try NumericFormatting.string(from: bytes)
            guard let value = Double(text) else {
                throw PostgresError.decoding("numeric value is not representable as Double")
            }
            self = value
        default:
            throw PostgresError.decoding("cannot decode \(type) as Double")
        }
    }
}
