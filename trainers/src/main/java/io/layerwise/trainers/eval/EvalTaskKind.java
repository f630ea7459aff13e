package io.layerwise.trainers.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;

/** The evaluations {@code layerwise eval} runs ({@code task:} in its config). */
public enum EvalTaskKind {
    /** Multiple choice (MMLU CSV, or Hugging Face's MMLU Parquet), log-likelihood of the answer letter. */
    MMLU,
    /** Word problems (GSM8K JSONL), greedy generation and the final number. */
    GSM8K,
    /** Perplexity of a text over non-overlapping windows. */
    PERPLEXITY,
    /** Refusal rate of generated answers, per prompt group. */
    REFUSAL;

    @JsonCreator
    public static EvalTaskKind fromConfig(String name) {
        return ConfigEnums.parse(EvalTaskKind.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
