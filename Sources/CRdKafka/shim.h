// rdkafka_mock.h declares functions over types from rdkafka.h, so it must come second.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
