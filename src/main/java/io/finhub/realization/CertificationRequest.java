package io.finhub.realization;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A request to certify a contract's value realization for a fiscal quarter.
 *
 * @param supersedes the current certification of that quarter, when there is one: a certified
 *        quarter is changed only by a new certification that names the one it replaces, with a reason
 */
public record CertificationRequest(String contractId, int fiscalYear, int fiscalQuarter, String certifiedBy, List<Evidence> evidence,
        Optional<String> supersedes, Optional<String> reason, Optional<String> note) {
    public CertificationRequest {
        requireNonNull(contractId, "contractId is null");
        requireNonNull(certifiedBy, "certifiedBy is null");
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
        requireNonNull(supersedes, "supersedes is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(note, "note is null");
    }
}
