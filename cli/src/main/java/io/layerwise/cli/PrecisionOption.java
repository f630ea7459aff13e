package io.layerwise.cli;

import io.layerwise.models.ModelException;
import io.layerwise.models.precision.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --precision f32|bf16}, shared by the commands that run a model. */
final class PrecisionOption {
    @Option(names = "--precision", defaultValue = "f32", converter = Converter.class, paramLabel = "f32|bf16",
            description = "Arithmetic of the linear layers: f32 (default, exact) or bf16 (about twice as fast on CPUs "
                    + "with AVX512-BF16 or AMX, ~1e-2 relative error; taps stay float32)")
    Precision precision;

    /** Parses with {@link Precision#parse}, reporting a bad value as picocli does. */
    static final class Converter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value, "--precision");
            } catch (ModelException e) {
                throw new TypeConversionException("'" + value + "' is not a precision: use f32 or bf16");
            }
        }
    }
}
