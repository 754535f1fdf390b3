package io.finhub.ingest;

import java.util.List;

/** Thrown inside the batch's transaction to roll it back; {@link IngestService} turns it into a result. */
final class BatchRejected extends RuntimeException {
    private final List<IngestProblem> problems;
    private final long problemCount;
    private final boolean empty;

    private BatchRejected(List<IngestProblem> problems, long problemCount, boolean empty) {
        super(empty ? "the batch holds no rows" : problemCount + " problems", null, false, false);
        this.problems = List.copyOf(problems);
        this.problemCount = problemCount;
        this.empty = empty;
    }

    static BatchRejected withProblems(List<IngestProblem> problems, long problemCount) {
        return new BatchRejected(problems, problemCount, false);
    }

    static BatchRejected empty() {
        return new BatchRejected(List.of(), 0, true);
    }

    List<IngestProblem> problems() {
        return problems;
    }

    long problemCount() {
        return problemCount;
    }

    boolean isEmpty() {
        return empty;
    }
}
