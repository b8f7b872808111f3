extension Bool: PostgresArrayElement {
    public static var postgresDataType: PostgresDataType { .bool }
    public static var postgresArrayDataType: PostgresDataType { .boolArray }

    public func encode(into bytes: inout [UInt8]) {
        bytes.append(self ? 1 : 0)
    }

    public init(postgresBinary bytes: ArraySlice<UInt8>, type: PostgresDataType) throws {
        guard type == .bool, bytes.count == 1, let byte = bytes.first else {
            throw PostgresError.decoding("cannot decode \(type) as Bool")
        }
        self = byte != 0
    }
}
