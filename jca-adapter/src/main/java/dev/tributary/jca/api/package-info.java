/**
 * What Jakarta EE applications compile against (with {@code provided} scope: the classes come from the deployed
 * resource adapter {@code tributary-jca}). Outbound: {@link dev.tributary.jca.api.TributaryConnectionFactory} →
 * {@link dev.tributary.jca.api.TributaryConnection} → {@link dev.tributary.jca.api.OutgoingRecord} /
 * {@link dev.tributary.jca.api.RecordMetadata}. Inbound: message-driven beans implementing
 * {@link dev.tributary.jca.api.RecordListener}, receiving {@link dev.tributary.jca.api.ConsumedRecord}s.
 */
package dev.tributary.jca.api;
