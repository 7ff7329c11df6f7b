package dev.tributary.broker.kafka.handlers;

import dev.tributary.broker.kafka.network.ApiHandler;
import dev.tributary.broker.kafka.network.KafkaRequest;
import dev.tributary.broker.security.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/** DescribeAcls, CreateAcls and DeleteAcls (v1-3): the admin client's ACL calls, over the {@link Authorizer}. */
public final class AclApis {

    private static final short OLDEST = 1;

    private final Authorizer authorizer;

    public AclApis(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    public List<ApiHandler> handlers() {
        return List.of(
                handler(ApiKeys.DESCRIBE_ACLS, this::describe),
                handler(ApiKeys.CREATE_ACLS, this::create),
                handler(ApiKeys.DELETE_ACLS, this::delete));
    }

    private AbstractResponse describe(KafkaRequest request) {
        AclBindingFilter filter = request.body(DescribeAclsRequest.class).filter();
        return new DescribeAclsResponse(new DescribeAclsResponseData().setErrorCode(Errors.NONE.code())
                .setResources(DescribeAclsResponse.aclsResources(authorizer.describe(filter))), request.version());
    }

    /** Each creation succeeds or fails alone, as Kafka's do. */
    private AbstractResponse create(KafkaRequest request) {
        List<AclCreationResult> results = new ArrayList<>();
        for (var creation : request.body(CreateAclsRequest.class).aclCreations()) {
            AclCreationResult result = new AclCreationResult();
            try {
                AclBinding binding = CreateAclsRequest.aclBinding(creation);
                authorizer.create(List.of(binding));
            } catch (IllegalArgumentException invalid) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(invalid.getMessage());
            }
            results.add(result);
        }
        return new CreateAclsResponse(new CreateAclsResponseData().setResults(results));
    }

    private AbstractResponse delete(KafkaRequest request) {
        List<DeleteAclsFilterResult> results = new ArrayList<>();
        for (AclBindingFilter filter : request.body(DeleteAclsRequest.class).filters()) {
            List<DeleteAclsResponseData.DeleteAclsMatchingAcl> matching = new ArrayList<>();
            for (AclBinding deleted : authorizer.delete(filter)) {
                matching.add(DeleteAclsResponse.matchingAcl(deleted, ApiError.NONE));
            }
            results.add(new DeleteAclsFilterResult().setMatchingAcls(matching));
        }
        return new DeleteAclsResponse(new DeleteAclsResponseData().setFilterResults(results), request.version());
    }

    private static ApiHandler handler(ApiKeys key, Function<KafkaRequest, AbstractResponse> serve) {
        return ApiHandler.of(key, OLDEST, key.latestVersion(),
                request -> CompletableFuture.completedFuture(serve.apply(request)));
    }
}
