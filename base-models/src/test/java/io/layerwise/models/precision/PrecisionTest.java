package io.layerwise.models.precision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.layerwise.models.ModelException;
import org.junit.jupiter.api.Test;

/** How users write a precision: on the command line and as {@code precision:} in configs. */
class PrecisionTest {

    /** A config record as the datasets and trainers modules declare theirs. */
    record Config(Precision precision) {}

    @Test
    void labelsParseInAnyCaseAndUnknownOnesNameTheOption() {
        assertThat(Precision.parse("bf16", "--precision")).isEqualTo(Precision.BF16);
        assertThat(Precision.parse(" F32 ", "--precision")).isEqualTo(Precision.F32);
        assertThat(Precision.parse("bfloat16", "--precision")).isEqualTo(Precision.BF16);
        assertThatThrownBy(() -> Precision.parse("fp8", "extract.yaml: precision")).isInstanceOf(ModelException.class)
                .hasMessage("extract.yaml: precision: unknown precision 'fp8' (use f32 or bf16)");
    }

    @Test
    void configsReadAndWriteTheLowerCaseLabel() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readValue("{\"precision\": \"bf16\"}", Config.class).precision()).isEqualTo(Precision.BF16);
        assertThat(json.writeValueAsString(new Config(Precision.F32))).isEqualTo("{\"precision\":\"f32\"}");
        assertThatThrownBy(() -> json.readValue("{\"precision\": \"int8\"}", Config.class))
                .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("unknown precision 'int8'");
    }
}
