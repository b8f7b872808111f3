import DLQCore

/// A decoded dead letter with the fields classification reads; every test overrides only what it is about.
func letterToClassify(
    dlqTopic: String = "orders.dlq",
    originalTopic: String? = "orders",
    consumerGroup: String? = "order-service",
    exceptionClass: String? = "com.acme.OrderRejectedException",
    errorMessage: String? = "Order 4711 rejected",
    headers: [RecordHeader] = []
) -> DeadLetter {
    DeadLetter(
        coordinate: DLQCoordinate(topic: dlqTopic, partition: 0, offset: 42),
        key: nil,
        value: nil,
        headers: headers,
        kafkaTimestamp: nil,
        originalTopic: originalTopic,
        consumerGroup: consumerGroup,
        exceptionClass: exceptionClass,
        errorMessage: errorMessage
    )
}
