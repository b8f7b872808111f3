// Arrays use PostgreSQL's binary array format: ndim, has-null flag, element type, then per dimension its
// size and lower bound (1), then each element as a length-prefixed field (-1 for NULL). An empty array has
// ndim 0 and no dimensions. `[UInt8]` is the exception: it is `bytea`, the raw bytes.

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType {
        Element.self == UInt8.self ? .bytea : Element.postgresArrayDataType
    }

    public func encode(into bytes: inout [UInt8]) {
        if Element.self == UInt8.self {
            withUnsafeBytes { bytes.append(contentsOf: $0) }
            return
        }
        Self.encodeArray(self, into: &bytes)
    }

    /// The binary array form of any collection of elements, so callers need not build an `Array` first.
    static func encodeArray<C: Collection<Element>>(_ elements: C, into bytes: inout [UInt8]) {
        let count = elements.count
        precondition(count <= Int32.max, "a PostgreSQL array holds at most Int32.max elements")
        bytes.appendBigEndian(Int32(count == 0 ? 0 : 1))
        let hasNullIndex = bytes.count
        bytes.appendBigEndian(Int32(0))
        bytes.appendBigEndian(Element.postgresDataType.oid)
        guard count > 0 else {
            return
        }
        bytes.appendBigEndian(Int32(count))
        bytes.appendBigEndian(Int32(1))
        var hasNull = false
        for element in elements {
            if bytes.appendLengthPrefixedField(element) {
                hasNull = true
            }
        }
        if hasNull {
            bytes.storeBigEndian(1, at: hasNullIndex)
        }
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        if Element.self == UInt8.self {
            guard type == .bytea else {
                throw PostgresError.decoding("cannot decode \(type) as [UInt8] (bytea)")
            }
            // Element is UInt8 here, so the two array types are identical; a cast would copy element by element.
            self = unsafeBitCast([UInt8](bytes), to: [Element].self)
            return
        }
        var reader = BinaryReader(bytes)
        let dimensions = try reader.read(Int32.self)
        let flags = try reader.read(Int32.self)
        let elementType = PostgresDataType(oid: try reader.read(UInt32.self))
        guard (0...1).contains(flags) else {
            throw PostgresError.decoding("cannot decode \(type) as an array")
        }
        switch dimensions {
        case 0:
            self = []
        case 1:
            let count = Int(try reader.read(Int32.self))
            _ = try reader.read(Int32.self)  // The lower bound: Swift arrays start at 0 whatever it is.
            guard count >= 0 else {
                throw PostgresError.decoding("array has a negative length")
            }
            var elements: [Element] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                if let field = try reader.readLengthPrefixedField() {
                    elements.append(try Element(postgresBinary: field, type: elementType))
                } else {
                    elements.append(try postgresNullValue(of: Element.self, context: "array element \(index + 1)"))
                }
            }
            self = elements
        default:
            throw PostgresError.decoding("cannot decode a \(dimensions)-dimensional array as [\(Element.self)]")
        }
        guard reader.isAtEnd else {
            throw PostgresError.decoding("unexpected bytes after the array's elements")
        }
    }
}

/// A byte buffer as an array element, so `[[UInt8]]` and `[[UInt8]?]` are `bytea[]`.
extension Array: PostgresArrayElement where Element == UInt8 {
    public static var postgresArrayDataType: PostgresDataType { .byteaArray }
}
