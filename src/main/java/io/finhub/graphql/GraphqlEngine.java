package io.finhub.graphql;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.scalars.ExtendedScalars;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.finhub.support.ClasspathResources;
import graphql.ErrorType;
import graphql.GraphQLError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The executable schema: every {@code schema/graphql/*.graphqls} file, the extended scalars and the
 * fetchers of each {@link GraphqlModule}. Parsed and validated documents are cached, so a dashboard
 * repeating its queries pays for parsing once.
 */
public final class GraphqlEngine {
    static final int MAX_DEPTH = 16;
    /**
     * Each field costs 1 plus its selections; a root field (one answer computed on the store) costs
     * {@link #ROOT_FIELD_COST}. A dashboard document of a few root fields stays far below the limit;
     * dozens of aliased reports in one document do not.
     */
    static final int MAX_COMPLEXITY = 1_000;
    static final int ROOT_FIELD_COST = 50;

    private final GraphQL graphql;
    private final GraphQLSchema schema;
    private final Cache<String, Document> operationDocuments = Caffeine.newBuilder().maximumSize(2_000).build();

    public GraphqlEngine(List<GraphqlModule> modules) {
        this(modules, List.of());
    }

    /** With {@code instrumentations} (a per-request timeout, for one) after the depth and complexity limits. */
    public GraphqlEngine(List<GraphqlModule> modules, List<Instrumentation> instrumentations) {
        requireNonNull(modules, "modules is null");
        this.schema = buildSchema(modules);
        List<Instrumentation> chain = new ArrayList<>(List.of(new DepthLimit(), new ComplexityLimit()));
        chain.addAll(requireNonNull(instrumentations, "instrumentations is null"));
        // Last, so that it wraps the others: they all, and every fetcher, get the arguments with their defaults filled in.
        chain.add(new ArgumentDefaults());
        this.graphql = GraphQL.newGraphQL(schema)
                .defaultDataFetcherExceptionHandler(new GraphqlErrors())
                .preparsedDocumentProvider(new CachingDocumentProvider())
                .instrumentation(new ChainedInstrumentation(chain))
                .build();
    }

    /** A limit error: no data, one error whose {@code extensions.code} names the limit. */
    private static AbortExecutionException limitExceeded(String code, String message) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(ErrorType.ExecutionAborted)
                .extensions(Map.of("code", code))
                .build()));
    }

    private static final class DepthLimit extends MaxQueryDepthInstrumentation {
        DepthLimit() {
            super(MAX_DEPTH);
        }

        @Override
        protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
            return limitExceeded("TOO_DEEP", "the document nests %d deep; the maximum query depth is %d".formatted(depth, maxDepth));
        }
    }

    private static final class ComplexityLimit extends MaxQueryComplexityInstrumentation {
        private static final FieldComplexityCalculator COST = (environment, childComplexity) ->
                (environment.getParentEnvironment() == null ? ROOT_FIELD_COST : 1) + childComplexity;

        ComplexityLimit() {
            super(MAX_COMPLEXITY, COST);
        }

        @Override
        protected AbortExecutionException mkAbortException(int complexity, int maxComplexity) {
            return limitExceeded("TOO_COMPLEX", ("the document's complexity is %d, over the limit of %d (a root field costs %d, any other field 1): "
                    + "split it into several requests").formatted(complexity, maxComplexity, ROOT_FIELD_COST));
        }
    }

    private static GraphQLSchema buildSchema(List<GraphqlModule> modules) {
        TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
        SchemaParser parser = new SchemaParser();
        ClasspathResources.readAll("schema/graphql", ".graphqls").values().forEach(sdl -> registry.merge(parser.parse(sdl)));
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(StrictDateScalar.DATE)
                .scalar(ExtendedScalars.DateTime)
                .scalar(ExtendedScalars.GraphQLBigDecimal)
                .scalar(ExtendedScalars.GraphQLLong)
                .scalar(ExtendedScalars.Json);
        modules.forEach(module -> module.wire(wiring));
        return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
    }

    public GraphQLSchema schema() {
        return schema;
    }

    public ExecutionResult execute(GraphqlRequest request) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables())
                .extensions(request.extensions())
                .build();
        return graphql.execute(input);
    }

    /**
     * The spec-shaped response map. Every error carries {@code extensions.code}: the fetcher's own
     * code, or {@code GRAPHQL_PARSE_FAILED} / {@code GRAPHQL_VALIDATION_FAILED} for request errors.
     */
    public static Map<String, Object> specification(ExecutionResult result) {
        Map<String, Object> response = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (GraphQLError error : result.getErrors()) {
                Map<String, Object> shaped = new LinkedHashMap<>(error.toSpecification());
                Map<String, Object> extensions = new LinkedHashMap<>(error.getExtensions() == null ? Map.of() : error.getExtensions());
                extensions.putIfAbsent("code", requestErrorCode(error));
                shaped.put("extensions", extensions);
                errors.add(shaped);
            }
            response.put("errors", errors);
        }
        if (result.isDataPresent()) {
            response.put("data", result.getData());
        }
        if (result.getExtensions() != null && !result.getExtensions().isEmpty()) {
            response.put("extensions", result.getExtensions());
        }
        return response;
    }

    private static String requestErrorCode(GraphQLError error) {
        if (error.getErrorType() == ErrorType.InvalidSyntax) {
            return "GRAPHQL_PARSE_FAILED";
        }
        if (error.getErrorType() == ErrorType.ValidationError) {
            return "GRAPHQL_VALIDATION_FAILED";
        }
        return "INTERNAL";
    }

    /**
     * The kind (query, mutation, subscription) of the operation a request would run, or empty when
     * the document does not parse or names no such operation; execution then reports the problem.
     */
    public Optional<OperationDefinition.Operation> operationKind(GraphqlRequest request) {
        Document document;
        try {
            document = operationDocuments.get(request.query(), Parser::parse);
        }
        catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        return operations.stream()
                .filter(operation -> request.operationName() == null ? operations.size() == 1 : request.operationName().equals(operation.getName()))
                .findFirst()
                .map(OperationDefinition::getOperation);
    }

    private static final class CachingDocumentProvider implements PreparsedDocumentProvider {
        private final Cache<String, PreparsedDocumentEntry> cache = Caffeine.newBuilder().maximumSize(2_000).build();

        @Override
        public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
            PreparsedDocumentEntry entry = cache.getIfPresent(input.getQuery());
            if (entry == null) {
                entry = parseAndValidate.apply(input);
                if (!entry.hasErrors()) {
                    cache.put(input.getQuery(), entry);
                }
            }
            return CompletableFuture.completedFuture(entry);
        }
    }
}
