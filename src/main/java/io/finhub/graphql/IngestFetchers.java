package io.finhub.graphql;

import static io.finhub.graphql.GraphqlArguments.enumValue;
import static io.finhub.graphql.GraphqlArguments.objects;
import static java.util.Objects.requireNonNull;

import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.finhub.error.ErrorCode;
import io.finhub.error.FinhubException;
import io.finhub.ingest.Dataset;
import io.finhub.ingest.IngestBatch;
import io.finhub.ingest.IngestMode;
import io.finhub.ingest.IngestResult;
import io.finhub.ingest.IngestService;
import io.finhub.ingest.Partition;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code importRows}, {@code datasets}, {@code importBatches}: parse, call {@link IngestService}, return. */
public final class IngestFetchers implements GraphqlModule {
    private final IngestService ingest;

    public IngestFetchers(IngestService ingest) {
        this.ingest = requireNonNull(ingest, "ingest is null");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("datasets", environment -> ingest.datasets())
                .dataFetcher("importBatches", environment -> ingest.recentBatches(environment.getArgument("limit"))));
        wiring.type("Mutation", type -> type.dataFetcher("importRows", importRows()));
        wiring.type("ImportResult", type -> type
                .dataFetcher("batchId", environment -> environment.<IngestResult>getSource().batchId().orElse(null))
                .dataFetcher("dataVersion", environment -> environment.<IngestResult>getSource().dataVersion().orElse(null))
                .dataFetcher("committedAt", environment -> environment.<IngestResult>getSource().committedAt()
                        .map(instant -> instant.atOffset(ZoneOffset.UTC)).orElse(null)));
        wiring.type("ImportBatch", type -> type
                .dataFetcher("committedAt", environment -> environment.<IngestBatch>getSource().committedAt().atOffset(ZoneOffset.UTC)));
        wiring.type("DatasetColumnInfo", type -> type
                .dataFetcher("references", environment -> environment.<Dataset.DatasetColumn>getSource().references().orElse(null)));
    }

    private DataFetcher<IngestResult> importRows() {
        return environment -> {
            Map<String, Object> input = environment.getArgument("input");
            Optional<IngestMode> mode = Optional.ofNullable(input.get("mode")).map(value -> enumValue(IngestMode.class, value, "import mode"));
            List<Partition> partitions = new ArrayList<>();
            for (Map<String, Object> partition : objects(input.get("partition"))) {
                partitions.add(new Partition((String) partition.get("column"), (String) partition.get("value")));
            }
            return ingest.importRows((String) input.get("dataset"), rows(input.get("rows")), mode, partitions,
                    Optional.ofNullable((String) input.get("idempotencyKey")), "graphql", "graphql:importRows");
        };
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Object value) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object row : (List<Object>) value) {
            if (!(row instanceof Map)) {
                throw new FinhubException(ErrorCode.BAD_REQUEST, "every row must be a JSON object keyed by column name");
            }
            rows.add((Map<String, Object>) row);
        }
        return rows;
    }
}
