@testable import DLQCore
import Testing

@Suite("Error-group fingerprints")
struct FingerprintTests {
    @Test func sameInputsGiveTheSameFingerprint() {
        #expect(Fingerprint.of(letterToClassify()) == Fingerprint.of(letterToClassify()))
    }

    @Test func theValueIs32LowercaseHexDigits() {
        let value = Fingerprint.of(letterToClassify()).value
        #expect(value.utf8.count == 32)
        #expect(value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    }

    /// Stored fingerprints must keep meaning the same group: this value may only change together with a migration
    /// that re-fingerprints every stored dead letter. Independently computed as the first 16 bytes of SHA-256 over
    /// the length-prefixed components (Python hashlib).
    @Test func theAlgorithmIsPinned() {
        #expect(Fingerprint.of(letterToClassify()).value == "b22820d5efa802be3a0652b5789a5ada")
    }

    /// The four fields a fingerprint is made of.
    enum Component: CaseIterable {
        case exceptionClass, errorMessage, originalTopic, consumerGroup

        func letter(setTo value: String?) -> DeadLetter {
            var letter = letterToClassify()
            switch self {
            case .exceptionClass: letter.exceptionClass = value
            case .errorMessage: letter.errorMessage = value
            case .originalTopic: letter.originalTopic = value
            case .consumerGroup: letter.consumerGroup = value
            }
            return letter
        }
    }

    @Test(arguments: Component.allCases)
    func eachComponentChangesTheFingerprint(component: Component) {
        #expect(Fingerprint.of(component.letter(setTo: "something else")) != Fingerprint.of(letterToClassify()))
    }

    @Test(arguments: Component.allCases)
    func absentIsNotEmpty(component: Component) {
        #expect(Fingerprint.of(component.letter(setTo: nil)) != Fingerprint.of(component.letter(setTo: "")))
    }

    @Test func componentBoundariesCannotShift() {
        let first = letterToClassify(originalTopic: "orders", consumerGroup: "-eu")
        let second = letterToClassify(originalTopic: "orders-", consumerGroup: "eu")
        #expect(Fingerprint.of(first) != Fingerprint.of(second))
    }

    @Test func messagesDifferingOnlyInIdsShareAFingerprint() {
        let first = letterToClassify(errorMessage: "Order 4711 for 'jane' not found (trace 4bf92f3577b34da6)")
        let second = letterToClassify(errorMessage: "Order 98 for 'joe' not found (trace 00f067aa0ba902b7)")
        #expect(Fingerprint.of(first) == Fingerprint.of(second))
    }

    @Test func whereTheLetterWasReadFromDoesNotMatter() {
        var elsewhere = letterToClassify(dlqTopic: "orders.dlq.v2")
        elsewhere.coordinate = DLQCoordinate(topic: "orders.dlq.v2", partition: 7, offset: 123_456)
        elsewhere.headers = [RecordHeader(name: "x-tenant", text: "acme")]
        #expect(Fingerprint.of(elsewhere) == Fingerprint.of(letterToClassify()))
    }

    @Test func aStoredValueReadsBackEqual() {
        let fingerprint = Fingerprint.of(letterToClassify())
        #expect(Fingerprint(value: fingerprint.value) == fingerprint)
        #expect(fingerprint.description == fingerprint.value)
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ])
    func sha256MatchesTheFIPSExamples(message: String, digest: String) {
        #expect(hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test(arguments: [55, 56, 63, 64, 65])
    func sha256PadsAtBlockEdges(length: Int) {
        // Lengths around the 56-byte padding boundary, checked against `sha256sum`.
        let expected = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
        ]
        #expect(hex(SHA256.hash(Array(repeating: UInt8(ascii: "a"), count: length))) == expected[length])
    }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
    }
}
