/**
 * One handler per Kafka API ({@code *Handler}), or one class per family of APIs that a single core facade serves
 * ({@code *Apis}): what Kafka's {@code KafkaApis} does, API by API.
 *
 * <ul>
 *   <li>Records: {@link dev.tributary.broker.kafka.handlers.ProduceHandler},
 *       {@link dev.tributary.broker.kafka.handlers.FetchHandler} (one read is a
 *       {@link dev.tributary.broker.kafka.handlers.FetchOperation}; a fetch waiting for data parks in the
 *       {@link dev.tributary.broker.kafka.handlers.FetchPurgatory}),
 *       {@link dev.tributary.broker.kafka.handlers.ListOffsetsHandler},
 *       {@link dev.tributary.broker.kafka.handlers.OffsetsForLeaderEpochHandler} (with Fetch and ListOffsets, the
 *       {@link dev.tributary.broker.kafka.handlers.PartitionLeaderEpoch} rules),
 *       {@link dev.tributary.broker.kafka.handlers.DeleteRecordsHandler},
 *       {@link dev.tributary.broker.kafka.handlers.InitProducerIdHandler};</li>
 *   <li>Discovery: {@link dev.tributary.broker.kafka.handlers.ApiVersionsHandler},
 *       {@link dev.tributary.broker.kafka.handlers.MetadataHandler},
 *       {@link dev.tributary.broker.kafka.handlers.DescribeClusterHandler},
 *       {@link dev.tributary.broker.kafka.handlers.FindCoordinatorHandler}, which present this broker as its
 *       {@link dev.tributary.broker.kafka.handlers.BrokerEndpoint} among the
 *       {@link dev.tributary.broker.kafka.handlers.LiveBrokers};</li>
 *   <li>Consumer groups: {@link dev.tributary.broker.kafka.handlers.GroupApis}, over the {@code GroupCoordinator};</li>
 *   <li>Administration: {@link dev.tributary.broker.kafka.handlers.CreateTopicsHandler},
 *       {@link dev.tributary.broker.kafka.handlers.CreatePartitionsHandler},
 *       {@link dev.tributary.broker.kafka.handlers.DeleteTopicsHandler},
 *       {@link dev.tributary.broker.kafka.handlers.DescribeConfigsHandler} (entries as
 *       {@link dev.tributary.broker.kafka.handlers.TopicConfigEntries}),
 *       {@link dev.tributary.broker.kafka.handlers.AlterConfigsHandler} and
 *       {@link dev.tributary.broker.kafka.handlers.IncrementalAlterConfigsHandler} (their shared checks in
 *       {@link dev.tributary.broker.kafka.handlers.ConfigResourceAlteration}),
 *       {@link dev.tributary.broker.kafka.handlers.AclApis}.</li>
 * </ul>
 *
 * <p>Rules:
 * <ul>
 *   <li>A handler translates: it unwraps the request's message data, asks the core ({@code topic}, {@code log},
 *       {@code group}, {@code replication}, {@code security}) and wraps the answer. Decisions about data live in the
 *       core.</li>
 *   <li>This package depends on {@code kafka.network}'s request abstractions and on
 *       {@code kafka.security.RequestAuthorization} only to filter what it lists; it never checks ACLs itself (the
 *       {@code AuthorizedHandler} in front of every handler does) and knows nothing of sockets or network
 *       threads.</li>
 *   <li>{@code handle} runs on a request-handler thread and may block briefly (an fsync, the metadata database);
 *       whatever waits longer (a long-polling fetch, acks=all) completes its future later instead of holding the
 *       thread.</li>
 *   <li>Errors are answered with Kafka's error code, per topic or partition where the protocol has one; an exception
 *       out of {@code handle} is answered with the request's own error response, and a
 *       {@code CloseConnectionException} closes the connection instead.</li>
 *   <li>Each handler declares the versions it serves, and ApiVersions advertises exactly those.</li>
 * </ul>
 *
 * <p>Plain Java plus kafka-clients; no Jakarta EE types.
 */
package dev.tributary.broker.kafka.handlers;
