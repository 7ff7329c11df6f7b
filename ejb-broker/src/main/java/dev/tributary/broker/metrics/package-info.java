/**
 * The broker's own measurements, in plain Java: throughput per topic, Kafka request counts and latencies, fsync
 * times. Everything here is cheap enough for the hot paths that feed it (a {@link java.util.concurrent.atomic.LongAdder}
 * increment, no allocation, no lock); the container boundary reads it and exports it (MicroProfile Metrics).
 */
package dev.tributary.broker.metrics;
