import Kafka
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("an unknown consumer property throws a KafkaError naming it")
    func unknownConsumerProperty() throws {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "g")
        configuration.properties = ["bogus.property": "1"]
        let error = #expect(throws: KafkaError.self) {
            try KafkaConsumer(configuration: configuration, logger: Support.logger)
        }
        #expect(error?.message.contains("bogus.property") == true)
    }

    @Test("an invalid producer property value throws a KafkaError naming the property")
    func invalidProducerValue() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties = ["linger.ms": "soon"]
        let error = #expect(throws: KafkaError.self) {
            try KafkaProducer(configuration: configuration, logger: Support.logger)
        }
        #expect(error?.message.contains("linger.ms") == true)
    }
}
