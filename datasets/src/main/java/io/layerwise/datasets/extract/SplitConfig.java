package io.layerwise.datasets.extract;

import io.layerwise.datasets.SplitFractions;
import io.layerwise.datasets.config.ConfigFieldException;

/**
 * The {@code splits} block: the share of each class given to train, validation and test, and the seed of
 * the stratified split. Without the block the split is 0.8 / 0.1 / 0.1 with seed 42; inside it, an omitted
 * validation or test share is 0 and an omitted train share takes the rest.
 *
 * @param train share for training
 * @param validation share for validation
 * @param test share for test
 * @param seed seed of {@link io.layerwise.datasets.StratifiedSplitter}
 */
public record SplitConfig(Double train, Double validation, Double test, Long seed) {
    public static final SplitConfig DEFAULT = new SplitConfig(0.8, 0.1, 0.1, 42L);

    public SplitConfig {
        validation = validation == null ? 0.0 : validation;
        test = test == null ? 0.0 : test;
        train = train == null ? 1.0 - validation - test : train;
        seed = seed == null ? DEFAULT.seed : seed;
        try {
            new SplitFractions(train, validation, test);
        } catch (IllegalArgumentException e) {
            throw new ConfigFieldException(null, e.getMessage().replace("SplitFractions", "")
                    + "; give train, validation and test shares in [0, 1] that sum to 1");
        }
    }

    public SplitFractions fractions() {
        return new SplitFractions(train, validation, test);
    }
}
