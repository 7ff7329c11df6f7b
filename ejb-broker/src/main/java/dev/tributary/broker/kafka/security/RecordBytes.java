package dev.tributary.broker.kafka.security;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;

/** The record bytes a Produce request carries, or a Fetch response: what byte-rate quotas count. */
final class RecordBytes {

    private RecordBytes() {
    }

    static long of(ProduceRequest request) {
        long bytes = 0;
        for (ProduceRequestData.TopicProduceData topic : request.data().topicData()) {
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                bytes += partition.records() == null ? 0 : partition.records().sizeInBytes();
            }
        }
        return bytes;
    }

    static long of(FetchResponse response) {
        long bytes = 0;
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                bytes += partition.records() == null ? 0 : partition.records().sizeInBytes();
            }
        }
        return bytes;
    }
}
