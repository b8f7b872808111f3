/// What one sample is about; everything derives from the index so samples are reproducible.
struct SampleScenario {
    /// Midnight UTC, 1 January 2026: a fixed epoch keeps samples reproducible.
    static let baseMilliseconds: Int64 = 1_767_225_600_000

    let n: Int
    let dlqTopic: String
    let size: Int

    var orderID: Int { 4711 + n }
    var customerID: String { "cust-\(1000 + n % 97)" }
    var originalTopic: String { OriginalTopicRules.default.originalTopic(forDLQTopic: dlqTopic) ?? "orders" }
    var partition: Int32 { Int32(n % 6) }
    var offset: Int64 { 10_000 + Int64(n) * 17 }
    var placedAtMilliseconds: Int64 { Self.baseMilliseconds + Int64(n) * 37_000 }
    var failedAtMilliseconds: Int64 { placedAtMilliseconds + 4_250 + Int64(n % 9) * 1_000 }
    var total: String { "\(20 + n % 180).\(n % 10)0" }
    var key: [UInt8] { Array("order-\(orderID)".utf8) }

    func hex(salt: UInt64, digits: Int) -> String {
        var state = UInt64(n) &* 0x9E37_79B9 &+ salt
        var text = ""
        while text.count < digits {
            // OR-ing 1 keeps every id non-zero, which both trace specs require.
            let word = String(SeededGenerator.next(&state) | 1, radix: 16)
            text += String(repeating: "0", count: 16 - word.count) + word
        }
        return String(text.prefix(digits))
    }

    func uuid(salt: UInt64) -> String {
        let h = hex(salt: salt, digits: 32)
        let parts = [h.prefix(8), h.dropFirst(8).prefix(4), h.dropFirst(12).prefix(4), h.dropFirst(16).prefix(4), h.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    var traceparent: String { "00-\(hex(salt: 1, digits: 32))-\(hex(salt: 2, digits: 16))-01" }

    var traceHeaders: [RecordHeader] {
        switch n % 3 {
        case 0: return [RecordHeader(name: "traceparent", text: traceparent)]
        // Older Zipkin instrumentation still sends 64-bit trace ids.
        case 1: return [RecordHeader(name: "b3", text: "\(hex(salt: 3, digits: n % 2 == 0 ? 32 : 16))-\(hex(salt: 4, digits: 16))-1")]
        default: return []
        }
    }

    func orderEvent(padding: String) -> String {
        #"{"eventId":"\#(uuid(salt: 5))","eventType":"OrderPlaced","orderId":\#(orderID),"customerId":"\#(customerID)","#
            + #""placedAt":"\#(ISO8601Timestamp.format(epochMilliseconds: placedAtMilliseconds))","currency":"EUR","#
            + #""total":"\#(total)","items":[{"sku":"SKU-\#(n % 500)","quantity":2,"unitPrice":"\#(total)"}],"#
            + #""comment":"\#(padding)"}"#
    }

    /// Builds the value once without padding, then again with enough to reach the requested size.
    func padded(_ build: (String) -> String) -> [UInt8] {
        padded { Array(build($0).utf8) }
    }

    func padded(_ build: (String) -> [UInt8]) -> [UInt8] {
        let bare = build("")
        let missing = size - bare.count
        guard missing > 0 else { return bare }
        let filler = "Leave at the side door, ring twice. "
        let padding = String(String(repeating: filler, count: missing / filler.count + 1).prefix(missing))
        return build(padding)
    }
}
