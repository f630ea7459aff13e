package io.layerwise.trainers.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Final-answer extraction as GSM8K scoring does it. */
class FinalNumberTest {

    @Test
    void numberAfterTheLastMarkerWins() {
        assertThat(FinalNumber.extract("He has 3 + 4 = <<3+4=7>>7 apples.\n#### 7").map(BigDecimal::toPlainString)).contains("7");
        assertThat(FinalNumber.extract("#### 1,234").map(BigDecimal::toPlainString)).contains("1234");
        assertThat(FinalNumber.extract("#### -12.50").map(BigDecimal::toPlainString)).contains("-12.5");
    }

    @Test
    void withoutMarkerTheLastNumberIsTheAnswer() {
        assertThat(FinalNumber.extract("So she pays 12 dollars, then 30.").map(BigDecimal::toPlainString)).contains("30");
        assertThat(FinalNumber.extract("no digits here")).isEmpty();
    }

    @Test
    void equalValuesCompareEqualWhateverTheirForm() {
        assertThat(FinalNumber.extract("#### 12.0").orElseThrow().compareTo(FinalNumber.extract("12").orElseThrow())).isZero();
    }
}
