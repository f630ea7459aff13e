package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one candidate did, committed atomically as {@code candidates/<k>/result.json} when it ends: its
 * values, whether it completed, its objective and metrics, how long it ran, the error that stopped it,
 * and the SHA-256 of the resolved config it ran, by which a resumed sweep knows the result still applies.
 *
 * @param index the candidate's index in the plan
 * @param values config path -> value
 * @param status {@code complete} or {@code failed}
 * @param objective the objective value, or null when failed
 * @param metrics every metric the candidate reported, by name (empty when failed)
 * @param seconds wall-clock time of the run
 * @param error the failure in one line ({@code ExceptionType: message}), or null
 * @param configSha256 SHA-256 of the candidate's resolved config YAML
 */
public record CandidateResult(int index, Map<String, Object> values, Status status, Double objective,
        Map<String, Double> metrics, double seconds, String error, String configSha256) {

    /** How a candidate ended. */
    public enum Status {
        COMPLETE, FAILED;

        @JsonCreator
        public static Status fromConfig(String name) {
            return ConfigEnums.parse(Status.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    public CandidateResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics == null ? Map.of() : metrics));
    }

    public boolean complete() {
        return status == Status.COMPLETE;
    }
}
