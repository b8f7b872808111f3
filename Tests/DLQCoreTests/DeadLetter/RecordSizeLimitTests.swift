import DLQCore
import Foundation
import Testing

@Suite("Record size limit")
struct RecordSizeLimitTests {
    private let excerpt = RecordSizeLimit.excerptBytes

    private func letter(valueSize: Int, headerValue: [UInt8] = Array("com.acme.Failure".utf8), message: String? = nil) -> DeadLetter {
        DeadLetter(
            coordinate: DLQCoordinate(topic: "orders.dlq", partition: 0, offset: 7),
            key: Array("order-7".utf8),
            value: (0..<valueSize).map { UInt8(truncatingIfNeeded: $0) },
            headers: [RecordHeader(name: "kafka_dlt-exception-fqcn", value: headerValue)],
            kafkaTimestamp: nil,
            originalEventRange: 0..<10,
            errorMessage: message
        )
    }

    @Test("a record at the limit is left untouched")
    func atTheLimit() {
        let original = letter(valueSize: 100_000)
        var cut = original
        RecordSizeLimit(maxBytes: RecordSizeLimit.size(of: original)).apply(to: &cut)
        #expect(cut == original)
    }

    @Test("a record over the limit keeps an excerpt of each field, its full size and a note")
    func overTheLimit() {
        let original = letter(valueSize: 300_000, headerValue: Array(repeating: 0x41, count: 200_000))
        var cut = original
        RecordSizeLimit(maxBytes: 100_000).apply(to: &cut)

        #expect(cut.value == Array(original.value!.prefix(excerpt)))
        #expect(cut.key == original.key)
        #expect(cut.headers[0].value?.count == excerpt)
        #expect(cut.headers[0].name == original.headers[0].name)
        #expect(cut.truncatedFrom == Int64(RecordSizeLimit.size(of: original)))
        #expect(cut.originalEventRange == nil)
        #expect(cut.decodeNotes.last?.contains("over the limit of 100000") == true)
        #expect(cut.coordinate == original.coordinate)
    }

    @Test("decoded text is cut on a character boundary and stays valid UTF-8")
    func textCutOnBoundary() {
        // "é" is two bytes: after one ASCII letter, the excerpt's end falls inside one of them.
        let message = "a" + String(repeating: "é", count: excerpt)
        var cut = letter(valueSize: excerpt, message: message)
        RecordSizeLimit(maxBytes: excerpt).apply(to: &cut)
        #expect(cut.truncatedFrom != nil)
        let kept = cut.errorMessage ?? ""
        #expect(kept.utf8.count <= excerpt && kept.utf8.count > excerpt - 2)
        #expect(kept.utf8.count == excerpt - 1)
        #expect(kept.dropFirst().allSatisfy { $0 == "é" })
    }
}
