/**
 * The in-VM gateway between the resource adapter and a broker in the same JVM:
 * {@link dev.tributary.jca.spi.BrokerGateway}, implemented by the broker's container boundary and published through {@link dev.tributary.jca.spi.InVmBrokers}.
 * Not for applications.
 */
package dev.tributary.jca.spi;
